import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir()
afterAll(() => dir.cleanup())

describe('radlabel CLI basics', () => {
  it('prints help and exits 0', () => {
    const r = runCli(['--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: radlabel')
    expect(r.stdout).toMatch(/not a medical device/)
    for (const command of ['init', 'demo']) expect(r.stdout).toContain(command)
  })

  it('init creates a workspace and reports it as JSON', () => {
    const db = join(dir.dir, 'init.db')
    const r = runCli(['init', '--db', db, '--json'])
    expect(r.code).toBe(0)
    const info = JSON.parse(r.stdout) as { workspacePath: string; schemaVersion: number; counts: { reports: number } }
    expect(info.workspacePath).toBe(db)
    expect(info.schemaVersion).toBeGreaterThan(0)
    expect(info.counts.reports).toBe(0)
  })

  it('fails with one line and a non-zero code on bad usage or a bad workspace', () => {
    const unknown = runCli(['frobnicate'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/unknown command/)
    const notDb = runCli(['init', '--db', join(dir.dir, 'no-such-dir', '..', 'init.db', 'nested.db')])
    expect(notDb.code).toBe(1)
    expect(notDb.stderr.trim().split('\n')).toHaveLength(1)
    expect(notDb.stderr).toMatch(/^radlabel: error: /)
  })

  it('demo builds a workspace from synthetic reports and runs the available engines', () => {
    const db = join(dir.dir, 'demo.db')
    const r = runCli(['demo', '--db', db, '--json'])
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout) as { reports: number; runs: { engine: string; status: string; reportsDone: number; microF1: number }[] }
    expect(summary.reports).toBeGreaterThanOrEqual(16)
    expect(summary.runs.map((run) => run.engine)).toContain('rules')
    for (const run of summary.runs) {
      expect(run.status).toBe('completed')
      expect(run.reportsDone).toBe(summary.reports)
      expect(run.microF1).toBeGreaterThan(0)
      expect(run.microF1).toBeLessThanOrEqual(1)
    }
    const again = runCli(['demo', '--db', db])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already has reports/)
  })
})
