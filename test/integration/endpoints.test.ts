// Endpoints as a workspace setting (IPC calls and `radlabel endpoints`), and `radlabel label --engine
// server` end to end, against a loopback stub. Adding an endpoint makes no connection; testing one does.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EndpointCheck, EndpointEntry } from '../../src/common/ipc/calls/servers'
import { createSession, type AppSession } from '../../src/node/services/session'
import { runCliAsync } from '../support/cli-async'
import { startStub, type Stub } from '../support/openai-stub'
import { tempDir } from '../support/workspace'

let stub: Stub
let dir: ReturnType<typeof tempDir>
beforeAll(async () => {
  stub = await startStub()
  dir = tempDir()
})
afterAll(async () => {
  await stub.close()
  dir.cleanup()
})

describe('endpoints (IPC)', () => {
  let session: AppSession
  beforeAll(async () => {
    session = await createSession({ dbPath: join(dir.dir, 'ipc.db'), platform: { runtime: 'node' } })
  })
  afterAll(async () => session.close())

  it('adds without connecting, tests (models, kind, version, latency), lists, removes; all audited', async () => {
    const before = stub.requests.length
    const added = await session.call('endpoints.add', { name: 'gpu01', url: `${stub.url}/` })
    expect(added.ok).toBe(true)
    const entry = (added as { value: EndpointEntry }).value
    expect(entry).toMatchObject({ name: 'gpu01', url: stub.url, allowPrivateHttp: false, lastCheck: null })
    expect(stub.requests.length).toBe(before)

    const tested = await session.call('endpoints.test', { id: entry.id })
    const check = (tested as { value: EndpointCheck }).value
    expect(check).toMatchObject({ kind: 'llama-server', version: 'b0-stub', models: ['stub-model'], slots: 2 })
    expect(check.latencyMs).toBeGreaterThan(0)
    const list = (await session.call('endpoints.list', {})) as { value: EndpointEntry[] }
    expect(list.value[0]!.lastCheck).toMatchObject({ models: ['stub-model'] })
    const models = (await session.call('endpoints.models', { id: entry.id })) as { value: { models: string[]; kind: string } }
    expect(models.value).toMatchObject({ models: ['stub-model'], kind: 'llama-server' })

    const refused = await session.call('endpoints.add', { name: 'remote', url: 'http://gpu02:8000/v1' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const acknowledged = await session.call('endpoints.add', { name: 'remote', url: 'http://gpu02:8000/v1', allowPrivateHttp: true })
    expect(acknowledged).toMatchObject({ ok: true, value: { allowPrivateHttp: true } })
    expect(await session.call('endpoints.add', { name: 'remote', url: 'http://127.0.0.1:1/v1' })).toMatchObject({ ok: false, error: { code: 'conflict' } })

    expect(await session.call('endpoints.remove', { id: entry.id })).toMatchObject({ ok: true })
    const actions = session.ctx.workspace.db.prepare("SELECT action FROM audit_log WHERE entity = 'endpoint' ORDER BY id").pluck().all()
    expect(actions).toEqual(['endpoint.add', 'endpoint.add', 'endpoint.remove'])
  })

  it('a stopped server gives a clear error on test', async () => {
    const added = (await session.call('endpoints.add', { name: 'down', url: 'http://127.0.0.1:1/v1' })) as { value: EndpointEntry }
    const outcome = await session.call('endpoints.test', { id: added.value.id })
    expect(outcome).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Could not reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/) } })
  })
})

describe('radlabel endpoints / label --engine server (CLI)', () => {
  it('manages endpoints and labels a CSV through the server, every row', { timeout: 300_000 }, async () => {
    const db = join(dir.dir, 'cli.db')
    expect((await runCliAsync(['init', '--db', db])).code).toBe(0)
    const add = await runCliAsync(['endpoints', 'add', 'local', stub.url, '--db', db])
    expect(add.stderr).toBe('')
    expect(add.stdout).toMatch(/Added endpoint 1 "local"/)
    const test = await runCliAsync(['endpoints', 'test', 'local', '--db', db])
    expect(test.stdout).toMatch(/kind: llama-server b0-stub · round trip [\d.]+ ms · 2 slots/)
    expect(test.stdout).toMatch(/models: stub-model/)
    expect((await runCliAsync(['endpoints', 'list', '--db', db])).stdout).toMatch(/local {2}http:\/\/127\.0\.0\.1:\d+\/v1/)

    const csv = join(dir.dir, 'reports.csv')
    const rows = Array.from({ length: 7 }, (_, i) => `${100 + i},"Heart ${i % 2 ? 'is enlarged' : 'normal'}.","No acute process ${i}."`)
    writeFileSync(csv, ['id,findings,impression', ...rows].join('\n') + '\n')
    const out = join(dir.dir, 'out.csv')
    const label = await runCliAsync([
      'label', csv, '--out', out, '--engine', 'server', '--endpoint', stub.url, '--server-model', 'stub-model',
      '--label-set', 'chexpert14', '--id-column', 'id', '--text-columns', 'findings,impression', '--concurrency', '2'
    ])
    expect(label.code, label.stderr).toBe(0)
    const lines = readFileSync(out, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(8)
    const header = lines[0]!.split(',')
    const cardio = header.indexOf('Cardiomegaly')
    expect(cardio).toBeGreaterThan(0)
    for (const [i, line] of lines.slice(1).entries()) {
      const cells = line.split(',')
      expect(cells[0]).toBe(String(100 + i))
      expect(cells[cardio]).toBe(i % 2 ? '1' : '')
    }

    const stored = await runCliAsync([
      'label', csv, '--out', join(dir.dir, 'out2.csv'), '--db', db, '--engine', 'server', '--endpoint', 'local', '--server-model', 'stub-model',
      '--label-set', 'chexpert14', '--id-column', 'id', '--text-columns', 'findings,impression'
    ])
    expect(stored.code, stored.stderr).toBe(0)
    const wrongFlag = await runCliAsync(['label', csv, '--out', join(dir.dir, 'x.csv'), '--engine', 'server', '--endpoint', stub.url, '--server-model', 'm', '--sequences', '2'])
    expect(wrongFlag.code).not.toBe(0)
    expect(wrongFlag.stderr).toMatch(/--sequences does not apply to the server engine/)
    const noSuch = await runCliAsync(['label', csv, '--out', join(dir.dir, 'y.csv'), '--engine', 'server', '--endpoint', 'nosuch', '--server-model', 'm'])
    expect(noSuch.stderr).toMatch(/no endpoint named "nosuch"/)
    expect((await runCliAsync(['endpoints', 'remove', 'local', '--db', db])).stdout).toMatch(/Removed endpoint "local"/)
  })
})
