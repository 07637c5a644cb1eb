// Issue 13 C/D/E: hostile files cost one record (or are refused), stay bounded and never silently become reports.
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { IMPORT_JOB_KIND, runImportJob, type ImportJobParams } from '../../src/node/import/job'
import { importFile } from '../../src/node/import/pipeline'
import { JobManager } from '../../src/node/jobs/jobManager'
import { openSource } from '../../src/node/import/read'
import { records, type ReaderItem } from '../../src/node/import/types'
import { openWorkspace, type Workspace } from '../../src/node/store/db'
import { listIssues } from '../../src/node/store/repos/batches'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-hostile-'))
afterAll(() => {
  try {
    chmodSync(join(dir, 'folder', 'r0300.txt'), 0o644)
  } catch {
    /* not created */
  }
  rmSync(dir, { recursive: true, force: true })
})

let ws: Workspace
beforeEach(() => {
  ws?.close()
  ws = openWorkspace(':memory:')
})

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
  return p
}

async function items(path: string, opts = {}): Promise<ReaderItem[]> {
  const out: ReaderItem[] = []
  for await (const it of records(await openSource(path, opts))) out.push(it)
  return out
}

const errors = (its: ReaderItem[]) => its.filter((i) => i.kind === 'error')
const recs = (its: ReaderItem[]) => its.filter((i) => i.kind === 'record')
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')
const dr = (id: string, extra: object) => ({ resourceType: 'DiagnosticReport', id, status: 'final', ...extra })
const plainForm = (t: string) => ({ presentedForm: [{ contentType: 'text/plain', data: b64(t) }] })

describe('one bad record costs one record (13 C)', () => {
  it('JSON: a record nested 100,000 deep is rejected with its location; the records around it are kept', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)
    for (const [name, content] of [
      ['deep-array.json', `[\n{"id":"1","report":"Lungs clear."},\n{"id":"2","report":{"x":${deep}}},\n{"id":"3","report":"No effusion."}\n]`],
      ['deep-lines.jsonl', `{"id":"1","report":"Lungs clear."}\n{"id":"2","x":${deep}}\n{"id":"3","report":"No effusion."}\n`],
      ['deep-array-of-arrays.json', `[{"id":"1","report":"a"},{"id":"2","report":"b","y":${'['.repeat(50_000)}${']'.repeat(50_000)}}]`]
    ] as const) {
      const p = write(name, content)
      ws.close()
      ws = openWorkspace(':memory:')
      const r = await importFile(ws.db, { path: p, mapping: { idField: 'id', textField: 'report' } })
      expect(r.status, name).toBe('completed')
      expect(r.rejected, name).toBe(1)
      const issue = listIssues(ws.db, r.batchId!, { limit: 5 }).items[0]
      expect(issue.reason, name).toMatch(/nested deeper than 64 levels/)
      expect(issue.location, name).toMatch(/record 2/)
    }
  })

  it('FHIR: resources with the wrong types are rejected by path, record 701 of 1,000 does not stop the batch', async () => {
    const good = (i: number) => dr(`r${i}`, plainForm(`FINDINGS: Report ${i}. IMPRESSION: Normal.`))
    const bad = [
      dr('b1', { presentedForm: { contentType: 'text/plain', data: b64('x') } }),
      dr('b2', { presentedForm: [{ contentType: 'text/plain', data: 12345 }] }),
      dr('b3', { identifier: 'ACC-1', conclusion: 'Normal.' }),
      dr('b4', { conclusion: 42 }),
      dr('b5', { subject: 'Patient/1', conclusion: 'Normal.' })
    ]
    const entries = Array.from({ length: 1000 }, (_, i) => good(i))
    entries.splice(700, 5, ...bad)
    const p = write('bundle.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: entries.map((resource) => ({ resource })) }))
    const r = await importFile(ws.db, { path: p })
    expect(r).toMatchObject({ status: 'completed', added: 995, rejected: 5 })
    const reasons = listIssues(ws.db, r.batchId!, { limit: 10 }).items.map((i) => `${i.location}: ${i.reason}`)
    expect(reasons[0]).toMatch(/record 701.*wrong FHIR type: presentedForm/)
    expect(reasons[1]).toMatch(/presentedForm\[0\]\.data: expected string/)
    expect(reasons[2]).toMatch(/identifier/)
    expect(reasons[3]).toMatch(/conclusion/)
    expect(reasons[4]).toMatch(/subject/)
  })

  it('a folder with an unreadable file: that file is rejected, the rest imported; a re-run continues the same batch', async () => {
    const folder = join(dir, 'folder')
    for (let i = 0; i < 601; i++) write(`folder/r${String(i).padStart(4, '0')}.txt`, `FINDINGS: Report ${i}.\nIMPRESSION: Normal ${i}.`)
    // Root reads mode-000 files: there, the file becomes unreadable between listing and reading instead.
    const asRoot = process.getuid?.() === 0
    if (asRoot) {
      const source = await openSource(folder)
      rmSync(join(folder, 'r0300.txt'))
      mkdirSync(join(folder, 'r0300.txt'))
      const its: ReaderItem[] = []
      for await (const it of records(source)) its.push(it)
      expect(recs(its)).toHaveLength(600)
      expect(errors(its)[0]).toMatchObject({ loc: { file: join(folder, 'r0300.txt'), record: 301 } })
      expect(errors(its)[0].kind === 'error' && errors(its)[0].reason).toMatch(/r0300\.txt: the file cannot be read \(EISDIR\)/)
      rmSync(join(folder, 'r0300.txt'), { recursive: true })
      write('folder/r0300.txt', 'FINDINGS: Report 300.\nIMPRESSION: Normal 300.')
      return
    }
    chmodSync(join(folder, 'r0300.txt'), 0)
    const r = await importFile(ws.db, { path: folder })
    expect(r).toMatchObject({ status: 'completed', added: 600, rejected: 1 })
    const issue = listIssues(ws.db, r.batchId!, { limit: 5 }).items[0]
    expect(issue.reason).toMatch(/r0300\.txt: the file cannot be read \(permission denied\)/)
    expect(issue.file).toBe(join(folder, 'r0300.txt'))
  })

  it('a failed folder batch is continued by the next run, never piled up', async () => {
    const folder = join(dir, 'folder2')
    for (let i = 0; i < 601; i++) write(`folder2/r${String(i).padStart(4, '0')}.txt`, `FINDINGS: Report ${i}.\nIMPRESSION: Normal ${i}.`)
    const r = await importFile(ws.db, { path: folder })
    expect(r.added).toBe(601)
    // A job that failed for another reason (disk full, a crash) leaves a failed batch.
    ws.db.prepare(`UPDATE import_batches SET status = 'failed', records_done = 250, added = 250 WHERE id = ?`).run(r.batchId)
    ws.db.prepare('DELETE FROM reports WHERE id > 250').run()
    for (let run = 0; run < 2; run++) {
      const jobs = new JobManager(ws)
      jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
      const job = await jobs.wait(jobs.start(IMPORT_JOB_KIND, 'import', { files: [{ path: folder }] } satisfies ImportJobParams).id)
      expect(job.status).toBe('completed')
    }
    expect(ws.db.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(601)
    expect(ws.db.prepare('SELECT count(*) FROM import_batches').pluck().get()).toBe(2) // the continued one + one re-import
    expect(ws.db.prepare(`SELECT count(*) FROM import_batches WHERE status = 'failed'`).pluck().get()).toBe(0)
  })
})

