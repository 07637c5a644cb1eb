// Opening and writing workspaces that are not what they should be: each gives a clear error naming the
// file (or, for read-only work, just works), and nothing is written to a file that is not ours.
import Database from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openWorkspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'
import { createSession } from '../../src/node/services/session'
import type { JobSnapshot } from '../../src/common/types'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir('radlabel-open-')
const mounts: string[] = []
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m])
    } catch {
      /* already gone */
    }
  }
  dir.cleanup()
})

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/** A real workspace with some reports, closed cleanly. */
function makeWorkspace(name: string, reports = 30): string {
  const file = join(dir.dir, name)
  const csv = join(dir.dir, `${name}.csv`)
  writeFileSync(csv, 'accession,report\n' + Array.from({ length: reports }, (_, i) => `R${i},"FINDINGS: Synthetic finding ${i}. IMPRESSION: Nothing acute."`).join('\n') + '\n')
  const r = runCli(['import', csv, '--db', file, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return file
}

const isRoot = process.getuid?.() === 0

/**
 * A folder that really cannot be written: a read-only tmpfs mount as root (root ignores file modes),
 * modes 555/444 otherwise. Null (with the reason logged) where neither is possible.
 */
function readOnlyCopy(files: string[]): string | null {
  const target = join(dir.dir, `ro-${mounts.length}-${Date.now()}`)
  mkdirSync(target)
  if (isRoot) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', target], { stdio: 'ignore' })
    } catch {
      console.log('[workspace-open] skipped a read-only case: running as root without permission to mount a tmpfs')
      return null
    }
    mounts.push(target)
    for (const f of files) copyFileSync(f, join(target, f.split('/').pop()!))
    execFileSync('mount', ['-o', 'remount,ro', target])
  } else {
    for (const f of files) {
      copyFileSync(f, join(target, f.split('/').pop()!))
      chmodSync(join(target, f.split('/').pop()!), 0o444)
    }
    chmodSync(target, 0o555)
  }
  return target
}

