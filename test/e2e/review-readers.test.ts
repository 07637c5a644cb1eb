// Review, as a radiologist walking the loop: switching reviewer starts the next reader at their own
// first report, adjudicators are not offered reading a double-read set, each reader's progress shows in
// the list, the disagreement rule is visible, the finder follows the chosen source's label set, and kappa
// never shows a bare "undefined".
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { complete, decide } from '../../src/node/review/decisions'
import { createReviewSet } from '../../src/node/review/sets'
import { seedSynthetic } from '../../src/node/review/synthetic'
import type { Db } from '../../src/node/store/db'
import { findLabelSet } from '../../src/node/store/repos/labelSets'
import { createReviewer } from '../../src/node/store/repos/reviewers'
import { createSource, writeSourceLabels } from '../../src/node/store/repos/sources'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

interface Seeded {
  setId: number
  items: number[]
  ids: Record<string, number>
}

function seed(db: Db): Seeded {
  seedSynthetic(db, 30, 5)
  const ids = {
    Ann: createReviewer(db, 'Ann', 'radiologist').id,
    Bob: createReviewer(db, 'Bob', 'resident').id,
    Cat: createReviewer(db, 'Cat', 'adjudicator').id
  }
  const set = createReviewSet(db, { name: 'double QA', labelSet: 'chexpert14', sampling: { strategy: 'all', size: 5, seed: 1 }, mode: 'blinded', readersPerReport: 2 })
  const items = db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all(set.id) as number[]
  const cardiomegaly = findLabelSet(db, 'chexpert14').labels.find((l) => l.name === 'Cardiomegaly')!.id
  // Ann completes the first two reports; Bob the first one, with the same answers (kappa undefined: one state)
  for (const [who, n] of [['Ann', 2], ['Bob', 1]] as const) {
    for (const reportId of items.slice(0, n)) {
      decide(db, { setId: set.id, reportId, reviewerId: ids[who], role: 'reader', labelId: cardiomegaly, state: 'positive' })
      complete(db, { setId: set.id, reportId, reviewerId: ids[who], role: 'reader' })
    }
  }
  // a ChestX-ray14 source for the finder
  const cx = findLabelSet(db, 'chestxray14')
  const source = createSource(db, { name: 'cxr14 run', kind: 'run', labelSetId: cx.id })
  writeSourceLabels(db, source, [{ reportId: items[0], labelId: cx.labels.find((l) => l.name === 'Infiltration')!.id, state: 'positive' }])
  return { setId: set.id, items, ids }
}

async function chooseReviewer(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click()
  await expect.poll(() => page.getByText('Reviewing as').count()).toBeGreaterThan(0)
}

describe('review sets, readers and adjudicators in Chromium', () => {
  it("switching reviewer opens the next reader's own first report; progress per reader in the list", async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db)), hash: '/review' })
    const { page } = app
    await chooseReviewer(page, 'Ann')
    const list = page.getByRole('table', { name: 'Review sets' })
    await expect.poll(() => page.getByRole('list', { name: 'Readers of double QA' }).textContent()).toMatch(/Ann: 2 of 5 done.*Bob: 1 of 5 done/)
    await page.screenshot({ path: '/tmp/ui-review-sets.png', fullPage: true })
    await list.getByRole('link', { name: 'Read double QA' }).click()
    await expect.poll(() => page.locator('.review-top').textContent()).toContain('Report 3 of 5')
    expect(page.url()).toContain(`report=${s.items[2]}`)
    await page.getByRole('button', { name: 'Switch reviewer' }).click()
    expect(page.url()).not.toContain('report=')
    await chooseReviewer(page, 'Bob')
    // Bob has done report 1 only: he starts at report 2, not at Ann's report 3
    await expect.poll(() => page.locator('.review-top').textContent()).toContain('Report 2 of 5')
    expect(page.url()).toContain(`report=${s.items[1]}`)
  })

  it('an adjudicator is offered Adjudicate, not Read, and a Read link does not make them a reader', async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db)), hash: '/review' })
    const { page, harness, workspace } = app
    await chooseReviewer(page, 'Cat')
    const list = page.getByRole('table', { name: 'Review sets' })
    await expect.poll(() => list.getByRole('link', { name: 'Adjudicate double QA' }).count()).toBe(1)
    expect(await list.getByRole('link', { name: 'Read double QA' }).count()).toBe(0)
    await page.goto(`${harness.url}/#/review?set=${s.setId}`)
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/Cat adjudicates “double QA”/)
    await page.keyboard.press('p')
    expect(workspace.db.prepare('SELECT count(*) FROM review_decisions WHERE reviewer_id = ?').pluck().get(s.ids.Cat)).toBe(0)
    await page.getByRole('link', { name: 'Adjudicate this set' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Review · adjudication')
  })

  it('kappa says why it is missing; the disagreement rule is shown and chosen; the finder lists the source’s labels', async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db)), hash: '/review', colorScheme: 'dark' })
    const { page, harness } = app
    await page.goto(`${harness.url}/#/review?set=${s.setId}&view=agreement`)
    const table = page.getByRole('table', { name: 'Agreement per label' })
    await expect.poll(() => table.locator('tr', { hasText: 'Cardiomegaly' }).first().textContent()).toContain('n/a — all one state')
    expect(await table.textContent()).not.toContain('undefined')
    await page.screenshot({ path: '/tmp/ui-review-agreement.png', fullPage: true })

    await page.goto(`${harness.url}/#/review`)
    await chooseReviewer(page, 'Ann')
    const form = page.getByRole('form', { name: 'New review set' })
    await form.getByLabel('Sampling').selectOption('disagreement')
    const rule = form.getByLabel('Counts as a disagreement on a label')
    expect(await rule.inputValue()).toBe('presence')
    expect(await rule.locator('option:checked').textContent()).toBe('one source positive or uncertain, the other negative or not mentioned')
    await rule.selectOption('positive')
    const sourceId = (name: string): string => String(app!.workspace.db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name))
    await form.getByLabel('Compare source').selectOption(sourceId('synthetic A'))
    await form.getByLabel('with source').selectOption(sourceId('synthetic B'))
    await form.getByLabel('Name').fill('disagreements')
    await form.getByLabel('Size').fill('4')
    await page.screenshot({ path: '/tmp/ui-review-newset.png', fullPage: true })
    await form.getByRole('button', { name: 'Create review set' }).click()
    await expect.poll(() => page.url()).toContain('report=')
    const sampling = JSON.parse(app.workspace.db.prepare("SELECT sampling_json FROM review_sets WHERE name = 'disagreements'").pluck().get() as string)
    expect(sampling.disagreementRule).toBe('positive')

    await page.goto(`${harness.url}/#/review?view=find`)
    const finder = page.getByRole('form', { name: 'Find reports' })
    await finder.getByLabel('Source').selectOption(sourceId('cxr14 run'))
    await expect.poll(() => finder.getByLabel('Label').locator('option').allTextContents()).toContain('Infiltration')
    expect(await finder.getByLabel('Label').locator('option').allTextContents()).not.toContain('Lung Opacity')
  })
})
