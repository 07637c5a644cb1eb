import { describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

describe('app shell in Chromium', () => {
  it('shows the navigation, every page, and the disclaimer', async () => {
    app = await openApp()
    const { page } = app
    const nav = page.getByRole('navigation', { name: 'Main' })
    for (const title of ['Import', 'Detect', 'Review', 'Evaluate', 'Models', 'Settings', 'About']) {
      await nav.getByRole('link', { name: title }).click()
      await expect.poll(() => page.locator('h1').first().textContent()).toContain(title)
    }
    await nav.getByRole('link', { name: 'About' }).click()
    await expect.poll(() => page.getByText('not a medical device').count()).toBeGreaterThan(0)
    await expect.poll(() => page.getByText('not a diagnosis').count()).toBeGreaterThan(0)
    await expect.poll(() => page.locator('dd.mono').first().textContent()).toContain('workspace.db')
  })

  it('shows the workspace counts from the real handlers', async () => {
    app = await openApp({ seed: (ws) => void seedDemo(ws.db) })
    await expect.poll(() => app!.page.locator('.sidebar-foot').textContent()).toContain('16 reports')
  })

  it('follows the system dark setting, and the user can override it', async () => {
    app = await openApp({ colorScheme: 'dark', hash: '/settings' })
    const { page } = app
    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await expect.poll(background).toBe('rgb(15, 18, 22)')
    await page.getByRole('radio', { name: 'Light', exact: true }).check()
    await expect.poll(background).toBe('rgb(246, 247, 249)')
    await page.getByRole('radio', { name: /Follow the system/ }).check()
    await expect.poll(background).toBe('rgb(15, 18, 22)')
  })

  it('opens another workspace from Settings and reports a bad path clearly', async () => {
    app = await openApp({ hash: '/settings' })
    const { page } = app
    await page.getByLabel('Open or create a workspace at').fill('/etc/hostname/not-a-folder/here.db')
    await page.getByRole('button', { name: 'Open' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Cannot open workspace database|not/)
  })
})
