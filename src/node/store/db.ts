// Opens a workspace: one SQLite file holding every report, run, label and decision of a site.
import Database from 'better-sqlite3'
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../common/errors'
import { assertSafePath } from '../security/paths'
import { storageError } from './errors'
import { LATEST_SCHEMA_VERSION, migrations } from './migrations'
import { markInterruptedWork } from './owners'

export type Db = Database.Database

export interface Workspace {
  db: Db
  path: string
  close(): void
}

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for this runtime (Electron ships its own ABI build). */
  nativeBinding?: string
  /** Open for reading only (nothing is migrated or marked). */
  readonly?: boolean
  /**
   * For read-only work (eval, export, backup): when the file or its folder cannot be written, open it
   * read-only instead of failing. Without it, such a workspace is refused with a clear message.
   */
  allowReadOnly?: boolean
}

/**
 * How long a write waits for another connection's write to finish. Several processes may share a
 * workspace (the app and a long CLI import, two imports): on a busy machine a chunk of another import
 * can hold the write lock for seconds, which must not fail a job.
 */
export const BUSY_TIMEOUT_MS = 30_000

/** Tables every RadLabel workspace has; a SQLite file without them is someone else's database. */
const WORKSPACE_TABLES = ['settings', 'jobs', 'reports', 'sources', 'label_sets']
/** A read-only workspace whose folder is read-only too is read into memory up to this size. */
const MAX_IN_MEMORY_BYTES = 1024 * 1024 * 1024

export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  if (path === ':memory:') {
    const db = new Database(':memory:', { nativeBinding: options.nativeBinding ?? process.env.RADLABEL_SQLITE_BINDING })
    configure(db)
    migrate(db, path)
    return { db, path, close: () => db.close() }
  }
  const file = assertSafePath(path, 'the workspace')
  const nativeBinding = options.nativeBinding ?? process.env.RADLABEL_SQLITE_BINDING
  const exists = existsSync(file)
  if (exists && !statSync(file).isFile()) {
    throw new AppError('invalid_input', `${file} is a folder, not a workspace file.`, 'Give the path of a .db file (a new name creates a workspace).')
  }
  let readonly = options.readonly ?? false
  if (!exists && readonly) throw new AppError('not_found', `Workspace ${file} does not exist.`, 'Check the path.')
  if (exists && !readonly) {
    const blocked = notWritable(file)
    if (blocked) {
      if (!options.allowReadOnly) {
        throw new AppError(
          'io',
          `Workspace ${file} is read-only: ${blocked} cannot be written.`,
          'Make it writable, or copy the workspace to a writable folder. Read-only work (eval, export, backup) runs on it as it is.'
        )
      }
      readonly = true
    }
  }
  let db: Db | undefined
  try {
    if (!exists) mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, { readonly, fileMustExist: exists, nativeBinding })
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('schema_version') // reads the header now: a bad file fails here, with its path
  } catch (err) {
    db?.close()
    if (readonly && (err as { code?: string }).code === 'SQLITE_CANTOPEN') db = readIntoMemory(file, nativeBinding)
    else throw storageError(err, file) ?? openError(err, file)
  }
  const opened = db
  try {
    // Before anything is written (even the journal mode): another application's database stays untouched.
    assertIsWorkspace(opened, file)
    if (readonly) assertCurrentSchema(opened, file)
    else {
      configure(opened)
      migrate(opened, file)
      markInterruptedWork(opened)
    }
  } catch (err) {
    opened.close()
    throw storageError(err, file) ?? openError(err, file)
  }
  return { db: opened, path: file, close: () => opened.close() }
}

function openError(err: unknown, file: string): AppError {
  return new AppError('io', `Cannot open workspace database ${file}: ${(err as Error).message}`, 'Check that the path is a RadLabel workspace (.db).')
}

/** "the file" / "its folder /x" when the workspace (or the -wal/-shm files SQLite keeps beside it) cannot be written. */
function notWritable(file: string): string | null {
  try {
    accessSync(file, constants.W_OK)
  } catch {
    return 'the file'
  }
  try {
    accessSync(dirname(file), constants.W_OK)
  } catch {
    return `its folder ${dirname(file)}`
  }
  return null
}

