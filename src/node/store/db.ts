// Opens a workspace: one SQLite file holding every report, run, label and decision of a site.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../../common/errors'
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
  readonly?: boolean
}

export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  const file = path === ':memory:' ? path : resolve(path)
  let db: Db
  try {
    if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true })
    db = new Database(file, {
      readonly: options.readonly ?? false,
      nativeBinding: options.nativeBinding ?? process.env.RADLABEL_SQLITE_BINDING
    })
  } catch (err) {
    throw new AppError(
      'io',
      `Cannot open workspace database ${file}: ${(err as Error).message}`,
      'Check that the path exists, is writable and is a RadLabel workspace (.db).'
    )
  }
  try {
    configure(db)
    migrate(db, file)
    markInterruptedWork(db)
  } catch (err) {
    db.close()
    throw err
  }
  return { db, path: file, close: () => db.close() }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
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
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}

export const nowIso = (): string => new Date().toISOString()
