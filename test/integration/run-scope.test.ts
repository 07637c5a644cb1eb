// Steerable runs: scoping a run in the generic driver (first N, seeded sample, review set, reports
// another source has not labelled, a list of report ids), the probe's estimate, per-report progress
// with rates, and the CLI flags for all of them. Real rules engine, real store, synthetic reports.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadEngines } from '../../src/node/engines/all'
import { probeRun, spread } from '../../src/node/engines/probe'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import { resolveScope } from '../../src/node/engines/scope'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { createReviewSet } from '../../src/node/review/sets'
import { insertReport } from '../../src/node/store/repos/reports'
import { writeSourceLabels } from '../../src/node/store/repos/sources'
import { createReviewer } from '../../src/node/store/repos/reviewers'
import type { JobSnapshot } from '../../src/common/types'
import { runCli } from '../support/cli'
import { expectAppError } from '../support/errors'
import { tempWorkspace } from '../support/workspace'

await loadEngines()

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

const TEXTS = ['Heart is enlarged.', 'Lungs are clear.', 'Small left pleural effusion.', 'No pneumothorax.', 'Possible pneumonia.']

function setup(n = 20) {
  const ws = tempWorkspace()
  cleanups.push(ws.cleanup)
  const ids = Array.from({ length: n }, (_, i) => {
    const text = `FINDINGS: ${TEXTS[i % TEXTS.length]} Report ${i}.`
    return insertReport(ws.db, { reportKey: `ACC${String(i).padStart(3, '0')}`, externalId: null, batchId: null, text, contentHash: `h${i}`, sections: [] })
  })
  const updates: JobSnapshot[] = []
  const jobs = new JobManager(ws, (j) => updates.push(structuredClone(j)))
  registerJobKinds(jobs)
  return { ws, ids, jobs, updates }
}

async function runToEnd(s: ReturnType<typeof setup>, scope: Parameters<typeof createRun>[1]['scope']) {
  const run = createRun(s.ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, scope })
  const job = s.jobs.start(RUN_JOB_KIND, 'run', { sourceId: run.sourceId })
  expect((await s.jobs.wait(job.id)).status).toBe('completed')
  const labelled = s.ws.db.prepare("SELECT report_id FROM run_reports WHERE source_id = ? AND status = 'done' ORDER BY report_id").pluck().all(run.sourceId) as number[]
  return { run: getRun(s.ws.db, run.sourceId), labelled }
}

describe('run scope', () => {
  it('labels only the first N reports', async () => {
    const s = setup()
    const { run, labelled } = await runToEnd(s, { limit: 5 })
    expect(run).toMatchObject({ reportsTotal: 5, reportsDone: 5, status: 'completed' })
    expect(labelled).toEqual(s.ids.slice(0, 5))
    expect(run.scope).toMatchObject({ limit: 5, frozen: true, chosen: 5 })
  })

  it('samples N reports reproducibly from a seed; another seed gives another sample', async () => {
    const s = setup(50)
    const a = await runToEnd(s, { sample: { size: 8, seed: 3 } })
    const b = await runToEnd(s, { sample: { size: 8, seed: 3 } })
    const c = await runToEnd(s, { sample: { size: 8, seed: 4 } })
    expect(a.labelled).toHaveLength(8)
    expect(b.labelled).toEqual(a.labelled)
    expect(c.labelled).not.toEqual(a.labelled)
    expect(a.labelled.every((id) => s.ids.includes(id))).toBe(true)
    // a sample larger than the scope takes the whole scope
    expect(resolveScope(s.ws.db, { sample: { size: 500, seed: 1 } }).total).toBe(50)
  })

  it('labels a review set, the reports another source has not labelled, and a list of report keys', async () => {
    const s = setup(30)
    const reviewer = createReviewer(s.ws.db, 'Dr Test', 'radiologist')
    const set = createReviewSet(s.ws.db, {
      name: 'QA sample',
      labelSet: 'chexpert14',
      sampling: { strategy: 'random', size: 6, seed: 9 },
      mode: 'blinded',
      readersPerReport: 1,
      reviewerId: reviewer.id
    })
    const inSet = s.ws.db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY report_id').pluck().all(set.id) as number[]
    const bySet = await runToEnd(s, { reviewSet: 'QA sample' })
    expect(bySet.labelled).toEqual(inSet)
    expect(bySet.run.scope).toMatchObject({ reviewSet: set.id, reviewSetName: 'QA sample' })

    // the first run labelled the 6 set reports: "not labelled by it" is the other 24, then first 4 of those
    const rest = await runToEnd(s, { unlabelledBy: bySet.run.name, limit: 4 })
    expect(rest.labelled).toEqual(s.ids.filter((id) => !inSet.includes(id)).slice(0, 4))

    const listed = await runToEnd(s, { reportKeys: ['ACC007', 'ACC003', 'ACC007'] })
    expect(listed.labelled).toEqual([s.ids[3], s.ids[7]])
    expect(listed.run.scope).toMatchObject({ reportKeysGiven: 2, chosen: 2 })
    expect(listed.run.scope).not.toHaveProperty('reportKeys') // long lists live in run_scope_reports, not in scope_json
  })

  it('fixes the chosen reports when the run is created: later labels elsewhere do not change them', async () => {
    const s = setup(10)
    const a = await runToEnd(s, { limit: 3 })
    const b = createRun(s.ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, scope: { unlabelledBy: a.run.sourceId } })
    expect(b.reportsTotal).toBe(7)
    // source A now labels two more reports; B still labels the 7 it was created with
    const labelId = s.ws.db.prepare("SELECT id FROM labels WHERE name = 'Edema' AND label_set_id = ?").pluck().get(a.run.labelSetId) as number
    writeSourceLabels(s.ws.db, a.run.sourceId, [s.ids[5], s.ids[6]].map((reportId) => ({ reportId, labelId, state: 'negative' as const })))
    const job = s.jobs.start(RUN_JOB_KIND, 'b', { sourceId: b.sourceId })
    expect((await s.jobs.wait(job.id)).status).toBe('completed')
    expect(s.ws.db.prepare('SELECT report_id FROM run_reports WHERE source_id = ? ORDER BY report_id').pluck().all(b.sourceId)).toEqual(s.ids.slice(3))
  })

  it('refuses a bad scope with what to change', () => {
    const s = setup(5)
    const create = (scope: Parameters<typeof createRun>[1]['scope']) => createRun(s.ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, scope })
    expectAppError(() => create({ reportKeys: ['ACC001', 'NOPE-1', 'NOPE-2'] }), { code: 'invalid_input', message: /2 of 3 report ids are not in this workspace: NOPE-1, NOPE-2/ })
    expectAppError(() => create({ limit: 2, sample: { size: 2, seed: 1 } }), { code: 'invalid_input', message: /either the first N/ })
    expectAppError(() => create({ reviewSet: 'missing' }), { code: 'not_found', message: /no review set "missing"/ })
    expectAppError(() => create({ unlabelledBy: 'missing' }), { code: 'not_found', message: /no label source "missing"/ })
    expectAppError(() => create({ limit: 0 }), { code: 'invalid_input' })
  })
})