describe('bounded time and memory (13 D)', () => {
  it('an unquoted CSV field of 8 MB is one clear rejection, parsed in linear time; the rows after it are kept', async () => {
    const sizes = [8, 16]
    const times: number[] = []
    for (const mb of sizes) {
      const p = write(`big-${mb}.csv`, `id,report\n1,Lungs clear.\n2,${'x'.repeat(mb * 1024 * 1024)}\n3,No effusion.\n`)
      const t0 = performance.now()
      const r = await importFile(ws.db, { path: p })
      times.push(performance.now() - t0)
      expect(r).toMatchObject({ status: 'completed', rejected: 1 })
      expect(r.added + r.duplicates).toBe(2)
      const issue = listIssues(ws.db, r.batchId!, { limit: 5 }).items[0]
      expect(issue.reason).toMatch(/record longer than 2162688 characters on line 3; skipped/)
    }
    // Linear: doubling the field does not quadruple the time (generous bound; not a benchmark).
    expect(times[1]).toBeLessThan(times[0] * 3 + 500)
  })

  it('a quoted report over the cap is rejected with the limit; the cap is configurable', async () => {
    const text = 'Normal chest. '.repeat(80_000) // 1.1 M characters
    const p = write('cap.csv', `id,report\n1,"${text}"\n2,Short.\n`)
    const r = await importFile(ws.db, { path: p })
    expect(r).toMatchObject({ added: 1, rejected: 1 })
    expect(listIssues(ws.db, r.batchId!, { limit: 5 }).items[0].reason).toMatch(/report text is 1,120,000 characters, over the limit of 1,048,576/)
    const ws2 = openWorkspace(':memory:')
    const r2 = await importFile(ws2.db, { path: p, options: { maxReportChars: 2_000_000 } })
    expect(r2).toMatchObject({ added: 2, rejected: 0 })
    const r3 = await importFile(ws2.db, { path: write('cap3.csv', 'id,report\n11,Twelve chars\n12,Short.\n'), options: { maxReportChars: 8 } })
    expect(r3).toMatchObject({ added: 1, rejected: 1 })
    ws2.close()
  })

  it('a runaway quoted field is reported once, not once per line, and the records after it come back', async () => {
    const junk = Array.from({ length: 20_000 }, (_, i) => `free text line ${i} without any delimiter`).join('\n')
    for (const [name, content, added] of [
      ['runaway-eof.csv', `id,report\n1,Lungs clear.\n2,"never closed ${junk}\n`, 1],
      ['runaway-mid.csv', `id,report\n5,Lungs clear.\n2,"opens here\n${junk}\n3,Normal.\n4,"Quoted, fine."\n`, 3]
    ] as const) {
      const r = await importFile(ws.db, { path: write(name, content), options: { format: 'csv' } })
      expect(r.rejected, name).toBe(1)
      expect(r.added, name).toBe(added)
      const issue = listIssues(ws.db, r.batchId!, { limit: 5 }).items[0]
      expect(issue.reason, name).toMatch(/(unterminated quoted field starting on line 3|bad quoting).*lines 3-2000[23] do not parse as records/)
    }
    // A small workspace: one issue row, bounded excerpt.
    expect(ws.db.prepare('SELECT count(*) FROM import_issues').pluck().get()).toBe(2)
  })

  it('a FIFO is refused for every format, forced or detected, without hanging', async () => {
    const fifo = join(dir, 'p.txt')
    execFileSync('mkfifo', [fifo])
    for (const format of ['auto', 'csv', 'tsv', 'xlsx', 'json', 'jsonl', 'txt-dir', 'mimic', 'hl7', 'fhir'] as const) {
      const r = await importFile(ws.db, { path: fifo, options: { format } })
      expect(r.status, format).toBe('refused')
      expect(r.error, format).toMatch(/named pipe \(FIFO\)/)
    }
    const dev = await importFile(ws.db, { path: '/dev/zero', options: { format: 'csv' } })
    expect(dev.error).toMatch(/Refusing the file to import \/dev\/zero/)
  })

  it('JSON and JSONL records over the cap are skipped in constant memory, one rejection each', async () => {
    const big = 'y'.repeat(3_000_000)
    const a = await items(write('big.json', `[{"id":"1","report":"ok"},{"id":"2","report":"${big}"},{"id":"3","report":"ok too"}]`))
    expect(recs(a)).toHaveLength(2)
    expect(errors(a).map((e) => (e.kind === 'error' ? e.reason : ''))).toEqual([expect.stringMatching(/record 2 \(line 1\) is longer than 2162688 characters/)])
    const b = await items(write('big.jsonl', `{"id":"1","report":"ok"}\n{"id":"2","report":"${big}"}\n{"id":"3","report":"ok too"}\n`))
    expect(recs(b)).toHaveLength(2)
    expect(errors(b)[0]).toMatchObject({ loc: { line: 2 } })
  })
})

