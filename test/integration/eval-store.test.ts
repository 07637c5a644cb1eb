import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agreementBetween, casesOf, evaluateSources, reportInput } from '../../src/node/eval/evaluate-sources'
import { renderEvaluationHtml } from '../../src/node/eval/report-html'
import { seedEvalWorkspace, type EvalFixture } from '../support/eval-workspace'
import { tempWorkspace } from '../support/workspace'

let ws: ReturnType<typeof tempWorkspace>
let fx: EvalFixture

beforeAll(() => {
  ws = tempWorkspace()
  fx = seedEvalWorkspace(ws.db)
})
afterAll(() => ws.cleanup())

describe('evaluation over the store', () => {
  it('evaluates a run against curated labels on the reports both cover', () => {
    const ev = evaluateSources(ws.db, { pred: ['rules'], ref: 'curated', uncertain: 'positive', resamples: 200 })
    expect(ev.nReports).toBe(5) // R6 is not curated
    expect(ev.labels).toHaveLength(14)
    const pe = ev.comparison.results[0].labels.find((l) => l.label === 'Pleural Effusion')!
    // R1 TP, R2 FN, R3 FP, R4 TP (uncertain as positive), R5 TN
    expect(pe).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1, support: 3 })
    expect(pe.f1).toBeCloseTo(2 / 3, 12)
    const r = ev.comparison.results[0]
    expect(r.micro).toMatchObject({ tp: 3, fp: 1, fn: 1 })
    expect(r.micro.f1).toBeCloseTo(0.75, 12)
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 1) / 2, 12)
    expect(r.macro.labels).toBe(2)
    expect(ev.coverage).toEqual({ reference: 5, predictions: [6] })
    expect(ev.predictions[0]).toMatchObject({ engine: 'rules', modelHash: 'feedface', promptVersion: '3', labelSet: 'chexpert14' })
  })

  it('applies the uncertain policy', () => {
    const ev = evaluateSources(ws.db, { pred: ['rules'], ref: 'curated', uncertain: 'exclude', resamples: 0 })
    const pe = ev.comparison.results[0].labels.find((l) => l.label === 'Pleural Effusion')!
    expect(pe).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 1, excluded: 1 })
  })

  it('maps label sets (Effusion -> Pleural Effusion) and compares sources side by side', () => {
    const ev = evaluateSources(ws.db, { pred: [fx.rules, 'weak'], ref: 'curated', uncertain: 'positive', resamples: 300, seed: 9 })
    expect(ev.nReports).toBe(4) // R2..R5: covered by all three
    expect(ev.labels).toContain('Pleural Effusion')
    expect(ev.labels).not.toContain('Fracture')
    expect(ev.unmatchedRef).toContain('Fracture')
    expect(ev.labelPairs[1].find((p) => p.ref === 'Pleural Effusion')).toMatchObject({ pred: 'Effusion', how: 'synonym' })
    const weakPe = ev.comparison.results[1].labels.find((l) => l.label === 'Pleural Effusion')!
    // R2 TP, R3 TN, R4 FN (reference uncertain counted positive), R5 TN
    expect(weakPe).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 })
    const rulesPe = ev.comparison.results[0].labels.find((l) => l.label === 'Pleural Effusion')!
    expect(rulesPe).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 1 })
    expect(ev.comparison.differences).toHaveLength(1)
    expect(ev.comparison.differences[0].micro.f1.ci).not.toBeNull()
    const html = renderEvaluationHtml(reportInput(ev, { generatedAt: 'now' }))
    expect(html).toContain('weak: Effusion → Pleural Effusion (synonym)')
  })

  it('accepts an explicit mapping and rejects a bad one clearly', () => {
    const ev = evaluateSources(ws.db, { pred: ['weak'], ref: 'curated', uncertain: 'positive', resamples: 0, mapping: { Pleural_Thickening: 'Pleural Other' } })
    expect(ev.labelPairs[0].find((p) => p.ref === 'Pleural Other')).toMatchObject({ how: 'mapping' })
    expect(() => evaluateSources(ws.db, { pred: ['weak'], ref: 'curated', uncertain: 'positive', mapping: { Nope: 'Edema' } })).toThrow(/no prediction source has/)
    expect(() => evaluateSources(ws.db, { pred: ['nosuch'], ref: 'curated', uncertain: 'positive' })).toThrow(/no label source "nosuch"/)
  })

  it('lists the reports behind a cell, with evidence', () => {
    const fp = casesOf(ws.db, { pred: 'rules', ref: 'curated', uncertain: 'positive', label: 'Pleural Effusion', outcome: 'fp' })
    expect(fp.total).toBe(1)
    expect(fp.items[0]).toMatchObject({ reportKey: 'R3', predState: 'positive', refState: 'negative' })
    expect(fp.items[0].predEvidence[0].rule).toBe('test:Pleural Effusion')
    const fn = casesOf(ws.db, { pred: 'weak', ref: 'curated', uncertain: 'positive', label: 'Pleural Effusion', outcome: 'fn' })
    expect(fn.items.map((i) => i.reportKey)).toEqual(['R4'])
    expect(fn.items[0]).toMatchObject({ predState: 'not_mentioned', refState: 'uncertain' })
    expect(() => casesOf(ws.db, { pred: 'rules', ref: 'curated', uncertain: 'positive', label: 'Nope', outcome: 'fp' })).toThrow(/not among/)
  })

  it('measures agreement between two sources without a reference', () => {
    const a = agreementBetween(ws.db, { a: 'weak', b: 'rules', uncertain: 'positive', resamples: 100 })
    expect(a.nReports).toBe(5) // R2..R6
    const pe = a.labels.find((l) => l.label === 'Pleural Effusion')!
    // weak: +,-,nm,nm,+ ; rules: nm,+,+,nm,+  -> binary agree on R5, R6 only
    expect(pe.binary.agreement).toBeCloseTo(2 / 5, 12)
    expect(pe.binary.n).toBe(5)
  })
})

