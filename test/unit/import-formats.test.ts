import ExcelJS from 'exceljs'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { applyMapping, suggestMapping, validateMapping } from '../../src/common/import/mapping'
import { detectFormat } from '../../src/node/import/detect'
import { narrativeToText } from '../../src/node/import/fhir'
import { JsonRecordScanner } from '../../src/node/import/json-scanner'
import { openSource, previewSource } from '../../src/node/import/read'
import { records, type ReaderItem } from '../../src/node/import/types'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-formats-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
  return p
}

async function readAll(path: string, opts = {}) {
  const src = await openSource(path, opts)
  const items: ReaderItem[] = []
  for await (const it of records(src)) items.push(it)
  return { src, items }
}

const fieldsOf = (items: ReaderItem[]) => items.map((i) => (i.kind === 'record' ? i.fields : { error: i.code, line: i.loc.line }))

describe('JSON and JSONL', () => {
  it('streams a JSON array with nested fields flattened and a malformed element rejected at its line', async () => {
    const p = write(
      'a.json',
      '[\n  {"id": "j1", "report": {"findings": "Clear lungs.", "impression": "Normal."}, "date": "2024-01-02"},\n' +
        '  {"id": "j2", "report": {"findings": "Effusion", "impression": tru}},\n' +
        '  {"id": 3, "report": {"findings": "Nodule [right] {apical}", "impression": "Follow up."}, "lines": ["a", "b"]}\n]\n'
    )
    const { src, items } = await readAll(p)
    expect(src.info.format).toBe('json')
    expect(src.info.fields).toEqual(['id', 'report.findings', 'report.impression', 'date', 'lines'])
    expect(fieldsOf(items)).toEqual([
      { id: 'j1', 'report.findings': 'Clear lungs.', 'report.impression': 'Normal.', date: '2024-01-02' },
      { error: 'malformed', line: 3 },
      { id: '3', 'report.findings': 'Nodule [right] {apical}', 'report.impression': 'Follow up.', lines: 'a\nb' }
    ])
  })

  it('finds records under a "reports" key and reports a truncated file', async () => {
    const { items } = await readAll(write('b.json', '{"exported": "2024", "reports": [{"id": "1", "text": "x"}, {"id": "2", "text": "y'))
    expect(fieldsOf(items)).toEqual([{ id: '1', text: 'x' }, { error: 'malformed', line: 1 }])
    expect((items[1] as { reason: string }).reason).toMatch(/ends inside record 2.*truncated/)
  })

  it('scanner: elements split across arbitrary chunks come out whole', () => {
    const doc = JSON.stringify([{ a: 'x,"]}' }, { b: [1, { c: '\\"' }] }, 'scalar', 42])
    for (let cut = 0; cut <= doc.length; cut++) {
      const s = new JsonRecordScanner()
      const ev = s.push(doc.slice(0, cut))
      s.push(doc.slice(cut), ev)
      s.end(ev)
      expect(ev.map((e) => (e.kind === 'element' ? JSON.parse(e.text) : e))).toEqual(JSON.parse(doc))
    }
  })

  it('reads JSONL with a bad line rejected by line number', async () => {
    const { src, items } = await readAll(write('c.jsonl', '{"id":"1","text":"one"}\r\n\n{"id":"2",\n{"id":"3","text":"three"}\n'))
    expect(src.info.format).toBe('jsonl')
    expect(fieldsOf(items)).toEqual([{ id: '1', text: 'one' }, { error: 'malformed', line: 3 }, { id: '3', text: 'three' }])
  })
})

