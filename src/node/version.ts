import { readFileSync } from 'node:fs'

// Read once from package.json, which ships with the app and the CLI.
export const APP_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    return pkg.version
  } catch {
    return '0.0.0'
  }
})()
