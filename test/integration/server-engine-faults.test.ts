// The server engine against a loopback stub for the fault cases a real server will not produce on demand:
// 503/429 with backoff, garbage, cut-off answers, slow answers, redirects, a server that goes away
// (clear error, exact resume), cancel aborting requests in flight, and the API key kept out of the
// workspace. The engine runs through the generic run driver, as in the app.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { JobSnapshot } from '../../src/common/types'
import { loadEngines } from '../../src/node/engines/all'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { insertReport } from '../../src/node/store/repos/reports'
import { labelsOfReport } from '../../src/node/store/repos/sources'
import { startStub, type Stub } from '../support/openai-stub'
import { tempWorkspace } from '../support/workspace'

await loadEngines()

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(count: number, plan?: Stub['plan']) {
  const ws = tempWorkspace()
  cleanups.push(ws.cleanup)
  const ids = Array.from({ length: count }, (_, i) => {
    const text = i % 3 === 0 ? `Report ${i}: the heart is enlarged.` : `Report ${i}: lungs are clear.`
    return insertReport(ws.db, { reportKey: `R${i}`, externalId: `R${i}`, batchId: null, text, contentHash: String(i), sections: [{ name: 'whole', start: 0, end: text.length }] })
  })
  const stub = await startStub({ plan })
  cleanups.push(() => stub.close())
  const updates: JobSnapshot[] = []
  const jobs = new JobManager(ws, (j) => updates.push(j))
  registerJobKinds(jobs)
  return { ws, ids, stub, jobs, updates }
}

const chats = (stub: Stub) => stub.requests.filter((r) => r.path === '/v1/chat/completions')

async function runToEnd(jobs: JobManager, sourceId: number) {
  const job = jobs.start(RUN_JOB_KIND, 'server run', { sourceId })
  return { job, final: await jobs.wait(job.id) }
}

