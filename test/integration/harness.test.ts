// The loopback harness serves the real handlers only to the app's own page.
import { mkdirSync, writeFileSync } from 'node:fs'
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

const callInfo = (headers: Record<string, string>) =>
  fetch(`${harness.url}/api/call`, { method: 'POST', headers, body: JSON.stringify({ name: 'app.info', input: {} }) })

describe('loopback harness', () => {
  it('answers its own page', async () => {
    const res = await callInfo({ 'content-type': 'application/json', origin: harness.url })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, value: { runtime: 'harness' } })
  })

  it('refuses calls from another origin and non-JSON bodies', async () => {
    expect((await callInfo({ 'content-type': 'application/json', origin: 'http://evil.example' })).status).toBe(403)
    expect((await callInfo({ 'content-type': 'application/json', origin: 'http://127.0.0.1:1' })).status).toBe(403)
    expect((await callInfo({ 'content-type': 'text/plain' })).status).toBe(415)
  })

  it('serves the renderer with the CSP and nothing outside its folder', async () => {
    const page = await fetch(`${harness.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect((await fetch(`${harness.url}/..%2f..%2fws.db`)).status).toBe(404)
  })
})
