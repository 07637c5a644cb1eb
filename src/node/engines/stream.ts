// Labels a report file as a stream: read a chunk of records, map them (the import mapping, sections
// included), label the chunk with an open engine session, hand back one row per input record in input
// order. Nothing is stored; memory holds one chunk. `radlabel label` without --db writes these rows.
import { applyMapping, type FieldMapping } from '../../common/import/mapping'
import type { LabelState } from '../../common/types'
import { describeLocation } from '../import/prepare'
import type { RecordSource } from '../import/types'
import type { EngineReport, EngineSession } from './types'

/** One input record: its labels in label-set order, or why it has none. */
export interface StreamRow {
  /** The report id (the id column's value, else the record number); '' when a rejected row has none. */
  id: string
  /** Label states in label-set order; null when the row was rejected or the engine failed on it. */
  states: (LabelState | null)[] | null
  /** Input location and reason when the row was rejected (unreadable, empty text, no id ...). */
  rejected?: { where: string; reason: string }
  /** The engine's error when it failed on this report. */
  failed?: string
}

export interface StreamOptions {
  /** Reports handed to the engine at once (the engine's batch size). */
  batchSize: number
  signal?: AbortSignal
}

interface Pending {
  id: string
  report?: number
  rejected?: { where: string; reason: string }
}

/**
 * Yields the rows of each labelled chunk, in input order. `labels` is the label set's label names in
 * output order; a decision for a label outside it is an engine error.
 */
export async function* labelStream(
  source: RecordSource,
  mapping: FieldMapping,
  session: EngineSession,
  labels: readonly string[],
  opts: StreamOptions
): AsyncGenerator<StreamRow[]> {
  const column = new Map(labels.map((name, i) => [name, i]))
  let pending: Pending[] = []
  let reports: EngineReport[] = []

  const labelChunk = async (): Promise<StreamRow[]> => {
    const results = reports.length ? await session.label(reports, opts.signal ?? new AbortController().signal) : []
    if (results.length !== reports.length) throw new Error(`the engine returned ${results.length} results for ${reports.length} reports`)
    const rows: StreamRow[] = pending.map((p) => {
      if (p.report === undefined) return { id: p.id, states: null, rejected: p.rejected }
      const r = results[p.report]
      if (!r.ok) return { id: p.id, states: null, failed: r.error }
      const states: (LabelState | null)[] = labels.map(() => null)
      for (const d of r.decisions) {
        const i = column.get(d.label)
        if (i === undefined) throw new Error(`the engine answered with unknown label "${d.label}"`)
        states[i] = d.state
      }
      return { id: p.id, states }
    })
    pending = []
    reports = []
    return rows
  }

  for await (const batch of source.batches()) {
    for (const item of batch) {
      const where = describeLocation(item.loc)
      if (item.kind === 'error') {
        pending.push({ id: '', rejected: { where, reason: item.reason } })
        continue
      }
      const m = applyMapping(item.fields, mapping)
      if (!m.ok) {
        const id = mapping.idField ? (item.fields[mapping.idField] ?? '').trim() : String(item.loc.record)
        pending.push({ id, rejected: { where, reason: m.reason } })
        continue
      }
      pending.push({ id: m.report.externalId ?? String(item.loc.record), report: reports.length })
      reports.push({ id: item.loc.record, text: m.report.text, sections: m.report.sections })
      if (reports.length >= opts.batchSize || pending.length >= 4 * opts.batchSize) yield await labelChunk()
    }
    if (opts.signal?.aborted) return
  }
  if (pending.length) yield await labelChunk()
}
