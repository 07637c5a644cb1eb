// The labelsets and detect services through the handler table (as the UI calls them), in process,
// on synthetic reports written for this test.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DetectReportResult, DetectResultsPage, DetectRun } from '../../src/common/ipc/calls/detect'
import type { LabelSetDetail, LabelSetSummary } from '../../src/common/ipc/calls/labelsets'
import type { JobSnapshot } from '../../src/common/types'
import { importFile } from '../../src/node/import/pipeline'
import { createSession, type AppSession } from '../../src/node/services/session'
import { tempDir } from '../support/workspace'

const dir = tempDir()
let session: AppSession

async function call<T>(name: string, input?: unknown): Promise<T> {
  const out = await session.call(name, input)
  if (!out.ok) throw new Error(`${name}: ${out.error.message} ${out.error.hint ?? ''}`)
  return out.value as T
}
async function callError(name: string, input?: unknown): Promise<{ code: string; message: string }> {
  const out = await session.call(name, input)
  if (out.ok) throw new Error(`${name} should have failed`)
  return out.error
}

beforeAll(async () => {
  session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
  const csv = join(dir.dir, 'reports.csv')
  writeFileSync(
    csv,
    [
      'id,findings,impression',
      'S1,"Small right pleural effusion. No pneumothorax.","Effusion."',
      'S2,"Lungs are clear.","Normal chest."',
      'S3,"Heart is mildly enlarged. Opacity may represent atelectasis.","Cardiomegaly."'
    ].join('\n')
  )
  const res = await importFile(session.ctx.workspace.db, { path: csv })
  expect(res.added).toBe(3)
})
afterAll(async () => {
  await session.close()
  dir.cleanup()
})

describe('labelsets service', () => {
  it('lists the built-ins, seeded on open', async () => {
    const list = await call<LabelSetSummary[]>('labelsets.list')
    expect(list.filter((s) => s.builtin).map((s) => s.slug).sort()).toEqual(['chestxray14', 'chexpert14'])
  })
  it('saves a custom set; an edit is a new version; an unchanged save is not', async () => {
    const def = { slug: 'site-x', name: 'Site X', labels: [{ name: 'Effusion' }, { name: 'Granuloma', terms: ['granuloma[s]'] }] }
    const v1 = await call<LabelSetDetail>('labelsets.save', { definition: def })
    expect(v1.version).toBe(1)
    const same = await call<LabelSetDetail>('labelsets.save', { definition: def })
    expect(same.id).toBe(v1.id)
    const v2 = await call<LabelSetDetail>('labelsets.save', { definition: { ...def, name: 'Site X (edited)' } })
    expect(v2.version).toBe(2)
    expect(v2.versions.map((v) => v.version)).toEqual([2, 1])
    const old = await call<LabelSetDetail>('labelsets.get', { ref: 'site-x@1' })
    expect(old).toMatchObject({ name: 'Site X', latest: false })
  })
  it('refuses built-in slugs and invalid definitions with readable errors', async () => {
    const builtin = await callError('labelsets.save', { definition: { slug: 'chexpert14', name: 'x', labels: [{ name: 'A' }] } })
    expect(builtin.code).toBe('conflict')
    const invalid = await callError('labelsets.save', { definition: { slug: 'ok-slug', name: 'x', labels: [] } })
    expect(invalid.code).toBe('invalid_input')
    expect(invalid.message).toMatch(/labels: a label set needs at least one label/)
    const missing = await callError('labelsets.importFile', { path: join(dir.dir, 'nope.json') })
    expect(missing.message).toMatch(/no such file/)
  })
})

describe('detect service (rules engine)', () => {
  let run: DetectRun
  it('lists the rules engine', async () => {
    const engines = await call<{ name: string }[]>('detect.engines')
    expect(engines.map((e) => e.name)).toContain('rules')
  })
  it('starts a run as a job and records the label-set version and settings', async () => {
    const started = await call<{ run: DetectRun; job: JobSnapshot }>('detect.start', {
      engine: 'rules',
      labelSet: 'chexpert14',
      config: { scope: 'findings_impression' },
      name: 'rules run'
    })
    const final = await session.ctx.jobs.wait(started.job.id)
    expect(final.status).toBe('completed')
    run = await call<DetectRun>('detect.run', { sourceId: started.run.sourceId })
    expect(run).toMatchObject({ status: 'completed', reportsDone: 3, labelSetSlug: 'chexpert14', labelSetVersion: 1 })
    expect(run.provenance).toMatchObject({ engine: 'rules', hedging: 'all' })
    expect((await call<DetectRun[]>('detect.runs')).map((r) => r.name)).toContain('rules run')
  })
  it('pages results with one state per label, filterable by label and state', async () => {
    const page = await call<DetectResultsPage>('detect.results', { sourceId: run.sourceId })
    expect(page.total).toBe(3)
    const eff = page.labels.indexOf('Pleural Effusion')
    expect(page.items.map((i) => i.states[eff])).toEqual(['positive', 'not_mentioned', 'not_mentioned'])
    const cardio = await call<DetectResultsPage>('detect.results', { sourceId: run.sourceId, label: 'Cardiomegaly', state: 'asserted' })
    expect(cardio.items.map((i) => i.reportKey)).toEqual(['S3'])
    const bad = await callError('detect.results', { sourceId: run.sourceId, label: 'Nope' })
    expect(bad.message).toMatch(/no label "Nope"/)
  })
  it('shows one report with evidence offsets into its text and the deciding rules', async () => {
    const page = await call<DetectResultsPage>('detect.results', { sourceId: run.sourceId, search: 'S3' })
    const r = await call<DetectReportResult>('detect.report', { sourceId: run.sourceId, reportId: page.items[0].reportId })
    const atel = r.labels.find((l) => l.label === 'Atelectasis')!
    expect(atel.state).toBe('uncertain')
    expect(atel.rule).toBe('unc.possible.may-represent')
    for (const l of r.labels) for (const e of l.evidence) expect(r.text.slice(e.start, e.end)).toBe(e.text)
    expect(r.labels.find((l) => l.label === 'No Finding')!.state).toBe('negative')
  })
  it('refuses an unknown engine and invalid settings before starting', async () => {
    expect((await callError('detect.start', { engine: 'nope', labelSet: 'chexpert14' })).message).toMatch(/Unknown engine "nope"/)
    const bad = await callError('detect.start', { engine: 'rules', labelSet: 'chexpert14', config: { scope: 'everything' } })
    expect(bad.code).toBe('invalid_input')
    expect(bad.message).toMatch(/scope/)
  })
})
