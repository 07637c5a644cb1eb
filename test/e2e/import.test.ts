// The import wizard in Chromium against the real handlers: path -> detected format -> mapping with live
// preview -> import -> summary -> error file; then the batch list (issues, delete).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { appPerTest, type AppUnderTest } from './support/app'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-e2e-import-'))
let app: AppUnderTest | undefined
const openApp = appPerTest()
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
})

describe('import wizard', () => {
  it('previews, maps section columns, imports, summarises and writes the error file', async () => {
    const file = join(dir, 'ris-export.csv')
    writeFileSync(
      file,
      'Accession;Findings;Impression;Modality\n' +
        'A1;Heart size normal. Lungs clear.;No acute disease.;CR\n' +
        'A2;Small left pleural effusion.;Effusion.;CR\n' +
        ';Missing id here.;Normal.;CR\n' +
        'A4;"Mild cardiomegaly; no edema.";Cardiomegaly.;DX\n'
    )
    app = await openApp({ hash: '/import' })
    const { page } = app
    await page.getByLabel('Or type or paste paths').fill(file)
    await page.getByRole('button', { name: 'Read file' }).click()
    // Detected format and the suggested per-section mapping, previewed.
    await expect.poll(() => page.getByLabel('Detected format').textContent()).toMatch(/^CSV · utf-8 · delimiter ";" · header row/)
    const preview = page.getByRole('table', { name: 'Preview of the first records' })
    await expect.poll(() => preview.textContent()).toContain('Small left pleural effusion.')
    await expect.poll(() => preview.textContent()).toContain('id field "Accession" is empty')
    expect(await page.getByRole('radio', { name: 'One field per section' }).isChecked()).toBe(true)
    // Change the mapping: the preview follows.
    await page.getByLabel('Modality', { exact: true }).selectOption('')
    await expect.poll(() => preview.textContent()).not.toContain('modality CR')
    await page.getByLabel('Modality', { exact: true }).selectOption('Modality')
    await expect.poll(() => preview.textContent()).toContain('modality CR')

    await page.getByRole('button', { name: 'Import file' }).click()
    const summary = page.getByLabel('Import summary')
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('Added3')
    expect(await summary.textContent()).toContain('Rejected1')
    await summary.getByRole('button', { name: /Save the rejected records/ }).click()
    await expect.poll(() => summary.textContent()).toMatch(/1 written to .*import-errors-batch-1\.csv/)
    const errorsPath = /written to (\S+\.csv)/.exec((await summary.textContent()) ?? '')![1]
    expect(readFileSync(errorsPath, 'utf8')).toContain('id field ""Accession"" is empty')

    // The batch list: counts, issues, delete.
    const batches = page.getByRole('table', { name: 'Import batches' })
    await expect.poll(() => batches.textContent()).toContain('ris-export.csv')
    await batches.getByRole('button', { name: 'Issues' }).click()
    await expect.poll(() => page.getByRole('table', { name: 'Issues of batch 1' }).textContent()).toContain('line 4, record 3')
    page.once('dialog', (d) => void d.accept())
    await batches.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => page.getByText('Deleted 3 reports.').count()).toBe(1)
    await expect.poll(() => page.getByText('No imports yet').count()).toBe(1)
  })

  it('refuses a file that is no report source with one clear message', async () => {
    const file = join(dir, 'scan.pdf')
    writeFileSync(file, '%PDF-1.7 not a report')
    app = await openApp({ hash: '/import' })
    const { page } = app
    await page.getByLabel('Or type or paste paths').fill(file)
    await page.getByRole('button', { name: 'Read file' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('PDF document, not a report file')
  })

  it('explains that dropped files need their paths typed when the page cannot see paths (browser)', async () => {
    app = await openApp({ hash: '/import' })
    const { page } = app
    await page.getByRole('region', { name: 'Import reports' }).dispatchEvent('drop', {
      dataTransfer: await page.evaluateHandle(() => {
        const dt = new DataTransfer()
        dt.items.add(new File(['FINDINGS: clear.'], 'reports.csv', { type: 'text/csv' }))
        return dt
      })
    })
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('type or paste their paths')
  })
})
