import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/common/errors'
import { BUSY_TIMEOUT_MS, openWorkspace, schemaVersion } from '../../src/node/store/db'
import { LATEST_SCHEMA_VERSION } from '../../src/node/store/migrations'
import { audit, listAudit } from '../../src/node/store/repos/audit'
import { findLabelSet, listLabelSets, saveLabelSetVersion } from '../../src/node/store/repos/labelSets'
import { getReport, insertReport, listReports } from '../../src/node/store/repos/reports'
import { createSource, findSource, labelsOfReport, writeSourceLabels } from '../../src/node/store/repos/sources'
import { expectAppError } from '../support/errors'
import { tempDir, tempWorkspace } from '../support/workspace'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})

function workspace() {
  const ws = tempWorkspace()
  cleanups.push(ws.cleanup)
  return ws
}

function addReport(db: Database.Database, key: string, text: string): number {
  return insertReport(db, { reportKey: key, externalId: key, batchId: null, text, contentHash: key, sections: [{ name: 'whole', start: 0, end: text.length }] })
}

describe('workspace store', () => {
  it('applies migrations on open with WAL, foreign keys and a busy timeout', () => {
    const ws = workspace()
    expect(schemaVersion(ws.db)).toBe(LATEST_SCHEMA_VERSION)
    expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(ws.db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(ws.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS)
  })

  it('refuses a database made by a newer RadLabel, with a clear message', () => {
    const { dir, cleanup } = tempDir()
    cleanups.push(cleanup)
    const file = join(dir, 'newer.db')
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
    raw.close()
    try {
      openWorkspace(file)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('schema_too_new')
      expect((err as AppError).message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 5}`)
      expect((err as AppError).hint).toMatch(/newer RadLabel/)
    }
  })

  it('re-opening keeps data and does not re-run migrations', () => {
    const ws = workspace()
    addReport(ws.db, 'A1', 'No acute disease.')
    ws.close()
    const again = openWorkspace(ws.path)
    expect(listReports(again.db, { offset: 0, limit: 10 }).total).toBe(1)
    again.close()
  })

  it('keeps report text byte for byte, line endings included', () => {
    const ws = workspace()
    const text = 'FINDINGS:\r\n  Lungs clear.\r\n\tIMPRESSION: Normal.  '
    const id = addReport(ws.db, 'CRLF', text)
    expect(getReport(ws.db, id).text).toBe(text)
  })

  it('searches reports by text and key, treating % and _ literally', () => {
    const ws = workspace()
    addReport(ws.db, 'R1', 'Small effusion, 50% smaller.')
    addReport(ws.db, 'R2', 'Clear lungs.')
    expect(listReports(ws.db, { offset: 0, limit: 10, search: 'effusion' }).items.map((r) => r.reportKey)).toEqual(['R1'])
    expect(listReports(ws.db, { offset: 0, limit: 10, search: '50%' }).total).toBe(1)
    expect(listReports(ws.db, { offset: 0, limit: 10, search: '%' }).total).toBe(1)
  })

  it('versions label sets: an edit makes a new version, an identical save does not', () => {
    const ws = workspace()
    const v1 = saveLabelSetVersion(ws.db, { slug: 'site', name: 'Site set', labels: [{ name: 'Nodule' }] })
    const same = saveLabelSetVersion(ws.db, { slug: 'site', name: 'Site set', labels: [{ name: 'Nodule' }] })
    expect(same.id).toBe(v1.id)
    const v2 = saveLabelSetVersion(ws.db, { slug: 'site', name: 'Site set', labels: [{ name: 'Nodule' }, { name: 'Mass' }] })
    expect(v2.version).toBe(2)
    expect(findLabelSet(ws.db, 'site').id).toBe(v2.id)
    expect(findLabelSet(ws.db, 'site@1').labels.map((l) => l.name)).toEqual(['Nodule'])
    expect(listLabelSets(ws.db).filter((s) => s.slug === 'site')).toHaveLength(2)
  })

  it('stores the built-in label sets and refuses to edit them in place', () => {
    const ws = workspace()
    const chexpert = findLabelSet(ws.db, 'chexpert14')
    expect(chexpert.builtin).toBe(true)
    expect(chexpert.labels).toHaveLength(14)
    expect(() => saveLabelSetVersion(ws.db, { ...chexpert.definition, labels: [] })).toThrow(/built-in/)
    expectAppError(() => findLabelSet(ws.db, 'nope'), { code: 'not_found', message: /"nope"/, hint: /Known label sets: .*chexpert14/ })
  })

  it('writes and reads source labels with evidence; names are unique', () => {
    const ws = workspace()
    const set = findLabelSet(ws.db, 'chexpert14')
    const reportId = addReport(ws.db, 'R1', 'Small left pleural effusion.')
    const sourceId = createSource(ws.db, { name: 'gold', kind: 'imported', labelSetId: set.id })
    const effusion = set.labels.find((l) => l.name === 'Pleural Effusion')!
    writeSourceLabels(ws.db, sourceId, [
      { reportId, labelId: effusion.id, state: 'positive', evidence: [{ start: 6, end: 27, text: 'left pleural effusion' }], rule: 'test' }
    ])
    writeSourceLabels(ws.db, sourceId, [{ reportId, labelId: effusion.id, state: 'uncertain' }])
    expect(labelsOfReport(ws.db, sourceId, reportId)).toEqual([
      { labelId: effusion.id, label: 'Pleural Effusion', state: 'uncertain', evidence: [], rule: null }
    ])
    expect(findSource(ws.db, 'gold').reportCount).toBe(1)
    expect(() => createSource(ws.db, { name: 'gold', kind: 'curated', labelSetId: set.id })).toThrow(/already exists/)
    expectAppError(() => findSource(ws.db, 'missing'), { code: 'not_found', hint: /Known sources \(id: name\): \d+: gold/ })
  })

  it('rejects states outside the four, at the database level', () => {
    const ws = workspace()
    const set = findLabelSet(ws.db, 'chexpert14')
    const reportId = addReport(ws.db, 'R1', 'text')
    const sourceId = createSource(ws.db, { name: 's', kind: 'imported', labelSetId: set.id })
    expect(() =>
      ws.db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state) VALUES (?, ?, ?, ?)').run(sourceId, reportId, set.labels[0].id, 'maybe')
    ).toThrow(/CHECK/)
  })

  it('keeps the audit log append-only', () => {
    const ws = workspace()
    audit(ws.db, { actor: 'dr. test', action: 'review.decide', entity: 'report', entityId: 1, details: { state: 'positive' } })
    expect(listAudit(ws.db)).toMatchObject([{ actor: 'dr. test', action: 'review.decide', entityId: '1', details: { state: 'positive' } }])
    expect(() => ws.db.prepare('UPDATE audit_log SET actor = ?').run('someone else')).toThrow(/append-only/)
    expect(() => ws.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
  })

  it('marks work that was running when the process died as interrupted', () => {
    const ws = workspace()
    ws.db.prepare(`INSERT INTO jobs (kind, title, status, created_at, updated_at) VALUES ('detect', 't', 'running', 'x', 'x')`).run()
    ws.close()
    const again = openWorkspace(ws.path)
    expect(again.db.prepare('SELECT status FROM jobs').pluck().get()).toBe('interrupted')
    again.close()
  })
})
