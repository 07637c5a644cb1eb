// PDF rendering of the HTML report, always local. Electron passes a renderer built on
// webContents.printToPDF; the CLI uses playwright-core with the system Chromium when it is installed.
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { AppError } from '../../common/errors'

/** Turns a self-contained HTML document into PDF bytes. */
export type PdfRenderer = (html: string) => Promise<Uint8Array>

export async function writePdf(html: string, outPath: string, render: PdfRenderer): Promise<void> {
  const bytes = await render(html)
  if (bytes.length < 5 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new AppError('engine_failed', `PDF rendering produced no PDF for ${outPath}.`, 'Save the HTML report and print it from a browser instead.')
  }
  await writeFile(outPath, bytes)
}

export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']

export function findChromium(): string | null {
  const env = process.env.RADLABEL_CHROMIUM
  if (env) return existsSync(env) ? env : null
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null
}

/**
 * A renderer for the CLI: headless Chromium through playwright-core, offline (every request is refused,
 * the report needs none). Throws a clear error when no Chromium is installed.
 */
export function chromiumPdfRenderer(executablePath = findChromium()): PdfRenderer {
  return async (html) => {
    if (!executablePath) {
      throw new AppError(
        'unsupported',
        `No Chromium found for PDF rendering (looked for ${CHROMIUM_CANDIDATES.join(', ')} and $RADLABEL_CHROMIUM).`,
        'Install it (Debian: apt-get install chromium) or set RADLABEL_CHROMIUM, or use --html and print the file from a browser.'
      )
    }
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run'
      ]
    })
    try {
      const page = await browser.newPage()
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
      return new Uint8Array(pdf)
    } finally {
      await browser.close()
    }
  }
}
