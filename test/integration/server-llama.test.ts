// The server engine against a real llama.cpp llama-server (built from the llama.cpp source node-llama-cpp
// ships, CPU only, by `npm run build:llama-server`; cached per machine) serving the project's generated
// tiny model with 2 slots: a run completes with valid states; requests really run in parallel on both
// slots; the server killed mid-run gives a clear error and resume completes exactly. Skips only where no
// C++ compiler or cmake exists, and says so.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LABEL_STATES } from '../../src/common/types'
import { loadEngines } from '../../src/node/engines/all'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import { ensureLlamaServer, llamaServerUnavailable, startLlamaServer, type RunningLlamaServer } from '../../src/node/engines/server/testing/llamaServer'
import { JobManager } from '../../src/node/jobs/jobManager'
import { EndpointClient } from '../../src/node/net/endpoint-client'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { insertReport } from '../../src/node/store/repos/reports'
import { tempWorkspace } from '../support/workspace'

await loadEngines()

const unavailable = llamaServerUnavailable()
if (unavailable) console.warn(`[server-llama.test] SKIPPED: ${unavailable}`)

const TEXTS = [
  'The heart is enlarged. Small left pleural effusion.',
  'Lungs are clear. No pneumothorax.',
  'Right lower lobe opacity may represent pneumonia.',
  'Endotracheal tube in good position. Mild edema.',
  'No acute cardiopulmonary process.',
  'Bibasilar atelectasis. Stable cardiomegaly.',
  'Possible small right effusion.',
  'No fracture. Lungs clear.'
]

describe.skipIf(unavailable !== null)('server engine against a real llama-server (2 slots)', () => {
  const ws = tempWorkspace()
  let binary = ''
  let server: RunningLlamaServer | undefined
  const model = join(ws.dir, 'tiny.gguf')

  beforeAll(async () => {
    binary = ensureLlamaServer() // cached; builds once per machine (minutes)
    writeTinyModel(model, { seed: 11 })
    server = await startLlamaServer({ binary, model, slots: 2, contextPerSlot: 4096, threads: 2 })
  }, 60 * 60 * 1000)
  afterAll(async () => {
    await server?.stop()
    ws.cleanup()
  })

  function setup(count: number) {
    const ids = Array.from({ length: count }, (_, i) => {
      const text = `${TEXTS[i % TEXTS.length]} (${i})`
      return insertReport(ws.db, { reportKey: `K${Date.now()}-${i}`, externalId: `K${i}`, batchId: null, text, contentHash: `${Date.now()}-${i}`, sections: [{ name: 'whole', start: 0, end: text.length }] })
    })
    const jobs = new JobManager(ws, () => {})
    registerJobKinds(jobs)
    return { ids, jobs }
  }

  it('labels every report with valid states, on both slots at once, and records the server', async () => {
    const { ids, jobs } = setup(8)
    const run = createRun(ws.db, {
      engine: 'server',
      labelSet: 'chexpert14',
      config: { endpoint: server!.url, serverModel: server!.modelName, concurrency: 2, maxTokens: 300 },
      scope: { reportIds: ids }
    })
    // Watch llama-server's own slot states while the run goes.
    const probe = new EndpointClient({ url: server!.url }, { maxSockets: 1 })
    let busiest = 0
    let watching = true
    const watch = (async () => {
      while (watching) {
        const a = await probe.request('GET', '/slots', { timeoutMs: 5000 }).catch(() => null)
        if (a?.status === 200 && Array.isArray(a.json)) busiest = Math.max(busiest, a.json.filter((s: { is_processing?: boolean }) => s.is_processing).length)
        await new Promise((r) => setTimeout(r, 25))
      }
    })()
    const job = jobs.start(RUN_JOB_KIND, 'server run', { sourceId: run.sourceId })
    const final = await jobs.wait(job.id)
    watching = false
    await watch
    probe.close()
    expect(final.status, final.error ?? '').toBe('completed')
    const after = getRun(ws.db, run.sourceId)
    expect(after.reportsDone + after.reportsFailed).toBe(8)
    expect(after.provenance).toMatchObject({ server: { kind: 'llama-server', model: server!.modelName, slots: 2, dialect: 'llama-server' } })
    expect(String((after.provenance.server as { version: string }).version)).toMatch(/\S/)
    const rows = ws.db.prepare('SELECT status, finish_reason, latency_ms, attempts, completion_tokens FROM run_reports WHERE source_id = ?').all(run.sourceId) as Record<string, unknown>[]
    expect(rows).toHaveLength(8)
    for (const r of rows) {
      expect(r.attempts).toBeGreaterThanOrEqual(1)
      expect(r.latency_ms).toBeGreaterThan(0)
      if (r.status === 'done') expect(r.finish_reason).toBe('stop')
    }
    const states = ws.db.prepare('SELECT DISTINCT state FROM source_labels WHERE source_id = ?').pluck().all(run.sourceId) as string[]
    expect(states.length).toBeGreaterThan(0)
    for (const s of states) expect(LABEL_STATES).toContain(s)
    expect(after.reportsDone).toBeGreaterThan(0)
    expect(busiest).toBe(2)
  }, 600_000)

  it('a server killed mid-run stops the run with a clear error; resume completes exactly', async () => {
    const { ids, jobs } = setup(10)
    const run = createRun(ws.db, {
      engine: 'server',
      labelSet: 'chexpert14',
      config: { endpoint: server!.url, serverModel: server!.modelName, concurrency: 2, maxTokens: 300, maxRetries: 2, retryBaseMs: 50 },
      scope: { reportIds: ids }
    })
    const doneCount = (): number => ws.db.prepare("SELECT count(*) FROM run_reports WHERE source_id = ? AND status IN ('done','failed')").pluck().get(run.sourceId) as number
    const job = jobs.start(RUN_JOB_KIND, 'server run', { sourceId: run.sourceId })
    const deadline = Date.now() + 300_000
    while (doneCount() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const port = server!.port
    await server!.kill()
    const stopped = await jobs.wait(job.id)
    expect(stopped.status).toBe('failed')
    expect(stopped.error).toMatch(new RegExp(`server at http://127\\.0\\.0\\.1:${port}/v1 failed 3 times in a row \\(last: Could not reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`))
    const before = new Map(
      (ws.db.prepare("SELECT report_id, finished_at FROM run_reports WHERE source_id = ? AND status = 'done'").all(run.sourceId) as { report_id: number; finished_at: string }[]).map((r) => [r.report_id, r.finished_at])
    )
    expect(before.size).toBeGreaterThan(0)
    expect(before.size).toBeLessThan(10)

    server = await startLlamaServer({ binary, model, slots: 2, contextPerSlot: 4096, threads: 2, port })
    jobs.resume(job.id)
    const final = await jobs.wait(job.id)
    expect(final.status, final.error ?? '').toBe('completed')
    const rows = ws.db.prepare('SELECT report_id, finished_at FROM run_reports WHERE source_id = ? ORDER BY report_id').all(run.sourceId) as { report_id: number; finished_at: string }[]
    expect(rows.map((r) => r.report_id)).toEqual(ids)
    // Reports labelled before the crash were not sent again (their rows are untouched).
    for (const r of rows) if (before.has(r.report_id)) expect(r.finished_at).toBe(before.get(r.report_id))
    expect(getRun(ws.db, run.sourceId).reportsDone + getRun(ws.db, run.sourceId).reportsFailed).toBe(10)
  }, 900_000)
})
