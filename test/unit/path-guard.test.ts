// The shared guard for paths from outside: ordinary files and folders only.
import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { assertSafeCallPaths, assertSafePath } from '../../src/node/security/paths'
import { tempDir } from '../support/workspace'

const dir = tempDir()
afterAll(() => dir.cleanup())

describe('assertSafePath', () => {
  it('accepts ordinary files, folders and paths that do not exist yet', () => {
    const file = join(dir.dir, 'a.csv')
    writeFileSync(file, 'id,text\n')
    expect(assertSafePath(file)).toBe(file)
    expect(assertSafePath(dir.dir)).toBe(dir.dir)
    expect(assertSafePath(join(dir.dir, 'new', 'out.csv'))).toBe(join(dir.dir, 'new', 'out.csv'))
  })

  it('refuses /proc, /sys and /dev, also through a symlink or a symlinked folder', () => {
    expect(() => assertSafePath('/proc/self/environ', 'the file to import')).toThrow(/Refusing the file to import \/proc\/self\/environ: it is inside \/proc/)
    expect(() => assertSafePath('/sys/kernel')).toThrow(/inside \/sys/)
    expect(() => assertSafePath('/dev/zero')).toThrow(/inside \/dev/)
    const link = join(dir.dir, 'zero.csv')
    symlinkSync('/dev/zero', link)
    expect(() => assertSafePath(link)).toThrow(/inside \/dev/)
    const procLink = join(dir.dir, 'p')
    symlinkSync('/proc/self', procLink)
    expect(() => assertSafePath(join(procLink, 'environ'))).toThrow(/inside \/proc/)
    expect(() => assertSafePath(join(procLink, 'does-not-exist'))).toThrow(/inside \/proc/)
  })

  it('refuses FIFOs and sockets wherever they are', async () => {
    const fifo = join(dir.dir, 'p.txt')
    execFileSync('mkfifo', [fifo])
    expect(() => assertSafePath(fifo)).toThrow(/named pipe \(FIFO\)/)
    const sock = join(dir.dir, 's.csv')
    const server = createServer()
    await new Promise<void>((r) => server.listen(sock, r))
    try {
      expect(() => assertSafePath(sock)).toThrow(/a socket/)
    } finally {
      server.close()
    }
  })

  it('checks every path-valued field of a call input, nested or in arrays', () => {
    mkdirSync(join(dir.dir, 'ok'), { recursive: true })
    expect(() => assertSafeCallPaths({ files: [{ path: join(dir.dir, 'ok') }], note: '/dev/zero' }, 'import.start')).not.toThrow()
    expect(() => assertSafeCallPaths({ files: [{ path: join(dir.dir, 'ok') }, { path: '/dev/zero' }] }, 'import.start')).toThrow(/the path of import.start/)
    expect(() => assertSafeCallPaths({ backupPath: '/proc/1/mem', targetPath: 'x.db' }, 'export.restore')).toThrow(/backupPath/)
    expect(() => assertSafeCallPaths({ paths: ['/dev/null'] }, 'x')).toThrow(/inside \/dev/)
  })
})
