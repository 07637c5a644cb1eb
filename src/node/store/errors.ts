// SQLite's and the file system's failures, said in words a user can act on, with the path concerned.
// ("database or disk is full" becomes "The disk holding /data/site.db is full ...".)
import { AppError } from '../../common/errors'

/** SQLite failures and a full disk: what dispatch and the job mechanism turn into clear errors. */
export function isStorageFailure(err: unknown): boolean {
  const code = (err as CodedError)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_') || code === 'ENOSPC')
}

interface CodedError {
  code?: unknown
  message?: unknown
}

/** The AppError for a storage failure on `file`; null when `err` is not one (let the caller decide). */
export function storageError(err: unknown, workspaceFile: string): AppError | null {
  if (err instanceof AppError) return err
  const code = typeof (err as CodedError)?.code === 'string' ? ((err as CodedError).code as string) : ''
  // A file system error names its own file (an export target, say); SQLite's are about the workspace.
  const ownPath = (err as { path?: unknown })?.path
  const file = !code.startsWith('SQLITE') && typeof ownPath === 'string' ? ownPath : workspaceFile
  const detail = err instanceof Error ? err.message : String(err)
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || (code === 'SQLITE_IOERR_WRITE' && /full|space/i.test(detail))) {
    // A write through a file descriptor (an export) names no file: then say only what happened.
    const where = code === 'ENOSPC' && typeof ownPath !== 'string' ? 'The disk is full' : `The disk holding ${file} is full`
    return new AppError(
      'io',
      `${where} (${detail}).`,
      'Free disk space, then try again; work already saved is kept, and an interrupted job continues where it stopped (Jobs page, or "radlabel jobs resume ID").'
    )
  }
  if (code === 'SQLITE_NOTADB') {
    return new AppError('invalid_input', `${file} is not a SQLite database, so not a RadLabel workspace (${detail}).`, 'Choose a RadLabel workspace (.db), or a new file name to create one.')
  }
  if (code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_')) {
    return new AppError('io', `Workspace ${file} is damaged or truncated (${detail}).`, 'Restore it from a backup ("radlabel restore").')
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('io', `Permission denied for ${file} (${detail}).`, 'Check the permissions of the file and its folder.')
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'EROFS') {
    return new AppError(
      'io',
      `Cannot write ${file}: it is read-only (${detail}).`,
      'Make the file and its folder writable, or copy the workspace to a writable folder. Read-only work (eval, export, backup) runs on it as it is.'
    )
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
    return new AppError('io', `Cannot open ${file} (${detail}).`, 'Check that the path exists, is a file, and that its folder can be read and written.')
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new AppError('conflict', `Workspace ${file} is busy: another RadLabel process holds it (${detail}).`, 'Try again in a moment.')
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('io', `Reading or writing ${file} failed (${detail}).`, 'Check the disk (space, errors, a network share that went away) and try again.')
  }
  return null
}
