// Site context rules in a custom label set (validated, versioned, compiled with the built-ins, in the
// run's fingerprint) and `rules.explain` / `radlabel explain`, through the handler table and the real
// binary, on synthetic reports written for this test.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DetectReportResult, DetectRun } from '../../src/common/ipc/calls/detect'
import type { ExplainResult } from '../../src/common/ipc/calls/explain'
import type { LabelSetDetail } from '../../src/common/ipc/calls/labelsets'
import type { JobSnapshot } from '../../src/common/types'
import { sourceProvenance } from '../../src/node/eval/load-source'
import { importFile } from '../../src/node/import/pipeline'
import { findSource } from '../../src/node/store/repos/sources'
import { createSession, type AppSession } from '../../src/node/services/session'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir()
const dbPath = join(dir.dir, 'ws.db')
let session: AppSession
let reportId = 0

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
async function runWith(labelSet: string): Promise<DetectRun> {
  const started = await call<{ run: DetectRun; job: JobSnapshot }>('detect.start', { engine: 'rules', labelSet, config: {} })
  expect((await session.ctx.jobs.wait(started.job.id)).status).toBe('completed')
  return call<DetectRun>('detect.run', { sourceId: started.run.sourceId })
}
async function state(run: DetectRun, label: string): Promise<string> {
  const r = await call<DetectReportResult>('detect.report', { sourceId: run.sourceId, reportId })
  return r.labels.find((l) => l.label === label)!.state
}

const SITE = {
  slug: 'site-thorax',
  name: 'Site thorax',
  labels: [{ name: 'Pneumothorax' }, { name: 'Pneumonia' }, { name: 'Emphysema' }]
}

beforeAll(async () => {
  session = await createSession({ dbPath, platform: { runtime: 'node' } })
  const csv = join(dir.dir, 'reports.csv')
  writeFileSync(csv, ['id,findings,impression', 'N1,"Nil pneumothorax. Bullous emphysema at the apices.","Right lower lobe pneumonia."'].join('\n'))
  expect((await importFile(session.ctx.workspace.db, { path: csv })).added).toBe(1)
  reportId = (session.ctx.workspace.db.prepare('SELECT id FROM reports').get() as { id: number }).id
})
afterAll(async () => {
  await session.close()
  dir.cleanup()
})

describe('site context rules', () => {
  let v1: DetectRun
  let v2: DetectRun
  it('a site rule ("nil" = no, a local idiom) changes the decision, and the fingerprint changes with it', async () => {
    await call<LabelSetDetail>('labelsets.save', { definition: SITE })
    v1 = await runWith('site-thorax@1')
    expect(await state(v1, 'Pneumothorax')).toBe('positive')
    const saved = await call<LabelSetDetail>('labelsets.save', {
      definition: { ...SITE, contextRules: [{ phrase: 'nil', category: 'negation', direction: 'forward', window: 4 }] }
    })
    expect(saved.version).toBe(2)
    expect(saved.definition.contextRules).toEqual([{ phrase: 'nil', category: 'negation', direction: 'forward', window: 4 }])
    v2 = await runWith('site-thorax@2')
    expect(await state(v2, 'Pneumothorax')).toBe('negative')
    expect(await state(v2, 'Pneumonia')).toBe('positive')
    expect(v2.provenance.lexiconAndRules).not.toBe(v1.provenance.lexiconAndRules)
    expect(v2.provenance).toMatchObject({ siteContextRules: 1, hedging: 'probable' })
    // evaluation provenance (Evaluate page, HTML report) says the hedging mode in words
    const prov = sourceProvenance(session.ctx.workspace.db, findSource(session.ctx.workspace.db, v2.sourceId))
    expect(prov.details?.Hedging).toMatch(/^probable: only probable hedges .* not mentioned/)
  })

  it('refuses invalid site rules naming the rule and the field', async () => {
    const bad = await callError('labelsets.save', {
      definition: { ...SITE, contextRules: [{ phrase: 'nil', category: 'negation' }, { phrase: 'sans', category: 'negate', window: 3 }] }
    })
    expect(bad.code).toBe('invalid_input')
    expect(bad.message).toMatch(/context rule 2 \("sans"\)\.category: category must be one of negation, uncertainty/)
    const dup = await callError('labelsets.save', {
      definition: { ...SITE, contextRules: [{ phrase: 'Nil', category: 'negation' }, { phrase: 'nil', category: 'pseudo' }] }
    })
    expect(dup.message).toMatch(/context rule 2 \("nil"\)\.phrase: "nil" repeats context rule 1/)
  })

  it('rules.explain explains a run\'s report with the run\'s version, naming the site rule', async () => {
    const e = await call<ExplainResult>('rules.explain', { sourceId: v2.sourceId, reportId })
    expect(e.labelSet).toBe('site-thorax@2')
    expect(e.hedging).toBe('probable')
    const ptx = e.labels.find((l) => l.label === 'Pneumothorax')!
    expect(ptx.decision.state).toBe('negative')
    expect(ptx.mentions[0].trigger).toMatchObject({ rule: 'site.nil', site: true, category: 'negation', direction: 'forward', window: 4 })
    expect(e.labels.find((l) => l.label === 'Emphysema')!.summary).toMatch(/Excluded term: "Bullous emphysema"/)
    const old = await call<ExplainResult>('rules.explain', { sourceId: v1.sourceId, reportId })
    expect(old.labels.find((l) => l.label === 'Pneumothorax')!.decision.state).toBe('positive')
    expect(old.rules).not.toBe(e.rules)
  })

  it('rules.explain refuses a request without a label set or run, and with both text and report', async () => {
    expect((await callError('rules.explain', { text: 'No pneumothorax.' })).message).toMatch(/label set/)
    expect((await callError('rules.explain', { labelSet: 'chexpert14', text: 'x', reportId })).message).toMatch(/either a report id or the report text/)
  })
})

