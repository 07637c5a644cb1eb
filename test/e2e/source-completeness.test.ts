// A label source that an interrupted import left half-written says so wherever a source is chosen
// (issue 13 F): the Evaluate form's reference list and prediction choices, and the Review finder.
import { describe, expect, it } from 'vitest'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { appPerTest } from './support/app'

const openApp = appPerTest()

describe('incomplete sources in Chromium', () => {
  it('marks an incomplete source "(incomplete)" in the Evaluate form and the Review finder; complete ones are unmarked', async () => {
    const { page } = await openApp({
      seed: (ws) => {
        const f = seedEvalWorkspace(ws.db)
        ws.db.prepare('UPDATE sources SET complete = 0 WHERE id = ?').run(f.weak)
      },
      hash: '/evaluate'
    })
    const ref = page.getByLabel('Reference (what counts as correct)')
    await expect.poll(() => ref.locator('option').allTextContents()).toContainEqual(expect.stringMatching(/^weak \(.*\) \(incomplete\)$/))
    const options = await ref.locator('option').allTextContents()
    expect(options.filter((o) => o.includes('(incomplete)'))).toHaveLength(1)
    expect(options.some((o) => o.startsWith('curated (') && !o.includes('incomplete'))).toBe(true)

    await page.evaluate(() => (location.hash = '#/review?view=find'))
    const finderSource = page.getByRole('combobox', { name: /^Source/ })
    await expect.poll(() => finderSource.locator('option').allTextContents()).toContainEqual('weak (incomplete)')
    expect(await finderSource.locator('option').allTextContents()).toContain('curated')
  })
})
