import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { openWorkspace, type Workspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'
import { deleteBatch, getBatch, listIssues } from '../../src/node/store/repos/batches'
import { writeIssuesCsv } from '../../src/node/import/issues-csv'
import { importReferenceLabels } from '../../src/node/import/labels'
import { importFile } from '../../src/node/import/pipeline'
import { IMPORT_JOB_KIND, runImportJob, type ImportJobParams, type ImportJobResult } from '../../src/node/import/job'
import { JobManager } from '../../src/node/jobs/jobManager'
import { tempWorkspace } from '../support/workspace'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-pipeline-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let ws: Workspace
beforeEach(() => {
  ws?.close()
  ws = openWorkspace(':memory:')
})

function csv(name: string, rows: Array<[string, string]>, extra = ''): string {
  const p = join(dir, name)
  writeFileSync(p, 'id,report\n' + rows.map(([id, t]) => `${id},"${t.replace(/"/g, '""')}"`).join('\n') + '\n' + extra)
  return p
}

const synthetic = (n: number, from = 0): Array<[string, string]> =>
  Array.from({ length: n }, (_, i) => [`R${from + i}`, `FINDINGS: Report ${from + i}, heart normal.\nIMPRESSION: No acute disease ${from + i}.`])

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

const count = (sql: string, ...args: unknown[]) => ws.db.prepare(sql).pluck().get(...args) as number

describe('import pipeline', () => {
  it('adds reports with sections, then re-import adds nothing and counts duplicates', async () => {
    const p = csv('a.csv', synthetic(50))
    const first = await importFile(ws.db, { path: p })
    expect(first).toMatchObject({ status: 'completed', added: 50, duplicates: 0, conflicts: 0, rejected: 0, records: 50 })
    const row = ws.db.prepare('SELECT * FROM reports WHERE report_key = ?').get('R7') as Record<string, string>
    expect(row.text).toBe('FINDINGS: Report 7, heart normal.\nIMPRESSION: No acute disease 7.')
    const sections = JSON.parse(row.sections_json) as Array<{ name: string; start: number; end: number }>
    expect(sections.map((s) => [s.name, row.text.slice(s.start, s.end)])).toEqual([
      ['findings', 'Report 7, heart normal.'],
      ['impression', 'No acute disease 7.']
    ])
    expect(row.source_location).toBe(`${p} (line 16, record 8)`)
    const again = await importFile(ws.db, { path: p })
    expect(again).toMatchObject({ added: 0, duplicates: 50, conflicts: 0 })
    expect(count('SELECT count(*) FROM reports')).toBe(50)
  })

  it('records a conflict for the same id with other text and never overwrites', async () => {
    await importFile(ws.db, { path: csv('b1.csv', [['X1', 'Original text.']]) })
    const r = await importFile(ws.db, { path: csv('b2.csv', [['X1', 'Changed text.'], ['X2', 'New.']]) })
    expect(r).toMatchObject({ added: 1, conflicts: 1, duplicates: 0 })
    expect(ws.db.prepare("SELECT text FROM reports WHERE report_key = 'X1'").pluck().get()).toBe('Original text.')
    const issues = listIssues(ws.db, r.batchId!, { kind: 'conflict' })
    expect(issues.items[0]).toMatchObject({ externalId: 'X1', location: 'line 2, record 1', excerpt: 'Changed text.' })
    expect(issues.items[0].reason).toMatch(/already exists with different text.*kept/)
  })

  it('uses a content hash as key when there is no id, so identical texts are one report', async () => {
    const p = join(dir, 'noid.csv')
    writeFileSync(p, 'report\n"Lungs clear."\n"Lungs clear."\n"Heart enlarged."\n')
    const r = await importFile(ws.db, { path: p, mapping: { textField: 'report' } })
    expect(r).toMatchObject({ added: 2, duplicates: 1 })
    expect(count("SELECT count(*) FROM reports WHERE report_key LIKE 'sha256:%'")).toBe(2)
  })

  it('stores rejected records with file, location and reason, and writes them as CSV', async () => {
    const p = csv('c.csv', [['A', 'Fine.'], ['', 'No id.'], ['C', '   ']], 'D,"broken "quote"\nE,Last one.\n')
    const r = await importFile(ws.db, { path: p, mapping: { idField: 'id', textField: 'report' } })
    expect(r).toMatchObject({ added: 2, rejected: 3 })
    const { items } = listIssues(ws.db, r.batchId!)
    expect(items.map((i) => [i.location, i.reason])).toEqual([
      ['line 3, record 2', 'id field "id" is empty'],
      ['line 4, record 3', 'report text is empty'],
      ['line 5, record 4', expect.stringMatching(/bad quoting/)]
    ])
    const out = join(dir, 'errors.csv')
    expect(await writeIssuesCsv(ws.db, r.batchId!, out)).toBe(3)
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('\ufeffkind,file,location,external_id,reason,excerpt\r\n')).toBe(true)
    expect(text).toContain('rejected,' + p + ',"line 5, record 4",,')
  })

  it('refuses a file that is no report source, with one reason', async () => {
    const p = join(dir, 'scan.pdf')
    writeFileSync(p, '%PDF-1.4 binary')
    const r = await importFile(ws.db, { path: p })
    expect(r).toMatchObject({ status: 'refused', batchId: null })
    expect(r.error).toMatch(/PDF document, not a report file/)
    const m = await importFile(ws.db, { path: csv('d.csv', [['1', 'x']]), mapping: { idField: 'nope', textField: 'report' } })
    expect(m.status).toBe('refused')
    expect(m.error).toMatch(/Id field "nope" is not in this file/)
  })

  it('cancels between chunks leaving whole chunks, then resumes with no duplicates and no gaps', async () => {
    const p = csv('big.csv', synthetic(1000))
    const controller = new AbortController()
    const cancelled = await importFile(
      ws.db,
      { path: p },
      {
        chunkSize: 100,
        signal: controller.signal,
        onProgress: (pr) => {
          if (pr.records >= 300) controller.abort()
        }
      }
    )
    expect(cancelled.status).toBe('cancelled')
    const batch = getBatch(ws.db, cancelled.batchId!)
    expect(batch.status).toBe('cancelled')
    expect(batch.recordsDone % 100).toBe(0)
    expect(batch.reportCount).toBe(batch.recordsDone)
    expect(batch.added).toBe(batch.recordsDone)
    const resumed = await importFile(ws.db, { path: p, resumeBatchId: batch.id })
    expect(resumed).toMatchObject({ status: 'completed', duplicates: 0, resumedFrom: batch.recordsDone })
    expect(resumed.added).toBe(1000 - batch.recordsDone)
    const done = getBatch(ws.db, batch.id)
    expect(done).toMatchObject({ status: 'completed', recordsDone: 1000, added: 1000, reportCount: 1000 })
    const keys = ws.db.prepare('SELECT report_key FROM reports').pluck().all() as string[]
    expect(new Set(keys)).toEqual(new Set(synthetic(1000).map(([id]) => id)))
  })

  it('deletes a batch with its reports and issues, in chunks', async () => {
    const a = await importFile(ws.db, { path: csv('e1.csv', synthetic(30)) })
    const b = await importFile(ws.db, { path: csv('e2.csv', [...synthetic(10, 25), ['', 'x']]) })
    expect(b).toMatchObject({ added: 5, duplicates: 5, rejected: 1 })
    expect(await deleteBatch(ws.db, b.batchId!, { chunk: 2 })).toEqual({ reports: 5 })
    expect(count('SELECT count(*) FROM reports')).toBe(30)
    expect(count('SELECT count(*) FROM import_issues')).toBe(0)
    expect(() => getBatch(ws.db, b.batchId!)).toThrow(/no import batch/)
    expect(getBatch(ws.db, a.batchId!).reportCount).toBe(30)
  })
})

