import fc from 'fast-check'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { CsvParser, looksLikeHeader, parseCsv, sniffDelimiter, type CsvEvent } from '../../src/node/import/csv-parser'
import { toCsvLine } from '../../src/node/import/csv'
import { openSource } from '../../src/node/import/read'
import { records, type ReaderItem } from '../../src/node/import/types'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name)
  writeFileSync(p, content)
  return p
}

async function readAll(path: string, opts = {}): Promise<{ items: ReaderItem[]; notes: string[]; encoding?: string }> {
  const src = await openSource(path, opts)
  const items: ReaderItem[] = []
  for await (const it of records(src)) items.push(it)
  return { items, notes: src.info.notes, encoding: src.info.encoding }
}

const rows = (events: CsvEvent[]) => events.filter((e) => e.kind === 'row').map((e) => (e as { fields: string[] }).fields)

describe('CsvParser', () => {
  it('parses quoted multi-line fields, doubled quotes and all line endings, with start lines', () => {
    const ev = parseCsv('a,b\r\n1,"x\r\ny ""q"""\n2,z\r3,"w"')
    expect(rows(ev)).toEqual([['a', 'b'], ['1', 'x\r\ny "q"'], ['2', 'z'], ['3', 'w']])
    expect(ev.map((e) => e.line)).toEqual([1, 2, 4, 5])
  })

  it('keeps a stray quote inside an unquoted field as text', () => {
    expect(rows(parseCsv('1,5" nodule\n'))).toEqual([['1', '5" nodule']])
  })

  it('reports bad quoting at the record line and resumes on the next line', () => {
    const ev = parseCsv('id,text\n1,"ok"\n2,"broken "quote" here"\n3,"fine"\n')
    expect(ev[2]).toMatchObject({ kind: 'error', line: 3 })
    expect((ev[2] as { reason: string }).reason).toMatch(/bad quoting.*line 3/)
    expect(rows(ev)).toEqual([['id', 'text'], ['1', 'ok'], ['3', 'fine']])
    expect(ev[3].line).toBe(4)
  })

  it('reports an unterminated quote and still reads the rows after it', () => {
    const ev = parseCsv('1,"never closed\n2,b\n3,c\n')
    expect(ev[0]).toMatchObject({ kind: 'error', line: 1 })
    expect(rows(ev)).toEqual([['2', 'b'], ['3', 'c']])
  })

  it('skips blank lines but counts them', () => {
    const ev = parseCsv('a,b\n\n1,2\n')
    expect(rows(ev)).toEqual([['a', 'b'], ['1', '2']])
    expect(ev[1].line).toBe(3)
  })

  it('property: any table survives encoding and parsing in arbitrary chunks, with exact start lines', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '"', '\n', '\r\n', '\r', 'é', '\t', '😀'), maxLength: 12 })
    const table = fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 8 })
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(',', ';', '\t'), fc.array(fc.nat(), { maxLength: 6 }), (t, eol, d, cuts) => {
        const lines = t.map((r) => toCsvLine(r, d))
        const text = lines.join(eol) + (cuts.length % 2 ? eol : '')
        const p = new CsvParser({ delimiter: d })
        const out: CsvEvent[] = []
        let prev = 0
        for (const c of [...cuts.map((x) => x % (text.length + 1))].sort((a, b) => a - b)) {
          p.push(text.slice(prev, c), out)
          prev = c
        }
        p.push(text.slice(prev), out)
        p.end(out)
        expect(rows(out)).toEqual(t)
        // Start line of each row = 1 + line breaks in the rows before it.
        let line = 1
        t.forEach((r, i) => {
          expect(out[i].line).toBe(line)
          line += lines[i].split(/\r\n|\r|\n/).length - 1 + 1
        })
      }),
      { numRuns: 300 }
    )
  })
})

describe('sniffing', () => {
  it('finds the delimiter from consistent field counts', () => {
    expect(sniffDelimiter('id;text\n1;"a, b, c"\n2;"d, e"\n', true)).toBe(';')
    expect(sniffDelimiter('id\ttext\n1\ta, b\n2\tc\n', true)).toBe('\t')
    expect(sniffDelimiter('id,text\n1,"x; y"\n', true)).toBe(',')
    expect(sniffDelimiter('just one line of prose without separators', true)).toBeUndefined()
  })

  it('tells header rows from data rows', () => {
    expect(looksLikeHeader(['report_id', 'report text'], ['17', 'Lungs clear.'])).toBe(true)
    expect(looksLikeHeader(['17', 'Lungs clear.'], ['18', 'Heart normal.'])).toBe(false)
    expect(looksLikeHeader(['abc', 'Heart size is normal.'], ['abd', 'No effusion.'])).toBe(false)
    expect(looksLikeHeader(['id', 'id'])).toBe(false)
  })
})

