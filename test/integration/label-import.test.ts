// Reference-label import: repeated report ids never decided by row order, a source that an interrupted
// import left is marked incomplete (and completed by importing again), completeness shown on the source list.
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importReferenceLabels } from '../../src/node/import/labels'
import { importFile } from '../../src/node/import/pipeline'
import { openWorkspace } from '../../src/node/store/db'
import { listSources } from '../../src/node/store/repos/sources'
import { evaluateHandlers } from '../../src/node/services/evaluate'
import { CLI, runCli } from '../support/cli'
import { tempWorkspace } from '../support/workspace'

const spaces: ReturnType<typeof tempWorkspace>[] = []
afterEach(() => spaces.splice(0).forEach((w) => w.cleanup()))

async function workspaceWith(n: number) {
  const ws = tempWorkspace()
  spaces.push(ws)
  const reports = join(ws.dir, 'reports.csv')
  writeFileSync(reports, ['id,report', ...Array.from({ length: n }, (_, k) => `S${k},"FINDINGS: Synthetic report ${k}."`)].join('\n') + '\n')
  await importFile(ws.db, { path: reports })
  return ws
}

describe('reference labels import', () => {
  it('rejects every row of a report id given twice with different labels, with both locations; identical repeats count once', async () => {
    const ws = await workspaceWith(4)
    const file = join(ws.dir, 'labels.csv')
    writeFileSync(file, ['id,Cardiomegaly,Edema', 'S0,1,0', 'S1,1,1', 'S0,0,0', 'S2,1,', 'S2,1,', 'S0,1,0'].join('\n') + '\n')
    const r = await importReferenceLabels(ws.db, { path: file, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'id' })
    expect(r.rejected).toEqual([
      { location: 'line 2, record 1', reason: 'report "S0" has different labels at line 4, record 3; neither row was kept' },
      { location: 'line 4, record 3', reason: 'report "S0" has different labels at line 2, record 1; neither row was kept' },
      { location: 'line 6, record 5', reason: 'report "S2" repeats line 5, record 4 with the same labels; counted once' },
      { location: 'line 7, record 6', reason: 'report "S0" has rows with different labels (first at line 2, record 1); none of them was kept' }
    ])
    expect(r).toMatchObject({ reportsLabelled: 2, labelsWritten: 4, rejectedCount: 4 })
    const kept = ws.db.prepare(`SELECT DISTINCT r.report_key FROM source_labels sl JOIN reports r ON r.id = sl.report_id ORDER BY 1`).pluck().all()
    expect(kept).toEqual(['S1', 'S2'])
    expect(listSources(ws.db).find((s) => s.name === 'gold')).toMatchObject({ complete: true, reportCount: 2 })
  })

  it('an import stopped mid-way leaves a source marked incomplete; importing it again under the same name completes it', async () => {
    const n = 12_000
    const ws = await workspaceWith(n)
    const file = join(ws.dir, 'labels.csv')
    writeFileSync(file, ['id,Cardiomegaly,Edema', ...Array.from({ length: n }, (_, k) => `S${k},${k % 2},1`)].join('\n') + '\n')
    // The process "dies" after the first chunk was committed: the import never resumes from its first pause.
    void importReferenceLabels(
      ws.db,
      { path: file, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'id' },
      { yieldFn: () => new Promise<void>(() => {}) }
    )
    await new Promise((r) => setTimeout(r, 50))
    for (let i = 0; i < 200 && !listSources(ws.db).some((s) => s.reportCount > 0); i++) await new Promise((r) => setTimeout(r, 50))
    // another process opening the workspace sees a partial source, marked as such
    const other = openWorkspace(ws.path)
    const partial = listSources(other.db).find((s) => s.name === 'gold')!
    expect(partial.complete).toBe(false)
    expect(partial.reportCount).toBeGreaterThan(0)
    expect(partial.reportCount).toBeLessThan(n)
    const summaries = evaluateHandlers['evaluate.sources']({}, { workspace: other } as never) as { name: string; complete: boolean }[]
    expect(summaries.find((s) => s.name === 'gold')?.complete).toBe(false)
    // the same import again: not refused for the name, and the source ends complete with every report
    const r = await importReferenceLabels(other.db, { path: file, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'id' })
    expect(r).toMatchObject({ sourceId: partial.id, reportsLabelled: n, labelsWritten: 2 * n })
    expect(listSources(other.db).find((s) => s.name === 'gold')).toMatchObject({ complete: true, reportCount: n })
    other.close()
  })

  it('a complete source of the same name is still refused', async () => {
    const ws = await workspaceWith(2)
    const file = join(ws.dir, 'labels.csv')
    writeFileSync(file, 'id,Cardiomegaly\nS0,1\nS1,0\n')
    await importReferenceLabels(ws.db, { path: file, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'id' })
    await expect(importReferenceLabels(ws.db, { path: file, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'id' })).rejects.toThrow(/already exists/)
  })
})

describe('reference labels import killed (SIGKILL) through the real binary', () => {
  it('leaves a source marked incomplete, listed so by `radlabel sources`; the same command again completes it', async () => {
    const n = 100_000
    const ws = await workspaceWith(n)
    ws.close()
    const file = join(ws.dir, 'labels.csv')
    writeFileSync(file, ['id,Cardiomegaly,Edema,Pneumonia', ...Array.from({ length: n }, (_, k) => `S${k},${['1', '0', '-1'][k % 3]},${['0', '-1', ''][k % 3]},1`)].join('\n') + '\n')
    const args = ['import-labels', file, '--db', ws.path, '--source', 'gold', '--label-set', 'chexpert14', '--id-column', 'id']
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' })
    const exited = new Promise((r) => child.once('exit', r))
    // kill it as soon as a first chunk is committed (seen through a fresh read-only connection each time)
    const labelled = (): number => {
      const ro = new Database(ws.path, { readonly: true, fileMustExist: true })
      try {
        return ro.prepare('SELECT count(*) FROM source_labels').pluck().get() as number
      } finally {
        ro.close()
      }
    }
    for (let i = 0; i < 1200 && labelled() === 0; i++) await new Promise((r) => setTimeout(r, 50))
    child.kill('SIGKILL')
    await exited
    const list = () => (JSON.parse(runCli(['sources', '--db', ws.path, '--json']).stdout) as { sources: { name: string; complete: boolean; reports: number }[] }).sources
    const partial = list().find((s) => s.name === 'gold')!
    expect(partial.complete).toBe(false)
    expect(partial.reports).toBeLessThan(n)
    const again = runCli(args, { timeoutMs: 300_000 })
    expect(again.code, again.stderr).toBe(0)
    expect(list().find((s) => s.name === 'gold')).toMatchObject({ complete: true, reports: n })
  }, 400_000)
})