describe('FHIR DiagnosticReport', () => {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')
  const dr = (id: string, extra: object) => ({
    resourceType: 'DiagnosticReport',
    id,
    status: 'final',
    identifier: [{ type: { coding: [{ code: 'ACSN' }] }, value: `ACC-${id}` }],
    subject: { reference: `Patient/p-${id}` },
    effectiveDateTime: '2024-03-01T10:00:00Z',
    code: { text: 'XR Chest' },
    ...extra
  })

  it('reads a Bundle: presentedForm text/plain, else conclusion, else narrative; other resources skipped', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p-1' } },
        { resource: dr('1', { presentedForm: [{ contentType: 'application/pdf', data: 'JVBERi0=' }, { contentType: 'text/plain; charset=utf-8', data: b64('FINDINGS: Clear.\nIMPRESSION: Normal – no effusion.') }], conclusion: 'ignored' }) },
        { resource: dr('2', { conclusion: 'Small left effusion.' }) },
        { resource: dr('3', { text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Heart &amp; lungs normal.</p><p>No focal<br/>consolidation.</p></div>' } }) },
        { resource: dr('4', {}) }
      ]
    }
    const { src, items } = await readAll(write('bundle.json', JSON.stringify(bundle, null, 2)))
    expect(src.info.format).toBe('fhir')
    const recs = items.map((i) => (i.kind === 'record' ? [i.fields.id, i.fields.text, i.fields.text_source] : i))
    expect(recs).toEqual([
      ['1', 'FINDINGS: Clear.\nIMPRESSION: Normal – no effusion.', 'presentedForm'],
      ['2', 'Small left effusion.', 'conclusion'],
      ['3', 'Heart & lungs normal.\nNo focal\nconsolidation.', 'narrative'],
      ['4', '', '']
    ])
    expect(items[0]).toMatchObject({ fields: { accession: 'ACC-1', patient_id: 'p-1', study_date: '2024-03-01T10:00:00Z', exam: 'XR Chest' } })
    expect(src.info.notes.join(' ')).toMatch(/1 resource that are not DiagnosticReport/)
    // The default mapping rejects the report without text.
    const p = await previewSource(join(dir, 'bundle.json'))
    expect(p.rows.map((r) => r.mapped?.ok)).toEqual([true, true, true, false])
  })

  it('reads NDJSON resources line by line', async () => {
    const lines = [dr('a', { conclusion: 'One.' }), dr('b', { conclusion: 'Two.' })].map((r) => JSON.stringify(r)).join('\n')
    const { src, items } = await readAll(write('reports.ndjson', lines + '\n'))
    expect(src.info.format).toBe('fhir')
    expect(items.map((i) => i.kind === 'record' && [i.fields.id, i.loc.line])).toEqual([['a', 1], ['b', 2]])
  })

  it('strips narrative markup', () => {
    expect(narrativeToText('<div><b>Impression</b>: &lt;5 mm nodule&#46;</div>')).toBe('Impression: <5 mm nodule.')
  })
})

describe('folders of text files', () => {
  it('reads the MIMIC-CXR layout with patient and study ids, recursively and in order', async () => {
    const root = join(dir, 'mimic', 'files')
    write('mimic/files/p10/p10000032/s50414267.txt', '                                 FINAL REPORT\n IMPRESSION: No acute process.\n')
    write('mimic/files/p10/p10000032/s53189527.txt', 'FINDINGS: Clear.\n')
    write('mimic/files/p11/p11000011/s50000001.txt', Buffer.from('Caf\xe9 \x93quoted\x94', 'latin1'))
    write('mimic/files/p11/p11000011/notes.csv', 'ignored')
    const { src, items } = await readAll(root)
    expect(src.info.format).toBe('mimic')
    expect(items.map((i) => i.kind === 'record' && [i.fields.id, i.fields.patient_id, i.fields.file])).toEqual([
      ['50414267', '10000032', 'p10/p10000032/s50414267.txt'],
      ['53189527', '10000032', 'p10/p10000032/s53189527.txt'],
      ['50000001', '11000011', 'p11/p11000011/s50000001.txt']
    ])
    expect((items[2] as Extract<ReaderItem, { kind: 'record' }>).fields.text).toBe('Café “quoted”')
    expect(src.info.notes.join(' ')).toMatch(/1 files that are not .txt were ignored/)
    expect(src.info.notes.join(' ')).toMatch(/Windows-1252/)
    // Chosen explicitly as plain text files, the same folder gives path ids.
    const plain = await readAll(root, { format: 'txt-dir' })
    expect(plain.src.info.format).toBe('txt-dir')
    expect(plain.items.map((i) => i.kind === 'record' && i.fields.id)).toEqual([
      'p10/p10000032/s50414267',
      'p10/p10000032/s53189527',
      'p11/p11000011/s50000001'
    ])
  })

  it('reads a plain folder with relative paths as ids, and a single .txt file', async () => {
    write('plain/a/one.txt', 'Heart normal.')
    write('plain/two.txt', '\ufeffLungs clear.')
    const { src, items } = await readAll(join(dir, 'plain'))
    expect(src.info.format).toBe('txt-dir')
    expect(items.map((i) => i.kind === 'record' && [i.fields.id, i.fields.text])).toEqual([
      ['a/one', 'Heart normal.'],
      ['two', 'Lungs clear.']
    ])
    const single = await readAll(join(dir, 'plain/two.txt'))
    expect(single.items.map((i) => i.kind === 'record' && i.fields.id)).toEqual(['two'])
  })
})

