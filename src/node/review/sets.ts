// Review sets: a reproducible sample of the workspace's reports, a mode (blinded or assisted), one or
// two readers per report, and the curated source its settled labels go to.
import { AppError } from '../../common/errors'
import type { ReaderProgress, ReviewMode, ReviewSetSummary, Sampling } from '../../common/ipc/calls/review'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'
import { findLabelSet } from '../store/repos/labelSets'
import { getReviewer } from '../store/repos/reviewers'
import { createSource, findSource, uniqueSourceName } from '../store/repos/sources'
import { countDisagreeingLabels, sampleDisagreementsFirst, sampleRandom, sampleStratified, strataOf } from './sampling'

export interface NewReviewSet {
  name: string
  labelSet: string | number
  sampling: Sampling
  mode: ReviewMode
  assistSourceId?: number
  readersPerReport: 1 | 2
  reviewerId?: number
}

/** Report ids (ascending) the sampling's filters allow: batches and study date range. */
export function candidateIds(db: Db, s: Sampling): number[] {
  const where: string[] = []
  const args: unknown[] = []
  if (s.batchIds?.length) {
    where.push(`batch_id IN (${s.batchIds.map(() => '?').join(',')})`)
    args.push(...s.batchIds)
  }
  if (s.dateFrom) {
    where.push('study_date >= ?')
    args.push(s.dateFrom)
  }
  if (s.dateTo) {
    // a date-only bound includes the whole day of timestamps that start with it
    where.push('study_date <= ?')
    args.push(/^\d{4}-\d{2}-\d{2}$/.test(s.dateTo) ? `${s.dateTo}\uffff` : s.dateTo)
  }
  return db
    .prepare(`SELECT id FROM reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`)
    .pluck()
    .all(...args) as number[]
}

const CHUNK = 20_000

/** A source by id, without counting its reports (findSource's count scans a whole run); else findSource's clear error. */
function requireSource(db: Db, id: number): { id: number; name: string } {
  return (db.prepare('SELECT id, name FROM sources WHERE id = ?').get(id) as { id: number; name: string } | undefined) ?? findSource(db, id)
}

/** Report id -> label name -> state, for every label a source asserts (not_mentioned left out). */
function* assertedLabels(db: Db, sourceId: number, onlyPositive = false): Generator<void, Map<number, Map<string, string>>, void> {
  const names = new Map(
    (db.prepare('SELECT l.id, l.name FROM labels l JOIN sources s ON s.label_set_id = l.label_set_id WHERE s.id = ?').raw().all(sourceId) as [
      number,
      string
    ][]).map(([id, name]) => [id, name])
  )
  const stmt = db
    .prepare(
      `SELECT report_id, label_id, state FROM source_labels WHERE source_id = ? AND (report_id, label_id) > (?, ?)
       ${onlyPositive ? "AND state = 'positive'" : ''} ORDER BY report_id, label_id LIMIT ${CHUNK}`
    )
    .raw()
  const out = new Map<number, Map<string, string>>()
  let last: [number, number] = [-1, -1]
  for (;;) {
    const rows = stmt.all(sourceId, ...last) as [number, number, string][]
    for (const [id, labelId, state] of rows) {
      let m = out.get(id)
      // a report the source covers has an entry even when it asserts nothing
      if (!m) out.set(id, (m = new Map()))
      if (onlyPositive ? state === 'positive' : state !== 'not_mentioned') m.set(names.get(labelId) ?? String(labelId), state)
    }
    if (rows.length < CHUNK) return out
    const end = rows[rows.length - 1]
    last = [end[0], end[1]]
    yield
  }
}

