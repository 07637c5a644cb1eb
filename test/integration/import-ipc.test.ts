// The import calls through the handler table, as the renderer makes them.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { BatchInfo } from '../../src/common/import/dto'
import type { JobSnapshot } from '../../src/common/types'
import { createSession, type AppSession } from '../../src/node/services/session'
import { tempDir } from '../support/workspace'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function open(): Promise<{ s: AppSession; dir: string }> {
  const d = tempDir()
  cleanup = d.cleanup
  session = await createSession({ dbPath: join(d.dir, 'ws.db'), platform: { runtime: 'node' } })
  return { s: session, dir: d.dir }
}

async function value<T>(s: AppSession, name: string, input: unknown): Promise<T> {
  const out = await s.call(name, input)
  if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
  return out.value as T
}

describe('import calls', () => {
  it('previews with a saved preset, imports as a job, lists and resumes batches', async () => {
    const { s, dir } = await open()
    const file = join(dir, 'export.csv')
    let text = 'Exam No,Report Body,Exam Date\n'
    for (let i = 0; i < 3000; i++) text += `E${i},"FINDINGS: Synthetic ${i}.\nIMPRESSION: Normal.",2024-02-0${1 + (i % 9)}\n`
    writeFileSync(file, text)

    // The suggestion cannot know "Exam No" is the id; the user maps it and saves a preset.
    const first = await value<{ suggested: { idField?: string; textField?: string } }>(s, 'import.preview', { path: file })
    expect(first.suggested).toMatchObject({ textField: 'Report Body' })
    expect(first.suggested.idField).toBeUndefined()
    const mapping = { idField: 'Exam No', textField: 'Report Body', meta: { studyDate: 'Exam Date' } }
    await value(s, 'import.savePreset', { name: 'RIS export', format: 'csv', mapping })
    const again = await value<{ suggested: unknown; rows: Array<{ mapped?: { ok: boolean; report?: { externalId: string } } }> }>(
      s,
      'import.preview',
      { path: file, limit: 3 }
    )
    expect(again.suggested).toEqual(mapping)
    expect(again.rows.map((r) => r.mapped?.report?.externalId)).toEqual(['E0', 'E1', 'E2'])

    // Start, cancel as soon as something is committed, resume the batch, finish.
    const job = await value<JobSnapshot>(s, 'import.start', { files: [{ path: file, mapping }] })
    const jobs = s.ctx.jobs
    while (jobs.get(job.id).progress.done === 0 && jobs.get(job.id).status === 'running') await new Promise((r) => setTimeout(r, 5))
    jobs.cancel(job.id)
    await jobs.wait(job.id)
    const [batch] = await value<BatchInfo[]>(s, 'import.batches', {})
    if (batch.status === 'cancelled') {
      expect(batch.recordsDone).toBeLessThan(3000)
      const resumed = await value<JobSnapshot>(s, 'import.resumeBatch', { id: batch.id })
      expect((await jobs.wait(resumed.id)).status).toBe('completed')
    }
    const done = await value<BatchInfo>(s, 'import.batch', { id: batch.id })
    expect(done).toMatchObject({ status: 'completed', recordsDone: 3000, added: 3000, reportCount: 3000, duplicates: 0 })
    expect(await s.call('import.resumeBatch', { id: batch.id })).toMatchObject({ ok: false, error: { code: 'conflict' } })

    // Issues of a batch, written next to the workspace when there is no dialog.
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'Exam No,Report Body,Exam Date\nX1,,2024-01-01\n')
    const j2 = await value<JobSnapshot>(s, 'import.start', { files: [{ path: bad }] })
    const r2 = (await jobs.wait(j2.id)).result as { rejected: number; files: Array<{ batchId: number }> }
    expect(r2.rejected).toBe(1)
    const saved = await value<{ path: string; count: number }>(s, 'import.saveIssues', { batchId: r2.files[0].batchId })
    expect(saved).toEqual({ path: join(dir, `import-errors-batch-${r2.files[0].batchId}.csv`), count: 1 })
    expect(await value(s, 'import.deleteBatch', { id: r2.files[0].batchId })).toEqual({ reports: 0 })
    expect(await s.call('import.batch', { id: r2.files[0].batchId })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('answers invalid mappings with readable validation errors', async () => {
    const { s } = await open()
    const out = await s.call('import.start', { files: [{ path: '/x.csv', mapping: { textField: 'a', bogus: 1 } }] })
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })
})
