// Why a label got its state, in Chromium against the real handlers: the Detect report view explains
// the chosen label (mentions, governing trigger, hedge kept as evidence, excluded terms), the review
// screen explains the label under the cursor for an assisted set, and the label set editor adds site
// context rules (typed and imported as JSON) that change the decision. Synthetic reports only.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { DetectRun } from '../../src/common/ipc/calls/detect'
import type { LabelSetDetail } from '../../src/common/ipc/calls/labelsets'
import type { JobSnapshot } from '../../src/common/types'
import { composeReport } from '../../src/node/demo/seed'
import { createReviewSet } from '../../src/node/review/sets'
import type { Db } from '../../src/node/store/db'
import { insertReport } from '../../src/node/store/repos/reports'
import { createReviewer } from '../../src/node/store/repos/reviewers'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

const REPORTS: [string, string, string][] = [
  ['X1', 'Opacity in the right lower lobe may represent pneumonia. Bullous emphysema at the apices. Nil pneumothorax.', 'Heart size is normal.'],
  ['X2', 'No pneumothorax, pleural effusion, focal consolidation, pulmonary edema, lobar atelectasis, or cardiomegaly.', 'Normal chest.']
]

function seed(db: Db): void {
  for (const [key, findings, impression] of REPORTS) {
    const { text, sections } = composeReport(findings, impression)
    insertReport(db, { reportKey: key, externalId: key, batchId: null, text, sections, contentHash: createHash('sha256').update(text).digest('hex') })
  }
}

async function call<T>(a: AppUnderTest, name: string, input?: unknown): Promise<T> {
  const out = await a.harness.session.call(name, input)
  if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
  return out.value as T
}

async function rulesRun(a: AppUnderTest, labelSet: string): Promise<DetectRun> {
  const started = await call<{ run: DetectRun; job: JobSnapshot }>(a, 'detect.start', { engine: 'rules', labelSet, config: {}, name: `rules ${labelSet}` })
  expect((await a.harness.session.ctx.jobs.wait(started.job.id)).status).toBe('completed')
  return started.run
}