/** The sampled report ids in review order, in steps (see `sampleReports` and `sampleReportsAsync`). */
function* sampleSteps(db: Db, s: Sampling): Generator<void, number[], void> {
  const ids = candidateIds(db, s)
  if (ids.length === 0) {
    throw new AppError(
      'invalid_input',
      'No report matches the sampling filters (batches, study dates).',
      'Import reports first, or widen the batch or date filters.'
    )
  }
  switch (s.strategy) {
    case 'all':
      return ids.slice(0, s.size)
    case 'random':
      return sampleRandom(ids, s.size, s.seed)
    case 'stratified': {
      if (!s.stratifySourceId) {
        throw new AppError('invalid_input', 'Stratified sampling needs a source whose predicted labels form the strata.', 'Choose a labeler run (stratifySourceId).')
      }
      const labels = yield* assertedLabels(db, requireSource(db, s.stratifySourceId).id, true)
      const positives = new Map<number, string[]>()
      for (const [id, m] of labels) if (m.size) positives.set(id, [...m.keys()])
      return sampleStratified(strataOf(positives, ids), s.size, s.seed)
    }
    case 'disagreement': {
      const pair = s.compareSourceIds
      if (!pair || pair[0] === pair[1]) {
        throw new AppError('invalid_input', 'Disagreement sampling needs two different sources to compare.', 'Choose two sources, e.g. the rules run and an LLM run.')
      }
      const a = yield* assertedLabels(db, requireSource(db, pair[0]).id)
      const b = yield* assertedLabels(db, requireSource(db, pair[1]).id)
      const rule = s.disagreementRule ?? 'presence'
      const differing: { id: number; labels: number }[] = []
      for (const [id, la] of a) {
        const lb = b.get(id)
        if (!lb) continue
        differing.push({ id, labels: countDisagreeingLabels(la, lb, rule) })
      }
      const allowed = new Set(ids)
      const diff = differing.filter((d) => d.labels > 0 && allowed.has(d.id))
      const diffIds = new Set(diff.map((d) => d.id))
      return sampleDisagreementsFirst(diff, ids.filter((id) => !diffIds.has(id)), s.size, s.seed)
    }
  }
}

/** The sampled report ids in review order, in one go (CLI, tests). */
export function sampleReports(db: Db, s: Sampling): number[] {
  const steps = sampleSteps(db, s)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/** The same sample, pausing between chunks of reads so the main process keeps answering. */
export async function sampleReportsAsync(db: Db, s: Sampling, pause: () => Promise<void>): Promise<number[]> {
  const steps = sampleSteps(db, s)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    await pause()
  }
}

interface SetRow {
  id: number
  name: string
  label_set_id: number
  sampling_json: string
  mode: ReviewMode
  assist_source_id: number | null
  readers_per_report: 1 | 2
  curated_source_id: number | null
  created_at: string
}

export function getSetRow(db: Db, ref: number | string): SetRow {
  const row = (
    typeof ref === 'number'
      ? db.prepare('SELECT * FROM review_sets WHERE id = ?').get(ref)
      : (db.prepare('SELECT * FROM review_sets WHERE name = ?').get(ref) ??
        (/^\d+$/.test(ref) ? db.prepare('SELECT * FROM review_sets WHERE id = ?').get(Number(ref)) : undefined))
  ) as SetRow | undefined
  if (!row) {
    const names = db.prepare('SELECT name FROM review_sets ORDER BY id LIMIT 20').pluck().all() as string[]
    throw new AppError(
      'not_found',
      `There is no review set "${ref}".`,
      names.length ? `Review sets: ${names.join(', ')}.` : 'Create a review set on the Review page first.'
    )
  }
  return row
}

/** Creates a set, sampling in one go (CLI, tests, seeding). */
export function createReviewSet(db: Db, input: NewReviewSet): ReviewSetSummary {
  checkNewSet(db, input)
  return insertReviewSet(db, input, sampleReports(db, input.sampling))
}

/** Creates a set, sampling with pauses (the app's handler: large workspaces take a few seconds). */
export async function createReviewSetAsync(db: Db, input: NewReviewSet, pause: () => Promise<void>): Promise<ReviewSetSummary> {
  checkNewSet(db, input)
  const ids = await sampleReportsAsync(db, input.sampling, pause)
  checkNewSet(db, input) // the name may have been taken while sampling
  return insertReviewSet(db, input, ids)
}

function checkNewSet(db: Db, input: NewReviewSet): void {
  findLabelSet(db, input.labelSet)
  if (db.prepare('SELECT 1 FROM review_sets WHERE name = ?').get(input.name.trim())) {
    throw new AppError('conflict', `A review set named "${input.name.trim()}" already exists.`, 'Choose another name.')
  }
  if (input.mode === 'assisted' && !input.assistSourceId) {
    throw new AppError('invalid_input', 'Assisted mode needs a source to pre-fill the labels from.', 'Choose a labeler run, or use blinded mode.')
  }
  if (input.assistSourceId) requireSource(db, input.assistSourceId)
  if (input.reviewerId) getReviewer(db, input.reviewerId)
}