/**
 * SQLite cannot open a WAL workspace even read-only when it may not create the -shm file beside it
 * (a read-only folder or medium). A cleanly closed workspace is whole in its main file: read that into
 * memory (never into a temporary file) and open it there, read-only.
 */
function readIntoMemory(file: string, nativeBinding: string | undefined): Db {
  const wal = `${file}-wal`
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new AppError(
      'io',
      `Workspace ${file} cannot be read here: its folder is read-only and ${wal} holds changes not yet merged into it.`,
      'Open it once where its folder is writable (that merges them), or copy the workspace and its -wal file to a writable folder.'
    )
  }
  const size = statSync(file).size
  if (size > MAX_IN_MEMORY_BYTES) {
    throw new AppError(
      'io',
      `Workspace ${file} is in a read-only folder and too large (${size} bytes) to read into memory.`,
      'Copy it to a writable folder, or make the folder writable.'
    )
  }
  const image = readFileSync(file)
  // The header's WAL flags (bytes 18-19 = 2) mean nothing in memory: mark it a rollback-journal file.
  if (image.length >= 20 && image[18] === 2) image[18] = image[19] = 1
  try {
    return new Database(image, { readonly: true, nativeBinding })
  } catch (err) {
    throw storageError(err, file) ?? openError(err, file)
  }
}

/** Refuses SQLite files that are not RadLabel workspaces (as restore does), before anything is written. */
function assertIsWorkspace(db: Db, file: string): void {
  const version = schemaVersion(db)
  if (version < 0) {
    throw new AppError(
      'invalid_input',
      `${file} has schema version ${version}, which RadLabel never writes: it is not a RadLabel workspace, or it was altered.`,
      'Restore the workspace from a backup ("radlabel restore").'
    )
  }
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
  const missing = WORKSPACE_TABLES.filter((t) => !tables.includes(t))
  // A newer RadLabel may have reshaped its tables: that one is "too new" (migrate says so), unless
  // nothing in it is ours at all.
  const foreign =
    version === 0 ? tables.length > 0
    : version > LATEST_SCHEMA_VERSION ? tables.length > 0 && missing.length === WORKSPACE_TABLES.length
    : missing.length > 0
  if (foreign) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '')
    throw new AppError(
      'invalid_input',
      `${file} is a SQLite database but not a RadLabel workspace (${version === 0 ? `it holds other tables: ${shown}` : `missing tables: ${missing.join(', ')}`}).`,
      'RadLabel does not add its tables to another database. Choose a RadLabel workspace, or a new file name to create one.'
    )
  }
}

function assertCurrentSchema(db: Db, file: string): void {
  const current = schemaVersion(db)
  if (current > LATEST_SCHEMA_VERSION) migrate(db, file) // says "too new"
  if (current < LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'io',
      `Workspace ${file} has schema version ${current} and is read-only, so this RadLabel (schema ${LATEST_SCHEMA_VERSION}) cannot upgrade it.`,
      'Open it once where it is writable (that upgrades it), or copy it to a writable folder.'
    )
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

function migrate(db: Db, file: string): void {
  const current = schemaVersion(db)
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'schema_too_new',
      `Workspace ${file} uses schema version ${current}, but this RadLabel knows only up to version ${LATEST_SCHEMA_VERSION}.`,
      'Open it with a newer RadLabel, or restore a backup made with this version.'
    )
  }
  const check = db.pragma('quick_check', { simple: true })
  if (check !== 'ok') {
    throw new AppError('io', `Workspace ${file} is damaged: ${String(check)}`, 'Restore it from a backup.')
  }
  for (const m of migrations) {
    if (m.version <= current) continue
    // IMMEDIATE, and checked again inside: two processes opening an older workspace at once migrate it once.
    db.transaction(() => {
      if (schemaVersion(db) >= m.version) return
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
}

export const nowIso = (): string => new Date().toISOString()
