// The loopback harness serves the real handlers only to the app's own page, and only with its token.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../../src/node/harness/server'
import { tempDir } from '../support/workspace'

const dir = tempDir()
let harness: Harness
beforeAll(async () => {
  const renderer = join(dir.dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>')
  harness = await startHarness({ dbPath: join(dir.dir, 'ws.db'), rendererDir: renderer })
})
afterAll(async () => {
  await harness.close()
  dir.cleanup()
})

const post = (name: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${harness.url}/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-radlabel-token': harness.token, ...headers },
    body: JSON.stringify({ name, input })
  })
const callInfo = (headers: Record<string, string>) => post('app.info', {}, headers)
const callOk = async (name: string, input: unknown) => (await (await post(name, input)).json()) as { ok: boolean; value?: unknown; error?: { message: string } }

/** A raw request, so paths reach the server exactly as written (fetch would normalise them). */
function rawGet(path: string): Promise<number> {
  const { port } = new URL(harness.url)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('loopback harness', () => {
  it('answers its own page', async () => {
    const res = await callInfo({ origin: harness.url })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, value: { runtime: 'harness' } })
  })

  it('refuses calls from another origin and non-JSON bodies', async () => {
    expect((await callInfo({ origin: 'http://evil.example' })).status).toBe(403)
    expect((await callInfo({ origin: 'http://127.0.0.1:1' })).status).toBe(403)
    expect((await callInfo({ 'content-type': 'text/plain' })).status).toBe(415)
  })

  it('requires the per-launch token on every call and on the event stream', async () => {
    expect(harness.token).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(harness.launchUrl).toBe(`${harness.url}/?token=${harness.token}`)
    expect((await callInfo({ 'x-radlabel-token': '' })).status).toBe(401)
    expect((await callInfo({ 'x-radlabel-token': harness.token.slice(0, -1) + (harness.token.endsWith('A') ? 'B' : 'A') })).status).toBe(401)
    // The query form works too (EventSource cannot send headers); a wrong one does not.
    const noHeader = await fetch(`${harness.url}/api/call?token=${harness.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'app.info', input: {} })
    })
    expect(noHeader.status).toBe(200)
    expect((await fetch(`${harness.url}/api/events`)).status).toBe(401)
    const events = new AbortController()
    const stream = await fetch(`${harness.url}/api/events?token=${harness.token}`, { signal: events.signal })
    expect(stream.status).toBe(200)
    events.abort()
    // Another harness has another token.
    const other = await startHarness({ dbPath: join(dir.dir, 'other.db'), rendererDir: join(dir.dir, 'renderer') })
    try {
      expect(other.token).not.toBe(harness.token)
      expect((await callInfo({ 'x-radlabel-token': other.token })).status).toBe(401)
    } finally {
      await other.close()
    }
  })

  it('answers 413 to an oversized body instead of resetting the connection', async () => {
    const res = await fetch(`${harness.url}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-radlabel-token': harness.token },
      body: JSON.stringify({ name: 'app.info', input: { pad: 'x'.repeat(9 * 1024 * 1024) } })
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/larger than/)
    // The server keeps answering.
    expect((await callInfo({})).status).toBe(200)
  })

  it('answers 400 to malformed escapes and NULs in a path, never 500', async () => {
    expect(await rawGet('/%E0%A4%A')).toBe(400)
    expect(await rawGet('/%')).toBe(400)
    expect(await rawGet('/assets/%ZZ.js')).toBe(400)
    expect(await rawGet('/index.html%00.js')).toBe(400)
  })

  it('serves the renderer with the CSP and nothing outside its folder', async () => {
    const page = await fetch(`${harness.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect((await fetch(`${harness.url}/..%2f..%2fws.db`)).status).toBe(404)
    expect(await rawGet('/../ws.db')).toBe(404)
  })

  it('refuses /proc, device files and FIFOs wherever a call takes a path', async () => {
    const fifo = join(dir.dir, 'reports.txt')
    execFileSync('mkfifo', [fifo])
    const cases: [string, unknown][] = [
      ['import.preview', { path: '/proc/self/environ', options: { format: 'txt-dir' } }],
      ['import.preview', { path: '/dev/zero', options: { format: 'csv' } }],
      ['import.preview', { path: fifo, options: { format: 'csv' } }],
      ['export.backup', { path: '/dev/null', overwrite: true }],
      ['export.backup', { path: fifo, overwrite: true }],
      ['export.restore', { backupPath: '/proc/self/cmdline', targetPath: join(dir.dir, 'r.db') }],
      ['app.openWorkspace', { path: '/dev/shm/../null' }]
    ]
    for (const [name, input] of cases) {
      const res = await callOk(name, input)
      expect(res.ok, `${name} ${JSON.stringify(input)}`).toBe(false)
      expect(res.error!.message).toMatch(/Refusing .*(inside \/proc|inside \/dev|named pipe)/)
    }
  })

  it('export.backup with overwrite replaces only an earlier backup, never another file', async () => {
    const precious = join(dir.dir, 'notes.txt')
    writeFileSync(precious, 'not a database')
    const refused = await callOk('export.backup', { path: precious, overwrite: true })
    expect(refused.ok).toBe(false)
    expect(refused.error!.message).toMatch(/is not a RadLabel backup/)
    expect(readFileSync(precious, 'utf8')).toBe('not a database')
    const self = await callOk('export.backup', { path: harness.session.ctx.workspace.path, overwrite: true })
    expect(self.ok).toBe(false)
    const backup = join(dir.dir, 'b.db')
    expect((await callOk('export.backup', { path: backup })).ok).toBe(true)
    expect((await callOk('export.backup', { path: backup, overwrite: true })).ok).toBe(true)
    // A backup is one self-contained file: no OUT.partial, OUT.partial-wal or OUT.partial-shm beside it.
    expect(readdirSync(dir.dir).filter((f) => f.startsWith('b.db'))).toEqual(['b.db'])
  })
})
