// Issue 15: the quirks real exports carry, each on synthetic files of several variants.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { headersIn, splitSections } from '../../src/common/text/sections'
import { parseHl7Text } from '../../src/node/import/hl7'
import { openSource } from '../../src/node/import/read'
import { records, type ReaderItem } from '../../src/node/import/types'
import { makeZip, workbookParts } from '../support/zip'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-quirks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name)
  mkdirSync(join(p, '..'), { recursive: true })
  writeFileSync(p, content)
  return p
}

async function items(path: string, opts = {}) {
  const src = await openSource(path, opts)
  const out: ReaderItem[] = []
  for await (const it of records(src)) out.push(it)
  return { src, out }
}

const named = (text: string) => splitSections(text).map((s) => [s.name, text.slice(s.start, s.end)])

describe('1. report body with no heading after a header block', () => {
  it('MIMIC style: banner, INDICATION, COMPARISON, then two unheaded paragraphs -> findings and impression', () => {
    const t =
      '                                 FINAL REPORT\n INDICATION:  ___-year-old with chest pain.\n\n COMPARISON:  Prior film.\n\n' +
      ' Right IJ catheter tip in the SVC. Small left effusion.\n\n Small left pleural effusion.\n'
    expect(named(t)).toEqual([
      ['other', ''],
      ['indication', '___-year-old with chest pain.'],
      ['comparison', 'Prior film.'],
      ['findings', 'Right IJ catheter tip in the SVC. Small left effusion.'],
      ['impression', 'Small left pleural effusion.']
    ])
  })

  it('variants: CRLF, several findings paragraphs, one paragraph, an explicit IMPRESSION, WET READ banner, TECHNIQUE', () => {
    const crlf = 'FINAL REPORT\r\nCOMPARISON: None.\r\n\r\nHeart normal.\r\nLungs clear.\r\n\r\nNo acute process.\r\n'
    expect(named(crlf)).toEqual([
      ['other', ''],
      ['comparison', 'None.'],
      ['findings', 'Heart normal.\r\nLungs clear.'],
      ['impression', 'No acute process.']
    ])
    const three = 'INDICATION: Cough.\n\nPara one.\n\nPara two.\n\nConclusion para.'
    expect(named(three)).toEqual([
      ['indication', 'Cough.'],
      ['findings', 'Para one.\n\nPara two.'],
      ['impression', 'Conclusion para.']
    ])
    // One unheaded paragraph: the conclusion, read by both default scopes.
    expect(named('TECHNIQUE: PA and lateral.\n\nLungs are clear.')).toEqual([
      ['technique', 'PA and lateral.'],
      ['impression', 'Lungs are clear.']
    ])
    // An IMPRESSION of its own: every unheaded paragraph is findings.
    expect(named('COMPARISON: None.\n\nMild cardiomegaly.\n\nIMPRESSION: Cardiomegaly.')).toEqual([
      ['comparison', 'None.'],
      ['findings', 'Mild cardiomegaly.'],
      ['impression', 'Cardiomegaly.']
    ])
    expect(named('WET READ: JXK 9:15 PM\n  No pneumothorax.\n\nFINDINGS: Lines in place.')).toEqual([
      ['other', 'JXK 9:15 PM\n  No pneumothorax.'],
      ['findings', 'Lines in place.']
    ])
  })

  it('leaves findings with several paragraphs, addenda and reports without blank lines as they were', () => {
    expect(named('FINDINGS: A.\n\nB.\n\nIMPRESSION: C.')).toEqual([
      ['findings', 'A.\n\nB.'],
      ['impression', 'C.']
    ])
    expect(named('IMPRESSION: Normal.\n\nADDENDUM: Called the ward.\n\nDr X informed.')).toEqual([
      ['impression', 'Normal.'],
      ['other', 'Called the ward.\n\nDr X informed.']
    ])
    expect(named('INDICATION: Fever.\nCOMPARISON: None.\nLungs clear.')).toEqual([
      ['indication', 'Fever.'],
      ['comparison', 'None.\nLungs clear.']
    ])
  })

  it('a site header map adds headers, overrides built-in ones and turns one off', () => {
    const t = 'CLINICAL QUESTION: Pneumonia?\nRESULT: Consolidation right lower lobe.\nSUMMARY: Pneumonia.'
    expect(splitSections(t).map((s) => s.name)).toEqual(['other', 'impression'])
    const s = splitSections(t, { headers: { 'clinical question': 'indication', 'Result:': 'findings', summary: 'none' } })
    expect(s.map((x) => [x.name, t.slice(x.start, x.end)])).toEqual([
      ['indication', 'Pneumonia?'],
      ['findings', 'Consolidation right lower lobe.\nSUMMARY: Pneumonia.']
    ])
    expect(headersIn(t)).toEqual([
      { phrase: 'SUMMARY', section: 'impression' },
      { phrase: 'CLINICAL QUESTION', section: null },
      { phrase: 'RESULT', section: null }
    ])
  })
})

