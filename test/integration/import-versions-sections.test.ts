// Issue 15 items 6 and 7: per-batch header report, site header maps (versioned with a preset) and
// re-split without re-import; addenda and corrected/amended reports kept as versions of one report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { importFile } from '../../src/node/import/pipeline'
import { batchHeaderReport, listSectionMaps, reportVersions, resplitBatch, saveSectionMap } from '../../src/node/import/sections-report'
import { openWorkspace, type Workspace } from '../../src/node/store/db'
import { getBatch, savePreset } from '../../src/node/store/repos/batches'
import { dispatch } from '../../src/node/services/table'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-versions-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let ws: Workspace
beforeEach(() => {
  ws?.close()
  ws = openWorkspace(':memory:')
})

function write(name: string, content: string): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}
const csvRow = (id: string, text: string) => `${id},"${text.replace(/"/g, '""')}"`
const csv = (name: string, rows: Array<[string, string]>) => write(name, 'id,report\n' + rows.map(([i, t]) => csvRow(i, t)).join('\n') + '\n')
const report = (key: string) => ws.db.prepare('SELECT id, text, version, sections_json FROM reports WHERE report_key = ?').get(key) as { id: number; text: string; version: number; sections_json: string }

describe('6. sections a site can teach', () => {
  it('reports the headers of a batch, re-splits it with a site map, and versions the map with the preset', async () => {
    const rows: Array<[string, string]> = Array.from({ length: 30 }, (_, i) => [
      `S${i}`,
      `CLINICAL QUESTION: Fever ${i}.\nRESULT: Consolidation ${i}.\nCONCLUSION: Pneumonia ${i}.` + (i % 3 === 0 ? '\nFINDINGS: Extra.' : '')
    ])
    const r = await importFile(ws.db, { path: csv('site.csv', rows) })
    expect(r.added).toBe(30)
    const before = await batchHeaderReport(ws.db, r.batchId!)
    expect(before.reports).toBe(30)
    expect(before.headers).toEqual([
      { phrase: 'CLINICAL QUESTION', section: null, count: 30, reports: 30 },
      { phrase: 'CONCLUSION', section: 'impression', count: 30, reports: 30 },
      { phrase: 'RESULT', section: null, count: 30, reports: 30 },
      { phrase: 'FINDINGS', section: 'findings', count: 10, reports: 10 }
    ])
    expect(JSON.parse(report('S1').sections_json).map((s: { name: string }) => s.name)).toEqual(['other', 'impression'])

    savePreset(ws.db, { name: 'site RIS', format: 'csv', mapping: { idField: 'id', textField: 'report' } })
    const out = await dispatch(
      'import.setSectionHeaders',
      { batchId: r.batchId, headers: { 'Clinical question': 'indication', 'RESULT:': 'findings' }, preset: 'site RIS' },
      { workspace: ws } as never
    )
    expect(out.ok).toBe(true)
    const value = (out as { ok: true; value: { reports: number; changed: number; saved: { version: number } } }).value
    expect(value).toMatchObject({ reports: 30, changed: 30, saved: { version: 1 } })
    const s1 = report('S1')
    expect(JSON.parse(s1.sections_json).map((s: { name: string; start: number; end: number }) => [s.name, s1.text.slice(s.start, s.end)])).toEqual([
      ['indication', 'Fever 1.'],
      ['findings', 'Consolidation 1.'],
      ['impression', 'Pneumonia 1.']
    ])
    expect(s1.text).toBe('CLINICAL QUESTION: Fever 1.\nRESULT: Consolidation 1.\nCONCLUSION: Pneumonia 1.') // text untouched
    const after = await batchHeaderReport(ws.db, r.batchId!)
    expect(after.headers.filter((h) => h.section === null)).toEqual([])
    expect(after.sectionHeaders).toEqual({ 'clinical question': 'indication', result: 'findings' })
    expect(getBatch(ws.db, r.batchId!).mapping.sectionHeaders).toEqual({ 'clinical question': 'indication', result: 'findings' })

    // The next version of the map; the preset's mapping carries the current one into the next import.
    saveSectionMap(ws.db, 'site RIS', { 'clinical question': 'indication', result: 'findings', conclusion: 'none' })
    expect(listSectionMaps(ws.db, 'site RIS').map((m) => m.version)).toEqual([2, 1])
    const preset = ws.db.prepare(`SELECT mapping_json FROM import_presets WHERE name = 'site RIS'`).pluck().get() as string
    const next = await importFile(ws.db, { path: csv('site2.csv', [['T1', 'RESULT: Clear.\nCONCLUSION: Normal.']]), mapping: JSON.parse(preset) })
    const t1 = report('T1')
    expect(next.added).toBe(1)
    expect(JSON.parse(t1.sections_json).map((s: { name: string }) => s.name)).toEqual(['findings'])
    // Undo: an empty map re-splits with the built-in headers only.
    await resplitBatch(ws.db, r.batchId!, {})
    expect(JSON.parse(report('S1').sections_json).map((s: { name: string }) => s.name)).toEqual(['other', 'impression'])
  })

  it('counts the reports a findings/impression scope would not see', async () => {
    const r = await importFile(ws.db, { path: csv('noscope.csv', [['N1', 'FINAL REPORT\nNOTE: nothing'], ['N2', 'FINDINGS: Clear.']]) })
    expect((await batchHeaderReport(ws.db, r.batchId!)).withoutFindingsOrImpression).toBe(1)
  })
})