describe('explaining the rules engine', () => {
  it('Detect: explains a hedge kept as evidence and an excluded term, and the chosen label in full', async () => {
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/detect' })
    const { page } = app
    await page.getByLabel('Label set', { exact: true }).selectOption('chestxray14')
    await page.getByLabel('Run name (optional)').fill('why run')
    await page.getByRole('button', { name: 'Start run' }).click()
    const runs = page.getByRole('table', { name: 'Runs' })
    await expect.poll(() => runs.getByRole('row').filter({ hasText: 'why run' }).textContent(), { timeout: 30_000 }).toMatch(/completed/)
    await expect.poll(() => page.getByText(/hedging probable \(possible hedges are not mentioned\)/).count()).toBe(1)
    const grid = page.getByRole('table', { name: 'Labels per report' })
    await grid.locator('tbody tr').filter({ hasText: 'X1' }).click()
    const labels = page.getByRole('list', { name: 'Labels' })
    const pneumonia = labels.getByRole('button').filter({ hasText: 'Pneumonia' })
    await expect.poll(() => pneumonia.textContent()).toMatch(/Pneumonia: not mentioned/)
    await expect.poll(() => pneumonia.textContent()).toMatch(/under hedging “probable” a possible hedge is not asserted/)
    const emphysema = labels.getByRole('button').filter({ hasText: 'Emphysema' })
    await expect.poll(() => emphysema.textContent()).toMatch(/Excluded term: “Bullous emphysema” is not this finding/)
    await pneumonia.click()
    const panel = page.getByRole('region', { name: 'Explanation' })
    await expect.poll(() => panel.textContent()).toMatch(/Why Pneumonia\?/)
    await expect.poll(() => panel.textContent()).toMatch(/kept as evidence but not asserted/)
    expect(await panel.textContent()).toMatch(/may represent.*uncertainty · possible.*forward.*window 8/)
    await page.screenshot({ path: '/tmp/rules-explain-detect.png', fullPage: true })
    await emphysema.click()
    await expect.poll(() => panel.textContent()).toMatch(/Excluded terms \(not this finding\):.*Bullous emphysema/)
    // the long negated list: every item negative, the last one over the coordinated list
    await grid.locator('tbody tr').filter({ hasText: 'X2' }).click()
    const cardio = labels.getByRole('button').filter({ hasText: 'Cardiomegaly' })
    await expect.poll(() => cardio.textContent()).toMatch(/Cardiomegaly: negative/)
    await cardio.click()
    await expect.poll(() => panel.textContent()).toMatch(/over a coordinated list beyond the window/)
  })

  it('label set editor: site rules typed and imported as JSON are saved with the version and change the decision', async () => {
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/detect' })
    const { page } = app
    await page.getByRole('tab', { name: 'Label sets' }).click()
    await page.getByRole('button', { name: 'New label set' }).click()
    await page.getByLabel('Id (slug)').fill('site-nil')
    await page.getByLabel('Name', { exact: true }).fill('Site nil')
    await page.getByLabel('Label 1 name').fill('Pneumothorax')
    await page.getByRole('button', { name: 'Add rule' }).click()
    await page.getByLabel('Rule 1 phrase').fill('nil')
    await page.getByLabel('Rule 1 window').fill('lots')
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/context rule 1 \("nil"\)\.window/)
    await page.getByLabel('Rule 1 window').fill('4')
    await page.getByRole('button', { name: 'Import rules (JSON)…' }).click()
    await page.getByLabel('Rules JSON').fill('[{"phrase": "queried", "category": "uncertainty", "direction": "backward", "window": 3, "strength": "probable"}]')
    await page.getByRole('button', { name: 'Add these rules' }).click()
    await expect.poll(() => page.getByLabel('Rule 2 phrase').inputValue()).toBe('queried')
    await page.screenshot({ path: '/tmp/rules-explain-editor.png', fullPage: true })
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect.poll(() => page.getByText('Saved site-nil version 1.').count()).toBe(1)
    const saved = await call<LabelSetDetail>(app, 'labelsets.get', { ref: 'site-nil' })
    expect(saved.definition.contextRules).toEqual([
      { phrase: 'nil', category: 'negation', direction: 'forward', window: 4 },
      { phrase: 'queried', category: 'uncertainty', direction: 'backward', window: 3, strength: 'probable' }
    ])
    const run = await rulesRun(app, 'site-nil')
    const page1 = await call<{ labels: string[]; items: { reportKey: string; states: string[] }[] }>(app, 'detect.results', { sourceId: run.sourceId })
    expect(page1.items.find((i) => i.reportKey === 'X1')!.states[0]).toBe('negative')
  })

  it('Review: an assisted set explains the label under the cursor from the rules run', async () => {
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/review' })
    const run = await rulesRun(app, 'chestxray14')
    const db = app.workspace.db
    const reviewer = createReviewer(db, 'Dr Why', 'radiologist')
    const setId = createReviewSet(db, {
      name: 'why set',
      labelSet: 'chestxray14',
      sampling: { strategy: 'all', size: 10, seed: 1 },
      mode: 'assisted',
      assistSourceId: run.sourceId,
      readersPerReport: 1
    } as Parameters<typeof createReviewSet>[1]).id
    const { page } = app
    await page.goto(`${app.harness.url}/#/review`)
    await page.goto(`${app.harness.url}/#/review?set=${setId}`)
    await page.getByRole('button', { name: new RegExp(`^${reviewer.name}`) }).click()
    const why = page.locator('details.review-explain')
    await expect.poll(() => why.count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => why.textContent()).toMatch(/Why the rules run “rules chestxray14” said so/)
    await expect.poll(() => why.textContent()).toMatch(/Why Atelectasis\?/)
    await page.screenshot({ path: '/tmp/rules-explain-review.png', fullPage: true })
  })
})
