// The evaluate and export calls through the real handler table (validation, dialogs, workspace switch).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallOutcome, CallResult } from '../../src/common/ipc/contract'
import { createSession, type AppSession } from '../../src/node/services/session'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

/** `session.call` with the contract's types. */
async function call<N extends CallName>(s: AppSession, name: N, input: CallInput<N> | Record<string, unknown>): Promise<CallOutcome<CallResult<N>>> {
  return (await s.call(name, input)) as CallOutcome<CallResult<N>>
}

async function open(saveFile?: (o: { defaultPath?: string }) => Promise<string | null>): Promise<{ s: AppSession; dir: string }> {
  const dir = tempDir()
  cleanup = dir.cleanup
  session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node', saveFile } })
  seedEvalWorkspace(session.ctx.workspace.db)
  return { s: session, dir: dir.dir }
}

describe('evaluate and export calls', () => {
  it('lists sources with their labels, validates input and evaluates', async () => {
    const { s } = await open()
    const sources = await call(s, 'evaluate.sources', {})
    expect(sources.ok && sources.value.map((x) => [x.name, x.kind, x.reportCount])).toEqual([
      ['curated', 'curated', 5],
      ['rules', 'run', 6],
      ['weak', 'imported', 5]
    ])
    const bad = await call(s, 'evaluate.run', { pred: [], ref: 'curated' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: /choose at least one prediction source/ } })
    const badPolicy = await call(s, 'evaluate.run', { pred: ['rules'], ref: 'curated', uncertain: 'maybe' })
    expect(badPolicy).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const ok = await call(s, 'evaluate.run', { pred: ['rules'], ref: 'curated', uncertain: 'positive', resamples: 100 })
    expect(ok.ok && ok.value.comparison.results[0].micro.f1).toBeCloseTo(0.75, 12)
    const cases = await call(s, 'evaluate.cases', { pred: 'rules', ref: 'curated', uncertain: 'positive', label: 'Pleural Effusion', outcome: 'fn' })
    expect(cases.ok && cases.value.items.map((i) => i.reportKey)).toEqual(['R2'])
  })

  it('uses the save dialog when there is one, and returns null when the user cancels', async () => {
    const asked: Array<string | undefined> = []
    let answer: string | null = null
    const { s, dir } = await open(async (o) => {
      asked.push(o.defaultPath)
      return answer
    })
    expect(await call(s, 'export.labels', { source: 'curated' })).toEqual({ ok: true, value: null })
    expect(asked[0]).toBe('curated-labels.csv')
    answer = join(dir, 'chosen.csv')
    const r = await call(s, 'export.labels', { source: 'curated', format: 'binary' })
    expect(r.ok && r.value?.rows).toBe(5)
    expect(readFileSync(answer, 'utf8')).toMatch(/^report_key,/)
    answer = join(dir, 'report.html')
    const rep = await call(s, 'evaluate.saveReport', { pred: ['rules', 'weak'], ref: 'curated', resamples: 50, agreement: true })
    expect(rep.ok && rep.value?.path).toBe(answer)
    expect(readFileSync(answer, 'utf8')).toContain('Agreement between rules and weak')
  })

  it('backs up, refuses to restore over the open workspace, and restores into a new one', async () => {
    const { s, dir } = await open()
    const b = await call(s, 'export.backup', { path: join(dir, 'b.db') })
    expect(b).toMatchObject({ ok: true, value: { reports: 6 } })
    const over = await call(s, 'export.restore', { backupPath: join(dir, 'b.db'), targetPath: s.ctx.workspace.path })
    expect(over).toMatchObject({ ok: false, error: { code: 'conflict', message: /open/ } })
    const target = join(dir, 'restored.db')
    const r = await call(s, 'export.restore', { backupPath: join(dir, 'b.db'), targetPath: target })
    expect(r).toMatchObject({ ok: true, value: { target, previous: null } })
    expect(existsSync(target)).toBe(true)
    expect(s.ctx.workspace.path).toBe(target)
    const info = await call(s, 'app.info', {})
    expect(info.ok && info.value.counts.reports).toBe(6)
  })
})
