// Steering a run on the Detect page, in Chromium against the real handlers: choose the reports (first
// N, listed ids, review set), see how many will be labelled, estimate the time with a probe before
// committing, run, and delete runs and imported labels with a confirmation that says what goes.
import { describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { listAudit } from '../../src/node/store/repos/audit'
import { appPerTest } from './support/app'

const openApp = appPerTest()
const SHOTS = process.env.RADLABEL_SCREENSHOTS ?? '/tmp'

describe('Detect: steering a run', () => {
  it('scopes a run to the first N reports, probes it for a time estimate, then runs exactly those', async () => {
    const app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/detect' })
    const { page } = app
    const count = page.getByTestId('scope-count')
    await expect.poll(() => count.textContent()).toBe('16 reports will be labelled.')
    await page.getByLabel('How many').selectOption('first')
    await page.getByLabel('Number of reports').fill('3')
    await expect.poll(() => count.textContent()).toBe('3 of 16 matching reports will be labelled.')

    await page.getByLabel('Reports to probe').fill('2')
    await page.getByRole('button', { name: 'Estimate time' }).click()
    const estimate = page.getByTestId('probe-estimate')
    await expect.poll(() => estimate.textContent(), { timeout: 30_000 }).toMatch(/All 3 reports: about \d+ s/)
    expect(await estimate.textContent()).toMatch(/Probe: 2 reports in [\d.]+ s after [\d.]+ s loading · [\d.]+ reports\/s/)
    await page.screenshot({ path: `${SHOTS}/steer-scope-probe.png`, fullPage: true })
    // the probe stored nothing
    expect(await page.getByText('No runs yet').count()).toBe(1)

    await page.getByLabel('Run name (optional)').fill('first three')
    await page.getByRole('button', { name: 'Start run' }).click()
    const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'first three' })
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/completed.*3 \/ 3/)
  })

  it('scopes a run to listed report ids, and says which ids are unknown', async () => {
    const app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/detect' })
    const { page } = app
    const count = page.getByTestId('scope-count')
    await page.getByLabel('Which reports').selectOption('ids')
    expect(await page.getByRole('button', { name: 'Start run' }).isDisabled()).toBe(true) // nothing listed yet
    await page.getByLabel('Report ids').fill('DEMO-002\nDEMO-005, NOPE-9')
    await expect.poll(() => count.textContent()).toMatch(/1 of 3 report ids are not in this workspace: NOPE-9/)
    await page.getByLabel('Report ids').fill('DEMO-002\nDEMO-005')
    await expect.poll(() => count.textContent()).toBe('2 reports will be labelled.')
    await page.getByLabel('Run name (optional)').fill('two listed')
    await page.getByRole('button', { name: 'Start run' }).click()
    const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'two listed' })
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toMatch(/completed.*2 \/ 2/)
  })

  it('deletes a run and imported labels only after a confirmation that says what goes; the audit log keeps it', async () => {
    const app = await openApp({ seed: (ws) => void seedDemo(ws.db), hash: '/detect' })
    const { page } = app
    await page.getByLabel('Run name (optional)').fill('to delete')
    await page.getByRole('button', { name: 'Start run' }).click()
    const runs = page.getByRole('table', { name: 'Runs' })
    await expect.poll(() => runs.getByRole('row').filter({ hasText: 'to delete' }).textContent(), { timeout: 30_000 }).toMatch(/completed/)

    await page.getByRole('button', { name: 'Delete to delete' }).click()
    const dialog = page.getByRole('dialog')
    await expect.poll(() => dialog.textContent()).toMatch(/Delete run "to delete"\?.*removes 224 labels on 16 reports/)
    await page.screenshot({ path: `${SHOTS}/steer-delete-confirm.png`, fullPage: true })
    await dialog.getByRole('button', { name: 'Keep it' }).click()
    expect(await page.getByRole('dialog').count()).toBe(0)
    expect(await runs.getByRole('row').filter({ hasText: 'to delete' }).count()).toBe(1)

    await page.getByRole('button', { name: 'Delete to delete' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => page.getByText('No runs yet').count()).toBe(1)

    // imported labels, from the Label sources tab
    await page.getByRole('tab', { name: 'Label sources' }).click()
    const sources = page.getByRole('table', { name: 'Label sources' })
    await expect.poll(() => sources.getByRole('row').filter({ hasText: 'demo gold' }).count()).toBe(1)
    await page.screenshot({ path: `${SHOTS}/steer-sources.png`, fullPage: true })
    await page.getByRole('button', { name: 'Delete demo gold' }).click()
    await expect.poll(() => page.getByRole('dialog').textContent()).toMatch(/Delete imported labels "demo gold"\?/)
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => page.getByText('No label sources yet').count()).toBe(1)

    const audit = listAudit(app.workspace.db, 20, 'source').filter((a) => a.action === 'source.delete')
    expect(audit.map((a) => (a.details as { name: string }).name).sort()).toEqual(['demo gold', 'to delete'])
  })
})