describe('run progress and probe', () => {
  it('reports progress per chunk with reports/s, an ETA and the error count', async () => {
    const s = setup(600)
    await runToEnd(s, {})
    const running = s.updates.filter((u) => u.kind === RUN_JOB_KIND && u.status === 'running' && u.progress.done > 0)
    expect(running.length).toBeGreaterThan(0)
    const last = s.updates.filter((u) => u.kind === RUN_JOB_KIND).at(-1)!
    expect(last.progress).toMatchObject({ done: 600, total: 600, unit: 'reports', counters: { failed: 0 } })
    expect(last.progress.rate).toBeGreaterThan(0)
  })

  it('probes a few reports spread over the scope without storing anything, and estimates the run', async () => {
    const s = setup(40)
    const before = s.ws.db.prepare('SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM run_reports)').pluck().get()
    const estimate = await probeRun(s.ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, scope: { limit: 30 }, reports: 3 }, { signal: new AbortController().signal })
    expect(estimate).toMatchObject({ total: 30, probed: 3, failed: 0, errors: [] })
    expect(estimate.reportsPerSecond).toBeGreaterThan(0)
    expect(estimate.estimateSeconds).toBeCloseTo(estimate.openSeconds + 30 / estimate.reportsPerSecond, 1)
    expect(s.ws.db.prepare('SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM run_reports)').pluck().get()).toBe(before)
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3)).toEqual([2, 6, 9])
  })
})

describe('radlabel detect: scope and probe flags', () => {
  it('scopes runs from flags, reads --ids from a file, probes, and refuses bad combinations', () => {
    const s = setup(12)
    const db = s.ws.path
    s.ws.close()
    const first = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--limit', '4', '--json'])
    expect(first.code, first.stderr).toBe(0)
    expect(JSON.parse(first.stdout).run).toMatchObject({ reportsTotal: 4, reportsDone: 4 })
    expect(first.stderr).toContain('Scope: first 4 of all reports.')
    const idsFile = join(s.ws.dir, 'ids.txt')
    writeFileSync(idsFile, '# reports to redo\nACC010\n\nACC011\n')
    const fromFile = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--ids', idsFile, '--json'])
    expect(fromFile.code, fromFile.stderr).toBe(0)
    expect(JSON.parse(fromFile.stdout).run.reportsTotal).toBe(2)
    const rest = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--unlabelled-by', JSON.parse(first.stdout).run.name, '--sample', '3', '--seed', '5', '--json'])
    expect(rest.code, rest.stderr).toBe(0)
    expect(JSON.parse(rest.stdout).run).toMatchObject({ reportsTotal: 3, scope: { sample: { size: 3, seed: 5 } } })
    const probe = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--probe', '3', '--json'])
    expect(probe.code, probe.stderr).toBe(0)
    expect(JSON.parse(probe.stdout).probe).toMatchObject({ total: 12, probed: 3, failed: 0 })
    const probeText = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--probe', '2', '--limit', '10'])
    expect(probeText.stdout).toMatch(/Estimate for all 10 report\(s\) in scope: about \d+ s\./)
    const bad = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--limit', '2', '--sample', '2'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--limit and --sample cannot be combined')
    const badIds = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--ids', 'ACC001,ZZZ'])
    expect(badIds.stderr).toContain('1 of 2 report ids are not in this workspace: ZZZ')
  }, 60_000)
})
