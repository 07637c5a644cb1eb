// Evaluate, as a radiologist comes back to it: results kept in a history (reopen, compare, delete),
// defaults that do not pick a tiny reference or a cancelled run, figures greyed out below the minimum
// sample, charts in the dark theme's colours, and a clicked count brings its reports into view.
import { describe, expect, it } from 'vitest'
import { seedSynthetic } from '../../src/node/review/synthetic'
import type { Db } from '../../src/node/store/db'
import { findLabelSet } from '../../src/node/store/repos/labelSets'
import { createSource } from '../../src/node/store/repos/sources'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

function seed(db: Db): void {
  const syn = seedSynthetic(db, 80, 2, 0.2)
  const ls = findLabelSet(db, 'chexpert14').id
  // imported gold = synthetic A's labels, on every report; a tiny curated source (3 reports); a cancelled run
  const gold = createSource(db, { name: 'site gold', kind: 'imported', labelSetId: ls })
  db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state) SELECT ?, report_id, label_id, state FROM source_labels WHERE source_id = ?').run(gold, syn.sourceA)
  const tiny = createSource(db, { name: 'tiny curated', kind: 'curated', labelSetId: ls })
  db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state) SELECT ?, report_id, label_id, state FROM source_labels WHERE source_id = ? AND report_id IN (SELECT DISTINCT report_id FROM source_labels WHERE source_id = ? ORDER BY report_id LIMIT 3)').run(tiny, syn.sourceB, syn.sourceB)
  const cancelled = createSource(db, { name: 'cancelled run', kind: 'run', labelSetId: ls })
  db.prepare("INSERT INTO runs (source_id, engine, config_json, status) VALUES (?, 'rules', '{}', 'cancelled')").run(cancelled)
  db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state) SELECT ?, report_id, label_id, state FROM source_labels WHERE source_id = ? LIMIT 5').run(cancelled, syn.sourceB)
}

const sourceId = (db: Db, name: string): string => String(db.prepare('SELECT id FROM sources WHERE name = ?').pluck().get(name))

describe('Evaluate history and first-visit defaults in Chromium', () => {
  it('keeps evaluations to reopen, compare and delete; defaults skip tiny references and cancelled runs', async () => {
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/evaluate', colorScheme: 'dark' })
    const { page, workspace } = app
    const db = workspace.db
    const refSelect = page.getByLabel('Reference (what counts as correct)')
    await expect.poll(() => refSelect.inputValue()).toBe(sourceId(db, 'site gold'))
    expect(await page.getByLabel(/^synthetic B/).isChecked()).toBe(true)
    expect(await page.getByLabel(/^cancelled run/).isChecked()).toBe(false)
    await page.getByLabel('Bootstrap resamples').fill('50')
    await page.getByRole('button', { name: 'Evaluate' }).click()
    const summary = page.locator('section[aria-labelledby="eval-summary"]')
    await expect.poll(() => summary.textContent()).toContain('reports covered by site gold and synthetic B')
    expect(await page.locator('.eval-too-few').count()).toBe(0)

    // charts take the dark theme's colours
    const chart = page.locator('.eval-chart svg').first()
    expect(await chart.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(23, 27, 33)')
    expect(await chart.locator('text').first().evaluate((el) => getComputedStyle(el).fill)).toBe('rgb(230, 233, 237)')
    await page.screenshot({ path: '/tmp/ui-eval-dark.png' })

    // a count far down the page: its reports come into view, focus on their heading
    await page.locator('button.eval-count').last().click()
    const heading = page.locator('#eval-cases')
    await expect.poll(() => heading.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight })).toBe(true)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('eval-cases')
    await page.screenshot({ path: '/tmp/ui-eval-cases.png' })

    // leave and come back: the evaluation is still there, with its settings
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click()
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Evaluate' }).click()
    await expect.poll(() => summary.textContent()).toContain('reports covered by site gold and synthetic B')
    expect(await page.getByLabel('Bootstrap resamples').inputValue()).toBe('50')
    const history = page.getByRole('table', { name: 'Saved evaluations' })
    await expect.poll(() => history.locator('tbody tr').count()).toBe(1)

    // a second evaluation with another prediction; compare the two; delete one
    await page.getByLabel(/^synthetic B/).uncheck()
    await page.getByLabel(/^synthetic A \(/).check()
    await page.getByRole('button', { name: 'Evaluate' }).click()
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2)
    await expect.poll(() => summary.textContent()).toContain('reports covered by site gold and synthetic A')
    const ids = db.prepare('SELECT id FROM evaluations ORDER BY id').pluck().all() as number[]
    await page.getByLabel(`Compare evaluation ${ids[0]}`).check()
    await page.getByLabel(`Compare evaluation ${ids[1]}`).check()
    await page.getByRole('button', { name: 'Compare the two checked' }).click()
    const compared = page.getByRole('table', { name: 'Compared evaluations' })
    await expect.poll(() => compared.locator('thead').textContent()).toMatch(new RegExp(`#${ids[0]} synthetic B.*#${ids[1]} synthetic A`))
    // synthetic A is the gold: F1 1.000 everywhere it is defined
    await expect.poll(() => compared.locator('tr', { hasText: 'Micro F1' }).textContent()).toContain('1.000')
    await page.screenshot({ path: '/tmp/ui-eval-history.png', fullPage: true })
    // reopen the first one
    await page.getByRole('button', { name: `Open evaluation ${ids[0]}` }).click()
    await expect.poll(() => summary.textContent()).toContain('reports covered by site gold and synthetic B')
    page.once('dialog', (d) => void d.accept())
    await page.getByRole('button', { name: `Delete evaluation ${ids[1]}` }).click()
    await expect.poll(() => history.locator('tbody tr').count()).toBe(1)
    expect(db.prepare('SELECT id FROM evaluations').pluck().all()).toEqual([ids[0]])
  })

  it('greys out figures and claims no significance with too few reports in common', async () => {
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/evaluate' })
    const { page, workspace } = app
    await page.getByLabel('Reference (what counts as correct)').selectOption(sourceId(workspace.db, 'tiny curated'))
    await page.getByLabel(/^synthetic A \(/).check()
    await page.getByLabel('Bootstrap resamples').fill('200')
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    const note = page.getByRole('note').filter({ hasText: 'in common' })
    await expect.poll(() => note.textContent()).toMatch(/Only 3 reports in common: too few.*at least 30/)
    expect(await page.locator('table.eval-too-few').count()).toBeGreaterThanOrEqual(2)
    const diff = page.getByRole('table', { name: 'Differences' })
    expect(await diff.textContent()).not.toMatch(/p [<≈]/)
    expect(await diff.locator('td.ok, td.error').count()).toBe(0)
    await page.screenshot({ path: '/tmp/ui-eval-too-few.png', fullPage: true })
  })
})
