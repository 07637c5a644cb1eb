// Opens the built renderer in Debian's Chromium against the real handler table served on loopback,
// and records every console error and every request that tries to leave loopback.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, expect } from 'vitest'
import { startHarness, type Harness } from '../../../src/node/harness/server'
import type { Workspace } from '../../../src/node/store/db'
import { tempDir } from '../../support/workspace'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic'
]

export interface AppUnderTest {
  page: Page
  harness: Harness
  workspace: Workspace
  consoleErrors: string[]
  externalRequests: string[]
  close(): Promise<void>
}

let browser: Browser | undefined

async function sharedBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`)
  }
  browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  return browser
}

export async function closeBrowser(): Promise<void> {
  await browser?.close()
  browser = undefined
}

/** Starts a harness on a fresh workspace (optionally seeded), opens a page at `hash`. */
export async function openApp(options: { seed?: (ws: Workspace) => void; hash?: string; colorScheme?: 'light' | 'dark' } = {}): Promise<AppUnderTest> {
  const dir = tempDir('radlabel-e2e-')
  const harness = await startHarness({ dbPath: join(dir.dir, 'workspace.db') })
  const workspace = harness.session.ctx.workspace
  options.seed?.(workspace)
  const context = await (await sharedBrowser()).newContext({ colorScheme: options.colorScheme ?? 'light', viewport: { width: 1366, height: 850 } })
  const consoleErrors: string[] = []
  const externalRequests: string[] = []
  // Nothing may leave loopback: record and refuse any such request.
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith(harness.url) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue()
    externalRequests.push(url)
    return route.abort()
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text())
  })
  page.on('pageerror', (err) => consoleErrors.push(String(err)))
  // The harness answers only calls with its per-launch token; the page keeps it for the tab (later
  // page.goto(`${harness.url}/#/...`) in the same page still works).
  await page.goto(`${harness.launchUrl}${options.hash ? `#${options.hash}` : ''}`)
  return {
    page,
    harness,
    workspace,
    consoleErrors,
    externalRequests,
    close: async () => {
      await context.close()
      await harness.close()
      dir.cleanup()
    }
  }
}

/**
 * For one test file: returns `open(options)`, and after each test checks that the page logged no error
 * and sent nothing beyond loopback, then closes it; the browser closes after the file.
 */
export function appPerTest(): (options?: Parameters<typeof openApp>[0]) => Promise<AppUnderTest> {
  let current: AppUnderTest | undefined
  afterEach(async () => {
    const app = current
    current = undefined
    if (!app) return
    try {
      expect(app.consoleErrors).toEqual([])
      expect(app.externalRequests).toEqual([])
    } finally {
      await app.close()
    }
  })
  afterAll(closeBrowser)
  return async (options) => (current = await openApp(options))
}