describe('4. Excel sep= hint line in CSV', () => {
  it('honours the delimiter, skips the line, keeps ids and line numbers; quoted, CRLF, BOM and forced variants', async () => {
    const variants = [
      ['sep1.csv', 'sep=;\nid;report\nA1;Lungs clear.\nA2;Small effusion, left.\n'],
      ['sep2.csv', '"sep=;"\r\nid;report\r\nA1;Lungs clear.\r\nA2;Small effusion, left.\r\n'],
      ['sep3.csv', '\ufeffsep=|\nid|report\nA1|Lungs clear.\nA2|Small effusion, left.\n'],
      ['sep4.txt.csv', 'SEP=\t\nid\treport\nA1\tLungs clear.\nA2\tSmall effusion, left.\n']
    ]
    for (const [name, content] of variants) {
      const { src, out } = await items(write(name, content))
      expect(src.info.fields, name).toEqual(['id', 'report'])
      expect(src.info.notes.join(' '), name).toMatch(/sep=/)
      expect(out.map((i) => (i.kind === 'record' ? [i.fields.id, i.fields.report, i.loc.line] : i.reason)), name).toEqual([
        ['A1', 'Lungs clear.', 3],
        ['A2', 'Small effusion, left.', 4]
      ])
    }
    const forced = await items(write('sep5.csv', 'sep=;\nid;report\nA1;x\n'), { format: 'csv', hasHeader: true })
    expect(forced.src.info.fields).toEqual(['id', 'report'])
  })
})

describe('5. FHIR report only as HTML', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64')
  const report = (id: string, html: string, contentType = 'text/html') =>
    JSON.stringify({ resourceType: 'DiagnosticReport', id, status: 'final', presentedForm: [{ contentType, data: b64(html) }] })

  it('takes the text from the HTML: blocks and cells become lines and separators, entities decoded, scripts dropped', async () => {
    const lines = [
      report('h1', '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><h2>FINDINGS</h2><p>Heart size normal.<br>No effusion &amp; no pneumothorax.</p><h2>IMPRESSION</h2><p>Normal chest &ndash; no change.</p></body></html>'),
      report('h2', '<div>IMPRESSION: <b>Normal</b></div><table><tr><td>Lung</td><td>Clear</td></tr><tr><td>Heart</td><td>Normal</td></tr></table>', 'text/html; charset=utf-8'),
      report('h3', '<?xml version="1.0"?><div xmlns="http://www.w3.org/1999/xhtml"><p>FINDINGS: Clear.</p></div>', 'application/xhtml+xml')
    ]
    const { out } = await items(write('html.ndjson', lines.join('\n')))
    const recs = out.map((i) => (i.kind === 'record' ? i.fields : { error: i.reason }))
    expect(recs[0].text).toBe('FINDINGS\n\nHeart size normal.\nNo effusion & no pneumothorax.\n\nIMPRESSION\n\nNormal chest \u2013 no change.')
    expect(recs[0].text_source).toMatch(/converted from HTML/)
    expect(recs[1].text).toMatch(/^IMPRESSION: Normal\n\nLung +Clear\nHeart +Normal$/)
    expect(recs[2].text).toBe('FINDINGS: Clear.')
    const sections = splitSections(recs[0].text)
    expect(sections.map((s) => s.name)).toEqual(['findings', 'impression'])
  })
})

