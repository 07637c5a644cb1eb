#!/usr/bin/env node
// Renders resources/icon.svg to resources/icon.png (512x512, transparent corners) in Debian's Chromium.
// Run after editing the SVG: node scripts/render-icon.mjs
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'

const root = resolve(import.meta.dirname, '..')
const svg = readFileSync(join(root, 'resources', 'icon.svg'), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
})
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
  await page.locator('svg').screenshot({ path: join(root, 'resources', 'icon.png'), omitBackground: true })
  console.log('wrote resources/icon.png')
} finally {
  await browser.close()
}
