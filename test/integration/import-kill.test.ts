// Kills the CLI (SIGKILL) in the middle of an import and shows the workspace is consistent, then that
// running the same import again completes it with no duplicates and no gaps.
import Database from 'better-sqlite3'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { openWorkspace } from '../../src/node/store/db'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-kill-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const BIN = resolve(__dirname, '../../bin/radlabel.mjs')
const N = 20_000

function runCli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

it('survives SIGKILL mid-import: consistent database, and a re-run completes with no duplicates and no gaps', async () => {
  const file = join(dir, 'reports.csv')
  let s = 'accession,report\n'
  for (let i = 0; i < N; i++) s += `A${i},"FINDINGS: Synthetic report ${i}.\nIMPRESSION: No acute disease (${i % 97})."\n`
  writeFileSync(file, s)
  const db = join(dir, 'ws.db')

  // The import runs in its worker thread (as large files do in the app): SIGKILL takes both down mid-write.
  const child = spawn(process.execPath, [BIN, 'import', file, '--db', db, '--json'], {
    stdio: 'ignore',
    env: { ...process.env, RADLABEL_IMPORT_THREAD: '1' }
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  // Kill as soon as some chunks are committed and the import is not finished.
  let killedAt = -1
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 15))
    let done: number
    try {
      const ro = new Database(db, { readonly: true, fileMustExist: true })
      try {
        done = (ro.prepare('SELECT coalesce(max(records_done), 0) FROM import_batches').pluck().get() as number) ?? 0
      } finally {
        ro.close()
      }
    } catch {
      continue // not created yet, or schema not there yet
    }
    if (done > 0) {
      child.kill('SIGKILL')
      killedAt = done
      break
    }
  }
  await exited
  expect(killedAt).toBeGreaterThan(0)
  expect(killedAt).toBeLessThan(N)

  // Consistent: the batch's checkpoint and counters match the rows, with whole chunks only.
  const ws = openWorkspace(db) // marks the running batch interrupted
  const batch = ws.db.prepare('SELECT * FROM import_batches').get() as Record<string, number | string>
  expect(batch.status).toBe('interrupted')
  const rows = ws.db.prepare('SELECT count(*) FROM reports WHERE batch_id = ?').pluck().get(batch.id) as number
  expect(rows).toBe(batch.records_done)
  expect(batch.added).toBe(batch.records_done)
  expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok')
  // The committed reports are exactly the first records of the file: a prefix, no gaps.
  const keys = ws.db.prepare('SELECT report_key FROM reports ORDER BY id').pluck().all() as string[]
  expect(keys).toEqual(Array.from({ length: rows }, (_, i) => `A${i}`))
  ws.close()

  // The same command again continues the interrupted batch.
  const again = runCli(['import', file, '--db', db, '--json'])
  expect(again.code, again.stderr).toBe(0)
  const out = JSON.parse(again.stdout) as { added: number; duplicates: number; conflicts: number; rejected: number; files: Array<{ resumedFrom?: number }> }
  expect(out).toMatchObject({ added: N - rows, duplicates: 0, conflicts: 0, rejected: 0 })
  expect(out.files[0].resumedFrom).toBe(rows)

  const final = new Database(db, { readonly: true })
  const all = final.prepare('SELECT report_key FROM reports ORDER BY id').pluck().all() as string[]
  expect(all).toEqual(Array.from({ length: N }, (_, i) => `A${i}`))
  expect(final.prepare('SELECT count(*), min(status), max(records_done) FROM import_batches').raw().get()).toEqual([1, 'completed', N])
  final.close()

  // And once more: nothing added, everything a duplicate.
  const third = runCli(['import', file, '--db', db, '--json'])
  expect(JSON.parse(third.stdout)).toMatchObject({ added: 0, duplicates: N })
}, 180_000)
