// Double reading: each reader's progress in the set summary, and an adjudicator cannot take a reader's place.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallResult } from '../../src/common/ipc/contract'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { createSession, type AppSession } from '../../src/node/services/session'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function ok<N extends CallName>(s: AppSession, name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const out = await s.call(name, input)
  if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
  return out.value as CallResult<N>
}

describe('readers of a double-read set', () => {
  it("lists each reader's progress and refuses reading by an adjudicator", async () => {
    const dir = tempDir()
    cleanup = dir.cleanup
    const s = (session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } }))
    seedSynthetic(s.ctx.workspace.db, 10, 3)
    const ann = await ok(s, 'review.reviewers.create', { name: 'Ann', role: 'radiologist' })
    const bob = await ok(s, 'review.reviewers.create', { name: 'Bob', role: 'resident' })
    const cat = await ok(s, 'review.reviewers.create', { name: 'Cat', role: 'adjudicator' })
    const set = await ok(s, 'review.sets.create', { name: 'double', sampling: { strategy: 'all', size: 5 }, readersPerReport: 2 })
    const reports = (await ok(s, 'review.queue', { setId: set.id, reviewerId: ann.id, role: 'reader' })).items.map((i) => i.reportId)
    const labelId = (await ok(s, 'review.report', { setId: set.id, reportId: reports[0], reviewerId: ann.id, role: 'reader' })).labels[0].labelId
    for (const reportId of reports.slice(0, 3)) {
      await ok(s, 'review.decide', { setId: set.id, reportId, labelId, reviewerId: ann.id, role: 'reader', state: 'positive' })
      await ok(s, 'review.complete', { setId: set.id, reportId, reviewerId: ann.id, role: 'reader' })
    }
    await ok(s, 'review.decide', { setId: set.id, reportId: reports[0], labelId, reviewerId: bob.id, role: 'reader', state: 'negative' })
    const summary = (await ok(s, 'review.sets.list', {})).find((x) => x.id === set.id)!
    expect(summary.readers).toEqual([
      { reviewerId: ann.id, name: 'Ann', completed: 3, started: 3 },
      { reviewerId: bob.id, name: 'Bob', completed: 0, started: 1 }
    ])
    const refused = await s.call('review.decide', { setId: set.id, reportId: reports[4], labelId, reviewerId: cat.id, role: 'reader', state: 'positive' })
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden')
      expect(refused.error.message).toMatch(/Cat is an adjudicator/)
    }
    // single-read sets have no adjudication: an adjudicator profile may read them
    const single = await ok(s, 'review.sets.create', { name: 'single', sampling: { strategy: 'all', size: 2 } })
    await ok(s, 'review.decide', { setId: single.id, reportId: reports[0], labelId, reviewerId: cat.id, role: 'reader', state: 'positive' })
  })
})
