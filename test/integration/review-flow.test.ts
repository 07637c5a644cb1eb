// Review through the handler table: sets, decisions, double reading, agreement, curated source, find.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallResult } from '../../src/common/ipc/contract'
import { cohensKappa } from '../../src/common/eval/kappa'
import type { LabelState } from '../../src/common/types'
import { seedSynthetic, type SyntheticWorkspace } from '../../src/node/review/synthetic'
import { createSession, type AppSession } from '../../src/node/services/session'
import { listAudit } from '../../src/node/store/repos/audit'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function open(n = 60): Promise<{ s: AppSession; syn: SyntheticWorkspace }> {
  const dir = tempDir()
  cleanup = dir.cleanup
  session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
  const syn = seedSynthetic(session.ctx.workspace.db, n, 3)
  return { s: session, syn }
}

async function ok<N extends CallName>(s: AppSession, name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const out = await s.call(name, input)
  if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
  return out.value as CallResult<N>
}

async function fail(s: AppSession, name: string, input: unknown): Promise<{ code: string; message: string }> {
  const out = await s.call(name, input)
  if (out.ok) throw new Error(`${name} should have failed`)
  return out.error
}

describe('review sets', () => {
  it('samples reproducibly: same seed same reports in the same order, filters respected', async () => {
    const { s, syn } = await open(80)
    const make = (name: string, seed: number, extra: object = {}) =>
      ok(s, 'review.sets.create', { name, sampling: { strategy: 'random', size: 20, seed, ...extra } })
    const a = await make('a', 11)
    await make('b', 11)
    await make('c', 12)
    const items = (setId: number) =>
      s.ctx.workspace.db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all(setId) as number[]
    expect(a.size).toBe(20)
    expect(items(a.id)).toEqual(items(a.id + 1))
    expect(items(a.id + 2)).not.toEqual(items(a.id))
    // the date filter: only March studies (report i has month 1 + i % 12)
    const march = await make('march', 1, { dateFrom: '2024-03-01', dateTo: '2024-03-31', size: 100 })
    expect(march.size).toBe(syn.reportIds.filter((_, i) => (i + 1) % 12 === 2).length)
    // disagreement sampling puts the reports where A and B differ first (rule: any different state;
    // the default rule is tested in review-disagreement-rule.test.ts)
    const dis = await ok(s, 'review.sets.create', {
      name: 'dis',
      sampling: { strategy: 'disagreement', size: 30, seed: 2, compareSourceIds: [syn.sourceA, syn.sourceB], disagreementRule: 'any-state' }
    })
    const differ = new Set(
      s.ctx.workspace.db
        .prepare(
          `SELECT DISTINCT a.report_id FROM source_labels a JOIN source_labels b ON b.report_id = a.report_id AND b.label_id = a.label_id
           WHERE a.source_id = ? AND b.source_id = ? AND a.state <> b.state`
        )
        .pluck()
        .all(syn.sourceA, syn.sourceB) as number[]
    )
    expect(differ.size).toBeGreaterThan(0)
    const got = items(dis.id)
    expect(got.slice(0, differ.size).every((id) => differ.has(id))).toBe(true)
    expect(got.slice(differ.size).some((id) => differ.has(id))).toBe(false)
    // stratified needs a source; a clear error otherwise
    expect((await fail(s, 'review.sets.create', { name: 'x', sampling: { strategy: 'stratified', size: 5 } })).message).toMatch(/needs a source/)
    expect((await fail(s, 'review.sets.create', { name: 'a', sampling: { size: 5 } })).code).toBe('conflict')
  })

  it('single reading: decisions saved at once with reviewer and time, completion fills the rest, curated source follows', async () => {
    const { s, syn } = await open(30)
    const db = s.ctx.workspace.db
    const ann = await ok(s, 'review.reviewers.create', { name: 'Dr Ann', role: 'radiologist' })
    const set = await ok(s, 'review.sets.create', {
      name: 'assisted',
      sampling: { strategy: 'all', size: 5 },
      mode: 'assisted',
      assistSourceId: syn.sourceA,
      reviewerId: ann.id
    })
    const queue = await ok(s, 'review.queue', { setId: set.id, reviewerId: ann.id })
    expect(queue.items).toHaveLength(5)
    const reportId = queue.items[0].reportId
    const view = await ok(s, 'review.report', { setId: set.id, reportId, reviewerId: ann.id })
    expect(view.highlights[0]).toMatchObject({ sourceId: syn.sourceA, colour: 1 })
    const truth = syn.truth.get(reportId)!
    for (const l of view.labels) expect(l.prefill).toBe(truth.get(l.name) ?? null)
    const fracture = view.labels.find((l: { name: string }) => l.name === 'Fracture')!
    const r1 = await ok(s, 'review.decide', { setId: set.id, reportId, labelId: fracture.labelId, reviewerId: ann.id, state: 'positive' })
    expect(r1.previous).toBeNull()
    const r2 = await ok(s, 'review.decide', { setId: set.id, reportId, labelId: fracture.labelId, reviewerId: ann.id, state: 'uncertain' })
    expect(r2.previous).toBe('positive')
    const row = db.prepare('SELECT d.state, d.decided_at, r.name FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id').get() as {
      state: string
      decided_at: string
      name: string
    }
    expect(row).toMatchObject({ state: 'uncertain', name: 'Dr Ann' })
    expect(Date.parse(row.decided_at)).toBeGreaterThan(Date.now() - 60_000)
    // not curated before completion
    expect(db.prepare('SELECT count(*) FROM source_labels WHERE source_id = ?').pluck().get(set.curatedSourceId)).toBe(0)
    await ok(s, 'review.complete', { setId: set.id, reportId, reviewerId: ann.id })
    const curated = new Map(
      (db
        .prepare('SELECT l.name, sl.state, sl.rule FROM source_labels sl JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND sl.report_id = ?')
        .all(set.curatedSourceId, reportId) as { name: string; state: LabelState; rule: string }[]).map((r) => [r.name, r])
    )
    expect(curated.size).toBe(14)
    expect(curated.get('Fracture')!.state).toBe('uncertain')
    for (const [name, st] of truth) if (name !== 'Fracture') expect(curated.get(name)!.state).toBe(st)
    expect(curated.get('No Finding')!.state).toBe(truth.get('No Finding') ?? 'not_mentioned')
    expect([...curated.values()].every((r) => r.rule === 'review:single')).toBe(true)
    // editing after completion updates the curated label at once
    await ok(s, 'review.decide', { setId: set.id, reportId, labelId: fracture.labelId, reviewerId: ann.id, state: 'negative' })
    expect(
      db.prepare('SELECT state FROM source_labels WHERE source_id = ? AND report_id = ? AND label_id = ?').pluck().get(set.curatedSourceId, reportId, fracture.labelId)
    ).toBe('negative')
    // the curated source is an ordinary source that evaluation can use
    const sources = await ok(s, 'review.sets.get', { setId: set.id })
    expect(sources).toMatchObject({ curated: 1, fullyRead: 1 })
    expect(db.prepare('SELECT kind FROM sources WHERE id = ?').pluck().get(set.curatedSourceId)).toBe('curated')
    // audit trail
    const actions = listAudit(db, 50, 'review_decision').map((a) => a.action)
    expect(actions.filter((a) => a === 'review.decide')).toHaveLength(3)
    expect(listAudit(db, 50).some((a) => a.action === 'review.complete' && a.actor === 'Dr Ann')).toBe(true)
    // flag and comment
    expect(await ok(s, 'review.note', { setId: set.id, reportId, reviewerId: ann.id, flagged: true, comment: ' check prior ' })).toEqual({ flagged: true, comment: 'check prior' })
    expect(await ok(s, 'review.note', { setId: set.id, reportId, reviewerId: ann.id, flagged: false })).toEqual({ flagged: false, comment: 'check prior' })
    // recent decisions (not-mentioned left out), newest first
    const recent = await ok(s, 'review.recent', { setId: set.id, reviewerId: ann.id })
    expect(recent[0]).toMatchObject({ label: 'Fracture', state: 'negative', reportId })
  })

  it('double reading: blinded readers, agreement and kappa, adjudication settles the curated labels', async () => {
    const { s } = await open(20)
    const db = s.ctx.workspace.db
    const [a, b, c, d] = await Promise.all(
      ['Reader A', 'Reader B', 'Adjudicator C', 'Late D'].map((name) => ok(s, 'review.reviewers.create', { name }))
    )
    const set = await ok(s, 'review.sets.create', { name: 'double', sampling: { strategy: 'all', size: 4 }, readersPerReport: 2 })
    const reports = (await ok(s, 'review.queue', { setId: set.id, reviewerId: a.id })).items.map((i: { reportId: number }) => i.reportId)
    const labels = (await ok(s, 'review.report', { setId: set.id, reportId: reports[0], reviewerId: a.id })).labels as { labelId: number; name: string }[]
    const id = (name: string) => labels.find((l) => l.name === name)!.labelId
    const plan: Record<string, [LabelState, LabelState]> = {
      Cardiomegaly: ['positive', 'positive'],
      Edema: ['positive', 'negative'],
      Pneumothorax: ['negative', 'negative']
    }
    for (const reportId of reports) {
      for (const [name, [sa, sb]] of Object.entries(plan)) {
        await ok(s, 'review.decide', { setId: set.id, reportId, labelId: id(name), reviewerId: a.id, state: sa })
        // blinded: B never sees A's decisions
        const seen = await ok(s, 'review.report', { setId: set.id, reportId, reviewerId: b.id })
        expect(seen.labels.find((l: { name: string }) => l.name === name)!.decision).toBeNull()
        await ok(s, 'review.decide', { setId: set.id, reportId, labelId: id(name), reviewerId: b.id, state: sb })
      }
    }
    // a third reader cannot read a report that has its two readers
    expect((await fail(s, 'review.decide', { setId: set.id, reportId: reports[0], labelId: id('Edema'), reviewerId: d.id, state: 'positive' })).code).toBe('conflict')
    expect((await ok(s, 'review.queue', { setId: set.id, reviewerId: d.id })).items).toHaveLength(0)
    // nothing to adjudicate before both readings are complete
    expect((await ok(s, 'review.queue', { setId: set.id, reviewerId: c.id, role: 'adjudicator' })).items).toHaveLength(0)
    for (const reportId of reports) {
      await ok(s, 'review.complete', { setId: set.id, reportId, reviewerId: a.id })
      await ok(s, 'review.complete', { setId: set.id, reportId, reviewerId: b.id })
    }
    expect(db.prepare('SELECT count(*) FROM source_labels WHERE source_id = ?').pluck().get(set.curatedSourceId)).toBe(0)
    const agreement = await ok(s, 'review.agreement', { setId: set.id })
    expect(agreement.doubleRead).toBe(4)
    const row = (name: string) => agreement.labels.find((l: { label: string }) => l.label === name)!
    expect(row('Cardiomegaly')).toMatchObject({ n: 4, agreement: 1, disagreements: 0 })
    // constant and equal raters: kappa undefined
    expect(row('Cardiomegaly').kappa).toBeNull()
    expect(row('Edema')).toMatchObject({ n: 4, agreement: 0, disagreements: 4 })
    expect(row('Edema').kappa).toBe(0)
    // pooled over 4 reports x 14 labels: 4 Edema cells disagree
    const m = new Array(16).fill(0)
    m[0 * 4 + 0] = 4 // positive/positive
    m[0 * 4 + 1] = 4 // Edema positive/negative
    m[1 * 4 + 1] = 4 // Pneumothorax negative/negative
    m[3 * 4 + 3] = 4 * 11
    expect(agreement.overall.agreement).toBeCloseTo(52 / 56, 10)
    expect(agreement.overall.kappa).toBeCloseTo(cohensKappa(m, 4).kappa!, 10)
    expect(agreement.pendingDisagreements).toBe(4)
    // adjudication: readers cannot adjudicate; C settles
    expect((await fail(s, 'review.decide', { setId: set.id, reportId: reports[0], labelId: id('Edema'), reviewerId: a.id, role: 'adjudicator', state: 'positive' })).code).toBe('forbidden')
    const adjQueue = await ok(s, 'review.queue', { setId: set.id, reviewerId: c.id, role: 'adjudicator' })
    expect(adjQueue.items).toHaveLength(4)
    const adjView = await ok(s, 'review.report', { setId: set.id, reportId: reports[0], reviewerId: c.id, role: 'adjudicator' })
    const edema = adjView.labels.find((l: { name: string }) => l.name === 'Edema')!
    expect(edema.disagreement).toBe(true)
    expect(edema.readers!.map((r: { state: string }) => r.state)).toEqual(['positive', 'negative'])
    expect((await fail(s, 'review.complete', { setId: set.id, reportId: reports[0], reviewerId: c.id, role: 'adjudicator' })).message).toMatch(/Edema/)
    await ok(s, 'review.decide', { setId: set.id, reportId: reports[0], labelId: id('Edema'), reviewerId: c.id, role: 'adjudicator', state: 'uncertain' })
    await ok(s, 'review.complete', { setId: set.id, reportId: reports[0], reviewerId: c.id, role: 'adjudicator' })
    const curated = db
      .prepare('SELECT l.name, sl.state, sl.rule FROM source_labels sl JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND sl.report_id = ? ORDER BY l.ord')
      .all(set.curatedSourceId, reports[0]) as { name: string; state: string; rule: string }[]
    expect(curated).toHaveLength(14)
    expect(curated.find((r) => r.name === 'Edema')).toEqual({ name: 'Edema', state: 'uncertain', rule: 'review:adjudicated' })
    expect(curated.find((r) => r.name === 'Cardiomegaly')).toEqual({ name: 'Cardiomegaly', state: 'positive', rule: 'review:agreed' })
    expect((await ok(s, 'review.queue', { setId: set.id, reviewerId: c.id, role: 'adjudicator' })).done).toBe(1)
    expect((await ok(s, 'review.agreement', { setId: set.id })).pendingDisagreements).toBe(3)
    // finding: disagreement and reviewer filters
    const found = await ok(s, 'review.find', { setId: set.id, disagreement: true })
    expect(found.total).toBe(4)
    const byC = await ok(s, 'review.find', { setId: set.id, reviewerId: c.id })
    expect(byC.items.map((r: { id: number }) => r.id)).toEqual([reports[0]])
  })

  it('finds reports by text, source label state and review decisions, a page at a time', async () => {
    const { s, syn } = await open(120)
    const all = await ok(s, 'review.find', { limit: 10 })
    expect(all.total).toBe(120)
    expect(all.items).toHaveLength(10)
    const page2 = await ok(s, 'review.find', { limit: 10, offset: 10 })
    expect(page2.items[0].id).toBe(all.items[9].id + 1)
    const text = await ok(s, 'review.find', { search: 'SYN-000042' })
    expect(text.items.map((r: { reportKey: string }) => r.reportKey)).toEqual(['SYN-000042'])
    const view = await ok(s, 'review.report', { reportId: syn.reportIds[0] })
    const pneumo = view.labels.find((l: { name: string }) => l.name === 'Pneumothorax')!.labelId
    const positive = await ok(s, 'review.find', { sourceId: syn.sourceA, labelId: pneumo, state: 'positive', limit: 1000 })
    const expected = syn.reportIds.filter((id) => syn.truth.get(id)!.get('Pneumothorax') === 'positive')
    expect(positive.items.map((r: { id: number }) => r.id)).toEqual(expected)
    const notMentioned = await ok(s, 'review.find', { sourceId: syn.sourceA, labelId: pneumo, state: 'not_mentioned', limit: 1 })
    expect(notMentioned.total).toBe(syn.reportIds.filter((id) => !syn.truth.get(id)!.has('Pneumothorax')).length)
    // without a set, the report viewer shows every source with one colour each
    expect(view.highlights.map((h: { name: string; colour: number }) => [h.name, h.colour]).slice(0, 2)).toEqual(
      syn.truth.get(syn.reportIds[0])!.size ? [['synthetic A', 1], ['synthetic B', 2]] : []
    )
  })
})