describe('Excel .xlsx', () => {
  it('streams the first sheet with header, rich text, dates and row numbers', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Reports')
    ws.addRow(['Accession', 'Findings', 'Impression', 'Study Date'])
    ws.addRow(['X1', 'Heart normal.\nLungs clear.', 'No acute disease.', new Date(Date.UTC(2024, 0, 5))])
    ws.addRow([])
    ws.addRow(['X2', { richText: [{ text: 'Small ' }, { text: 'effusion' }] }, 'Effusion.', new Date(Date.UTC(2024, 0, 6))])
    ws.addRow(['X3', 'a', 'b', 'c', 'spill'])
    wb.addWorksheet('Other').addRow(['not', 'read'])
    const p = join(dir, 'reports.xlsx')
    await wb.xlsx.writeFile(p)
    const { src, items } = await readAll(p)
    expect(src.info.format).toBe('xlsx')
    expect(src.info.fields).toEqual(['Accession', 'Findings', 'Impression', 'Study Date'])
    expect(items.map((i) => (i.kind === 'record' ? [i.loc.line, i.fields] : [i.loc.line, i.code]))).toEqual([
      [2, { Accession: 'X1', Findings: 'Heart normal.\nLungs clear.', Impression: 'No acute disease.', 'Study Date': '2024-01-05' }],
      [4, { Accession: 'X2', Findings: 'Small effusion', Impression: 'Effusion.', 'Study Date': '2024-01-06' }],
      [5, 'field_count']
    ])
    const pre = await previewSource(p)
    expect(pre.suggested).toMatchObject({
      idField: 'Accession',
      sectionFields: { findings: 'Findings', impression: 'Impression' },
      meta: { studyDate: 'Study Date', accession: 'Accession' }
    })
    expect(pre.rows[0].mapped).toMatchObject({ ok: true, report: { text: 'FINDINGS: Heart normal.\nLungs clear.\n\nIMPRESSION: No acute disease.' } })
  })
})

describe('format detection and refusal', () => {
  it('detects by content, whatever the extension', async () => {
    expect((await detectFormat(write('msg.txt', 'MSH|^~\\&|X\rPID|1\r'))).format).toBe('hl7')
    expect((await detectFormat(write('x.dat', 'id;text\n1;a\n2;b\n'))).format).toBe('csv')
    expect((await detectFormat(write('x.data', 'id\ttext\n1\ta\n'))).format).toBe('tsv')
    expect((await detectFormat(write('x.json', '{"a":1}\n{"a":2}\n'))).format).toBe('jsonl')
    expect((await detectFormat(write('fhir.json', '{"resourceType":"Bundle","entry":[]}'))).format).toBe('fhir')
    expect((await detectFormat(dir)).format).toBe('txt-dir')
  })

  it('refuses non-report files with one clear message', async () => {
    await expect(detectFormat(write('scan.pdf', '%PDF-1.7\n...'))).rejects.toThrow(/PDF document, not a report file/)
    await expect(detectFormat(write('blob.csv', Buffer.from([1, 2, 0, 4, 5, 200, 0, 7, 8])))).rejects.toThrow(/binary file/)
    await expect(detectFormat(write('empty.csv', ''))).rejects.toThrow(/empty/)
    await expect(detectFormat(write('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))).rejects.toThrow(/legacy Office/)
    await expect(detectFormat(join(dir, 'missing.csv'))).rejects.toThrow(/does not exist/)
    await expect(openSource(write('fake.xlsx', 'id,text\n1,a\n'), { format: 'xlsx' })).rejects.toThrow(/not an .xlsx workbook/)
  })
})

describe('mapping', () => {
  it('uses one text field or composes section fields, keeping other fields as meta', () => {
    const rec = { id: ' 7 ', findings: 'Clear.', impression: 'Normal.', site: 'North', modality: 'CR' }
    const r = applyMapping(rec, { idField: 'id', sectionFields: { findings: 'findings', impression: 'impression' }, meta: { modality: 'modality' } })
    expect(r).toMatchObject({
      ok: true,
      report: { externalId: '7', text: 'FINDINGS: Clear.\n\nIMPRESSION: Normal.', modality: 'CR', meta: { site: 'North' } }
    })
    expect(applyMapping({ id: '', text: 'x' }, { idField: 'id', textField: 'text' })).toMatchObject({ ok: false, code: 'missing_id' })
    expect(applyMapping({ id: '1', text: '  \n' }, { idField: 'id', textField: 'text' })).toMatchObject({ ok: false, code: 'empty_text' })
    // The text is kept exactly as in the source, spaces and line endings included.
    expect(applyMapping({ t: '  A\r\nB ' }, { textField: 't' })).toMatchObject({ ok: true, report: { text: '  A\r\nB ', externalId: null } })
  })

  it('suggests and validates mappings', () => {
    expect(suggestMapping(['Report_ID', 'Report Text', 'Modality'])).toEqual({ idField: 'Report_ID', textField: 'Report Text', meta: { modality: 'Modality' } })
    expect(suggestMapping(['col_a', 'col_b'], [{ col_a: '1', col_b: 'A long report text.' }])).toEqual({ textField: 'col_b' })
    expect(validateMapping({ idField: 'nope' }, ['id', 'text'])).toEqual([
      'Choose the field with the report text, or one field per section (e.g. findings and impression).',
      'Id field "nope" is not in this file (fields: id, text).'
    ])
  })
})