describe('server engine, fault cases (loopback stub)', () => {
  it('labels every report with the schema in the llama-server dialect; stores finish reason, latency, attempts; keeps the API key out', async () => {
    const { ws, ids, stub, jobs } = await setup(10)
    const keyFile = join(ws.dir, 'api-key.txt')
    writeFileSync(keyFile, 'sk-site-secret-4711\n')
    const run = createRun(ws.db, {
      engine: 'server',
      labelSet: 'chexpert14',
      config: { endpoint: stub.url, serverModel: 'stub-model', concurrency: 3, apiKeyFile: keyFile, retryBaseMs: 5 }
    })
    const { final } = await runToEnd(jobs, run.sourceId)
    expect(final.status).toBe('completed')
    const after = getRun(ws.db, run.sourceId)
    expect(after).toMatchObject({ status: 'completed', reportsDone: 10, reportsFailed: 0 })
    expect(after.provenance).toMatchObject({
      engine: 'server',
      server: { endpoint: stub.url, kind: 'llama-server', version: 'b0-stub', model: 'stub-model', slots: 2, dialect: 'llama-server', apiKey: 'from a file (not recorded)' },
      task: 'classify',
      decoding: { temperature: 0, constrained: 'json-schema' }
    })
    const first = chats(stub)[0]!
    expect(first.headers.authorization).toBe('Bearer sk-site-secret-4711')
    expect(first.body).toMatchObject({ model: 'stub-model', temperature: 0, cache_prompt: true })
    expect(first.body!.json_schema).toBeTypeOf('object')
    expect(labelsOfReport(ws.db, run.sourceId, ids[0]!).find((l) => l.label === 'Cardiomegaly')).toMatchObject({ state: 'positive', evidence: [{ text: 'enlarged' }] })
    const rows = ws.db.prepare('SELECT finish_reason, latency_ms, attempts, prompt_tokens FROM run_reports WHERE source_id = ?').all(run.sourceId) as Record<string, number | string>[]
    expect(rows).toHaveLength(10)
    for (const r of rows) expect(r).toMatchObject({ finish_reason: 'stop', attempts: 1, prompt_tokens: 100, latency_ms: expect.any(Number) })
    ws.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(ws.dir, 'workspace.db')).includes('sk-site-secret-4711')).toBe(false)
    expect(JSON.stringify(after)).not.toContain('sk-site-secret')
  })

  it('retries 503 and 429 with backoff (Retry-After honoured) and records the attempts', async () => {
    const seen = new Map<string, number>()
    const { ws, stub, jobs } = await setup(4, (req) => {
      const n = (seen.get(req.report!) ?? 0) + 1
      seen.set(req.report!, n)
      if (n === 1) return { kind: 'status', status: 503 }
      if (n === 2) return { kind: 'status', status: 429, retryAfter: '0' }
      return { kind: 'answer' }
    })
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model', concurrency: 2, retryBaseMs: 5 } })
    expect((await runToEnd(jobs, run.sourceId)).final.status).toBe('completed')
    expect(ws.db.prepare('SELECT attempts FROM run_reports WHERE source_id = ?').pluck().all(run.sourceId)).toEqual([3, 3, 3, 3])
    expect(chats(stub)).toHaveLength(12)
  })

  it('retries a garbage or cut-off answer once with twice the token budget, then records a per-report error; the rest goes on', async () => {
    const { ws, ids, stub, jobs } = await setup(4, (req) => {
      if (req.report!.startsWith('Report 1:')) return { kind: 'garbage' }
      if (req.report!.startsWith('Report 2:')) return req.body!.max_tokens === 200 ? { kind: 'truncated' } : { kind: 'answer' }
      return { kind: 'answer' }
    })
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model', maxTokens: 200, retryBaseMs: 5 } })
    expect((await runToEnd(jobs, run.sourceId)).final.status).toBe('completed')
    const row = (id: number) => ws.db.prepare('SELECT status, error, attempts, finish_reason FROM run_reports WHERE source_id = ? AND report_id = ?').get(run.sourceId, id) as Record<string, unknown>
    expect(row(ids[1]!)).toMatchObject({ status: 'failed', attempts: 2, error: expect.stringMatching(/not a JSON object|not valid JSON/) })
    expect(row(ids[1]!).error).toMatch(/retry with 400 tokens/)
    expect(row(ids[2]!)).toMatchObject({ status: 'done', attempts: 2, finish_reason: 'stop' })
    expect(row(ids[0]!)).toMatchObject({ status: 'done', attempts: 1 })
    const budgets = chats(stub).filter((r) => r.report!.startsWith('Report 2:')).map((r) => r.body!.max_tokens)
    expect(budgets).toEqual([200, 400])
    expect(getRun(ws.db, run.sourceId)).toMatchObject({ reportsDone: 3, reportsFailed: 1 })
  })

  it('retries a request that times out', async () => {
    let slowOnce = true
    const { ws, stub, jobs } = await setup(2, () => {
      if (slowOnce) {
        slowOnce = false
        return { kind: 'hang' }
      }
      return { kind: 'answer' }
    })
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model', concurrency: 1, requestTimeout: 1, retryBaseMs: 5 } })
    expect((await runToEnd(jobs, run.sourceId)).final.status).toBe('completed')
    expect(ws.db.prepare('SELECT attempts FROM run_reports WHERE source_id = ? ORDER BY report_id').pluck().all(run.sourceId)).toEqual([2, 1])
    expect(stub.abandoned).toBe(1)
  })

  it('stops with a clear error when the server stays away, and resume sends only the reports not done', async () => {
    let down = false
    const { ws, ids, stub, jobs } = await setup(12, (_req, i) => {
      if (i === 5) down = true
      return down ? { kind: 'status', status: 502, body: 'bad gateway' } : { kind: 'answer' }
    })
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model', concurrency: 1, maxRetries: 2, retryBaseMs: 5 } })
    const { job, final } = await runToEnd(jobs, run.sourceId)
    expect(final.status).toBe('failed')
    expect(final.error).toMatch(/answered only with errors for 3 reports in a row\. The server answered with an error 3 times \(last: HTTP 502: bad gateway\)/)
    const failedRows = ws.db.prepare("SELECT error FROM run_reports WHERE source_id = ? AND status = 'failed'").pluck().all(run.sourceId)
    expect(failedRows).toHaveLength(3)
    const stopped = getRun(ws.db, run.sourceId)
    expect(stopped.status).toBe('failed')
    const done = ws.db.prepare("SELECT report_id FROM run_reports WHERE source_id = ? AND status = 'done'").pluck().all(run.sourceId) as number[]
    expect(done.length).toBeGreaterThan(0)
    expect(done.length).toBeLessThan(12)
    // The server is back: resume labels exactly the rest.
    down = false
    stub.plan = () => ({ kind: 'answer' })
    const before = chats(stub).length
    jobs.resume(job.id)
    expect((await jobs.wait(job.id)).status).toBe('completed')
    const resent = chats(stub).slice(before).map((r) => r.report!)
    const doneTexts = new Set(done.map((id) => ws.db.prepare('SELECT text FROM reports WHERE id = ?').pluck().get(id) as string))
    expect(resent.filter((t) => doneTexts.has(t))).toEqual([])
    expect(new Set(resent).size).toBe(12 - done.length)
    const counts = ws.db.prepare('SELECT report_id FROM run_reports WHERE source_id = ? AND status = ? ORDER BY report_id').pluck().all(run.sourceId, 'done')
    expect(counts).toEqual(ids)
  })

  it('cancel aborts the requests in flight', async () => {
    const { ws, stub, jobs } = await setup(6, () => ({ kind: 'hang' }))
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model', concurrency: 3 } })
    const job = jobs.start(RUN_JOB_KIND, 'server run', { sourceId: run.sourceId })
    const deadline = Date.now() + 10_000
    while (chats(stub).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(chats(stub)).toHaveLength(3)
    jobs.cancel(job.id)
    const final = await jobs.wait(job.id)
    expect(final.status).toBe('cancelled')
    await new Promise((r) => setTimeout(r, 100))
    expect(stub.abandoned).toBe(3)
    expect(getRun(ws.db, run.sourceId)).toMatchObject({ status: 'cancelled', reportsDone: 0 })
  })

  it('does not follow a redirect to another origin', async () => {
    const other = await startStub()
    cleanups.push(() => other.close())
    const { ws, stub, jobs } = await setup(1, () => ({ kind: 'redirect', to: `${other.url}/chat/completions` }))
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'stub-model' } })
    expect((await runToEnd(jobs, run.sourceId)).final.status).toBe('failed')
    expect(getRun(ws.db, run.sourceId).error).toMatch(/HTTP 307/)
    expect(other.requests).toHaveLength(0)
  })

  it('refuses an unknown model with the list of served ones', async () => {
    const { ws, stub, jobs } = await setup(1)
    const run = createRun(ws.db, { engine: 'server', labelSet: 'chexpert14', config: { endpoint: stub.url, serverModel: 'llama-70b' } })
    const { final } = await runToEnd(jobs, run.sourceId)
    expect(final.status).toBe('failed')
    expect(final.error).toMatch(/serves no model named "llama-70b"/)
    expect(chats(stub)).toHaveLength(0)
  })
})
