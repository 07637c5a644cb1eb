// Workspace backup through SQLite's online backup (consistent while the app keeps working) and restore
// into a new or replaced workspace file, after checking that the backup is sound and not from a newer
// RadLabel. Restoring over an existing file first moves that file aside, so nothing is lost.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, statSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { AppError } from '../../common/errors'
import type { BackupCheck, BackupResult, RestoreResult } from '../../common/ipc/calls/export'
import type { Db } from '../store/db'
import { LATEST_SCHEMA_VERSION } from '../store/migrations'
import { assertSafePath } from '../security/paths'
import { assertWritable } from './write-file'

const REQUIRED_TABLES = ['reports', 'sources', 'source_labels', 'label_sets']

function nativeBinding(): string | undefined {
  return process.env.RADLABEL_SQLITE_BINDING
}

/** Checks that `path` is a sound RadLabel workspace database this version can open. */
export function checkBackupFile(path: string): BackupCheck {
  const file = assertSafePath(path, 'the backup')
  if (!existsSync(file)) throw new AppError('not_found', `Backup file ${file} does not exist.`, 'Check the path.')
  if (!statSync(file).isFile()) throw new AppError('invalid_input', `${file} is a folder, not a backup file.`, 'Choose a file made by "export backup".')
  const head = Buffer.alloc(16)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (head.toString('latin1') !== 'SQLite format 3\u0000') {
    throw new AppError('invalid_input', `${file} is not a SQLite database, so not a RadLabel backup.`, 'Choose a file made by "export backup".')
  }
  let db: Db | null = null
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: nativeBinding() })
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'schema_too_new',
        `Backup ${file} has schema version ${version}; this RadLabel knows only up to ${LATEST_SCHEMA_VERSION}.`,
        'Restore it with the newer RadLabel that made it.'
      )
    }
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t))
    if (version < 1 || missing.length) {
      throw new AppError(
        'invalid_input',
        `${file} is a SQLite database but not a RadLabel workspace${missing.length ? ` (missing tables: ${missing.join(', ')})` : ''}.`,
        'Choose a file made by "export backup".'
      )
    }
    const check = db.pragma('integrity_check', { simple: true })
    if (check !== 'ok') {
      throw new AppError('io', `Backup ${file} is damaged: ${String(check)}.`, 'Use another backup.')
    }
    return {
      path: file,
      schemaVersion: version,
      reports: db.prepare('SELECT count(*) FROM reports').pluck().get() as number,
      sources: db.prepare('SELECT count(*) FROM sources').pluck().get() as number
    }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('invalid_input', `Cannot read backup ${file}: ${(err as Error).message}`, 'Choose a file made by "export backup".')
  } finally {
    db?.close()
  }
}

/**
 * Overwriting is only ever allowed for a file that is itself a SQLite database (an earlier backup), and
 * never for the open workspace: `overwrite` must not become a way to replace any file the user can write.
 */
function assertReplaceableBackup(db: Db, file: string): void {
  if (!existsSync(file)) return
  if (resolve(db.name) === file) {
    throw new AppError('conflict', `${file} is the open workspace itself.`, 'Back up into another file.')
  }
  const stats = statSync(file)
  if (!stats.isFile() || !isSqliteFile(file)) {
    throw new AppError(
      'conflict',
      `${file} already exists and is not a RadLabel backup, so it is not replaced.`,
      'Choose a new file name (overwrite only replaces an earlier backup).'
    )
  }
}

function isSqliteFile(file: string): boolean {
  const head = Buffer.alloc(16)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  return head.toString('latin1') === 'SQLite format 3\u0000'
}

function removeWithJournals(file: string): void {
  for (const ext of ['', '-wal', '-shm', '-journal']) rmSync(file + ext, { force: true })
}

/**
 * Online backup of an open workspace into `path`: written as PATH.partial, switched to a rollback journal
 * (a backup is one self-contained file; no -wal/-shm beside it), checked, then renamed.
 */
export async function backupWorkspace(db: Db, path: string, overwrite = false): Promise<BackupResult> {
  const file = assertWritable(assertSafePath(path, 'the backup file'), overwrite)
  if (overwrite) assertReplaceableBackup(db, file)
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.partial`
  removeWithJournals(tmp)
  try {
    await db.backup(tmp)
    const out = new Database(tmp, { fileMustExist: true, nativeBinding: nativeBinding() })
    try {
      out.pragma('journal_mode = DELETE')
    } finally {
      out.close()
    }
    const check = checkBackupFile(tmp)
    removeWithJournals(file)
    renameSync(tmp, file)
    return { path: file, bytes: statSync(file).size, schemaVersion: check.schemaVersion, reports: check.reports, sources: check.sources }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('io', `Backup to ${file} failed: ${(err as Error).message}`, 'Check free disk space and that the folder is writable.')
  } finally {
    removeWithJournals(tmp)
  }
}

/**
 * Restores `backupPath` as the workspace file `targetPath`. An existing target is only replaced with
 * `replace: true`, and is then renamed to TARGET.before-restore-<time> (with its -wal/-shm files).
 * The caller must not have the target open. The result opens with openWorkspace (older schemas migrate).
 */
export async function restoreWorkspace(backupPath: string, targetPath: string, opts: { replace?: boolean } = {}): Promise<RestoreResult> {
  const check = checkBackupFile(backupPath)
  const target = assertSafePath(targetPath, 'the workspace to restore into')
  if (target === check.path) {
    throw new AppError('invalid_input', 'The backup and the workspace to restore into are the same file.', 'Choose another target path.')
  }
  let previous: string | null = null
  if (existsSync(target)) {
    if (!opts.replace) {
      throw new AppError(
        'conflict',
        `Workspace ${target} already exists.`,
        'Restore into a new file, or pass --replace: the current file is then kept as a .before-restore copy.'
      )
    }
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
    renameSync(target, previous)
    for (const ext of ['-wal', '-shm']) if (existsSync(target + ext)) renameSync(target + ext, previous + ext)
  }
  mkdirSync(dirname(target), { recursive: true })
  const src = new Database(check.path, { readonly: true, nativeBinding: nativeBinding() })
  try {
    await src.backup(target)
  } catch (err) {
    rmSync(target, { force: true })
    if (previous) renameSync(previous, target)
    throw new AppError('io', `Restore into ${target} failed: ${(err as Error).message}`, 'Check free disk space and permissions.')
  } finally {
    src.close()
  }
  return { ...check, target, previous }
}
