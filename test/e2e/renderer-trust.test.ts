// The renderer's own defences in Chromium: no inline style or script is needed by any page (the CSP has
// no 'unsafe-inline'), a file dropped outside the Import page does not navigate the window, and a page
// opened without the harness token cannot call the handlers.
import { describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { appPerTest } from './support/app'

const openApp = appPerTest()
const PAGES = ['/home', '/import', '/detect', '/review', '/evaluate', '/models', '/settings', '/about']

describe('renderer trust in Chromium', () => {
  it('renders every page with demo data and no CSP violation (styles without unsafe-inline)', async () => {
    const app = await openApp({ seed: (ws) => void seedDemo(ws.db) })
    const { page } = app
    await page.evaluate(() => {
      const w = window as unknown as { cspViolations: string[] }
      w.cspViolations = []
      document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`))
    })
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'))
    expect(csp).toContain("style-src 'self';")
    // Every page of the navigation (whatever pages exist now), and those the navigation may not list.
    const hrefs = await page.getByRole('navigation', { name: 'Main' }).locator('a[href^="#/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')!.slice(1)))
    expect(hrefs.length).toBeGreaterThan(5)
    for (const path of new Set([...hrefs, ...PAGES])) {
      await page.evaluate((p) => (window.location.hash = `#${p}`), path)
      await expect.poll(() => page.locator('h1').first().isVisible()).toBe(true)
      await page.waitForTimeout(300)
    }
    // The evaluation page with its charts (SVG markup inserted as HTML).
    await page.evaluate(() => (window.location.hash = '#/evaluate'))
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
    // Control: inline style markup is refused and seen, so the check above can fail.
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div id="inline-control" style="color: red">x</div>'))
    // (Reported once per policy: the header's and the page's meta tag.)
    await expect.poll(() => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations.length)).toBeGreaterThan(0)
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => getComputedStyle(document.getElementById('inline-control')!).color)).not.toBe('rgb(255, 0, 0)')
    app.consoleErrors.length = 0 // the control's own violation report
  })

  it('a file dropped on a page that takes no drops does not navigate the window', async () => {
    const app = await openApp({ hash: '/review' })
    const { page } = app
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Review')
    const before = page.url()
    const prevented = await page.evaluate(() => {
      const data = new DataTransfer()
      data.items.add(new File(['<script>alert(1)</script>'], 'evil.html', { type: 'text/html' }))
      const target = document.querySelector('main') ?? document.body
      const over = new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data })
      const drop = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data })
      target.dispatchEvent(over)
      target.dispatchEvent(drop)
      return { dragover: over.defaultPrevented, drop: drop.defaultPrevented }
    })
    expect(prevented).toEqual({ dragover: true, drop: true })
    expect(page.url()).toBe(before)
  })

  it('a page opened without the token cannot call the handlers, and says why', async () => {
    const app = await openApp()
    const { page, harness } = app
    // A fresh tab of the same origin has no token in its session storage.
    const other = await page.context().newPage()
    try {
      await other.goto(`${harness.url}/#/about`)
      const outcome = await other.evaluate(async () => {
        const res = await fetch('/api/call', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'app.info', input: {} }) })
        return res.status
      })
      expect(outcome).toBe(401)
      await expect.poll(() => other.getByText(/no valid harness token/).count()).toBeGreaterThan(0)
    } finally {
      await other.close()
    }
    // The page the tests opened (token in its tab) works, and the token left the address bar.
    expect(page.url()).not.toContain('token=')
    expect(await page.evaluate(() => sessionStorage.getItem('radlabel.harnessToken'))).toBe(harness.token)
    // Its console errors (401s of the other tab) are that tab's, not this page's.
    app.consoleErrors.length = 0
  })
})