describe('7. addenda and corrected reports are versions of one report', () => {
  it('an ADDENDUM appended to a stored report: a new version, the original kept, the latest labelled', async () => {
    const original = 'FINDINGS: Small nodule right upper lobe.\nIMPRESSION: Nodule.'
    await importFile(ws.db, { path: csv('a1.csv', [['A1', original], ['A2', 'IMPRESSION: Normal.']]) })
    const withAddendum = original + '\n\nADDENDUM: Compared with outside CT, the nodule is stable; benign.'
    const second = await importFile(ws.db, { path: csv('a2.csv', [['A1', withAddendum], ['A2', 'IMPRESSION: Changed without addendum.']]) })
    expect(second).toMatchObject({ added: 0, revised: 1, conflicts: 1 })
    const a1 = report('A1')
    expect(a1).toMatchObject({ text: withAddendum, version: 2 })
    const versions = reportVersions(ws.db, a1.id)
    expect(versions.map((v) => [v.version, v.kind, v.text, v.current])).toEqual([
      [1, 'original', original, false],
      [2, 'addendum', withAddendum, true]
    ])
    // Importing either file again adds nothing: both texts are known versions.
    expect(await importFile(ws.db, { path: join(dir, 'a1.csv') })).toMatchObject({ duplicates: 2, conflicts: 0, revised: 0, added: 0 })
    expect(await importFile(ws.db, { path: join(dir, 'a2.csv') })).toMatchObject({ duplicates: 1, conflicts: 1, revised: 0 })
    expect(getBatch(ws.db, second.batchId!)).toMatchObject({ conflicts: 1 })
    expect(ws.db.prepare('SELECT revised FROM import_batches WHERE id = ?').pluck().get(second.batchId)).toBe(1)
  })

  it('HL7: a result with status C for an accession already imported is a correction; F again is a conflict', async () => {
    const msg = (id: string, status: string, text: string) =>
      [`MSH|^~\\&|RIS|H|L|H|20240105||ORU^R01|${id}|P|2.5`, 'PID|1||P1', `OBR|1||ACC9|71046^CXR|||20240105||||||||||||||||||${status}`, `OBX|1|TX|&GDT||${text}`].join('\r')
    const p = write('c.hl7', [msg('M1', 'F', 'Lungs clear.'), msg('M2', 'C', 'Small left effusion (corrected).')].join('\r'))
    const r = await importFile(ws.db, { path: p })
    expect(r).toMatchObject({ added: 1, revised: 1, conflicts: 0 })
    const v = reportVersions(ws.db, report('ACC9').id)
    expect(v.map((x) => [x.kind, x.text, x.sourceStatus])).toEqual([
      ['original', 'Lungs clear.', null],
      ['correction', 'Small left effusion (corrected).', 'C']
    ])
    const again = await importFile(ws.db, { path: write('f.hl7', msg('M3', 'F', 'Different final text.')) })
    expect(again).toMatchObject({ conflicts: 1, revised: 0 })
    expect(report('ACC9').text).toBe('Small left effusion (corrected).')
  })

  it('FHIR: status amended for a stored DiagnosticReport is a new version; corrected and appended too', async () => {
    const dr = (status: string, text: string) =>
      JSON.stringify({ resourceType: 'DiagnosticReport', id: 'DR1', status, presentedForm: [{ contentType: 'text/plain', data: Buffer.from(text).toString('base64') }] })
    const r = await importFile(ws.db, {
      path: write('amend.ndjson', [dr('final', 'IMPRESSION: Normal.'), dr('amended', 'IMPRESSION: Subtle fracture.'), dr('corrected', 'IMPRESSION: Rib fracture.')].join('\n'))
    })
    expect(r).toMatchObject({ added: 1, revised: 2 })
    const v = reportVersions(ws.db, report('DR1').id)
    expect(v.map((x) => [x.version, x.kind, x.sourceStatus, x.current])).toEqual([
      [1, 'original', null, false],
      [2, 'amended', 'amended', false],
      [3, 'amended', 'corrected', true]
    ])
    // Via the call the report view uses.
    const out = await dispatch('reports.versions', { id: report('DR1').id }, { workspace: ws } as never)
    expect(out.ok && (out.value as unknown[]).length).toBe(3)
  })
})
