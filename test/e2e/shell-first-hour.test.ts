// The shell as a newcomer meets it: Home shows the loop and the next step, tabs follow the arrow keys,
// validation reads as a sentence about the form, run settings are a table, defaults follow the workspace,
// running jobs never cover the page, disabled primary buttons look disabled in the dark theme.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { addModel } from '../../src/node/models/registry'
import { tempDir } from '../support/workspace'
import { appPerTest, type AppUnderTest } from './support/app'

/** A completed rules run through the real handlers; returns its source id. */
async function rulesRun(a: AppUnderTest): Promise<number> {
  const out = await a.harness.session.call('detect.start', { engine: 'rules', labelSet: 'chexpert14', config: { scope: 'whole' } })
  if (!out.ok) throw new Error(out.error.message)
  const { run, job } = out.value as { run: { sourceId: number }; job: { id: number } }
  await a.harness.session.ctx.jobs.wait(job.id)
  return run.sourceId
}

let app: AppUnderTest | undefined
const openApp = appPerTest()

describe('first hour in Chromium', () => {
  it('an empty workspace opens on Home: the loop, nothing done, import next', async () => {
    app = await openApp()
    const { page } = app
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Home')
    const loop = page.getByRole('list', { name: 'The loop' })
    await expect.poll(() => loop.locator('li').count()).toBe(5)
    expect(await loop.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['next', 'later', 'later', 'later', 'later'])
    expect(await page.getByRole('region', { name: 'Next step' }).textContent()).toContain('Next: import reports')
    await page.screenshot({ path: '/tmp/ui-home-empty.png' })
    await page.getByRole('region', { name: 'Next step' }).getByRole('link', { name: 'Import reports' }).click()
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Import')
  })

  it('with reports and labels, Home says what is done and that review comes next', async () => {
    app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/home', colorScheme: 'dark' })
    const { page } = app
    const loop = page.getByRole('list', { name: 'The loop' })
    await expect.poll(() => loop.locator('li').first().getAttribute('data-state')).toBe('done')
    expect(await loop.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(['done', 'done', 'next', 'later', 'later'])
    expect(await loop.locator('li').first().textContent()).toContain('16 reports')
    await page.screenshot({ path: '/tmp/ui-home-dark.png' })
  })

  it('Detect: tabs follow arrow keys; run settings are a table; a disabled primary button looks disabled in dark', async () => {
    app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/home', colorScheme: 'dark' })
    const { page } = app
    const runId = await rulesRun(app)
    await page.goto(`${app.harness.url}/#/detect`)
    const runsTab = page.getByRole('tab', { name: 'Runs' })
    await runsTab.focus()
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.getByRole('tab', { name: 'Label sources' }).getAttribute('aria-selected')).toBe('true')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Label sources')
    await page.keyboard.press('End')
    await expect.poll(() => page.getByRole('tab', { name: 'Label sets' }).getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('ArrowRight') // wraps to the first
    await expect.poll(() => runsTab.getAttribute('aria-selected')).toBe('true')
    expect(await page.getByRole('tab', { name: 'Label sets' }).getAttribute('tabindex')).toBe('-1')
    expect(await page.getByRole('tabpanel').count()).toBe(1)

    // open a run: its settings as a table, never JSON
    const runName = app.workspace.db.prepare('SELECT name FROM sources WHERE id = ?').pluck().get(runId) as string
    await page.getByRole('button', { name: `Show results of ${runName}` }).click()
    const settings = page.getByRole('table', { name: /^Settings of / })
    await expect.poll(() => settings.count()).toBe(1)
    expect(await settings.textContent()).not.toContain('{')
    await page.screenshot({ path: '/tmp/ui-detect-dark.png', fullPage: true })
    // the results table fits a 1280 px window without scrolling sideways
    await page.setViewportSize({ width: 1280, height: 800 })
    const results = page.locator('.detect-results')
    await expect.poll(() => results.count()).toBe(1)
    const overflow = await results.evaluate((el) => el.scrollWidth - el.clientWidth)
    await results.screenshot({ path: '/tmp/ui-detect-results-1280.png' })
    expect(overflow).toBeLessThanOrEqual(0)

    // a disabled primary button has no accent fill in the dark theme
    const disabledPrimary = await page.evaluate(() => {
      const b = document.createElement('button')
      b.disabled = true
      b.textContent = 'x'
      document.querySelector('main')!.appendChild(b)
      const bg = getComputedStyle(b).backgroundColor
      const enabled = document.createElement('button')
      document.querySelector('main')!.appendChild(enabled)
      const on = getComputedStyle(enabled).backgroundColor
      b.remove()
      enabled.remove()
      return { bg, on }
    })
    expect(disabledPrimary.bg).not.toBe(disabledPrimary.on)
    expect(disabledPrimary.bg).toBe('rgb(31, 37, 45)') // --panel-2 in dark
  })

  it('starting an LLM run without a model says, in a sentence, to choose one; the only model is preselected', async () => {
    const files = tempDir('radlabel-e2e-model-')
    try {
      const model = join(files.dir, 'tiny.gguf')
      writeTinyModel(model)
      app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/home' })
      const { page, workspace } = app
      await addModel(workspace.db, workspace.path, { path: model, mode: 'reference' })
      await page.goto(`${app.harness.url}/#/detect`)
      await page.getByLabel('Engine').selectOption('llm')
      const modelSelect = page.getByRole('group', { name: 'LLM settings' }).locator('select').first()
      await expect.poll(() => modelSelect.inputValue()).toBe(model)
      await modelSelect.selectOption('')
      await page.getByRole('button', { name: 'Start run' }).click()
      await expect.poll(() => page.getByRole('alert').first().textContent()).toBe('Choose a model file first.')
      await page.screenshot({ path: '/tmp/ui-detect-nomodel.png' })
    } finally {
      files.cleanup()
    }
  })

  it('running jobs sit in the sidebar, not over the page', async () => {
    app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/detect' })
    const { page, harness } = app
    // A job that runs until cancelled, through the real JobManager, so the tray stays up while we look.
    const jobs = harness.session.ctx.jobs
    // It reports progress every 200 ms, so the page hears of it even if it subscribed after the start.
    jobs.register('ui-test-wait', (_p, ctx) =>
      new Promise<null>((done) => {
        let n = 0
        const tick = setInterval(() => ctx.report({ done: ++n, total: 1000, message: 'waiting' }), 200)
        ctx.signal.addEventListener('abort', () => {
          clearInterval(tick)
          done(null)
        })
      })
    )
    const job = jobs.start('ui-test-wait', 'A long job', {})
    const tray = page.locator('nav.sidebar').getByRole('region', { name: 'Running jobs' })
    await expect.poll(() => tray.textContent()).toContain('A long job')
    expect(await page.locator('main .jobs-tray').count()).toBe(0)
    const main = await page.locator('main').boundingBox()
    const box = await tray.boundingBox()
    expect(box!.x + box!.width).toBeLessThanOrEqual(main!.x + 1)
    await page.screenshot({ path: '/tmp/ui-jobs-tray.png' })
    await tray.getByRole('button', { name: 'Cancel' }).click()
    expect((await jobs.wait(job.id)).status).toBe('cancelled')
    await expect.poll(() => tray.count()).toBe(0)
  })
})
