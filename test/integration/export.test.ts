import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backupWorkspace, checkBackupFile, restoreWorkspace } from '../../src/node/export/backup'
import { exportDataset, isValidationReport, REPORT_TEXT_WARNING } from '../../src/node/export/dataset-jsonl'
import { exportLabelsCsv } from '../../src/node/export/labels-csv'
import { openWorkspace } from '../../src/node/store/db'
import { LATEST_SCHEMA_VERSION } from '../../src/node/store/migrations'
import { EVAL_REPORTS, seedEvalWorkspace } from '../support/eval-workspace'
import { tempWorkspace } from '../support/workspace'
import { findLabelSet } from '../../src/node/store/repos/labelSets'
import { insertReport } from '../../src/node/store/repos/reports'
import { createSource, writeSourceLabels } from '../../src/node/store/repos/sources'

let ws: ReturnType<typeof tempWorkspace>

beforeAll(() => {
  ws = tempWorkspace()
  seedEvalWorkspace(ws.db)
})
afterAll(() => ws.cleanup())

describe('labels CSV', () => {
  it('writes the CheXpert layout (1/0/-1/empty) for every covered report', async () => {
    const out = join(ws.dir, 'curated.csv')
    const r = await exportLabelsCsv(ws.db, { source: 'curated', path: out, format: 'chexpert' })
    expect(r.rows).toBe(5)
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n')
    const header = lines[0].split(',')
    expect(header[0]).toBe('report_key')
    expect(header).toHaveLength(15)
    const pe = header.indexOf('Pleural Effusion')
    const card = header.indexOf('Cardiomegaly')
    const rows = lines.slice(1).map((l) => l.split(','))
    expect(rows.map((x) => x[0])).toEqual(['R1', 'R2', 'R3', 'R4', 'R5'])
    expect(rows.map((x) => x[pe])).toEqual(['1', '1', '0', '-1', ''])
    expect(rows.map((x) => x[card])).toEqual(['1', '', '', '', ''])
    expect(existsSync(out + '.partial')).toBe(false)
  })

  it('writes binary labels with the chosen uncertain mapping and the report text when asked', async () => {
    const out = join(ws.dir, 'binary.csv')
    await exportLabelsCsv(ws.db, { source: 'curated', path: out, format: 'binary', uncertainAs: 'negative', includeText: true })
    const text = readFileSync(out, 'utf8')
    expect(text.split('\r\n')[0].startsWith('report_key,Reports,')).toBe(true)
    // Report text with a newline is quoted, so the CSV stays one record per report.
    expect(text).toContain(`"${EVAL_REPORTS[0]}"`)
    const r4 = text.split('\r\n').find((l) => l.startsWith('R4,'))!
    expect(r4.endsWith(',0,0,0,0,0,0,0,0,0,0,0,0,0,0')).toBe(true)
  })

  it('pages through large sources without losing or repeating a report', async () => {
    const big = tempWorkspace()
    try {
      const set = findLabelSet(big.db, 'chexpert14')
      const src = createSource(big.db, { name: 'many', kind: 'imported', labelSetId: set.id })
      big.db.transaction(() => {
        for (let i = 0; i < 1203; i++) {
          const id = insertReport(big.db, { reportKey: `K${String(i).padStart(5, '0')}`, externalId: null, batchId: null, text: `Synthetic report ${i}.`, contentHash: `h${i}`, sections: [] })
          writeSourceLabels(big.db, src, [{ reportId: id, labelId: set.labels[i % 14].id, state: i % 2 ? 'positive' : 'negative' }])
        }
      })()
      let pauses = 0
      const r = await exportLabelsCsv(big.db, { source: 'many', path: join(big.dir, 'many.csv'), format: 'binary' }, async () => void pauses++)
      expect(r.rows).toBe(1203)
      expect(pauses).toBe(3) // 500 + 500 + 203 reports
      const keys = readFileSync(join(big.dir, 'many.csv'), 'utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(',')[0])
      expect(keys).toEqual(Array.from({ length: 1203 }, (_, i) => `K${String(i).padStart(5, '0')}`))
    } finally {
      big.cleanup()
    }
  })

  it('includes reports a run completed without any label row (all not mentioned)', async () => {
    const w2 = tempWorkspace()
    try {
      const f = seedEvalWorkspace(w2.db)
      const extra = insertReport(w2.db, { reportKey: 'R7', externalId: null, batchId: null, text: 'Normal chest.', contentHash: 'h7', sections: [] })
      w2.db.prepare(`INSERT INTO run_reports (source_id, report_id, status, finished_at) VALUES (?, ?, 'done', 'now')`).run(f.rules, extra)
      const out = join(w2.dir, 'rules.csv')
      const r = await exportLabelsCsv(w2.db, { source: 'rules', path: out, format: 'chexpert' })
      expect(r.rows).toBe(7)
      expect(readFileSync(out, 'utf8').trimEnd().split('\r\n').pop()).toBe('R7' + ','.repeat(14))
    } finally {
      w2.cleanup()
    }
  })

  it('refuses to overwrite and fails clearly on an unknown source', async () => {
    const out = join(ws.dir, 'curated.csv')
    await expect(exportLabelsCsv(ws.db, { source: 'curated', path: out, format: 'chexpert' })).rejects.toThrow(/already exists/)
    await expect(exportLabelsCsv(ws.db, { source: 'missing', path: join(ws.dir, 'x.csv'), format: 'chexpert' })).rejects.toThrow(/no label source/)
  })
})

describe('instruction-tuning dataset', () => {
  it('splits deterministically by report key', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key-${i}`)
    const val = keys.filter((k) => isValidationReport(k, 0.2, 's'))
    expect(val.length).toBeGreaterThan(340)
    expect(val.length).toBeLessThan(460)
    expect(keys.filter((k) => isValidationReport(k, 0.2, 's'))).toEqual(val)
    expect(keys.filter((k) => isValidationReport(k, 0.2, 'other'))).not.toEqual(val)
  })

  it('writes both tasks in Alpaca style, a README with the warning, and the split', async () => {
    const base = join(ws.dir, 'ds-alpaca.jsonl')
    const r = await exportDataset(ws.db, { source: 'rules', path: base, style: 'alpaca', validationFraction: 0.5, splitSalt: 't' })
    expect(r.reports.train + r.reports.validation).toBe(6)
    expect(r.examples.train).toBe(2 * r.reports.train)
    const train = readFileSync(r.files.train, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    const val = readFileSync(r.files.validation, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    const all = [...train, ...val]
    expect(all).toHaveLength(12)
    for (const ex of all) expect(Object.keys(ex).sort()).toEqual(['input', 'instruction', 'output'])
    const r1 = all.filter((e) => e.input.endsWith(EVAL_REPORTS[0]))
    expect(r1).toHaveLength(2)
    const cls = r1.map((e) => JSON.parse(e.output)).find((o) => 'labels' in o)
    expect(cls.labels['Pleural Effusion']).toBe('positive')
    expect(cls.labels['Cardiomegaly']).toBe('positive')
    expect(cls.labels['Fracture']).toBe('not_mentioned')
    expect(cls.labels).not.toHaveProperty('No Finding') // derived, not asked (as at inference)
    expect(cls.evidence).toContainEqual({ label: 'Pleural Effusion', quote: EVAL_REPORTS[0].slice(0, 8) })
    const open = r1.map((e) => JSON.parse(e.output)).find((o) => 'findings' in o)
    expect(open.findings.map((f: { phrase: string }) => f.phrase).sort()).toEqual(['cardiomegaly', 'pleural effusion'])
    // The same report never appears in both splits.
    const trainReports = new Set(train.map((e) => e.input))
    expect(val.some((e) => trainReports.has(e.input))).toBe(false)
    const readme = readFileSync(r.files.readme, 'utf8')
    expect(readme).toContain(REPORT_TEXT_WARNING)
    expect(readme).toContain('salt "t"')
    expect(r.warning).toBe(REPORT_TEXT_WARNING)
  })

  it('writes chat-messages style with one task', async () => {
    const r = await exportDataset(ws.db, { source: 'curated', path: join(ws.dir, 'ds-chat'), style: 'chat', tasks: ['classify'], validationFraction: 0 })
    expect(r.reports).toEqual({ train: 5, validation: 0 })
    const lines = readFileSync(r.files.train, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(5)
    expect(lines[0].messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant'])
    expect(JSON.parse(lines[3].messages[2].content).labels['Pleural Effusion']).toBe('uncertain')
    await expect(exportDataset(ws.db, { source: 'curated', path: join(ws.dir, 'ds-chat'), style: 'chat' })).rejects.toThrow(/already exists/)
    await expect(exportDataset(ws.db, { source: 'curated', path: join(ws.dir, 'z'), style: 'chat', validationFraction: 2 })).rejects.toThrow(/out of range/)
  })
})

describe('backup and restore', () => {
  it('backs up online, restores into a new file and refuses to clobber', async () => {
    const bak = join(ws.dir, 'backup.db')
    const b = await backupWorkspace(ws.db, bak)
    expect(b).toMatchObject({ reports: 6, sources: 3, schemaVersion: LATEST_SCHEMA_VERSION })
    await expect(backupWorkspace(ws.db, bak)).rejects.toThrow(/already exists/)
    const target = join(ws.dir, 'restored.db')
    const r = await restoreWorkspace(bak, target)
    expect(r).toMatchObject({ reports: 6, previous: null })
    const ws2 = openWorkspace(target)
    expect(ws2.db.prepare('SELECT count(*) FROM source_labels').pluck().get()).toBe(
      ws.db.prepare('SELECT count(*) FROM source_labels').pluck().get()
    )
    ws2.close()
    await expect(restoreWorkspace(bak, target)).rejects.toThrow(/already exists/)
    const again = await restoreWorkspace(bak, target, { replace: true })
    expect(again.previous).toMatch(/restored\.db\.before-restore-/)
    expect(existsSync(again.previous!)).toBe(true)
  })

  it('refuses files that are not workspaces and newer schemas', async () => {
    const junk = join(ws.dir, 'junk.db')
    writeFileSync(junk, 'not a database at all, just text')
    expect(() => checkBackupFile(junk)).toThrow(/not a SQLite database/)
    const other = join(ws.dir, 'other.db')
    const o = new Database(other)
    o.exec('CREATE TABLE t (x)')
    o.close()
    expect(() => checkBackupFile(other)).toThrow(/not a RadLabel workspace/)
    const newer = join(ws.dir, 'newer.db')
    await backupWorkspace(ws.db, newer)
    const n = new Database(newer)
    n.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`)
    n.close()
    await expect(restoreWorkspace(newer, join(ws.dir, 'n2.db'))).rejects.toThrow(/schema version/)
    expect(existsSync(join(ws.dir, 'n2.db'))).toBe(false)
  })
})
