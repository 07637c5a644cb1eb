// The Models page in Chromium against the real handlers: add a generated GGUF by path, see its header
// facts and sha256, the hardware panel, a template preview; a non-GGUF file is refused with a message.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { tempDir } from '../support/workspace'
import { closeBrowser, openApp, type AppUnderTest } from './support/app'

const files = tempDir('radlabel-e2e-models-')
let app: AppUnderTest | undefined
afterEach(async () => {
  if (app) {
    expect(app.consoleErrors).toEqual([])
    expect(app.externalRequests).toEqual([])
    await app.close()
  }
  app = undefined
})
afterAll(async () => {
  await closeBrowser()
  files.cleanup()
})

describe('Models page', () => {
  it('adds a model by path, shows its header, sha256 and the hardware in use', async () => {
    const model = join(files.dir, 'tiny.gguf')
    writeTinyModel(model)
    const notModel = join(files.dir, 'notes.gguf')
    writeFileSync(notModel, 'not a model')
    app = await openApp({ hash: '/models' })
    const { page } = app
    const field = page.getByLabel('GGUF file on this computer')

    await field.fill(notModel)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/not a GGUF model file/)

    await field.fill(model)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    const row = page.getByRole('row', { name: /radlabel-tiny-64x2/ })
    await expect.poll(() => row.textContent()).toContain('MOSTLY_F16')
    await expect.poll(() => row.locator('td.mono').textContent(), { timeout: 30_000 }).toMatch(/^[0-9a-f]{12}…$/)

    const hardware = page.getByRole('region', { name: 'Hardware' })
    await expect.poll(() => hardware.textContent(), { timeout: 60_000 }).toMatch(/In use with “Automatic”: CPU/)

    await page.getByRole('button', { name: 'View' }).first().click()
    await expect.poll(() => page.getByRole('region', { name: 'Prompt templates' }).textContent()).toContain('- Cardiomegaly')
  }, 120_000)
})
