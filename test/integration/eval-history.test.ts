// The evaluation history (migration 7): every completed evaluate.start is kept with its request,
// provenance and result; it can be listed, reopened exactly, and deleted; a cancelled run is not kept.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallOutcome, CallResult } from '../../src/common/ipc/contract'
import type { SavedEvaluation } from '../../src/common/ipc/calls/evaluate'
import { createSession, type AppSession } from '../../src/node/services/session'
import { listAudit } from '../../src/node/store/repos/audit'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function value<N extends CallName>(s: AppSession, name: N, input: CallInput<N> | Record<string, unknown>): Promise<CallResult<N>> {
  const out = (await s.call(name, input)) as CallOutcome<CallResult<N>>
  if (!out.ok) throw new Error(`${name}: ${JSON.stringify(out.error)}`)
  return out.value
}

describe('evaluation history', () => {
  it('keeps every completed evaluation; reopens it as it was; deletes it', async () => {
    const dir = tempDir()
    cleanup = dir.cleanup
    const dbPath = join(dir.dir, 'ws.db')
    const s = (session = await createSession({ dbPath, platform: { runtime: 'node' } }))
    seedEvalWorkspace(s.ctx.workspace.db)
    expect(await value(s, 'evaluate.history.list', {})).toEqual([])
    const first = { pred: ['rules'], ref: 'curated', resamples: 50, seed: 3 }
    const second = { pred: ['rules', 'weak'], ref: 'curated', uncertain: 'positive', resamples: 40, seed: 9 }
    const a = await s.ctx.jobs.wait((await value(s, 'evaluate.start', first)).id)
    const b = await s.ctx.jobs.wait((await value(s, 'evaluate.start', second)).id)
    const ra = a.result as SavedEvaluation
    const rb = b.result as SavedEvaluation
    expect(ra.historyId).toBeGreaterThan(0)
    expect(rb.historyId).toBeGreaterThan(ra.historyId)

    const list = await value(s, 'evaluate.history.list', {})
    expect(list.map((e) => e.id)).toEqual([rb.historyId, ra.historyId]) // newest first
    expect(list[0]).toMatchObject({ referenceName: 'curated', predictionNames: ['rules', 'weak'], nReports: rb.nReports })
    expect(list[0].settings).toMatchObject({ uncertain: 'positive', resamples: 40, seed: 9 })
    expect(list[1].microF1).toEqual([ra.comparison.results[0].micro.f1])

    // survives closing the workspace; the reopened result is the one that was shown
    await s.close()
    const s2 = (session = await createSession({ dbPath, platform: { runtime: 'node' } }))
    const reopened = await value(s2, 'evaluate.history.get', { id: ra.historyId })
    const { historyId: _ignored, ...shown } = ra
    expect(reopened.result).toEqual(shown)
    expect(reopened.request).toMatchObject({ pred: ['rules'], ref: 'curated', resamples: 50, seed: 3 })

    // a cancelled run leaves nothing in the history
    const c = await value(s2, 'evaluate.start', { pred: ['rules'], ref: 'curated', resamples: 100_000 })
    await s2.call('jobs.cancel', { id: c.id })
    expect((await s2.ctx.jobs.wait(c.id)).status).toBe('cancelled')
    expect(await value(s2, 'evaluate.history.list', {})).toHaveLength(2)

    expect(await value(s2, 'evaluate.history.delete', { id: ra.historyId })).toEqual({ deleted: ra.historyId })
    expect((await value(s2, 'evaluate.history.list', {})).map((e) => e.id)).toEqual([rb.historyId])
    const gone = await s2.call('evaluate.history.get', { id: ra.historyId })
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found' } })
    expect(listAudit(s2.ctx.workspace.db).some((e) => e.action === 'evaluation.delete')).toBe(true)
  })
})
