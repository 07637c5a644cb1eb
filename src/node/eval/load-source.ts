// Reading a source's labels from the store into the compact matrix the evaluation code works on,
// and its provenance (what produced it) for reports.
import type { SourceMatrix, SourceProvenance } from '../../common/eval'
import { emptyMatrix, STATE_CODE } from '../../common/eval'
import { describeHedging } from '../engines/rules/engine'
import type { Db } from '../store/db'
import { findSource, type SourceInfo } from '../store/repos/sources'

export interface LoadedSource {
  info: SourceInfo
  /** Label names of the source's label set, in the set's order (the matrix columns). */
  labels: string[]
  data: SourceMatrix
}

/**
 * Loads every label of a source. A source covers the reports it has at least one label row for (and,
 * for a run, the reports it completed); labels without a row on a covered report count as not mentioned.
 */
export function loadSource(db: Db, ref: string | number): LoadedSource {
  const info = findSource(db, ref)
  const labelRows = db
    .prepare('SELECT id, name, ord FROM labels WHERE label_set_id = ? ORDER BY ord')
    .all(info.labelSetId) as Array<{ id: number; name: string; ord: number }>
  const labels = labelRows.map((l) => l.name)
  // A run also covers the reports it finished without any label row (nothing found is an answer);
  // reports it failed on are not covered (no answer is not a negative answer).
  const reportIds = db
    .prepare(
      `SELECT report_id FROM source_labels WHERE source_id = ?
       UNION SELECT report_id FROM run_reports WHERE source_id = ? AND status = 'done'
       ORDER BY 1`
    )
    .pluck()
    .all(info.id, info.id) as number[]
  const matrix = emptyMatrix(labels, reportIds.length)
  const L = labels.length
  const ordToCol = new Map(labelRows.map((l, i) => [l.ord, i]))
  // One packed string per report (a character per label: 65 + ord * 4 + state code) crosses from SQLite
  // to JS about ten times faster than one row per label (label sets have at most 200 labels, so the
  // characters stay far below the surrogate range).
  const packed = db
    .prepare(
      `SELECT sl.report_id, group_concat(char(65 + l.ord * 4 + CASE sl.state WHEN 'positive' THEN ${STATE_CODE.positive}
         WHEN 'negative' THEN ${STATE_CODE.negative} WHEN 'uncertain' THEN ${STATE_CODE.uncertain} ELSE ${STATE_CODE.not_mentioned} END), '')
       FROM source_labels sl JOIN labels l ON l.id = sl.label_id AND l.label_set_id = ?
       WHERE sl.source_id = ? GROUP BY sl.report_id ORDER BY sl.report_id`
    )
    .raw()
    .all(info.labelSetId, info.id) as Array<[number, string]>
  let i = 0
  for (const [reportId, chars] of packed) {
    while (reportIds[i] < reportId) i++
    for (let k = 0; k < chars.length; k++) {
      const v = chars.charCodeAt(k) - 65
      const c = ordToCol.get(v >> 2)
      if (c !== undefined) matrix.states[i * L + c] = v & 3
    }
  }
  return { info, labels, data: { reportIds: Int32Array.from(reportIds), matrix } }
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v)
  return undefined
}

/** Depth-first flattening of provenance JSON: { model: { sha256 } } -> "model.sha256". */
function flatten(obj: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else {
    const s = scalar(obj) ?? (Array.isArray(obj) ? JSON.stringify(obj) : undefined)
    if (s !== undefined && prefix) out[prefix] = s.length > 200 ? s.slice(0, 197) + '...' : s
  }
  return out
}

function pickKey(flat: Record<string, string>, test: RegExp): string | undefined {
  return Object.keys(flat).find((k) => test.test(k))
}

/** What produced a source: run engine, model file and hash, prompt version, label set version. */
export function sourceProvenance(db: Db, info: SourceInfo): SourceProvenance {
  const run = db
    .prepare('SELECT engine, provenance_json, config_json, status, finished_at FROM runs WHERE source_id = ?')
    .get(info.id) as
    | { engine: string; provenance_json: string; config_json: string; status: string; finished_at: string | null }
    | undefined
  const p: SourceProvenance = {
    id: info.id,
    name: info.name,
    kind: info.kind,
    labelSet: info.labelSetSlug,
    labelSetVersion: String(info.labelSetVersion),
    createdAt: info.createdAt,
    details: { 'Reports labelled': info.reportCount, ...(info.description ? { Description: info.description } : {}) }
  }
  if (run) {
    let prov: Record<string, string>
    try {
      prov = flatten(JSON.parse(run.provenance_json))
    } catch {
      prov = {}
    }
    p.engine = run.engine
    const hashKey = pickKey(prov, /(model|gguf).*(sha256|hash)|^(sha256|modelHash|modelSha256)$/i)
    const fileKey = pickKey(prov, /model.*(file|path|name)$/i)
    const promptKey = pickKey(prov, /prompt.*(version|id|hash)$/i)
    p.modelHash = hashKey && prov[hashKey]
    p.modelFile = fileKey && prov[fileKey]
    p.promptVersion = promptKey && prov[promptKey]
    // Everything else the run recorded, except what is shown above or elsewhere (label set, config).
    const skip = /^(labelSet|config|engine)(\.|$)/
    for (const [k, v] of Object.entries(prov)) if (!skip.test(k) && k !== hashKey && k !== fileKey && k !== promptKey) p.details![k] = v
    // the rules engine's hedging convention, in words: why "cannot be excluded" is uncertain or not mentioned
    if (prov.hedging === 'all' || prov.hedging === 'probable') {
      delete p.details!.hedging
      p.details!['Hedging'] = describeHedging(prov.hedging)
    }
    p.details!['Run status'] = run.status
    if (run.finished_at) p.details!['Finished'] = run.finished_at
  }
  return p
}