describe('no silent garbage (13 E)', () => {
  it('FHIR: invalid base64, a PDF and random bytes are rejected; valid text next to them is kept', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 3, 200, 201])])
    const random = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256))
    const lines = [
      dr('ok', plainForm('IMPRESSION: Normal.')),
      dr('bad64', { presentedForm: [{ contentType: 'text/plain', data: 'this is not base64!!' }] }),
      dr('bad64b', { presentedForm: [{ contentType: 'text/plain', data: 'QUJD=' }] }),
      dr('pdf-as-text', { presentedForm: [{ contentType: 'text/plain', data: b64(pdf) }] }),
      dr('pdf', { presentedForm: [{ contentType: 'application/pdf', data: b64(pdf) }] }),
      dr('random', { presentedForm: [{ data: b64(random) }] }),
      dr('pdf-with-conclusion', { conclusion: 'Normal chest.', presentedForm: [{ contentType: 'application/pdf', data: b64(pdf) }] })
    ]
    const its = await items(write('forms.ndjson', lines.map((l) => JSON.stringify(l)).join('\n')))
    const out = its.map((i) => (i.kind === 'record' ? `ok ${i.fields.id}` : `${i.code}: ${i.reason}`))
    expect(out[0]).toBe('ok ok')
    expect(out[1]).toMatch(/not_a_report: .*presentedForm\[0\]\.data is not valid base64/)
    expect(out[2]).toMatch(/not valid base64/)
    expect(out[3]).toMatch(/presentedForm\[0\] \(text\/plain\) holds binary data/)
    expect(out[4]).toMatch(/only content is an attachment of type application\/pdf/)
    expect(out[5]).toMatch(/only content is an attachment of type no contentType/)
    expect(out[6]).toBe('ok pdf-with-conclusion')
  })

  it('binary or NUL-containing .txt files inside a folder are refused like a single file', async () => {
    write('mixed/a.txt', 'FINDINGS: Normal.')
    write('mixed/b.txt', Buffer.from('FINDINGS: Normal.\0\0\0 hidden'))
    write('mixed/c.txt', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 7)]))
    write('mixed/d.txt', Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 8) + 1)))
    write('mixed/e.txt', Buffer.from('\ufeffIMPRESSION: Clear.', 'utf16le'))
    const its = await items(join(dir, 'mixed'))
    expect(its.map((i) => (i.kind === 'record' ? `ok ${i.fields.id}` : i.reason))).toEqual([
      'ok a',
      expect.stringMatching(/^b\.txt: the file contains NUL bytes/),
      expect.stringMatching(/^c\.txt: this is a PDF document/),
      expect.stringMatching(/^d\.txt: the file is mostly control characters/),
      'ok e'
    ])
  })
})