describe('radlabel explain', () => {
  it('explains text with a built-in label set, per label, as JSON', () => {
    const r = runCli(['explain', '--label-set', 'chexpert14', '--json', 'Pleural effusion: No. Cardiomegaly: Yes. ? Left lower lobe pneumonia.'])
    expect(r.code).toBe(0)
    const e = JSON.parse(r.stdout) as ExplainResult
    const byLabel = Object.fromEntries(e.labels.map((l) => [l.label, l]))
    expect(byLabel['Pleural Effusion'].decision.state).toBe('negative')
    expect(byLabel['Pleural Effusion'].mentions[0].trigger).toMatchObject({ category: 'negation', direction: 'backward' })
    expect(byLabel.Cardiomegaly.decision.state).toBe('positive')
    expect(byLabel.Pneumonia.decision.state).toBe('uncertain')
    expect(e.hedging).toBe('all')
  })
  it('prints the hedge kept as evidence under probable hedging, for chosen labels', () => {
    const r = runCli(['explain', '--label-set', 'chestxray14', '--label', 'Pneumonia', 'Opacity concerning for pneumonia.'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Pneumonia: not mentioned/)
    expect(r.stdout).toMatch(/kept as evidence but not asserted/)
    expect(r.stdout).toMatch(/trigger: "concerning for" uncertainty \(possible\), forward, window 8/)
    expect(r.stdout).not.toMatch(/Cardiomegaly/)
    const all = runCli(['explain', '--label-set', 'chestxray14', '--hedging', 'all', '--label', 'Pneumonia', 'Opacity concerning for pneumonia.'])
    expect(all.stdout).toMatch(/Pneumonia: uncertain/)
  })
  it('explains a stored report as a run labelled it, with the site rule', async () => {
    const source = v2Source()
    await session.close()
    const r = runCli(['explain', '--db', dbPath, '--run', String(source), '--report', 'N1', '--label', 'Pneumothorax'])
    session = await createSession({ dbPath, platform: { runtime: 'node' } })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Pneumothorax: negative/)
    expect(r.stdout).toMatch(/\[site\.nil, site rule\]/)
  })
  it('says what is missing', () => {
    const r = runCli(['explain', 'No pneumothorax.'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/--label-set/)
    const bad = runCli(['explain', '--label-set', 'nope', 'x'])
    expect(bad.stderr).toMatch(/no built-in label set "nope"/)
  })
})

function v2Source(): number {
  const row = session.ctx.workspace.db.prepare("SELECT source_id AS id FROM runs ORDER BY source_id DESC LIMIT 1").get() as { id: number }
  return row.id
}
