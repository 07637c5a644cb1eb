// Deleting a label source: the plan shown before confirming, chunked transactional deletion, the audit
// record, refusal while a run is running, and an interrupted deletion finished on the next open.
import { afterEach, describe, expect, it } from 'vitest'
import { loadEngines } from '../../src/node/engines/all'
import { createRun, listRuns, RUN_JOB_KIND } from '../../src/node/engines/run'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { createSession } from '../../src/node/services/session'
import { deleteSource, deletionPlan } from '../../src/node/sources/delete'
import { openWorkspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'
import { listAudit } from '../../src/node/store/repos/audit'
import { insertReport } from '../../src/node/store/repos/reports'
import { findSource, listSources } from '../../src/node/store/repos/sources'
import { runCli } from '../support/cli'
import { expectAppError } from '../support/errors'
import { tempWorkspace } from '../support/workspace'

await loadEngines()

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

async function workspaceWithRun(n = 40) {
  const ws = tempWorkspace()
  cleanups.push(ws.cleanup)
  for (let i = 0; i < n; i++) {
    const text = `FINDINGS: ${i % 2 ? 'Heart is enlarged.' : 'Lungs are clear.'} Note ${i}.`
    insertReport(ws.db, { reportKey: `K${i}`, externalId: null, batchId: null, text, contentHash: `h${i}`, sections: [] })
  }
  const jobs = new JobManager(ws, () => {})
  registerJobKinds(jobs)
  const run = createRun(ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {}, scope: { limit: n } })
  expect((await jobs.wait(jobs.start(RUN_JOB_KIND, 'run', { sourceId: run.sourceId }).id)).status).toBe('completed')
  const rows = (table: string): number => ws.db.prepare(`SELECT count(*) FROM ${table} WHERE source_id = ?`).pluck().get(run.sourceId) as number
  return { ws, jobs, run, rows }
}

describe('deleting a source', () => {
  it('shows what goes, deletes in chunks, keeps the audit record, and leaves no rows behind', async () => {
    const { ws, run, rows } = await workspaceWithRun(40)
    const plan = deletionPlan(ws.db, run.name)
    expect(plan).toMatchObject({ id: run.sourceId, kind: 'run', reports: 40, labels: 40 * 14, run: { engine: 'rules', status: 'completed' }, blocked: null })
    let chunks = 0
    await deleteSource(ws.db, run.sourceId, { actor: 'tester', chunkRows: 100, onProgress: () => chunks++, between: async () => {} })
    expect(chunks).toBeGreaterThan(5) // 560 label rows in chunks of about 100
    for (const t of ['source_labels', 'run_reports', 'run_scope_reports', 'findings']) expect(rows(t), t).toBe(0)
    expect(ws.db.prepare('SELECT count(*) FROM sources WHERE id = ?').pluck().get(run.sourceId)).toBe(0)
    expect(ws.db.prepare('SELECT count(*) FROM runs WHERE source_id = ?').pluck().get(run.sourceId)).toBe(0)
    expect(listRuns(ws.db)).toEqual([])
    const audit = listAudit(ws.db, 10, 'source')
    expect(audit.map((a) => a.action)).toEqual(['source.deleted', 'source.delete'])
    expect(audit[1]).toMatchObject({ actor: 'tester', entityId: String(run.sourceId), details: { name: run.name, labels: 560, config: {}, scope: { limit: 40 } } })
    expectAppError(() => deletionPlan(ws.db, run.sourceId), { code: 'not_found' })
  })

  it('refuses while the run is running, and warns about review sets that use the source', async () => {
    const { ws, run } = await workspaceWithRun(4)
    ws.db.prepare("UPDATE runs SET status = 'running' WHERE source_id = ?").run(run.sourceId)
    expect(deletionPlan(ws.db, run.sourceId).blocked).toMatch(/running: cancel or pause it first/)
    await expect(deleteSource(ws.db, run.sourceId, { actor: 't' })).rejects.toMatchObject({ code: 'conflict' })
    expect(findSource(ws.db, run.sourceId).id).toBe(run.sourceId)
  })

  it('hides a source at once and finishes an interrupted deletion on the next open', async () => {
    const { ws, run, rows } = await workspaceWithRun(10)
    // what the first transaction of a deletion leaves when the process dies right after it
    ws.db.prepare("UPDATE sources SET deleting_since = '2026-01-01T00:00:00Z' WHERE id = ?").run(run.sourceId)
    expect(listSources(ws.db).map((s) => s.id)).not.toContain(run.sourceId)
    expect(rows('source_labels')).toBe(140)
    const path = ws.path
    ws.close()
    const again = openWorkspace(path)
    prepareWorkspace(again)
    expect(again.db.prepare('SELECT count(*) FROM source_labels').pluck().get()).toBe(0)
    expect(again.db.prepare('SELECT count(*) FROM sources WHERE id = ?').pluck().get(run.sourceId)).toBe(0)
    again.close()
  })

  it('through IPC needs confirm: true, and through the CLI needs --yes', async () => {
    const { ws, run } = await workspaceWithRun(6)
    const path = ws.path
    ws.close()
    const session = await createSession({ dbPath: path, platform: { runtime: 'node' } })
    const unconfirmed = await session.call('sources.delete', { id: run.sourceId })
    expect(unconfirmed).toMatchObject({ ok: false, error: { code: 'invalid_input', message: /needs confirmation/ } })
    const plan = await session.call('sources.deletionPlan', { id: run.sourceId })
    expect(plan).toMatchObject({ ok: true, value: { reports: 6 } })
    await session.close()

    const dry = runCli(['sources', 'delete', String(run.sourceId), '--db', path])
    expect(dry.code).toBe(2)
    expect(dry.stdout).toContain('Nothing was deleted. To delete it: radlabel sources delete')
    const done = runCli(['sources', 'delete', run.name, '--db', path, '--yes', '--json'])
    expect(done.code, done.stderr).toBe(0)
    expect(JSON.parse(done.stdout)).toMatchObject({ deleted: true, plan: { id: run.sourceId, labels: 84 } })
    const missing = runCli(['sources', 'delete', run.name, '--db', path, '--yes'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('There is no label source')
  }, 60_000)
})
