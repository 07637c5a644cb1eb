// Reading a source's labels from the store into the compact matrix the evaluation code works on,
// and its provenance (what produced it) for reports.
import type { SourceMatrix, SourceProvenance } from '../../common/eval'
import { emptyMatrix, STATE_CODE } from '../../common/eval'
import type { LabelState } from '../../common/types'
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
    .prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord')
    .all(info.labelSetId) as Array<{ id: number; name: string }>
  const col = new Map(labelRows.map((l, i) => [l.id, i]))
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
  const row = new Map(reportIds.map((id, i) => [id, i]))
  const matrix = emptyMatrix(labels, reportIds.length)
  const L = labels.length
  const stmt = db.prepare('SELECT report_id, label_id, state FROM source_labels WHERE source_id = ?').raw()
  for (const r of stmt.iterate(info.id) as Iterable<[number, number, LabelState]>) {
    const c = col.get(r[1])
    const i = row.get(r[0])
    if (c === undefined || i === undefined) continue // a label of another set: ignored, cannot be compared
    matrix.states[i * L + c] = STATE_CODE[r[2]]
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

function pick(flat: Record<string, string>, test: RegExp): string | undefined {
  const key = Object.keys(flat).find((k) => test.test(k))
  return key ? flat[key] : undefined
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
    p.modelHash = pick(prov, /(model|gguf).*(sha256|hash)|^(sha256|modelHash|modelSha256)$/i)
    p.modelFile = pick(prov, /model.*(file|path|name)$/i)
    p.promptVersion = pick(prov, /prompt.*(version|id|hash)$/i)
    const skip = /^(labelSet|config)\./
    for (const [k, v] of Object.entries(prov)) if (!skip.test(k)) p.details![k] = v
    p.details!['Run status'] = run.status
    if (run.finished_at) p.details!['Finished'] = run.finished_at
  }
  return p
}
