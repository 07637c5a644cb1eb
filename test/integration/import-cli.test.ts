import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir()
afterAll(() => dir.cleanup())

describe('radlabel import / import-labels', () => {
  it('imports section columns, counts as integers in --json, re-import adds nothing, errors to a CSV', () => {
    const db = join(dir.dir, 'cli.db')
    const file = join(dir.dir, 'export.tsv')
    writeFileSync(
      file,
      'study\tfindings\timpression\tdate\n' +
        's1\tHeart normal.\tNo acute disease.\t2024-01-02\n' +
        's2\tSmall effusion.\tEffusion.\t2024-01-03\n' +
        's3\t\t\t2024-01-04\n'
    )
    const args = ['import', file, '--db', db, '--format', 'tsv', '--id-column', 'study', '--findings-column', 'findings', '--impression-column', 'impression', '--study-date-column', 'date', '--json']
    const r = runCli([...args, '--errors', join(dir.dir, 'errors.csv')])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    expect(out).toMatchObject({ added: 2, duplicates: 0, conflicts: 0, rejected: 1, refused: 0, errorsWritten: 1 })
    for (const k of ['added', 'duplicates', 'conflicts', 'rejected']) expect(Number.isInteger(out[k])).toBe(true)
    expect(readFileSync(join(dir.dir, 'errors.csv'), 'utf8')).toContain('report text is empty')
    const again = runCli(args)
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, duplicates: 2, rejected: 1 })
  })

  it('refuses a file that is no report source: non-zero exit with the reason', () => {
    const db = join(dir.dir, 'refuse.db')
    const file = join(dir.dir, 'image.png')
    writeFileSync(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))
    const r = runCli(['import', file, '--db', db, '--json'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/PNG image, not a report file/)
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 0, refused: 1 })
  })

  it('imports reference labels as a named source and lists unknown columns and ids', () => {
    const db = join(dir.dir, 'labels.db')
    const reports = join(dir.dir, 'reports.csv')
    writeFileSync(reports, 'id,text\nr1,Cardiomegaly.\nr2,Clear lungs.\n')
    expect(runCli(['import', reports, '--db', db]).code).toBe(0)
    const labels = join(dir.dir, 'gold.csv')
    writeFileSync(labels, 'id,Cardiomegaly,Edema,Sex\nr1,1,0,F\nr2,0,,M\nr7,1,1,F\n')
    const r = runCli(['import-labels', labels, '--db', db, '--source', 'site gold', '--label-set', 'chexpert14', '--id-column', 'id', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    expect(out).toMatchObject({
      added: 2,
      duplicates: 0,
      conflicts: 0,
      rejected: 0,
      sourceName: 'site gold',
      unknownColumns: ['Sex'],
      unknownReportIds: { count: 1, sample: ['r7'] }
    })
    const dup = runCli(['import-labels', labels, '--db', db, '--source', 'site gold', '--label-set', 'chexpert14', '--id-column', 'id'])
    expect(dup.code).toBe(1)
    expect(dup.stderr).toMatch(/already exists/)
  })
})
