// The model registry and prompt templates over a real workspace database.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openWorkspace } from '../../src/node/store/db'
import { DEFAULT_TEMPLATE } from '../../src/node/engines/llm/prompts'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { addModel, hashModel, listModels, modelsDir, removeModel } from '../../src/node/models/registry'
import { sha256File } from '../../src/node/models/sha256'
import { getTemplate, listTemplates, saveTemplate } from '../../src/node/models/templates'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-models-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('model registry', () => {
  it('adds by reference and by copy, hashes, lists and removes', async () => {
    const ws = openWorkspace(join(dir, 'site.db'))
    try {
      const src = join(dir, 'tiny.gguf')
      writeTinyModel(src, { seed: 3 })
      const ref = await addModel(ws.db, ws.path, { path: src, mode: 'reference' })
      expect(ref).toMatchObject({ kind: 'base', copied: false, path: src, sha256: null, available: true })
      expect(ref.header.architecture).toBe('llama')
      await expect(addModel(ws.db, ws.path, { path: src, mode: 'reference' })).rejects.toThrow(/already registered/)

      const progress: number[] = []
      const copy = await addModel(ws.db, ws.path, { path: src, mode: 'copy', name: 'Tiny copy' }, { onProgress: (p) => progress.push(p.bytesDone) })
      expect(copy.copied).toBe(true)
      expect(copy.path.startsWith(modelsDir(ws.path))).toBe(true)
      expect(progress.at(-1)).toBe(copy.sizeBytes)

      expect(await hashModel(ws.db, copy.id)).toBe(await sha256File(src))
      const listed = await listModels(ws.db)
      expect(listed.map((m) => m.name).sort()).toEqual(['Tiny copy', 'radlabel-tiny-64x2'])

      const notModel = join(dir, 'x.gguf')
      writeFileSync(notModel, 'nope')
      await expect(addModel(ws.db, ws.path, { path: notModel, mode: 'copy' })).rejects.toThrow(/not a GGUF model file/)
      expect(existsSync(join(modelsDir(ws.path), 'x.gguf'))).toBe(false)

      expect(await removeModel(ws.db, copy.id)).toEqual({ deletedFile: true })
      expect(existsSync(copy.path)).toBe(false)
      expect(await removeModel(ws.db, ref.id)).toEqual({ deletedFile: false })
      expect(existsSync(src)).toBe(true)
      rmSync(src)
    } finally {
      ws.close()
    }
  })
})

describe('prompt templates', () => {
  it('lists built-ins and saves edits as new versions', () => {
    const ws = openWorkspace(':memory:')
    try {
      expect(listTemplates(ws.db).map((e) => e.template.name)).toEqual(['radlabel-default'])
      const v2 = saveTemplate(ws.db, { ...DEFAULT_TEMPLATE, system: 'Be brief.' })
      expect(v2.version).toBe(2)
      expect(getTemplate(ws.db, 'radlabel-default').system).toBe('Be brief.')
      expect(getTemplate(ws.db, 'radlabel-default@1').system).toBe(DEFAULT_TEMPLATE.system)
      expect(() => getTemplate(ws.db, 'missing')).toThrow(/no prompt template "missing"/)
      expect(() => saveTemplate(ws.db, { name: 'x' })).toThrow(/Invalid prompt template/)
    } finally {
      ws.close()
    }
  })
})
