// The error file of an import batch: its rejected records and conflicts as CSV.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Db } from '../store/db'
import { getBatch } from '../store/repos/batches'
import { toCsvLine } from './csv'

export const ISSUE_CSV_COLUMNS = ['kind', 'file', 'location', 'external_id', 'reason', 'excerpt']

/** Writes a batch's rejected records and conflicts as CSV (UTF-8 with BOM so Excel reads it). Streams. */
export async function writeIssuesCsv(db: Db, batchId: number, path: string): Promise<number> {
  getBatch(db, batchId)
  const out = createWriteStream(path, { encoding: 'utf8' })
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain')
  }
  await write('\ufeff' + ISSUE_CSV_COLUMNS.join(',') + '\r\n')
  let n = 0
  const stmt = db.prepare(
    'SELECT kind, file, location, external_id, reason, excerpt FROM import_issues WHERE batch_id = ? ORDER BY id'
  )
  for (const r of stmt.iterate(batchId) as Iterable<Record<string, string | null>>) {
    await write(toCsvLine(ISSUE_CSV_COLUMNS.map((c) => r[c] ?? ''), ',') + '\r\n')
    n++
  }
  out.end()
  await once(out, 'close')
  return n
}

