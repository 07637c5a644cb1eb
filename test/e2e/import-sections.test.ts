// Issue 15 items 6 and 7 in Chromium: the import wizard's section report and header map editor (apply =
// re-split without re-import), and a report's version history in the report view.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importFile } from '../../src/node/import/pipeline'
import { appPerTest, type AppUnderTest } from './support/app'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-e2e-sections-'))
let app: AppUnderTest | undefined
const openApp = appPerTest()
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('sections a site can teach, and report history', () => {
  it('shows the headers of the imported batch, lets the site map them, and re-splits the reports', async () => {
    const file = join(dir, 'site.csv')
    const rows = Array.from(
      { length: 6 },
      (_, i) => `S${i},"CLINICAL QUESTION: Cough ${i}.\nRESULT: Small left pleural effusion ${i}.\nIMPRESSION: Effusion ${i}."`
    )
    writeFileSync(file, 'id,report\n' + rows.join('\n') + '\n')
    app = await openApp({ hash: '/import' })
    const { page } = app
    await page.getByLabel('Or type or paste paths').fill(file)
    await page.getByRole('button', { name: 'Read file' }).click()
    await expect.poll(() => page.getByLabel('Detected format').textContent()).toMatch(/^CSV/)
    await page.getByRole('button', { name: 'Import file' }).click()
    const report = page.getByRole('region', { name: 'Section report of batch 1' })
    await expect.poll(() => report.textContent(), { timeout: 30_000 }).toContain('2 not recognised')
    const headers = page.getByRole('table', { name: 'Headers of batch 1' })
    await expect.poll(() => headers.textContent()).toContain('CLINICAL QUESTION')
    expect(await headers.getByRole('row').filter({ hasText: 'RESULT' }).textContent()).toContain('not recognised')
    await page.getByLabel('Section for CLINICAL QUESTION').selectOption('indication')
    await page.getByLabel('Section for RESULT').selectOption('findings')
    await page.screenshot({ path: '/tmp/radlabel-import-sections.png', fullPage: true })
    await report.getByRole('button', { name: 'Apply and re-split the reports' }).click()
    await expect.poll(() => report.textContent()).toContain('Re-split 6 reports: 6 changed sections (texts unchanged)')
    await expect.poll(() => report.textContent()).not.toContain('not recognised')
    const sections = app.workspace.db.prepare(`SELECT sections_json FROM reports WHERE report_key = 'S2'`).pluck().get() as string
    expect(JSON.parse(sections).map((s: { name: string }) => s.name)).toEqual(['indication', 'findings', 'impression'])
    await page.screenshot({ path: '/tmp/radlabel-import-sections-applied.png', fullPage: true })
    expect(app.consoleErrors).toEqual([])
  })

  it('shows the versions of a report with an addendum in the report view; the latest is labelled', async () => {
    app = await openApp({ hash: '/import' })
    const { page, workspace } = app
    const original = 'FINDINGS: Small nodule in the right upper lobe.\nIMPRESSION: Nodule.'
    writeFileSync(join(dir, 'v1.csv'), `id,report\nV1,"${original}"\n`)
    writeFileSync(join(dir, 'v2.csv'), `id,report\nV1,"${original}\n\nADDENDUM: Right pleural effusion noted on review."\n`)
    await importFile(workspace.db, { path: join(dir, 'v1.csv') })
    expect(await importFile(workspace.db, { path: join(dir, 'v2.csv') })).toMatchObject({ revised: 1 })
    await page.goto(`${app.harness.url}/#/detect`)
    await page.getByLabel('Label set', { exact: true }).selectOption('chexpert14')
    await page.getByRole('button', { name: 'Start run' }).click()
    const grid = page.getByRole('table', { name: 'Labels per report' })
    await expect.poll(() => grid.locator('tbody tr').count(), { timeout: 30_000 }).toBe(1)
    await grid.locator('tbody tr').first().click()
    const history = page.getByRole('group', { name: 'Report history' })
    await expect.poll(() => history.textContent()).toContain('History: 2 versions · labelled: version 2')
    expect(await history.textContent()).toMatch(/Version 1 · original.*Version 2 · addendum.*labelled \(latest\)/s)
    await history.getByText('Text').first().click()
    await history.screenshot({ path: '/tmp/radlabel-report-history.png' })
    expect(app.consoleErrors).toEqual([])
  })
})
