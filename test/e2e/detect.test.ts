// The Detect page in Chromium against the real handlers: run the rules engine, follow it, open a
// report and see the evidence and deciding rule; create a custom label set (a new version on edit).
import { describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

describe('Detect page', () => {
  it('says what to do when there are no reports', async () => {
    app = await openApp({ hash: '/detect' })
    await expect.poll(() => app!.page.getByText('No reports to label yet').count()).toBe(1)
  })

  it('runs the rules engine and shows results, evidence and the deciding rule', async () => {
    app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/detect' })
    const { page } = app
    await page.getByLabel('Label set', { exact: true }).selectOption('chexpert14')
    await page.getByLabel('Run name (optional)').fill('e2e rules')
    await page.getByRole('button', { name: 'Start run' }).click()
    const runs = page.getByRole('table', { name: 'Runs' })
    await expect.poll(() => runs.getByRole('row').filter({ hasText: 'e2e rules' }).textContent(), { timeout: 30_000 }).toMatch(/completed/)
    const grid = page.getByRole('table', { name: 'Labels per report' })
    await expect.poll(() => grid.locator('tbody tr').count()).toBeGreaterThan(0)
    // filter to reports with a positive or uncertain pleural effusion and open the first one
    await page.getByLabel('Filter by label').selectOption('Pleural Effusion')
    await expect.poll(() => grid.locator('tbody tr').count()).toBeGreaterThan(0)
    await grid.locator('tbody tr').first().click()
    const labels = page.getByRole('list', { name: 'Labels' })
    const effusion = labels.getByRole('button').filter({ hasText: 'Pleural Effusion' })
    await expect.poll(() => effusion.textContent()).toMatch(/Pleural Effusion: (positive|uncertain)/)
    await expect.poll(() => effusion.textContent()).toMatch(/decided by (lexicon|unc)/)
    await effusion.click()
    const marks = page.getByLabel('Report text with evidence highlighted').locator('mark')
    await expect.poll(() => marks.count()).toBeGreaterThan(0)
    expect((await marks.first().textContent())?.toLowerCase()).toMatch(/effusion|fluid|blunt|costophrenic/)
  })

  it('creates a custom label set and saves an edit as a new version', async () => {
    app = await openApp({ hash: '/detect' })
    const { page } = app
    await page.getByRole('tab', { name: 'Label sets' }).click()
    await page.getByRole('button', { name: 'New label set' }).click()
    await page.getByLabel('Id (slug)').fill('site-e2e')
    await page.getByLabel('Name', { exact: true }).fill('Site E2E')
    await page.getByLabel('Label 1 name').fill('Granuloma')
    await page.getByLabel('Label 1 terms').fill('granuloma[s], granulomata')
    await page.getByRole('button', { name: 'Add label' }).click()
    await page.getByLabel('Label 2 name').fill('granuloma')
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/duplicates label 1/)
    await page.getByLabel('Label 2 name').fill('Pleural Effusion')
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect.poll(() => page.getByText('Saved site-e2e version 1.').count()).toBe(1)
    await page.getByRole('button', { name: 'Edit (saves a new version)' }).click()
    await page.getByLabel('Name', { exact: true }).fill('Site E2E edited')
    await page.getByRole('button', { name: 'Save as new version' }).click()
    await expect.poll(() => page.getByText('Saved site-e2e version 2.').count()).toBe(1)
  })
})
