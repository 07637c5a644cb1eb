// The generic run driver and the job mechanism, exercised with a small engine defined here.
import { z } from 'zod'
import { afterEach, describe, expect, it } from 'vitest'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { registerEngine } from '../../src/node/engines/registry'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import type { Engine, EngineReport } from '../../src/node/engines/types'
import { insertReport } from '../../src/node/store/repos/reports'
import { labelsOfReport } from '../../src/node/store/repos/sources'
import type { JobSnapshot } from '../../src/common/types'
import { expectAppError } from '../support/errors'
import { tempWorkspace } from '../support/workspace'

const seen: number[] = []
let gate: Promise<void> | null = null

/** Marks "Cardiomegaly" positive when the text says "enlarged", fails on reports containing FAIL. */
const keywordEngine: Engine = {
  name: 'keyword-test',
  configSchema: z.object({ word: z.string().default('enlarged') }).strict(),
  batchSize: () => 2,
  async open(config) {
    const { word } = config as { word: string }
    return {
      provenance: { keyword: word },
      async label(batch: EngineReport[]) {
        if (gate) await gate
        return batch.map((r) => {
          seen.push(r.id)
          if (r.text.includes('FAIL')) return { reportId: r.id, ok: false as const, error: 'could not parse' }
          const at = r.text.indexOf(word)
          return {
            reportId: r.id,
            ok: true as const,
            decisions: [
              at >= 0
                ? { label: 'Cardiomegaly', state: 'positive' as const, evidence: [{ start: at, end: at + word.length, text: word }], rule: 'keyword' }
                : { label: 'Cardiomegaly', state: 'not_mentioned' as const, evidence: [] }
            ],
            promptTokens: 3,
            completionTokens: 2
          }
        })
      },
      async close() {}
    }
  }
}
registerEngine(keywordEngine)

const cleanups: (() => void)[] = []
afterEach(() => {
  gate = null
  seen.length = 0
  while (cleanups.length) cleanups.pop()!()
})

function setup(texts: string[]) {
  const ws = tempWorkspace()
  cleanups.push(ws.cleanup)
  const ids = texts.map((text, i) =>
    insertReport(ws.db, { reportKey: `R${i}`, externalId: `R${i}`, batchId: null, text, contentHash: String(i), sections: [{ name: 'whole', start: 0, end: text.length }] })
  )
  const updates: JobSnapshot[] = []
  const jobs = new JobManager(ws, (j) => updates.push(j))
  registerJobKinds(jobs)
  return { ws, ids, jobs, updates }
}

describe('engine runs', () => {
  it('labels every report, stores evidence, records per-report failures, counts tokens and provenance', async () => {
    const { ws, ids, jobs, updates } = setup(['Heart is enlarged.', 'Normal heart.', 'FAIL here', 'Mildly enlarged heart.', 'Clear.'])
    const run = createRun(ws.db, { engine: 'keyword-test', labelSet: 'chexpert14', config: {} })
    expect(run.status).toBe('queued')
    expect(run.reportsTotal).toBe(5)
    const job = jobs.start(RUN_JOB_KIND, 'test run', { sourceId: run.sourceId })
    const final = await jobs.wait(job.id)
    expect(final.status).toBe('completed') // finished; the one failure is recorded, not fatal
    const after = getRun(ws.db, run.sourceId)
    expect(after).toMatchObject({ reportsDone: 4, reportsFailed: 1, promptTokens: 12, completionTokens: 8 })
    expect(after.provenance).toMatchObject({ keyword: 'enlarged', engine: 'keyword-test', labelSet: { slug: 'chexpert14', version: 1 } })
    const labels = labelsOfReport(ws.db, run.sourceId, ids[0])
    expect(labels).toEqual([{ labelId: expect.any(Number), label: 'Cardiomegaly', state: 'positive', evidence: [{ start: 9, end: 17, text: 'enlarged' }], rule: 'keyword' }])
    expect(ws.db.prepare("SELECT error FROM run_reports WHERE status = 'failed'").pluck().all()).toEqual(['could not parse'])
    expect(updates.some((u) => u.status === 'running' && u.progress.unit === 'reports')).toBe(true)

    // Re-running only the failed report, after fixing it, completes the run without touching the others.
    ws.db.prepare('UPDATE reports SET text = ? WHERE id = ?').run('now fine', ids[2])
    seen.length = 0
    const rerun = jobs.start(RUN_JOB_KIND, 'rerun failed', { sourceId: run.sourceId, onlyFailed: true })
    expect((await jobs.wait(rerun.id)).status).toBe('completed')
    expect(seen).toEqual([ids[2]])
    expect(getRun(ws.db, run.sourceId)).toMatchObject({ status: 'completed', reportsDone: 5, reportsFailed: 0 })
  })

  it('cancels between chunks and resumes with no duplicates and no gaps', async () => {
    const texts = Array.from({ length: 9 }, (_, i) => (i % 2 ? `enlarged ${i}` : `normal ${i}`))
    const { ws, ids, jobs } = setup(texts)
    const run = createRun(ws.db, { engine: 'keyword-test', labelSet: 'chexpert14', config: {} })
    let release!: () => void
    gate = new Promise((r) => (release = r))
    const job = jobs.start(RUN_JOB_KIND, 'run', { sourceId: run.sourceId })
    jobs.pause(job.id)
    release()
    const stopped = await jobs.wait(job.id)
    expect(stopped.status).toBe('paused')
    const run1 = getRun(ws.db, run.sourceId)
    expect(run1.status).toBe('paused')
    expect(run1.reportsDone).toBeLessThan(9)
    gate = null
    jobs.resume(job.id)
    expect((await jobs.wait(job.id)).status).toBe('completed')
    const counts = ws.db.prepare('SELECT report_id, count(*) AS n FROM run_reports WHERE source_id = ? GROUP BY report_id').all(run.sourceId) as { report_id: number; n: number }[]
    expect(counts.map((c) => c.report_id)).toEqual(ids)
    expect(counts.every((c) => c.n === 1)).toBe(true)
    expect(new Set(seen).size).toBe(9)
  })

  it('refuses bad engine settings and empty workspaces with clear errors', () => {
    const { ws } = setup(['x'])
    expectAppError(() => createRun(ws.db, { engine: 'keyword-test', labelSet: 'chexpert14', config: { word: 5 } }), { code: 'invalid_input', message: /^The word must be a string\.$/ })
    expectAppError(() => createRun(ws.db, { engine: 'nope', labelSet: 'chexpert14', config: {} }), { code: 'not_found', hint: /keyword-test/ })
    const empty = setup([])
    expectAppError(() => createRun(empty.ws.db, { engine: 'keyword-test', labelSet: 'chexpert14', config: {} }), { message: /no reports/, hint: /Import reports/ })
  })
})
