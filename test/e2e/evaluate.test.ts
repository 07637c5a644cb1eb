import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { tempDir } from '../support/workspace'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

describe('Evaluate screen in Chromium', () => {
  it('evaluates, compares, opens the error browser and exports', async () => {
    app = await openApp({ seed: (ws) => void seedEvalWorkspace(ws.db), hash: '/evaluate' })
    const { page } = app
    // Defaults: no reference of 5 reports is preselected by accident (evaluate-history.test.ts); the newest run is.
    await expect.poll(() => page.getByLabel(/^rules/).isChecked()).toBe(true)
    expect(await page.getByLabel('Reference (what counts as correct)').inputValue()).toBe('')
    await page.getByLabel('Reference (what counts as correct)').selectOption({ label: 'curated (curated, chexpert14 v1, 5 reports)' })
    await page.getByLabel('Uncertain labels').selectOption('positive')
    await page.getByLabel('Bootstrap resamples').fill('200')
    await page.getByRole('button', { name: 'Evaluate' }).click()
    await expect.poll(() => page.locator('#eval-summary').count()).toBe(1)
    const summary = page.locator('section[aria-labelledby="eval-summary"]')
    await expect.poll(() => summary.textContent()).toContain('5 reports covered by curated and rules')
    // Micro F1 0.750 for rules against curated (worked out in the store tests).
    await expect.poll(() => summary.locator('tbody tr').first().textContent()).toContain('0.750')
    expect(await page.locator('.eval-chart svg').count()).toBeGreaterThanOrEqual(3)

    // Error browser: the one false positive of Pleural Effusion is report R3.
    await page.getByTitle('List the FP reports of Pleural Effusion').click()
    const cases = page.locator('section[aria-labelledby="eval-cases"]')
    await expect.poll(() => cases.textContent()).toContain('False positives of Pleural Effusion')
    await cases.getByRole('button', { name: 'R3' }).click()
    await expect.poll(() => cases.locator('.report-text').textContent()).toContain('No pleural effusion. Lungs are clear.')
    expect(await cases.getByRole('link', { name: 'Open in the review screen' }).getAttribute('href')).toMatch(/^#\/review\?report=\d+$/)

    // Compare with the imported weak labels (Effusion = Pleural Effusion via synonyms).
    await page.getByLabel(/^weak/).check()
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect.poll(() => page.locator('#eval-diff').count()).toBe(1)
    await expect.poll(() => summary.textContent()).toContain('Effusion → Pleural Effusion (synonym)')
    await page.getByRole('button', { name: /Agreement \(Cohen/ }).click()
    await expect.poll(() => page.locator('section[aria-labelledby="eval-agree"]').textContent()).toContain('All labels (pooled)')
    // Disagreements without a reference (labels named as in the second source): Effusion positive only in rules on R3, R4.
    await page.getByTitle('List the reports of Effusion where only rules is positive').click()
    await expect.poll(() => page.locator('#eval-agree-cases').textContent()).toContain('Effusion: positive only in rules (2 reports)')
    const keys = await page.locator('section[aria-labelledby="eval-agree-cases"] button.link.mono').allTextContents()
    expect(keys).toEqual(['R3', 'R4'])

    // Exports to a typed path (the harness has no save dialog).
    const out = tempDir('radlabel-e2e-out-')
    try {
      const csv = join(out.dir, 'labels.csv')
      await page.getByLabel(/^Output path/).fill(csv)
      await page.getByRole('button', { name: 'Export labels CSV' }).click()
      await expect.poll(() => page.getByRole('list', { name: 'Recent exports' }).textContent()).toContain('Labels CSV')
      expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toMatch(/^report_key,/)
      // Without a path and without a dialog, the user is told what to do.
      await page.getByLabel(/^Output path/).fill('')
      await page.getByRole('button', { name: 'Back up workspace' }).click()
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Give the path of the file to write')
      // The HTML report downloads as one self-contained file.
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Save HTML report' }).click()
      const file = await download
      expect(file.suggestedFilename()).toMatch(/^evaluation-.*\.html$/)
    } finally {
      out.cleanup()
    }
  })

  it('explains what is needed when there are not two sources', async () => {
    app = await openApp({ hash: '/evaluate' })
    await expect.poll(() => app!.page.getByRole('status').first().textContent()).toContain('Two label sources are needed')
  })
})