describe('import job', () => {
  it('reports progress, cancels, and resumes the same batch through the JobManager', async () => {
    const p = csv('job.csv', synthetic(3000))
    let jobs: JobManager | undefined = undefined
    const seen: number[] = []
    jobs = new JobManager(ws, (snap) => {
      if (snap.status === 'running' && snap.progress.done > 0) {
        seen.push(snap.progress.done)
        jobs!.cancel(snap.id)
      }
    })
    jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
    const started = jobs.start(IMPORT_JOB_KIND, 'Import job.csv', { files: [{ path: p }] } satisfies ImportJobParams)
    const stopped = await jobs.wait(started.id)
    expect(stopped.status).toBe('cancelled')
    expect(stopped.progress).toMatchObject({ unit: 'records' })
    expect(stopped.progress.counters?.bytesTotal).toBeGreaterThan(0)
    const partial = count('SELECT count(*) FROM reports')
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(3000)
    expect(ws.db.prepare('SELECT status FROM import_batches').pluck().get()).toBe('cancelled')

    const quiet = new JobManager(ws)
    quiet.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
    quiet.resume(started.id)
    const done = await quiet.wait(started.id)
    expect(done.status).toBe('completed')
    const result = done.result as ImportJobResult
    expect(result).toMatchObject({ added: 3000 - partial, duplicates: 0, refused: 0 })
    expect(count('SELECT count(*) FROM reports')).toBe(3000)
    expect(ws.db.prepare('SELECT count(*), min(status) FROM import_batches').raw().get()).toEqual([1, 'completed'])
    expect(seen.length).toBeGreaterThan(0)
  })
})