describe('2/3. Excel: shared strings whatever the part order, OOXML escapes, nothing spilled, bombs refused', () => {
  const rows = [
    ['id', 'report'],
    ['E1', 'FINDINGS: Lungs are clear._x000D_\nIMPRESSION: Normal._x000D_'],
    ['E2', 'Tab_x0009_here, literal _x005F_x000D_ kept, unicode _x00E9_'],
    ['E3', 'No escapes.']
  ]
  const orders: Array<[string, string[]]> = [
    ['sheet-first', ['[Content_Types].xml', 'xl/worksheets/sheet1.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml']],
    ['strings-first', ['[Content_Types].xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml']],
    ['rels-last', ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', '[Content_Types].xml', 'xl/_rels/workbook.xml.rels']]
  ]

  it('every cell comes out as its text in every part order, with _xHHHH_ decoded as Excel does', async () => {
    const parts = workbookParts(rows)
    const tmpBefore = new Set(readdirSync(tmpdir()))
    for (const [name, order] of orders) {
      const p = write(`${name}.xlsx`, makeZip(order.map((n, i) => ({ name: n, data: parts[n], store: i % 2 === 0 }))))
      const { src, out } = await items(p)
      expect(src.info.fields, name).toEqual(['id', 'report'])
      expect(out.map((i) => (i.kind === 'record' ? [i.fields.id, i.fields.report] : i.reason)), name).toEqual([
        ['E1', 'FINDINGS: Lungs are clear.\r\nIMPRESSION: Normal.\r'],
        ['E2', 'Tab\there, literal _x000D_ kept, unicode \u00e9'],
        ['E3', 'No escapes.']
      ])
      const r0 = out[0].kind === 'record' ? out[0].fields.report : ''
      expect(splitSections(r0).map((s) => r0.slice(s.start, s.end))).toEqual(['Lungs are clear.', 'Normal.'])
    }
    // Nothing of the report text was written to the system temp folder.
    const added = readdirSync(tmpdir()).filter((f) => !tmpBefore.has(f) && !f.startsWith('radlabel-'))
    for (const f of added) {
      let content: string
      try {
        content = readFileSync(join(tmpdir(), f), 'latin1')
      } catch {
        continue
      }
      expect(content.includes('Lungs are clear'), f).toBe(false)
    }
  })

  it('reads inline strings, rich text runs without phonetic hints, booleans, numbers, 1904 dates and cells without refs', async () => {
    const parts = workbookParts([['id', 'report', 'flag', 'n', 'date']])
    parts['xl/worksheets/sheet1.xml'] = parts['xl/worksheets/sheet1.xml'].replace(
      '</sheetData>',
      '<row r="3"><c t="inlineStr"><is><t>I1</t></is></c><c t="s"><v>5</v></c><c t="b"><v>1</v></c><c><v>12345678901234</v></c><c s="1"><v>0</v></c></row></sheetData>'
    )
    parts['xl/sharedStrings.xml'] = parts['xl/sharedStrings.xml'].replace(
      '</sst>',
      '<si><r><t>Small </t></r><r><rPr><b/></rPr><t>effusion</t></r><rPh><t>ignored</t></rPh></si></sst>'
    )
    parts['xl/workbook.xml'] = parts['xl/workbook.xml'].replace('<sheets>', '<workbookPr date1904="1"/><sheets>')
    parts['xl/styles.xml'] =
      '<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
    const p = write('inline.xlsx', makeZip(Object.entries(parts).map(([name, data]) => ({ name, data }))))
    const { out } = await items(p)
    expect(out.map((i) => (i.kind === 'record' ? i.fields : i.reason))).toEqual([
      { id: 'I1', report: 'Small effusion', flag: 'true', n: '12345678901234', date: '1904-01-01' }
    ])
  })

  it('a zip bomb is refused before inflating, also when its sizes lie', async () => {
    const parts = workbookParts(rows)
    const huge = '<x/>'.repeat(17_500_000) // 70 MB of XML, about 70 KB deflated
    const honest = makeZip(Object.entries({ ...parts, 'xl/sharedStrings.xml': parts['xl/sharedStrings.xml'].replace('</sst>', `${huge}</sst>`) }).map(([name, data]) => ({ name, data })))
    await expect(openSource(write('bomb.xlsx', honest))).rejects.toThrow(/xl\/sharedStrings\.xml inflates to 67 MB from 67 KB .*zip bomb/)
    const lying = makeZip(
      Object.entries({ ...parts, 'xl/sharedStrings.xml': parts['xl/sharedStrings.xml'].replace('</sst>', `${huge}</sst>`) }).map(([name, data]) => ({
        name,
        data,
        claimSize: name === 'xl/sharedStrings.xml' ? 1000 : undefined
      }))
    )
    await expect(openSource(write('bomb-lying.xlsx', lying))).rejects.toThrow(/cannot be read|zip bomb/)
  })

  it('a zip without a workbook, a missing sheet and broken XML are refused clearly', async () => {
    await expect(openSource(write('nobook.xlsx', makeZip([{ name: 'xl/other.xml', data: '<a/>' }])))).rejects.toThrow(/no Excel workbook/)
    const parts = workbookParts(rows)
    await expect(openSource(write('sheet.xlsx', makeZip(Object.entries(parts).map(([name, data]) => ({ name, data })))), { sheet: 'Nope' })).rejects.toThrow(
      /no sheet named "Nope" \(sheets: Sheet1\)/
    )
    const broken = { ...parts, 'xl/sharedStrings.xml': '<sst><si><t>unclosed</sst>' }
    await expect(openSource(write('broken.xlsx', makeZip(Object.entries(broken).map(([name, data]) => ({ name, data })))))).rejects.toThrow(/not well-formed XML/)
  })
})

describe('8. HL7 structure kept: OBX-3 section marks and OBX-4 sub-ids', () => {
  const msg = (obx: string[], extra = '') =>
    ['MSH|^~\\&|RIS|HOSP|LAB|HOSP|20240105120000||ORU^R01|M1|P|2.5', 'PID|1||P1', `OBR|1|PL1|ACC1|71046^XR CHEST 2V|||20240105${extra}`, ...obx].join('\r')
  const text = (m: string) => {
    const it = parseHl7Text(m)[0]
    return it.kind === 'record' ? it.fields.text : `error ${it.reason}`
  }
  const sectionsOf = (t: string) => splitSections(t).map((s) => [s.name, t.slice(s.start, s.end)])

  it('&GDT / &IMP suffixes become findings and impression', () => {
    const t = text(msg(['OBX|1|TX|&GDT^Report Text||Heart normal.', 'OBX|2|TX|&GDT^Report Text||Lungs clear.', 'OBX|3|TX|&IMP^Impression||No acute disease.']))
    expect(sectionsOf(t)).toEqual([
      ['findings', 'Heart normal.\nLungs clear.'],
      ['impression', 'No acute disease.']
    ])
  })

  it('LOINC codes and the identifier text name the section; a header already in the text is not repeated', () => {
    const t = text(
      msg([
        'OBX|1|TX|55752-0^Clinical information^LN||Cough.',
        'OBX|2|TX|18782-3^Radiology Study observation^LN||Small left effusion.',
        'OBX|3|TX|19005-8^Impression^LN||IMPRESSION: Effusion.'
      ])
    )
    expect(t).toBe('INDICATION:\nCough.\n\nFINDINGS:\nSmall left effusion.\n\nIMPRESSION: Effusion.')
    expect(sectionsOf(t).map((s) => s[0])).toEqual(['indication', 'findings', 'impression'])
    const byText = text(msg(['OBX|1|TX|X1^FINDINGS||Clear.', 'OBX|2|TX|X2^CONCLUSION||Normal.']))
    expect(sectionsOf(byText)).toEqual([
      ['findings', 'Clear.'],
      ['impression', 'Normal.']
    ])
  })

  it('OBX-4 sub-ids group lines into blocks; repetitions stay lines; one-section messages keep their text as sent', () => {
    const t = text(msg(['OBX|1|TX|RPT|1|Heart normal.', 'OBX|2|TX|RPT|1|Lungs clear.', 'OBX|3|TX|RPT|2|IMPRESSION: Normal chest.']))
    expect(t).toBe('Heart normal.\nLungs clear.\n\nIMPRESSION: Normal chest.')
    expect(sectionsOf(t)).toEqual([
      ['other', 'Heart normal.\nLungs clear.'],
      ['impression', 'Normal chest.']
    ])
    const sub = text(msg(['OBX|1|TX|&GDT|1|Line one~Line two', 'OBX|2|TX|&IMP|2|Done.']))
    expect(sub).toBe('FINDINGS:\nLine one\nLine two\n\nIMPRESSION:\nDone.')
    expect(text(msg(['OBX|1|TX|&GDT||A.', 'OBX|2|TX|&GDT||B.']))).toBe('A.\nB.')
  })
})
