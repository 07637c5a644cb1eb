// Evaluation as a job (evaluate.start): same result as evaluate.run, progress in resamples, cancel.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoreEvaluation } from '../../src/common/eval/results'
import type { CallInput, CallName, CallOutcome, CallResult } from '../../src/common/ipc/contract'
import type { JobSnapshot } from '../../src/common/types'
import { createSession, type AppSession } from '../../src/node/services/session'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function value<N extends CallName>(s: AppSession, name: N, input: CallInput<N> | Record<string, unknown>): Promise<CallResult<N>> {
  const out = (await s.call(name, input)) as CallOutcome<CallResult<N>>
  if (!out.ok) throw new Error(`${name}: ${JSON.stringify(out.error)}`)
  return out.value
}

async function open(): Promise<AppSession> {
  const dir = tempDir()
  cleanup = dir.cleanup
  session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
  seedEvalWorkspace(session.ctx.workspace.db)
  return session
}

describe('evaluation as a job', () => {
  it('returns the same evaluation as evaluate.run, with progress up to the resamples', async () => {
    const s = await open()
    const input = { pred: ['rules', 'weak'], ref: 'curated', uncertain: 'positive', resamples: 300, seed: 7 }
    const direct = await value(s, 'evaluate.run', input)
    const started = await value(s, 'evaluate.start', input)
    expect(started.kind).toBe('evaluate')
    const done: JobSnapshot = await s.ctx.jobs.wait(started.id)
    expect(done.status).toBe('completed')
    expect(done.error).toBeNull()
    expect(done.progress).toMatchObject({ done: 300, total: 300, unit: 'resamples' })
    // The job result goes through JSON (the jobs table); compare with evaluate.run's the same way.
    // The job also keeps the evaluation in the history (eval-history.test.ts) and says under which id.
    const { historyId, ...evaluation } = done.result as StoreEvaluation & { historyId: number }
    expect(historyId).toBeGreaterThan(0)
    expect(evaluation).toEqual(JSON.parse(JSON.stringify(direct)))
    expect(s.ctx.jobs.get(started.id).result).toEqual(done.result)
  })

  it('validates the input like evaluate.run and fails on an unknown source', async () => {
    const s = await open()
    const bad = await s.call('evaluate.start', { pred: [], ref: 'curated' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const started = await value(s, 'evaluate.start', { pred: ['nope'], ref: 'curated' })
    const done = await s.ctx.jobs.wait(started.id)
    expect(done.status).toBe('failed')
    expect(done.error).toBeTruthy()
  })

  it('stops when cancelled', async () => {
    const s = await open()
    const started = await value(s, 'evaluate.start', { pred: ['rules'], ref: 'curated', resamples: 100_000 })
    await value(s, 'jobs.cancel', { id: started.id })
    const done = await s.ctx.jobs.wait(started.id)
    expect(done.status).toBe('cancelled')
    expect(done.result).toBeNull()
    expect(done.progress.done).toBeLessThan(100_000)
  })

  it('stops between bootstrap resamples when cancelled mid-run', async () => {
    const s = await open()
    const started = await value(s, 'evaluate.start', { pred: ['rules', 'weak'], ref: 'curated', resamples: 100_000 })
    while (s.ctx.jobs.get(started.id).progress.done === 0) await new Promise((r) => setImmediate(r))
    await value(s, 'jobs.cancel', { id: started.id })
    const done = await s.ctx.jobs.wait(started.id)
    expect(done.status).toBe('cancelled')
    expect(done.result).toBeNull()
    expect(done.progress.done).toBeGreaterThan(0)
    expect(done.progress.done).toBeLessThan(100_000)
  })
})