describe('coverage of a run', () => {
  it('counts reports a run completed without any label row, and not the ones it failed on', () => {
    const w2 = tempWorkspace()
    try {
      const f = seedEvalWorkspace(w2.db)
      // R5 has a not_mentioned row in the fixture; drop it and record the run as done there instead.
      w2.db.prepare('DELETE FROM source_labels WHERE source_id = ? AND report_id = ?').run(f.rules, f.reportIds[4])
      const mark = w2.db.prepare(`INSERT INTO run_reports (source_id, report_id, status, finished_at) VALUES (?, ?, ?, 'now')`)
      mark.run(f.rules, f.reportIds[4], 'done')
      let ev = evaluateSources(w2.db, { pred: ['rules'], ref: 'curated', uncertain: 'positive', resamples: 0 })
      expect(ev.nReports).toBe(5)
      expect(ev.comparison.results[0].labels.find((l) => l.label === 'Pleural Effusion')!.tn).toBe(1)
      w2.db.prepare('UPDATE run_reports SET status = ? WHERE source_id = ?').run('failed', f.rules)
      ev = evaluateSources(w2.db, { pred: ['rules'], ref: 'curated', uncertain: 'positive', resamples: 0 })
      expect(ev.nReports).toBe(4)
    } finally {
      w2.cleanup()
    }
  })
})

describe('data description', () => {
  it('describes the evaluated reports (dates, batches, modalities)', () => {
    const w2 = tempWorkspace()
    try {
      seedEvalWorkspace(w2.db)
      w2.db.prepare("UPDATE reports SET study_date = '2024-0' || id || '-01', modality = 'CR'").run()
      const ev = evaluateSources(w2.db, { pred: ['rules'], ref: 'curated', uncertain: 'positive', resamples: 0 })
      expect(ev.data.studyDates).toEqual({ first: '2024-01-01', last: '2024-05-01', withDate: 5 })
      expect(ev.data.modalities).toEqual([{ modality: 'CR', reports: 5 }])
      expect(ev.data.batches).toEqual([]) // inserted directly, not through an import
      const html = renderEvaluationHtml(reportInput(ev, { generatedAt: 'now' }))
      expect(html).toContain('Study dates from 2024-01-01 to 2024-05-01')
      expect(html).toContain('Only 5 reports are covered by every source')
    } finally {
      w2.cleanup()
    }
  })
})
