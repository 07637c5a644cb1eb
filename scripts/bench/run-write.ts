// The per-label write cost of a stored run (`detect`, `label --db`): the engine results of N synthetic
// reports written chunk by chunk into a run's source, by the previous implementation (copied below: one
// prepared statement per report and label, a findings delete per report) and by commitResults (statements
// prepared once, one INSERT per report), interleaved in the same run. Prints µs per label and the ratio.
//
//   npx tsx scripts/bench/run-write.ts                 # 20,000 reports x 14 labels, 5 rounds
//   npx tsx scripts/bench/run-write.ts --size 50000 --runs 3
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { rulesEngine } from '../../src/node/engines/rules/engine'
import { commitResults, createRun } from '../../src/node/engines/run'
import type { EngineResult } from '../../src/node/engines/types'
import { loadEngines } from '../../src/node/engines/all'
import { importFile } from '../../src/node/import/pipeline'
import { nowIso, openWorkspace, type Db } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'
import { findLabelSet } from '../../src/node/store/repos/labelSets'

const args = process.argv.slice(2)
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : def
}
const SIZE = Number(arg('size', '20000'))
const RUNS = Number(arg('runs', '5'))
const SENTENCES = [
  'The heart size is normal.',
  'Small left pleural effusion with adjacent basilar atelectasis.',
  'No pneumothorax.',
  'Mild cardiomegaly.',
  'Patchy right lower lobe opacity may represent pneumonia.',
  'Lungs are clear.',
  'Right internal jugular catheter in place.'
]

/** The implementation before this change (src/node/engines/run.ts + writeSourceLabels), for comparison. */
function commitBefore(db: Db, sourceId: number, results: EngineResult[], labelIds: Map<string, number>): void {
  const markReport = db.prepare(
    `INSERT INTO run_reports (source_id, report_id, status, error, raw_output, prompt_tokens, completion_tokens, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_id, report_id) DO UPDATE SET status = excluded.status, error = excluded.error,
       raw_output = excluded.raw_output, prompt_tokens = excluded.prompt_tokens,
       completion_tokens = excluded.completion_tokens, finished_at = excluded.finished_at`
  )
  const clearFindings = db.prepare('DELETE FROM findings WHERE source_id = ? AND report_id = ?')
  db.transaction(() => {
    const now = nowIso()
    for (const r of results) {
      if (!r.ok) continue
      const upsert = db.prepare(
        `INSERT INTO source_labels (source_id, report_id, label_id, state, evidence_json, rule) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_id, report_id, label_id) DO UPDATE SET state = excluded.state,
           evidence_json = excluded.evidence_json, rule = excluded.rule`
      )
      for (const d of r.decisions) {
        upsert.run(sourceId, r.reportId, labelIds.get(d.label)!, d.state, d.evidence && d.evidence.length ? JSON.stringify(d.evidence) : null, d.rule ?? null)
      }
      clearFindings.run(sourceId, r.reportId)
      markReport.run(sourceId, r.reportId, 'done', null, null, null, null, now)
    }
  })()
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

await loadEngines()
const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-runwrite-'))
try {
  const csv = join(dir, 'r.csv')
  writeFileSync(csv, ['id,report', ...Array.from({ length: SIZE }, (_, i) => `R${i},"FINDINGS: ${SENTENCES[i % 7]} ${SENTENCES[(i * 3) % 7]} ${SENTENCES[(i * 5 + 1) % 7]}"`)].join('\n') + '\n')
  const ws = openWorkspace(join(dir, 'w.db'))
  prepareWorkspace(ws)
  await importFile(ws.db, { path: csv })
  const rows = ws.db.prepare('SELECT id, text, sections_json FROM reports ORDER BY id').all() as { id: number; text: string; sections_json: string }[]
  const session = await rulesEngine.open({}, { ...CHEXPERT14, version: 1 })
  const results: EngineResult[] = []
  for (let i = 0; i < rows.length; i += 500) {
    results.push(...(await session.label(rows.slice(i, i + 500).map((r) => ({ id: r.id, text: r.text, sections: JSON.parse(r.sections_json) })), new AbortController().signal)))
  }
  const labels = results.reduce((a, r) => a + (r.ok ? r.decisions.length : 0), 0)
  const set = findLabelSet(ws.db, 'chexpert14')
  const labelIds = new Map(set.labels.map((l) => [l.name, l.id]))
  const time = (fn: typeof commitResults, k: number, tag: string): number => {
    const run = createRun(ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, name: `${tag} ${k}` })
    const t0 = performance.now()
    for (let i = 0; i < results.length; i += 500) fn(ws.db, run.sourceId, results.slice(i, i + 500), labelIds)
    return ((performance.now() - t0) * 1000) / labels
  }
  console.log(`${SIZE} reports, ${labels} labels per run, chunks of 500, ${RUNS} interleaved rounds (file workspace, WAL)`)
  const before: number[] = []
  const after: number[] = []
  for (let k = 0; k < RUNS; k++) {
    before.push(time(commitBefore, k, 'before'))
    after.push(time(commitResults, k, 'after'))
    console.log(`round ${k + 1}: before ${before[k].toFixed(2)} µs/label · after ${after[k].toFixed(2)} µs/label`)
  }
  const b = median(before)
  const a = median(after)
  console.log(`median: before ${b.toFixed(2)} µs/label, after ${a.toFixed(2)} µs/label; after/before ${(a / b).toFixed(2)} (${(b / a).toFixed(2)}x faster)`)
  ws.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
