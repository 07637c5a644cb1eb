// Synthetic reports and two labeller sources for review tests and the review benchmark. The text is
// made up here from a few phrase patterns (never real reports); sources "synthetic A" and "synthetic B"
// agree on most labels and differ on a seeded share of them.
import { createHash } from 'node:crypto'
import { mulberry32, randomIndex } from '../../common/eval/prng'
import type { Evidence, LabelState } from '../../common/types'
import { composeReport } from '../demo/seed'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { findLabelSet } from '../store/repos/labelSets'
import { createSource, writeSourceLabels, type SourceLabel } from '../store/repos/sources'

const TERMS: Record<string, string> = {
  Cardiomegaly: 'cardiomegaly',
  'Lung Lesion': 'pulmonary nodule',
  'Lung Opacity': 'patchy opacity',
  Edema: 'interstitial edema',
  Consolidation: 'consolidation',
  Pneumonia: 'pneumonia',
  Atelectasis: 'atelectasis',
  Pneumothorax: 'pneumothorax',
  'Pleural Effusion': 'pleural effusion',
  Fracture: 'rib fracture',
  'Support Devices': 'central venous catheter'
}
const SIDES = ['left', 'right', 'bilateral']

export interface SyntheticWorkspace {
  batchId: number
  reportIds: number[]
  sourceA: number
  sourceB: number
  /** Source A's state per report id and label name (labels left out are not mentioned). */
  truth: Map<number, Map<string, LabelState>>
}

/** Adds `n` synthetic reports (keys SYN-000001 ...) and sources A and B. */
export function seedSynthetic(db: Db, n: number, seed = 7, disagreeShare = 0.15): SyntheticWorkspace {
  const rng = mulberry32(seed)
  const rand = (): number => rng() / 4294967296
  const labelSet = findLabelSet(db, 'chexpert14')
  const labelId = new Map(labelSet.labels.map((l) => [l.name, l.id]))
  const names = Object.keys(TERMS)
  return db.transaction(() => {
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO import_batches (name, source_path, format, status, records_done, added, created_at, finished_at)
           VALUES ('Synthetic reports', 'synthetic', 'demo', 'completed', ?, ?, ?, ?)`
        )
        .run(n, n, nowIso(), nowIso()).lastInsertRowid
    )
    const sourceA = createSource(db, { name: 'synthetic A', kind: 'run', labelSetId: labelSet.id, description: 'synthetic labeller A' })
    const sourceB = createSource(db, { name: 'synthetic B', kind: 'run', labelSetId: labelSet.id, description: 'synthetic labeller B' })
    const insertReport = db.prepare(
      `INSERT INTO reports (report_key, external_id, batch_id, text, content_hash, sections_json, study_date, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    )
    const reportIds: number[] = []
    const truth = new Map<number, Map<string, LabelState>>()
    let a: SourceLabel[] = []
    let b: SourceLabel[] = []
    const now = nowIso()
    for (let i = 1; i <= n; i++) {
      const picked = new Map<string, LabelState>()
      const count = randomIndex(rng, 4)
      for (let k = 0; k < count; k++) {
        const r = rand()
        picked.set(names[randomIndex(rng, names.length)], r < 0.5 ? 'positive' : r < 0.8 ? 'negative' : 'uncertain')
      }
      const sentences: { label: string; state: LabelState; text: string; term: string }[] = []
      for (const [label, state] of picked) {
        const term = TERMS[label]
        const side = SIDES[randomIndex(rng, SIDES.length)]
        const text =
          state === 'positive' ? `There is ${side} ${term}.` : state === 'negative' ? `No ${term}.` : `Possible ${side} ${term}.`
        sentences.push({ label, state, text, term })
      }
      const findings = sentences.length ? sentences.map((s) => s.text).join(' ') : 'The lungs are clear. Heart size is normal.'
      const impression = sentences.some((s) => s.state !== 'negative') ? `Findings as above, report ${i}.` : `No acute disease, report ${i}.`
      const { text, sections } = composeReport(findings, impression)
      const key = `SYN-${String(i).padStart(6, '0')}`
      const month = String(1 + (i % 12)).padStart(2, '0')
      const id = Number(
        insertReport.run(key, key, batchId, text, createHash('sha256').update(text).digest('hex'), JSON.stringify(sections), `2024-${month}-15`, now)
          .lastInsertRowid
      )
      reportIds.push(id)
      truth.set(id, picked)
      let offset = sections[0].start
      for (const s of sentences) {
        const at = text.indexOf(s.term, offset)
        const evidence: Evidence[] = [{ start: at, end: at + s.term.length, text: s.term, rule: `lexicon:${s.label}` }]
        offset = at + s.term.length
        const lid = labelId.get(s.label)!
        a.push({ reportId: id, labelId: lid, state: s.state, evidence })
        const flip = rand() < disagreeShare
        b.push({ reportId: id, labelId: lid, state: flip ? (s.state === 'positive' ? 'uncertain' : 'positive') : s.state, evidence })
      }
      if (a.length > 5000) {
        writeSourceLabels(db, sourceA, a)
        writeSourceLabels(db, sourceB, b)
        a = []
        b = []
      }
    }
    writeSourceLabels(db, sourceA, a)
    writeSourceLabels(db, sourceB, b)
    return { batchId, reportIds, sourceA, sourceB, truth }
  })()
}
