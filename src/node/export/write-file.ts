// Writing export files safely: never overwrite without being asked, and never leave a half-written file
// under the final name (write to NAME.partial, then rename).
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../common/errors'
import { assertSafePath } from '../security/paths'

export function assertWritable(path: string, overwrite: boolean): string {
  const file = assertSafePath(path, 'the output file')
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new AppError('conflict', `${file} is a folder.`, 'Give a file name inside it instead.')
  }
  if (existsSync(file) && !overwrite) {
    throw new AppError('conflict', `${file} already exists.`, 'Choose another file name, or pass --force (overwrite) to replace it.')
  }
  return file
}

/** A buffered writer that becomes the final file only on `commit()`. */
export class SafeFileWriter {
  readonly path: string
  private readonly tmp: string
  private fd: number
  private buf: string[] = []
  private size = 0
  bytes = 0

  constructor(path: string, overwrite: boolean) {
    this.path = assertWritable(path, overwrite)
    mkdirSync(dirname(this.path), { recursive: true })
    this.tmp = `${this.path}.partial`
    try {
      this.fd = openSync(this.tmp, 'w')
    } catch (err) {
      throw new AppError('io', `Cannot write ${this.path}: ${(err as Error).message}`, 'Check that the folder exists and is writable.')
    }
  }

  write(s: string): void {
    this.buf.push(s)
    this.size += s.length
    if (this.size > 1 << 20) this.flush()
  }

  private flush(): void {
    if (this.buf.length === 0) return
    const data = Buffer.from(this.buf.join(''), 'utf8')
    try {
      writeSync(this.fd, data)
    } catch (err) {
      // The path, so that "no space left on device" says where.
      throw Object.assign(err as Error, { path: this.path })
    }
    this.bytes += data.length
    this.buf = []
    this.size = 0
  }

  commit(): void {
    this.flush()
    closeSync(this.fd)
    renameSync(this.tmp, this.path)
  }

  abort(): void {
    try {
      closeSync(this.fd)
    } catch {
      /* already closed */
    }
    rmSync(this.tmp, { force: true })
  }
}

/** Runs `fn` with a writer; commits on success and removes the partial file on failure. */
export function writeFileSafely<T>(path: string, overwrite: boolean, fn: (w: SafeFileWriter) => T): T & { path: string; bytes: number } {
  const w = new SafeFileWriter(path, overwrite)
  try {
    const res = fn(w)
    w.commit()
    return { ...res, path: w.path, bytes: w.bytes }
  } catch (err) {
    w.abort()
    throw err
  }
}
