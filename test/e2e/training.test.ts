// Training in Chromium against the real handlers: the Models page shows an adapter's lineage and refuses
// a folder that is no training kit; the Evaluate page runs student against teacher in one action (base
// and student with the llm engine on the curated reports, generated tiny models) and shows the paper's
// table with paired differences.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { writeTinyLora, writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { addModel, hashModel } from '../../src/node/models/registry'
import { recordLineage } from '../../src/node/training/import-adapter'
import { createHash } from 'node:crypto'
import type { Db } from '../../src/node/store/db'
import { saveLabelSetVersion } from '../../src/node/store/repos/labelSets'
import { insertReport } from '../../src/node/store/repos/reports'
import { createSource, writeSourceLabels } from '../../src/node/store/repos/sources'
import { tempDir } from '../support/workspace'
import { closeBrowser, openApp, type AppUnderTest } from './support/app'

const files = tempDir('radlabel-e2e-training-')
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

// Synthetic reports written for this test; a three-label set keeps the tiny model's answers short.
const TEXTS = ['Mild cardiomegaly. Small right effusion.', 'Lungs clear. No pneumothorax.', 'No pleural effusion. Heart size normal.']

function seed(db: Db): void {
  const set = saveLabelSetVersion(db, { slug: 'mini', name: 'Mini', labels: [{ name: 'Cardiomegaly' }, { name: 'Pleural Effusion' }, { name: 'Pneumothorax' }] })
  const lid = (n: string): number => set.labels.find((l) => l.name === n)!.id
  const ids = TEXTS.map((text, i) =>
    insertReport(db, { reportKey: `R${i}`, externalId: `R${i}`, batchId: null, text, contentHash: createHash('sha256').update(text).digest('hex'), sections: [{ name: 'whole', start: 0, end: text.length }] })
  )
  const teacher = createSource(db, { name: 'rules', kind: 'run', labelSetId: set.id })
  db.prepare(`INSERT INTO runs (source_id, engine, config_json, status) VALUES (?, 'rules', '{}', 'completed')`).run(teacher)
  writeSourceLabels(db, teacher, [
    { reportId: ids[0]!, labelId: lid('Cardiomegaly'), state: 'positive' },
    { reportId: ids[1]!, labelId: lid('Pneumothorax'), state: 'negative' },
    { reportId: ids[2]!, labelId: lid('Pleural Effusion'), state: 'negative' }
  ])
  const curated = createSource(db, { name: 'curated', kind: 'curated', labelSetId: set.id })
  writeSourceLabels(db, curated, [
    { reportId: ids[0]!, labelId: lid('Cardiomegaly'), state: 'positive' },
    { reportId: ids[0]!, labelId: lid('Pleural Effusion'), state: 'positive' },
    { reportId: ids[1]!, labelId: lid('Pneumothorax'), state: 'negative' },
    { reportId: ids[2]!, labelId: lid('Pleural Effusion'), state: 'negative' }
  ])
}

describe('training UI', () => {
  it('shows an adapter lineage, refuses a non-kit, and compares student against teacher', async () => {
    const base = join(files.dir, 'tiny.gguf')
    const lora = join(files.dir, 'student.gguf')
    writeTinyModel(base, { seed: 5 })
    writeTinyLora(lora, { seed: 3 })
    app = await openApp({ seed: (ws) => seed(ws.db), hash: '/models' })
    const { page, workspace } = app
    const b = await addModel(workspace.db, workspace.path, { path: base, mode: 'reference', name: 'tiny base' })
    const baseSha = await hashModel(workspace.db, b.id)
    const l = await addModel(workspace.db, workspace.path, { path: lora, mode: 'reference', name: 'student' })
    await hashModel(workspace.db, l.id)
    recordLineage(workspace.db, l.id, {
      baseModelId: b.id,
      baseSha256: baseSha,
      adapterDir: join(files.dir, 'kit', 'adapter'),
      kitDir: join(files.dir, 'kit'),
      kitChecksum: 'a'.repeat(64),
      dataset: {
        source: { name: 'rules', kind: 'run', engine: 'rules' },
        labelSet: { slug: 'mini', version: 1 },
        promptTemplate: 'radlabel-default@1',
        chatFormat: 'Llama 3',
        split: { by: 'patient', reports: { train: 40, validation: 5 }, examples: { train: 80, validation: 10 } },
        provenanceTotals: { rules: 135 }
      },
      training: { lora: { r: 8, alpha: 16, target_modules: ['q_proj', 'v_proj'] }, learningRate: 3e-4, microBatchSize: 2, gradientAccumulationSteps: 64, steps: 4, device: 'cpu', dtype: 'float32' },
      finalTrainLoss: 1.2345,
      finalValLoss: 1.5,
      conversion: { llamaCpp: 'v0.4.0', commit: '80fb11ac73e66d89eae2c6a91d8a77428fa733ed', script: 'convert_lora_to_gguf.py', outType: 'f32', seconds: 4.1 }
    })
    await page.reload()

    const row = page.getByRole('row', { name: /student/ })
    await expect.poll(() => row.textContent()).toContain('Lineage: trained on “rules”')
    const text = (await row.textContent()) ?? ''
    expect(text).toContain('train 1.2345')
    expect(text).toContain(baseSha)
    expect(text).toContain('LoRA r 8, alpha 16 on q_proj, v_proj')
    await page.screenshot({ path: '/tmp/radlabel-train-models.png', fullPage: true })

    const notKit = join(files.dir, 'empty')
    mkdirSync(notKit)
    const panel = page.getByRole('form', { name: 'Train a student' })
    await panel.getByLabel('Training kit folder').fill(notKit)
    await panel.getByRole('button', { name: 'Start training' }).click()
    await expect.poll(() => panel.getByRole('alert').first().textContent()).toMatch(/not a RadLabel training kit/)

    await page.goto(`${app.harness.url}/#/evaluate`)
    const st = page.getByRole('region', { name: 'Student against teacher' })
    await expect.poll(() => st.getByLabel('Teacher (weak labels)').inputValue()).not.toBe('')
    // One thread: on a busy 2-core machine llama.cpp's default thread count is far slower.
    await st.getByLabel('CPU threads').fill('1')
    await st.getByRole('button', { name: 'Compare' }).click()
    const table = st.getByLabel('Student against teacher results')
    // Either the results or an error: a failed job shows its message (and fails here with it).
    await expect
      .poll(async () => ((await table.count()) ? await table.textContent() : await st.getByRole('alert').allTextContents().then((a) => a.join(' '))), { timeout: 400_000, interval: 2000 })
      .toContain('student − teacher')
    const results = (await table.textContent()) ?? ''
    expect(results).toMatch(/teacher\s*rules/)
    expect(results).toContain('base')
    expect(results).toContain('3 reports of curated')
    await st.screenshot({ path: '/tmp/radlabel-train-evaluate.png' })
  }, 600_000)
})