describe('import in a worker thread', () => {
  it('gives the same reports, issues and checkpoints as in-process, and cancels and resumes', async () => {
    const p = csv('thread.csv', [...synthetic(3000), ['', 'no id'], ['R3', 'changed text']])
    const runWith = async (thread: boolean) => {
      const tw = tempWorkspace()
      const before = process.env.RADLABEL_IMPORT_THREAD
      process.env.RADLABEL_IMPORT_THREAD = thread ? '1' : '0'
      try {
        const jobs = new JobManager(tw)
        jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
        const job = await jobs.wait(jobs.start(IMPORT_JOB_KIND, 'import', { files: [{ path: p }] } satisfies ImportJobParams).id)
        const rows = tw.db.prepare('SELECT report_key, text, sections_json, source_location, batch_id FROM reports ORDER BY id').raw().all()
        const issues = tw.db.prepare('SELECT kind, location, reason FROM import_issues ORDER BY id').raw().all()
        const batch = tw.db.prepare('SELECT records_done, added, rejected, conflicts, status FROM import_batches').get()
        return { job, rows, issues, batch }
      } finally {
        restoreEnv('RADLABEL_IMPORT_THREAD', before)
        tw.cleanup()
      }
    }
    const inline = await runWith(false)
    const threaded = await runWith(true)
    const result = threaded.job.result as ImportJobResult
    expect(result.files[0].notes.join(' ')).not.toMatch(/worker unavailable/)
    expect(result).toMatchObject({ added: 3000, rejected: 1, conflicts: 1 })
    expect(threaded.rows).toEqual(inline.rows)
    expect(threaded.issues).toEqual(inline.issues)
    expect(threaded.batch).toEqual({ records_done: 3002, added: 3000, rejected: 1, conflicts: 1, status: 'completed' })
    expect(inline.batch).toEqual(threaded.batch)
    expect(threaded.job.progress.counters?.bytesTotal).toBeGreaterThan(0)
  })

  it('cancels a threaded import between chunks and resumes it', async () => {
    const p = csv('thread-cancel.csv', synthetic(20000))
    const tw = tempWorkspace()
    const before = process.env.RADLABEL_IMPORT_THREAD
    process.env.RADLABEL_IMPORT_THREAD = '1'
    try {
      let jobs: JobManager | undefined = undefined
      jobs = new JobManager(tw, (snap) => {
        if (snap.status === 'running' && snap.progress.done > 0) jobs!.cancel(snap.id)
      })
      jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
      const started = jobs.start(IMPORT_JOB_KIND, 'import', { files: [{ path: p }] } satisfies ImportJobParams)
      const stopped = await jobs.wait(started.id)
      expect(stopped.status).toBe('cancelled')
      const partial = tw.db.prepare('SELECT records_done, added, status FROM import_batches').get() as Record<string, unknown>
      expect(partial.status).toBe('cancelled')
      expect(partial.records_done).toBe(partial.added)
      expect(tw.db.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(partial.added)
      const quiet = new JobManager(tw)
      quiet.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
      quiet.resume(started.id)
      const done = await quiet.wait(started.id)
      expect(done.status).toBe('completed')
      expect(tw.db.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(20000)
      expect((done.result as ImportJobResult).duplicates).toBe(0)
      expect((done.result as ImportJobResult).files[0].notes.join(' ')).not.toMatch(/worker unavailable/)
    } finally {
      restoreEnv('RADLABEL_IMPORT_THREAD', before)
      tw.cleanup()
    }
  })
})

describe('reference labels import', () => {
  it('imports a CheXpert-layout file as a named source, listing unknown columns and ids', async () => {
    prepareWorkspace(ws)
    await importFile(ws.db, { path: csv('rep.csv', synthetic(3)) })
    const p = join(dir, 'labels.csv')
    writeFileSync(
      p,
      'study_id,Path,pleural_effusion,CARDIOMEGALY,No Finding,Lung Opacity\n' +
        'R0,x,1,0,,-1\n' +
        'R1,y,-1.0,1.0,0,\n' +
        'R9,z,1,1,1,1\n' +
        'R2,w,maybe,1,0,0\n'
    )
    const r = await importReferenceLabels(ws.db, { path: p, sourceName: 'site gold', labelSet: 'chexpert14', idColumn: 'study_id' })
    expect(r.matched).toEqual([
      { column: 'pleural_effusion', label: 'Pleural Effusion' },
      { column: 'CARDIOMEGALY', label: 'Cardiomegaly' },
      { column: 'No Finding', label: 'No Finding' },
      { column: 'Lung Opacity', label: 'Lung Opacity' }
    ])
    expect(r.unknownColumns).toEqual(['Path'])
    expect(r.unknownReportIds).toEqual({ count: 1, sample: ['R9'] })
    expect(r.rejected).toEqual([{ location: 'line 5, record 4', reason: 'column "pleural_effusion" has "maybe"; expected 1, 0, -1 or blank' }])
    expect(r).toMatchObject({ rows: 4, reportsLabelled: 2, labelsWritten: 8 })
    const states = ws.db
      .prepare(
        `SELECT r.report_key || ':' || l.name || '=' || sl.state FROM source_labels sl JOIN labels l ON l.id = sl.label_id
         JOIN reports r ON r.id = sl.report_id JOIN sources s ON s.id = sl.source_id WHERE s.name = 'site gold' AND s.kind = 'imported'
         ORDER BY r.report_key, l.ord`
      )
      .pluck()
      .all()
    expect(states).toEqual(
      expect.arrayContaining([
        'R0:Pleural Effusion=positive',
        'R0:Cardiomegaly=negative',
        'R0:No Finding=not_mentioned',
        'R0:Lung Opacity=uncertain',
        'R1:Pleural Effusion=uncertain',
        'R1:Cardiomegaly=positive'
      ])
    )
    expect(states).toHaveLength(8)
  })
})
