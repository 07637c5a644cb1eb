// The models calls through the real handler table: add a GGUF by path (hash job), refuse bad files,
// fit estimate and hardware from a host process, template preview, remove.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { createSession } from '../../src/node/services/session'
import { sha256File } from '../../src/node/models/sha256'
import { tempDir } from '../support/workspace'

const dir = tempDir('radlabel-models-ipc-')
afterAll(() => dir.cleanup())

describe('models calls', () => {
  it('adds, hashes, estimates, previews and removes', async () => {
    const session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
    try {
      const model = join(dir.dir, 'tiny.gguf')
      writeTinyModel(model)
      const added = await session.call('models.add', { path: model })
      if (!added.ok) throw new Error(added.error.message)
      const { model: entry, job } = added.value as { model: { id: number }; job: { id: number } }
      const finished = await session.ctx.jobs.wait(job.id)
      expect(finished.status).toBe('completed')
      const list = await session.call('models.list', {})
      expect(list).toMatchObject({ ok: true, value: [{ id: entry.id, kind: 'base', sha256: await sha256File(model), available: true }] })

      const bad = join(dir.dir, 'bad.gguf')
      writeFileSync(bad, 'not a model')
      expect(await session.call('models.add', { path: bad, mode: 'copy' })).toMatchObject({
        ok: false,
        error: { code: 'unsupported', message: /not a GGUF model file/ }
      })

      const fit = await session.call('models.fit', { id: entry.id, contextSize: 1024, sequences: 2, gpu: 'cpu' })
      expect(fit).toMatchObject({ ok: true, value: { fits: true, gpu: false, gpuLayers: 0 } })
      const hw = await session.call('models.hardware', {})
      expect(hw).toMatchObject({ ok: true, value: { backends: expect.arrayContaining([expect.objectContaining({ type: 'cpu', usable: true })]) } })

      const preview = await session.call('models.previewTemplate', { template: 'radlabel-default', task: 'both', labelSet: 'chexpert14' })
      if (!preview.ok) throw new Error(preview.error.message)
      const value = preview.value as { system: string; turns: unknown[]; schema: { properties: Record<string, unknown> } }
      expect(value.system).toContain('- Cardiomegaly')
      expect(Object.keys(value.schema.properties)).toEqual(['findings', 'labels', 'evidence'])

      expect(await session.call('models.remove', { id: entry.id })).toEqual({ ok: true, value: { deletedFile: false } })
    } finally {
      await session.close()
    }
  }, 120_000)
})