describe('CSV/TSV files', () => {
  it('reads a headered CSV with locations and rejects bad rows with exact lines', async () => {
    const p = write(
      'reports.csv',
      'id,report,modality\n' +
        'r1,"FINDINGS: Normal heart.\nIMPRESSION: No acute disease.",CR\n' +
        'r2,Too,many,fields\n' +
        'r3,"bad "quoting" here",CR\n' +
        'r4,Clear lungs.,CT\n'
    )
    const { items } = await readAll(p)
    expect(items.map((i) => [i.kind, i.loc.line, i.loc.record])).toEqual([
      ['record', 2, 1],
      ['error', 4, 2],
      ['error', 5, 3],
      ['record', 6, 4]
    ])
    expect(items[0]).toMatchObject({ fields: { id: 'r1', modality: 'CR' } })
    expect(items[1]).toMatchObject({ code: 'field_count', raw: 'r2,Too,many,fields' })
    expect(items[2]).toMatchObject({ code: 'bad_quoting' })
  })

  it('reads TSV and headerless files', async () => {
    const { items } = await readAll(write('a.tsv', 'id\ttext\n1\tNo effusion.\n'))
    expect(items[0]).toMatchObject({ kind: 'record', fields: { id: '1', text: 'No effusion.' } })
    const h = await readAll(write('nohead.csv', '101,"Heart size is normal."\n102,"Small effusion."\n'))
    expect(h.items.map((i) => (i.kind === 'record' ? i.fields : null))).toEqual([
      { column1: '101', column2: 'Heart size is normal.' },
      { column1: '102', column2: 'Small effusion.' }
    ])
  })

  it('decodes UTF-8 with BOM, UTF-16 LE/BE with BOM and Windows-1252 (saying so)', async () => {
    const text = 'id,text\n1,"Café – “no” effusion"\n'
    const u8 = await readAll(write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])))
    expect(u8.items[0]).toMatchObject({ fields: { id: '1', text: 'Café – “no” effusion' } })
    const le = await readAll(write('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])))
    expect(le.encoding).toBe('utf-16le')
    expect(le.items[0]).toMatchObject({ fields: { id: '1', text: 'Café – “no” effusion' } })
    const beBody = Buffer.from(text, 'utf16le').swap16()
    const be = await readAll(write('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), beBody])))
    expect(be.encoding).toBe('utf-16be')
    expect(be.items[0]).toMatchObject({ fields: { text: 'Café – “no” effusion' } })
    // Windows-1252: é = E9, – = 96, “ = 93, ” = 94
    const cp = Buffer.from('id,text\n1,"Caf\xe9 \x96 \x93no\x94 effusion"\n', 'latin1')
    const w = await readAll(write('cp1252.csv', cp))
    expect(w.encoding).toBe('windows-1252')
    expect(w.notes.join(' ')).toMatch(/not valid UTF-8.*Windows-1252/)
    expect(w.items[0]).toMatchObject({ fields: { text: 'Café – “no” effusion' } })
  })

  it('decodes multi-byte characters split across read chunks (UTF-8, UTF-16 LE and BE)', async () => {
    let text = 'id,text\n'
    const expected = (i: number) => `Café ${i} – “quoted” 😀 ${'é'.repeat(i % 37)}`
    for (let i = 0; i < 3000; i++) text += `${i},"${expected(i)}"\n`
    const files = {
      u8: Buffer.from(text),
      le: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      be: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    }
    for (const [name, buf] of Object.entries(files)) {
      const { items } = await readAll(write(`chunks-${name}.csv`, buf))
      expect(items).toHaveLength(3000)
      expect(items.every((it) => it.kind === 'record' && it.fields.text === expected(Number(it.fields.id)))).toBe(true)
    }
  })

  it('reports undecodable bytes per record when UTF-8 is forced, keeping the raw row', async () => {
    const p = write('bad-utf8.csv', Buffer.concat([Buffer.from('id,text\n1,ok\n2,bad '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\n3,fine\n')]))
    const { items } = await readAll(p, { encoding: 'utf-8', format: 'csv' })
    expect(items.map((i) => i.kind)).toEqual(['record', 'error', 'record'])
    expect(items[1]).toMatchObject({ code: 'undecodable', loc: { line: 3, record: 2 } })
    expect((items[1] as { raw: string }).raw).toContain('bad')
  })

  it('streams a file larger than one read chunk with correct line numbers', async () => {
    const n = 3000
    let s = 'id,text\n'
    for (let i = 0; i < n; i++) s += `${i},"line one of ${i} ${'x'.repeat(100)}\nline two"\n`
    const { items } = await readAll(write('big.csv', s))
    expect(items).toHaveLength(n)
    expect(items.every((it) => it.kind === 'record')).toBe(true)
    expect(items[n - 1].loc.line).toBe(2 + (n - 1) * 2)
    expect((items[n - 1] as { fields: Record<string, string> }).fields.id).toBe(String(n - 1))
  })

  it('skips the first N records to resume', async () => {
    const { items } = await readAll(write('skip.csv', 'id,text\n1,a\n2,b\n3,c\n'), { skip: 2 })
    expect(items.map((i) => i.loc.record)).toEqual([3])
  })
})
