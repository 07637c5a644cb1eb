import fc from 'fast-check'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  decodeEscapes,
  hl7DateToIso,
  MessageGrouper,
  parseHl7Text,
  SegmentSplitter,
  type Hl7Line
} from '../../src/node/import/hl7'
import { openSource } from '../../src/node/import/read'
import { records, type ReaderItem } from '../../src/node/import/types'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-hl7-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Encode text for an HL7 field: delimiters and line breaks escaped (the sender's job). */
function escapeHl7(s: string): string {
  return s
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/\r/g, '\\X0D\\')
    .replace(/\n/g, '\\.br\\')
}

function oru(opts: { control: string; accession: string; mrn: string; lines: string[]; type?: string; vt?: string }): string {
  const segs = [
    `MSH|^~\\&|RIS|GENERAL HOSP|LAB|HOSP|20240105103000||${opts.type ?? 'ORU^R01'}|${opts.control}|P|2.3`,
    `PID|1||${opts.mrn}^^^HOSP^MR||DOE^JANE||19600101|F`,
    `OBR|1|PL${opts.accession}|${opts.accession}|71046^XR CHEST 2 VIEWS^CPT|||20240104221500|||||||||||||||||CR|F`
  ]
  opts.lines.forEach((l, i) => segs.push(`OBX|${i + 1}|${opts.vt ?? 'TX'}|&GDT^Report||${escapeHl7(l)}||||||F`))
  return segs.join('\r')
}

describe('HL7 escapes and dates', () => {
  it('decodes delimiter, formatting and hex escapes; keeps unknown ones', () => {
    expect(decodeEscapes('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f')).toBe('a|b^c&d~e\\f')
    expect(decodeEscapes('line1\\.br\\line2\\.sp 2\\end')).toBe('line1\nline2\n\nend')
    expect(decodeEscapes('\\H\\BOLD\\N\\ normal \\X4869\\ \\XC3A9\\')).toBe('BOLD normal Hi é')
    expect(decodeEscapes('keep \\Q\\ and a lone \\ here')).toBe('keep \\Q\\ and a lone \\ here')
  })

  it('turns HL7 timestamps into ISO 8601', () => {
    expect(hl7DateToIso('20240104')).toBe('2024-01-04')
    expect(hl7DateToIso('202401042215')).toBe('2024-01-04T22:15')
    expect(hl7DateToIso('20240104221530.123-0500')).toBe('2024-01-04T22:15:30-05:00')
    expect(hl7DateToIso('not a date')).toBe('not a date')
  })
})

