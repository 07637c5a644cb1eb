// Creates the demo workspace content: a batch of synthetic reports and their reference labels.
import { createHash } from 'node:crypto'
import type { Section } from '../../common/types'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { findLabelSet } from '../store/repos/labelSets'
import { insertReport } from '../store/repos/reports'
import { createSource, writeSourceLabels, type SourceLabel } from '../store/repos/sources'
import { DEMO_REPORTS } from './demoReports'

export const DEMO_GOLD_SOURCE = 'demo gold'

/** "FINDINGS: …\n\nIMPRESSION: …" with section offsets pointing at each body. */
export function composeReport(findings: string, impression: string): { text: string; sections: Section[] } {
  const fHeader = 'FINDINGS: '
  const iHeader = 'IMPRESSION: '
  const text = `${fHeader}${findings}\n\n${iHeader}${impression}`
  const fStart = fHeader.length
  const iHeaderStart = fStart + findings.length + 2
  return {
    text,
    sections: [
      { name: 'findings', start: fStart, end: fStart + findings.length, header: 'FINDINGS:', headerStart: 0 },
      { name: 'impression', start: iHeaderStart + iHeader.length, end: text.length, header: 'IMPRESSION:', headerStart: iHeaderStart }
    ]
  }
}

export function seedDemo(db: Db): { batchId: number; reports: number; goldSourceId: number } {
  return db.transaction(() => {
    const batchId = Number(
      db
        .prepare(
          `INSERT INTO import_batches (name, source_path, format, status, records_done, added, created_at, finished_at)
           VALUES ('Demo reports (synthetic)', 'built-in demo', 'demo', 'completed', ?, ?, ?, ?)`
        )
        .run(DEMO_REPORTS.length, DEMO_REPORTS.length, nowIso(), nowIso()).lastInsertRowid
    )
    const labelSet = findLabelSet(db, 'chexpert14')
    const labelIds = new Map(labelSet.labels.map((l) => [l.name, l.id]))
    const goldSourceId = createSource(db, {
      name: DEMO_GOLD_SOURCE,
      kind: 'imported',
      labelSetId: labelSet.id,
      description: 'Reference labels written with the synthetic demo reports'
    })
    const gold: SourceLabel[] = []
    for (const r of DEMO_REPORTS) {
      const { text, sections } = composeReport(r.findings, r.impression)
      const reportId = insertReport(db, {
        reportKey: r.id,
        externalId: r.id,
        batchId,
        text,
        contentHash: createHash('sha256').update(text).digest('hex'),
        sections,
        sourceLocation: 'demo'
      })
      for (const l of labelSet.labels) {
        gold.push({ reportId, labelId: l.id, state: r.gold[l.name] ?? 'not_mentioned' })
      }
      for (const name of Object.keys(r.gold)) {
        if (!labelIds.has(name)) throw new Error(`Demo report ${r.id} names unknown label ${name}`)
      }
    }
    writeSourceLabels(db, goldSourceId, gold)
    return { batchId, reports: DEMO_REPORTS.length, goldSourceId }
  })()
}
