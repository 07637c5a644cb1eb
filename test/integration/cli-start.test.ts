// The CLI is built ahead (scripts/build-cli.mjs → out/cli) and bin/radlabel.mjs runs that bundle when it is
// fresh, else the sources through tsx; both give the same program. (Start-up time is measured by hand:
// see README, not in a timed test.)
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'

const ROOT = resolve(import.meta.dirname, '../..')

describe('radlabel start-up', () => {
  it('runs the prebuilt bundle after a build, and the sources through tsx when asked (same help)', () => {
    const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' })
    expect(build.status, build.stderr).toBe(0)
    const bundled = runCli(['--help'], { env: { RADLABEL_CLI_TRACE: '1' } })
    expect(bundled.code).toBe(0)
    expect(bundled.stderr).toMatch(/running out\/cli\/main\.js/)
    const source = runCli(['--help'], { env: { RADLABEL_CLI_TRACE: '1', RADLABEL_CLI: 'source' } })
    expect(source.code).toBe(0)
    expect(source.stderr).toMatch(/through tsx/)
    expect(bundled.stdout).toBe(source.stdout)
    expect(bundled.stdout).toMatch(/Usage: radlabel/)
  })

  it('the bundle finds package.json for the version', () => {
    const v = runCli(['--version'], { env: { RADLABEL_CLI_TRACE: '1' } })
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })
})