describe('HL7 ORU messages', () => {
  it('joins OBX TX lines in order and takes ids and dates from MSH/PID/OBR', () => {
    const items = parseHl7Text(oru({ control: 'C1', accession: 'ACC1', mrn: 'MRN7', lines: ['FINDINGS: Heart normal.', 'IMPRESSION: No acute disease.'] }))
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      kind: 'record',
      loc: { line: 3, record: 1 },
      fields: {
        id: 'ACC1',
        text: 'FINDINGS: Heart normal.\nIMPRESSION: No acute disease.',
        accession: 'ACC1',
        placer_order: 'PLACC1',
        patient_id: 'MRN7',
        study_date: '2024-01-04T22:15:00',
        exam: 'XR CHEST 2 VIEWS',
        modality: 'CR',
        result_status: 'F',
        message_id: 'C1',
        message_type: 'ORU^R01'
      }
    })
  })

  it('reads many messages with MLLP framing and \\n or \\r\\n separators', () => {
    const a = oru({ control: 'C1', accession: 'A1', mrn: 'M1', lines: ['One.'] })
    const b = oru({ control: 'C2', accession: 'A2', mrn: 'M2', lines: ['Two.'] }).replace(/\r/g, '\r\n')
    const c = oru({ control: 'C3', accession: 'A3', mrn: 'M3', lines: ['Three.'] }).replace(/\r/g, '\n')
    const text = `\x0b${a}\x1c\r\x0b${b}\x1c\r\n${c}\n`
    const items = parseHl7Text(text)
    expect(items.map((i) => (i.kind === 'record' ? [i.fields.id, i.fields.text] : i.reason))).toEqual([
      ['A1', 'One.'],
      ['A2', 'Two.'],
      ['A3', 'Three.']
    ])
  })

  it('rejects malformed messages with their line and keeps going', () => {
    const good = oru({ control: 'C1', accession: 'A1', mrn: 'M1', lines: ['Fine.'] })
    const broken = oru({ control: 'C2', accession: 'A2', mrn: 'M2', lines: ['Start.'] }) + '\rthis line was wrapped by a bad sender'
    const adt = 'MSH|^~\\&|ADT|H|||20240101||ADT^A01|C3|P|2.3\rPID|1||M3'
    const text = ['stray text before any message', good, broken, adt, good.replace('C1', 'C4').replace(/A1/g, 'A4')].join('\r')
    const items = parseHl7Text(text)
    expect(items.map((i) => [i.kind, i.loc.line, i.kind === 'error' ? i.code : i.fields.id])).toEqual([
      ['error', 1, 'malformed'],
      ['record', 4, 'A1'],
      ['error', 10, 'malformed'],
      ['error', 11, 'malformed'],
      ['record', 15, 'A4']
    ])
    expect((items[2] as { reason: string }).reason).toMatch(/message 2: line 10 is not an HL7 segment/)
    expect((items[3] as { reason: string }).reason).toMatch(/ADT\^A01 is not a result message/)
    expect((items[2] as { raw: string }).raw).toContain('wrapped by a bad sender')
  })

  it('gives one report per OBR group and uses the custom delimiters of MSH-2', () => {
    const text = [
      'MSH#*~$@#RIS#H#####ORU*R01#C9#P#2.5',
      'PID#1##P9',
      'OBR#1##X1',
      'OBX#1#FT#R##First$.br$report $F$ here',
      'OBR#2##X2',
      'OBX#1#TX#R##Second~report'
    ].join('\r')
    const items = parseHl7Text(text)
    expect(items.map((i) => (i.kind === 'record' ? [i.fields.id, i.fields.text, i.fields.patient_id] : i))).toEqual([
      ['X1', 'First\nreport # here', 'P9'],
      ['X2', 'Second\nreport', 'P9']
    ])
  })

  it('falls back to NTE comments when a result carries its text there', () => {
    const text = ['MSH|^~\\&|RIS|H|||20240101||ORU^R01|C5|P|2.3', 'OBR|1||X5', 'NTE|1||Lungs clear.', 'NTE|2||No effusion.'].join('\r')
    expect(parseHl7Text(text).map((i) => i.kind === 'record' && i.fields.text)).toEqual(['Lungs clear.\nNo effusion.'])
  })

  it('property: any report text survives escaping, framing and arbitrary chunking', () => {
    const char = fc.constantFrom('a', 'Z', ' ', '|', '^', '~', '\\', '&', '\n', '\r', 'é', '.', '1', '😀', '#')
    const line = fc.string({ unit: char, minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '')
    fc.assert(
      fc.property(
        fc.array(fc.array(line, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\r', '\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 5 }),
        (msgs, sep, mllp, cuts) => {
          const text = msgs
            .map((lines, i) => {
              const m = oru({ control: `C${i}`, accession: `A${i}`, mrn: 'M', lines }).replace(/\r/g, sep)
              return mllp ? `\x0b${m}\x1c\r` : m + sep
            })
            .join('')
          const splitter = new SegmentSplitter()
          const grouper = new MessageGrouper()
          const groups: Array<{ lines: Hl7Line[] } | { junk: Hl7Line[] }> = []
          let prev = 0
          for (const c of cuts.map((x) => x % (text.length + 1)).sort((a, b) => a - b)) {
            grouper.push(splitter.push(text.slice(prev, c)), groups)
            prev = c
          }
          grouper.push(splitter.push(text.slice(prev)), groups)
          grouper.push(splitter.end(), groups)
          grouper.end(groups)
          const whole = parseHl7Text(text)
          expect(groups).toHaveLength(msgs.length)
          expect(whole.map((i) => (i.kind === 'record' ? i.fields.text : i.reason))).toEqual(msgs.map((l) => l.join('\n')))
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('HL7 files', () => {
  it('streams a file of messages with locations', async () => {
    const msgs = Array.from({ length: 500 }, (_, i) => oru({ control: `C${i}`, accession: `A${i}`, mrn: `M${i}`, lines: [`Report ${i}.`, 'Second line.'] }))
    const p = join(dir, 'feed.hl7')
    writeFileSync(p, msgs.join('\r') + '\r')
    const src = await openSource(p)
    expect(src.info.format).toBe('hl7')
    const items: ReaderItem[] = []
    for await (const it of records(src)) items.push(it)
    expect(items).toHaveLength(500)
    expect(items[499]).toMatchObject({ kind: 'record', fields: { id: 'A499', text: 'Report 499.\nSecond line.' }, loc: { line: 499 * 5 + 3, record: 500 } })
    expect(src.bytesRead()).toBe(src.info.totalBytes)
  })

  it('refuses a file forced as HL7 that has no MSH', async () => {
    const p = join(dir, 'notes.csv')
    writeFileSync(p, 'id,text\n1,abc\n')
    await expect(openSource(p, { format: 'hl7' })).rejects.toThrow(/no MSH segment/)
  })
})
