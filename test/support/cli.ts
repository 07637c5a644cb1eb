// Runs the real `radlabel` binary (bin/radlabel.mjs) in a child process, as a user would.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

export const CLI = resolve(import.meta.dirname, '../../bin/radlabel.mjs')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: { cwd?: string; input?: string; timeoutMs?: number; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    env: { ...process.env, NO_COLOR: '1', ...options.env }
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}