function insertReviewSet(db: Db, input: NewReviewSet, ids: number[]): ReviewSetSummary {
  const labelSet = findLabelSet(db, input.labelSet)
  const assist = input.assistSourceId ? requireSource(db, input.assistSourceId) : null
  const actor = input.reviewerId ? getReviewer(db, input.reviewerId).name : 'user'
  return db.transaction(() => {
    const name = input.name.trim()
    const curatedId = createSource(db, {
      name: uniqueSourceName(db, `review: ${name}`),
      kind: 'curated',
      labelSetId: labelSet.id,
      description: `Curated labels of review set "${name}" (${input.readersPerReport === 2 ? 'double reading with adjudication' : 'single reading'})`
    })
    const setId = Number(
      db
        .prepare(
          `INSERT INTO review_sets (name, label_set_id, sampling_json, mode, assist_source_id, readers_per_report, curated_source_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(name, labelSet.id, JSON.stringify(input.sampling), input.mode, assist?.id ?? null, input.readersPerReport, curatedId, nowIso())
        .lastInsertRowid
    )
    const insert = db.prepare('INSERT INTO review_items (set_id, ord, report_id) VALUES (?, ?, ?)')
    ids.forEach((reportId, ord) => insert.run(setId, ord, reportId))
    audit(db, {
      actor,
      action: 'review_set.create',
      entity: 'review_set',
      entityId: setId,
      details: { name, sampling: input.sampling, mode: input.mode, assistSourceId: assist?.id ?? null, readersPerReport: input.readersPerReport, size: ids.length }
    })
    return getReviewSet(db, setId)
  })()
}

const SUMMARY = `
  SELECT rs.id, rs.name, rs.label_set_id AS labelSetId, ls.name AS labelSetName, rs.mode, rs.assist_source_id AS assistSourceId,
         a.name AS assistSourceName, rs.readers_per_report AS readersPerReport, rs.curated_source_id AS curatedSourceId,
         c.name AS curatedSourceName, rs.sampling_json, rs.created_at AS createdAt,
         (SELECT count(*) FROM review_items ri WHERE ri.set_id = rs.id) AS size,
         (SELECT count(*) FROM review_items ri WHERE ri.set_id = rs.id AND
            (SELECT count(*) FROM review_notes n WHERE n.set_id = rs.id AND n.report_id = ri.report_id
               AND n.completed_at IS NOT NULL) >= rs.readers_per_report) AS fullyRead,
         (SELECT count(DISTINCT sl.report_id) FROM source_labels sl WHERE sl.source_id = rs.curated_source_id) AS curated
  FROM review_sets rs JOIN label_sets ls ON ls.id = rs.label_set_id
  LEFT JOIN sources a ON a.id = rs.assist_source_id LEFT JOIN sources c ON c.id = rs.curated_source_id`

type SummaryRow = Omit<ReviewSetSummary, 'sampling' | 'readers'> & { sampling_json: string }

/** Every reader of a set (reader-role decisions), with the reports they started and completed. */
function readerProgress(db: Db, setId: number): ReaderProgress[] {
  return db
    .prepare(
      `SELECT d.reviewer_id AS reviewerId, r.name, count(DISTINCT d.report_id) AS started,
              (SELECT count(*) FROM review_notes n WHERE n.set_id = d.set_id AND n.reviewer_id = d.reviewer_id AND n.completed_at IS NOT NULL
                 AND EXISTS (SELECT 1 FROM review_decisions x WHERE x.set_id = n.set_id AND x.report_id = n.report_id
                             AND x.reviewer_id = n.reviewer_id AND x.role = 'reader')) AS completed
       FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id
       WHERE d.set_id = ? AND d.role = 'reader' GROUP BY d.reviewer_id ORDER BY r.name`
    )
    .all(setId) as ReaderProgress[]
}

function toSummary(db: Db, row: SummaryRow): ReviewSetSummary {
  const { sampling_json, ...rest } = row
  return { ...rest, sampling: JSON.parse(sampling_json) as Sampling, readers: readerProgress(db, row.id) }
}

export function getReviewSet(db: Db, ref: number | string): ReviewSetSummary {
  const id = getSetRow(db, ref).id
  return toSummary(db, db.prepare(`${SUMMARY} WHERE rs.id = ?`).get(id) as SummaryRow)
}

export function listReviewSets(db: Db): ReviewSetSummary[] {
  return (db.prepare(`${SUMMARY} ORDER BY rs.id DESC`).all() as SummaryRow[]).map((row) => toSummary(db, row))
}
