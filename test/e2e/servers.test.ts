// The Servers section of the Models page in Chromium against the real handlers and a loopback
// OpenAI-compatible stub: empty state, a refused plain-http remote URL, add (no connection), test (models,
// kind, version, latency), a stopped server's error, remove with confirmation. The browser contacts nothing
// but the app; only the app's Node side talks to the server.
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { startStub, type Stub } from '../support/openai-stub'
import { closeBrowser, openApp, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
let stub: Stub | undefined
afterEach(async () => {
  if (app) {
    expect(app.consoleErrors).toEqual([])
    expect(app.externalRequests).toEqual([])
    await app.close()
  }
  await stub?.close()
  app = undefined
})
afterAll(async () => closeBrowser())

describe('Models page: Servers', () => {
  it('adds, tests and removes a server; refuses plain http to a remote host', async () => {
    stub = await startStub()
    app = await openApp({ hash: '/models' })
    const { page } = app
    const servers = page.getByRole('region', { name: 'Servers' })
    await expect.poll(() => servers.textContent()).toContain('No servers')

    await servers.getByLabel('Server name').fill('gpu01')
    await servers.getByLabel('Base URL of the OpenAI-compatible API').fill('http://gpu01.hospital.local:8000/v1')
    await servers.getByRole('button', { name: 'Add server' }).click()
    await expect.poll(() => servers.getByRole('alert').textContent()).toMatch(/would send reports unencrypted/)

    await servers.getByLabel('Server name').fill('local')
    await servers.getByLabel('Base URL of the OpenAI-compatible API').fill(stub.url)
    await servers.getByRole('button', { name: 'Add server' }).click()
    const row = servers.getByRole('row', { name: 'local' })
    await expect.poll(() => row.textContent()).toContain('Not tested yet')
    expect(stub.requests).toHaveLength(0)

    await row.getByRole('button', { name: 'Test' }).click()
    await expect.poll(() => row.textContent()).toMatch(/llama-server b0-stub · round trip [\d.]+ ms · 2 slots/)
    expect(await row.textContent()).toContain('stub-model')
    await page.screenshot({ path: '/tmp/radlabel-servers.png', fullPage: true })

    await stub.close()
    await row.getByRole('button', { name: 'Test' }).click()
    await expect.poll(() => row.getByRole('alert').textContent()).toMatch(/Could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/)
    stub = undefined

    await row.getByRole('button', { name: 'Remove…' }).click()
    await row.getByRole('button', { name: 'Remove local' }).click()
    await expect.poll(() => servers.textContent()).toContain('No servers')
  })
})
