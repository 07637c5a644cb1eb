// Types for electron-native.mjs (plain JavaScript so `npm start` runs it without a build).
export function electronBinaryProblem(electronDir: string, env?: Record<string, string | undefined>): string | null
export function electronAbi(electronDir: string, version: string, nodeAbiLookup?: (version: string, runtime: string) => string | number): number | null
export function headersAbi(headersDir: string): number | null
export function builtModuleAbi(file: string): number | null
export function envForElectronBuild(env: Record<string, string | undefined>): Record<string, string | undefined>
export function electronBuildState(input: {
  target: string
  stampText: string | null
  wanted: string
  expectedAbi: number | null
}): { action: 'rebuild' | 'up-to-date'; reason: string }
