// The smaller command-line items of issue 14 B: the demo says what it skipped, the dataset export warns
// once, `labelsets show` works without a workspace, and --resamples 0 does not speak of intervals.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { runCli } from '../support/cli'
import { tempWorkspace } from '../support/workspace'

const ws = tempWorkspace()
beforeAll(() => {
  seedSynthetic(ws.db, 12, 4)
  ws.close()
})
afterAll(() => ws.cleanup())

describe('smaller CLI items', () => {
  it('demo says it runs the rules engine and skips the LLM, and why', () => {
    expect(runCli(['demo', '--help']).stdout).toMatch(/the LLM engine is skipped:\s+it\s+needs\s+a\s+model\s+file/)
    const r = runCli(['demo', '--db', join(ws.dir, 'demo.db')])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Engines run: rules; skipped: llm/)
    expect(r.stdout).toMatch(/Skipped llm: needs a GGUF model/)
  })

  it('the dataset export prints its patient-data warning once (text and --json)', () => {
    for (const json of [false, true]) {
      const out = join(ws.dir, json ? 'ds-json' : 'ds-text')
      const r = runCli(['export', 'dataset', '--db', ws.path, '--source', 'synthetic A', '--out', out, ...(json ? ['--json'] : [])])
      expect(r.code, r.stderr).toBe(0)
      const text = json ? r.stderr : r.stdout + r.stderr
      const warning = (JSON.parse(json ? r.stdout : '{}') as { warning?: string }).warning ?? text.split('\n')[0]
      expect(warning.length).toBeGreaterThan(20)
      expect(text.split(warning).length - 1).toBe(1)
    }
  })

  it('labelsets show works without --db for the built-in sets, like list', () => {
    const r = runCli(['labelsets', 'show', 'chestxray14', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ slug: 'chestxray14', builtin: true })
    const missing = runCli(['labelsets', 'show', 'site-set'])
    expect(missing.code).toBe(1)
  })

  it('--resamples 0 warns about the small sample without speaking of intervals', () => {
    const r = runCli(['eval', '--db', ws.path, '--pred', 'synthetic B', '--ref', 'synthetic A', '--resamples', '0', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const warnings = (JSON.parse(r.stdout) as { warnings: string[] }).warnings
    expect(warnings.some((w) => /^Only \d+ reports are covered/.test(w))).toBe(true)
    expect(warnings.join(' ')).not.toMatch(/interval/i)
    const withIntervals = runCli(['eval', '--db', ws.path, '--pred', 'synthetic B', '--ref', 'synthetic A', '--resamples', '200', '--json'])
    expect((JSON.parse(withIntervals.stdout) as { warnings: string[] }).warnings.join(' ')).toMatch(/intervals and differences are unreliable/)
  })
})