describe('opening files that are not sound workspaces', () => {
  const good = makeWorkspace('good.db')

  it('a truncated workspace: damaged or truncated, with its path, for init and for read-only work', () => {
    const file = join(dir.dir, 'truncated.db')
    writeFileSync(file, readFileSync(good).subarray(0, 3000))
    expect(() => openWorkspace(file)).toThrow(`Workspace ${file} is damaged or truncated`)
    for (const args of [['init', '--db', file], ['export', 'backup', '--db', file, '--out', join(dir.dir, 't-backup.db')]]) {
      const r = runCli(args)
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`Workspace ${file} is damaged or truncated`)
      expect(r.stderr).toMatch(/Restore it from a backup/)
    }
  })

  it('a file that is not SQLite at all: says so, with its path, and leaves it as it was', () => {
    const file = join(dir.dir, 'notes.db')
    writeFileSync(file, 'Meeting notes, not a database.\n'.repeat(200))
    const before = sha(file)
    expect(() => openWorkspace(file)).toThrow(`${file} is not a SQLite database, so not a RadLabel workspace`)
    const r = runCli(['init', '--db', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${file} is not a SQLite database`)
    expect(sha(file)).toBe(before)
    expect(existsSync(`${file}-wal`)).toBe(false)
  })

  it('a negative schema version: a clear error, not "table settings already exists"', () => {
    const file = join(dir.dir, 'negative.db')
    copyFileSync(good, file)
    const db = new Database(file)
    db.pragma('user_version = -3')
    db.close()
    expect(() => openWorkspace(file)).toThrow(`${file} has schema version -3, which RadLabel never writes`)
  })

  it('an unrelated SQLite database is refused by init, by the app and by every command, and is not touched', async () => {
    const file = join(dir.dir, 'pacs-cache.db')
    const other = new Database(file)
    other.exec("CREATE TABLE studies (uid TEXT PRIMARY KEY, modality TEXT); INSERT INTO studies VALUES ('1.2.3', 'CR')")
    other.close()
    const before = sha(file)
    const r = runCli(['init', '--db', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`${file} is a SQLite database but not a RadLabel workspace (it holds other tables: studies)`)
    // The app (Settings > open workspace) says the same and keeps its current workspace.
    const session = await createSession({ dbPath: join(dir.dir, 'app.db'), platform: { runtime: 'node' } })
    try {
      const res = await session.call('app.openWorkspace', { path: file })
      expect(res).toMatchObject({ ok: false, error: { message: expect.stringContaining('not a RadLabel workspace') } })
      expect(session.ctx.workspace.path).toBe(join(dir.dir, 'app.db'))
    } finally {
      await session.close()
    }
    // Another application's versioned database without our tables.
    const versioned = join(dir.dir, 'versioned.db')
    const v = new Database(versioned)
    v.exec('CREATE TABLE reports (x)')
    v.pragma('user_version = 4')
    v.close()
    expect(() => openWorkspace(versioned)).toThrow(/not a RadLabel workspace \(missing tables: settings, jobs, sources, label_sets\)/)
    expect(sha(file)).toBe(before)
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('pacs-cache.db'))).toEqual(['pacs-cache.db'])
  })
})

describe('read-only workspaces', () => {
  const good = makeWorkspace('ro-source.db', 40)

  it('read-only work (backup, export) runs on a workspace in a read-only folder; writing work says clearly why not', () => {
    const ro = readOnlyCopy([good])
    if (!ro) return
    const file = join(ro, 'ro-source.db')
    const out = join(dir.dir, 'ro-backup.db')
    const backup = runCli(['export', 'backup', '--db', file, '--out', out, '--json'])
    expect(backup.code, backup.stderr).toBe(0)
    expect(JSON.parse(backup.stdout)).toMatchObject({ reports: 40 })
    const check = openWorkspace(out, { readonly: true })
    expect(check.db.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(40)
    check.close()

    const init = runCli(['init', '--db', file])
    expect(init.code).toBe(1)
    expect(init.stderr).toContain(`Workspace ${file} is read-only`)
    expect(init.stderr).toMatch(/copy the workspace to a writable folder/)
    expect(init.stderr).not.toMatch(/attempt to write a readonly database/)
  })
})

describe('a full disk', () => {
  it('an import that fills the workspace fails with "the disk is full", its progress kept and resumable', async () => {
    const file = join(dir.dir, 'full.db')
    const ws = openWorkspace(file)
    prepareWorkspace(ws)
    ws.close()
    const csv = join(dir.dir, 'many.csv')
    writeFileSync(csv, 'accession,report\n' + Array.from({ length: 5000 }, (_, i) => `F${i},"FINDINGS: Synthetic finding number ${i} with some words. IMPRESSION: Nothing acute."`).join('\n') + '\n')
    const previous = process.env.RADLABEL_IMPORT_THREAD
    process.env.RADLABEL_IMPORT_THREAD = '0' // in this process, on the connection we limit
    const session = await createSession({ dbPath: file, platform: { runtime: 'node' } })
    try {
      const db = session.ctx.workspace.db
      // SQLite's own size limit gives exactly the error a full disk gives (SQLITE_FULL).
      const pages = db.pragma('page_count', { simple: true }) as number
      db.pragma(`max_page_count = ${pages + 40}`)
      const started = await session.call('import.start', { files: [{ path: csv, options: { format: 'csv' } }] })
      expect(started.ok).toBe(true)
      const job = await session.ctx.jobs.wait((started as { value: JobSnapshot }).value.id)
      expect(job.status).toBe('failed')
      expect(job.error).toContain(`The disk holding ${file} is full`)
      expect(job.error).not.toMatch(/Cannot read properties/)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      await session.close()
      if (previous === undefined) delete process.env.RADLABEL_IMPORT_THREAD
      else process.env.RADLABEL_IMPORT_THREAD = previous
    }
  })

  it.skipIf(!isRoot)('on a really full file system, import and export say the disk is full (root: a 1 MB tmpfs)', () => {
    const small = join(dir.dir, 'small-fs')
    mkdirSync(small)
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small], { stdio: 'ignore' })
    } catch {
      console.log('[workspace-open] skipped the tmpfs case: no permission to mount')
      return
    }
    mounts.push(small)
    const csv = join(dir.dir, 'big.csv')
    writeFileSync(csv, 'accession,report\n' + Array.from({ length: 20000 }, (_, i) => `B${i},"FINDINGS: Synthetic report ${i}, padded to take room on the disk ${'x'.repeat(60)}. IMPRESSION: Nothing acute."`).join('\n') + '\n')
    const ws = join(small, 'ws.db')
    for (const thread of ['0', '1']) {
      // In the CLI's own thread, and in the import worker thread (its own connection).
      process.env.RADLABEL_IMPORT_THREAD = thread
      const r = runCli(['import', csv, '--db', ws, '--no-resume'], { timeoutMs: 60_000 })
      delete process.env.RADLABEL_IMPORT_THREAD
      expect(r.code).not.toBe(0)
      expect(r.stderr, `thread=${thread}`).toContain(`The disk holding ${ws} is full`)
      expect(r.stderr).not.toMatch(/Cannot read properties/)
    }
    const exp = runCli(['export', 'backup', '--db', makeWorkspace('for-full.db', 2000), '--out', join(small, 'b.db')])
    expect(exp.code).not.toBe(0)
    expect(exp.stderr).toMatch(/full/)
    expect(readdirSync(small).filter((f) => f.includes('partial'))).toEqual([])
  })
})
