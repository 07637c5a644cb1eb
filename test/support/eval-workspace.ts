// A small hand-built workspace for evaluation and export tests: six synthetic reports, a curated
// reference (chexpert14), a rules-style run (chexpert14) and imported weak labels (chestxray14, whose
// "Effusion" is CheXpert's "Pleural Effusion"). Expected metrics are worked out in the tests.
import { createHash } from 'node:crypto'
import type { LabelState } from '../../src/common/types'
import type { Db } from '../../src/node/store/db'
import { findLabelSet } from '../../src/node/store/repos/labelSets'
import { insertReport } from '../../src/node/store/repos/reports'
import { createSource, writeSourceLabels } from '../../src/node/store/repos/sources'

export const EVAL_REPORTS = [
  'FINDINGS: Small left pleural effusion. Heart size is enlarged.\nIMPRESSION: Left effusion, cardiomegaly.',
  'FINDINGS: Blunting of the right costophrenic angle.\nIMPRESSION: Probable small right effusion.',
  'FINDINGS: No pleural effusion. Lungs are clear.\nIMPRESSION: No acute disease.',
  'FINDINGS: Possible trace effusion on the left.\nIMPRESSION: Cannot exclude small effusion.',
  'FINDINGS: Clear lungs. Normal heart size.\nIMPRESSION: Normal chest.',
  'FINDINGS: Moderate bilateral pleural effusions.\nIMPRESSION: Bilateral effusions.'
]

type Rows = Array<Record<string, LabelState> | null>

// Index = report R1..R6; null = the source does not cover that report.
export const CURATED: Rows = [
  { 'Pleural Effusion': 'positive', Cardiomegaly: 'positive' },
  { 'Pleural Effusion': 'positive' },
  { 'Pleural Effusion': 'negative' },
  { 'Pleural Effusion': 'uncertain' },
  { 'Pleural Effusion': 'not_mentioned' },
  null
]
export const RULES: Rows = [
  { 'Pleural Effusion': 'positive', Cardiomegaly: 'positive' },
  { 'Pleural Effusion': 'not_mentioned' },
  { 'Pleural Effusion': 'positive' },
  { 'Pleural Effusion': 'positive' },
  { 'Pleural Effusion': 'not_mentioned' },
  { 'Pleural Effusion': 'positive' }
]
export const WEAK: Rows = [
  null,
  { Effusion: 'positive', Cardiomegaly: 'positive' },
  { Effusion: 'negative' },
  { Effusion: 'not_mentioned' },
  { Effusion: 'not_mentioned' },
  { Effusion: 'positive' }
]

export interface EvalFixture {
  reportIds: number[]
  curated: number
  rules: number
  weak: number
}

function addSource(db: Db, name: string, kind: 'run' | 'imported' | 'curated', slug: string, rows: Rows, reportIds: number[]): number {
  const set = findLabelSet(db, slug)
  const id = createSource(db, { name, kind, labelSetId: set.id })
  const labelId = new Map(set.labels.map((l) => [l.name, l.id]))
  rows.forEach((row, i) => {
    if (!row) return
    writeSourceLabels(
      db,
      id,
      Object.entries(row).map(([label, state]) => ({
        reportId: reportIds[i],
        labelId: labelId.get(label)!,
        state,
        evidence: state === 'not_mentioned' ? [] : [{ start: 0, end: 8, text: EVAL_REPORTS[i].slice(0, 8), rule: `test:${label}` }]
      }))
    )
  })
  return id
}

export function seedEvalWorkspace(db: Db): EvalFixture {
  return db.transaction(() => {
    const reportIds = EVAL_REPORTS.map((text, i) =>
      insertReport(db, {
        reportKey: `R${i + 1}`,
        externalId: `R${i + 1}`,
        batchId: null,
        text,
        contentHash: createHash('sha256').update(text).digest('hex'),
        sections: [{ name: 'whole', start: 0, end: text.length }]
      })
    )
    const curated = addSource(db, 'curated', 'curated', 'chexpert14', CURATED, reportIds)
    const rules = addSource(db, 'rules', 'run', 'chexpert14', RULES, reportIds)
    db.prepare(
      `INSERT INTO runs (source_id, engine, config_json, provenance_json, status) VALUES (?, 'rules', '{}', ?, 'completed')`
    ).run(rules, JSON.stringify({ model: { file: 'none.gguf', sha256: 'feedface' }, prompt: { name: 'p', version: 3 }, rulesVersion: 'r-1' }))
    const weak = addSource(db, 'weak', 'imported', 'chestxray14', WEAK, reportIds)
    return { reportIds, curated, rules, weak }
  })()
}
