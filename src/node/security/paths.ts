// The one guard for paths that arrive from outside (an IPC call, the loopback harness, a CLI flag):
// only ordinary files and folders. Device files, FIFOs and sockets are refused (reading one can hang
// forever or return endless bytes), and so is anything under the kernel's pseudo file systems.
import { existsSync, realpathSync, statSync, type Stats } from 'node:fs'
import { basename, dirname, resolve, sep } from 'node:path'
import { AppError } from '../../common/errors'

/** Pseudo file systems: their "files" are kernel state (/proc/self/environ, /dev/zero), never user data. */
const PSEUDO_ROOTS = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev']
/** Windows device names are devices in every folder ("C:\\data\\NUL.csv" is the null device). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

function underPseudoRoot(path: string): string | undefined {
  return PSEUDO_ROOTS.find((root) => path === root || path.startsWith(root + sep))
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'not an ordinary file or folder'
}

/** The nearest existing ancestor's real path plus the rest, so symlinked folders are seen through. */
function realish(file: string): string {
  let existing = file
  const rest: string[] = []
  while (!existsSync(existing)) {
    const parent = dirname(existing)
    if (parent === existing) return file
    rest.unshift(basename(existing))
    existing = parent
  }
  try {
    return resolve(realpathSync(existing), ...rest)
  } catch {
    return file
  }
}

/**
 * Returns the absolute path when it names an ordinary file or folder (or one that does not exist yet,
 * in an ordinary place); throws an AppError saying what it is otherwise. `what` names the path in the
 * message ("the file to import", "the backup").
 */
export function assertSafePath(path: string, what = 'path'): string {
  const file = resolve(path)
  const refuse = (why: string): never => {
    throw new AppError(
      'invalid_input',
      `Refusing ${what} ${file}: ${why}.`,
      'Choose an ordinary file or folder (not a device, pipe, socket or system folder).'
    )
  }
  if (process.platform === 'win32' && (file.startsWith('\\\\.\\') || file.startsWith('\\\\?\\') || WINDOWS_DEVICE.test(basename(file)))) {
    refuse('it is a Windows device name')
  }
  const real = realish(file)
  const root = underPseudoRoot(file) ?? underPseudoRoot(real)
  if (root) refuse(`it is inside ${root}, which holds system state, not files`)
  let stats: Stats | undefined
  try {
    stats = statSync(file)
  } catch {
    stats = undefined // Does not exist (yet): an output path, or the caller reports "not found".
  }
  if (stats && !stats.isFile() && !stats.isDirectory()) refuse(`it is ${kindOf(stats)}`)
  return file
}

/** Keys of call inputs that hold file system paths: `path`, `paths`, and any `somethingPath`. */
const PATH_KEY = /^(path|paths|[a-z][A-Za-z]*Path)$/

/** Applies assertSafePath to every path-valued field of a validated call input, however deep. */
export function assertSafeCallPaths(input: unknown, callName: string): void {
  const visit = (value: unknown, key: string | null): void => {
    if (typeof value === 'string') {
      if (key !== null && PATH_KEY.test(key) && value.length > 0) assertSafePath(value, `the ${key} of ${callName}`)
      return
    }
    if (Array.isArray(value)) {
      for (const item of value) visit(item, key)
      return
    }
    if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, k)
    }
  }
  visit(input, null)
}
