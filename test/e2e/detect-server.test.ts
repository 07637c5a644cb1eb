// The Detect form with the server engine, in Chromium against the real handlers and a real llama-server
// (built by `npm run build:llama-server`, serving the generated tiny model with 2 slots): the endpoint
// and its model are listed from the server, the scope is the first 3 reports, a probe estimates the
// time, and the run labels exactly those 3. Skips only where no C++ compiler exists, saying so.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemo } from '../../src/node/demo/seed'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { ensureLlamaServer, startLlamaServer, type RunningLlamaServer } from '../../src/node/engines/server/testing/llamaServer'
import { addEndpoint } from '../../src/node/store/repos/endpoints'
import { tempDir } from '../support/workspace'
import { appPerTest } from './support/app'

const hasCompiler = spawnSync('c++', ['--version'], { stdio: 'ignore' }).status === 0 && spawnSync('cmake', ['--version'], { stdio: 'ignore' }).status === 0
if (!hasCompiler) console.warn('[detect-server] skipping: no C++ compiler (c++) or cmake to build llama-server on this machine.')
const SHOTS = process.env.RADLABEL_SCREENSHOTS ?? '/tmp'


describe.skipIf(!hasCompiler)('Detect: a run on an inference server', () => {
  const openApp = appPerTest()
  let server: RunningLlamaServer | undefined
  let base = ''
  const t = tempDir()

  beforeAll(async () => {
    // the cached binary (built once per machine), serving the generated tiny model with 2 slots, 1 thread
    const model = join(t.dir, 'tiny.gguf')
    writeTinyModel(model, { seed: 5 })
    server = await startLlamaServer({ binary: ensureLlamaServer(), model, slots: 2, threads: 1 })
    base = `http://127.0.0.1:${server.port}`
  }, 45 * 60_000)

  afterAll(async () => {
    await server?.kill()
    t.cleanup()
  })

  it('chooses endpoint and model from the server, probes the first 3 reports, and runs exactly those', async () => {
    const app = await openApp({
      seed: (ws) => {
        seedDemo(ws.db)
        addEndpoint(ws.db, { name: 'local llama', url: `${base}/v1`, allowPrivateHttp: false })
      },
      hash: '/detect'
    })
    const { page } = app
    await page.getByLabel('Engine').selectOption('server')
    const settings = page.getByRole('group', { name: 'Server settings' })
    // the only endpoint is chosen; its model is listed by the main process from the server
    await expect.poll(() => settings.getByLabel('Server model').inputValue(), { timeout: 20_000 }).not.toBe('')
    await settings.getByLabel('Server max tokens').fill('300')
    await settings.getByLabel('Requests in flight').fill('2')
    await page.getByLabel('How many').selectOption('first')
    await page.getByLabel('Number of reports').fill('3')
    await expect.poll(() => page.getByTestId('scope-count').textContent()).toBe('3 of 16 matching reports will be labelled.')
    await page.getByLabel('Reports to probe').fill('2')
    await page.getByRole('button', { name: 'Estimate time' }).click()
    await expect.poll(() => page.getByTestId('probe-estimate').textContent(), { timeout: 60_000 }).toMatch(/All 3 reports: about \d+ s/)
    await page.screenshot({ path: `${SHOTS}/steer-server-form.png`, fullPage: true })
    await page.getByLabel('Run name (optional)').fill('on llama-server')
    await page.getByRole('button', { name: 'Start run' }).click()
    const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'on llama-server' })
    await expect.poll(() => row.textContent(), { timeout: 60_000 }).toMatch(/completed/)
    const run = app.workspace.db.prepare("SELECT r.reports_total, r.reports_done + r.reports_failed AS finished, r.config_json FROM runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 'on llama-server'").get() as {
      reports_total: number
      finished: number
      config_json: string
    }
    expect(run).toMatchObject({ reports_total: 3, finished: 3 })
    expect(JSON.parse(run.config_json)).toMatchObject({ endpoint: `${base}/v1`, maxTokens: 300, concurrency: 2 })
  }, 180_000)
})
