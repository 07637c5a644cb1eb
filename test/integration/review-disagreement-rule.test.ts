// Disagreement sampling: which reports come first depends on a visible rule. By default a negative
// against a not-mentioned is no disagreement (both say "absent"); positive or uncertain against either is.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LabelState } from '../../src/common/types'
import { countDisagreeingLabels, statesDisagree } from '../../src/node/review/sampling'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { createSession, type AppSession } from '../../src/node/services/session'
import { findLabelSet } from '../../src/node/store/repos/labelSets'
import { createSource, writeSourceLabels } from '../../src/node/store/repos/sources'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

describe('what counts as a disagreement', () => {
  it('presence (default): positive/uncertain vs negative/not mentioned; never negative vs not mentioned', () => {
    expect(statesDisagree('negative', undefined, 'presence')).toBe(false)
    expect(statesDisagree('negative', 'not_mentioned', 'presence')).toBe(false)
    expect(statesDisagree('positive', undefined, 'presence')).toBe(true)
    expect(statesDisagree('uncertain', 'negative', 'presence')).toBe(true)
    expect(statesDisagree('positive', 'uncertain', 'presence')).toBe(false)
    expect(statesDisagree('positive', 'uncertain', 'positive')).toBe(true)
    expect(statesDisagree('uncertain', 'negative', 'positive')).toBe(false)
    expect(statesDisagree('negative', undefined, 'any-state')).toBe(true)
    const a = new Map([['Edema', 'positive'], ['Cardiomegaly', 'negative']])
    const b = new Map([['Fracture', 'uncertain']])
    expect(countDisagreeingLabels(a, b, 'presence')).toBe(2)
    expect(countDisagreeingLabels(a, b, 'any-state')).toBe(3)
  })

  it('orders reports by how many labels disagree, and follows the chosen rule', async () => {
    const dir = tempDir()
    cleanup = dir.cleanup
    session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
    const db = session.ctx.workspace.db
    const syn = seedSynthetic(db, 40, 3, 0)
    const ls = findLabelSet(db, 'chexpert14')
    const lid = (name: string): number => ls.labels.find((l) => l.name === name)!.id
    const gold = createSource(db, { name: 'gold 0/1', kind: 'imported', labelSetId: ls.id })
    const run = createSource(db, { name: 'rules', kind: 'run', labelSetId: ls.id })
    const [r1, r2, r3, r4] = syn.reportIds
    const write = (source: number, rows: [number, string, LabelState][]): void =>
      writeSourceLabels(db, source, rows.map(([reportId, label, state]) => ({ reportId, labelId: lid(label), state })))
    // every report covered by both; the gold says "not mentioned" (0) for most labels
    write(gold, syn.reportIds.map((id) => [id, 'Edema', 'not_mentioned']))
    write(run, syn.reportIds.map((id) => [id, 'Edema', 'negative']))
    // r1: positive against not mentioned on 1 label; r2: on 3 labels; r3: uncertain against negative; r4: negative vs absent only
    write(run, [[r1, 'Pneumothorax', 'positive'], [r2, 'Edema', 'positive'], [r2, 'Fracture', 'positive'], [r2, 'Atelectasis', 'uncertain'], [r4, 'Fracture', 'negative']])
    write(gold, [[r3, 'Cardiomegaly', 'uncertain']])
    write(run, [[r3, 'Cardiomegaly', 'negative']])
    const sample = async (name: string, rule?: string): Promise<number[]> => {
      const out = await session!.call('review.sets.create', {
        name,
        sampling: { strategy: 'disagreement', size: 5, seed: 1, compareSourceIds: [run, gold], ...(rule ? { disagreementRule: rule } : {}) }
      })
      if (!out.ok) throw new Error(out.error.message)
      return db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all((out.value as { id: number }).id) as number[]
    }
    const byDefault = await sample('default')
    expect(byDefault[0]).toBe(r2) // three labels disagree
    expect(new Set(byDefault.slice(1, 3))).toEqual(new Set([r1, r3]))
    const positiveOnly = await sample('positive only', 'positive')
    expect(positiveOnly.slice(0, 2)).toEqual([r2, r1]) // r2 has two positives against absent; r3's uncertain does not count
    expect(positiveOnly.slice(2)).not.toContain(undefined)
    const anyState = await sample('any state', 'any-state')
    // every report now "disagrees" on Edema (negative vs not mentioned): the old behaviour, kept as an option
    expect(anyState[0]).toBe(r2)
    expect(anyState).toHaveLength(5)
    const bad = await session.call('review.sets.create', { name: 'bad', sampling: { strategy: 'disagreement', size: 5, compareSourceIds: [run, gold], disagreementRule: 'nope' } })
    expect(bad.ok).toBe(false)
  })
})
