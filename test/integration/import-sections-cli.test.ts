// `radlabel import` shows each batch's header report; `radlabel import-sections` teaches a site's headers
// and re-splits a batch without re-import; --max-report-chars; a FIFO is refused without hanging.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir()
afterAll(() => dir.cleanup())

describe('radlabel import-sections', () => {
  it('prints the header report after import, teaches headers, saves the map with a preset', () => {
    const db = join(dir.dir, 'sections.db')
    const file = join(dir.dir, 'site.csv')
    const rows = Array.from({ length: 12 }, (_, i) => `R${i},"CLINICAL QUESTION: Fever ${i}.\nRESULT: Clear ${i}.\nIMPRESSION: Normal ${i}."`)
    writeFileSync(file, 'id,report\n' + rows.join('\n') + '\n')
    const r = runCli(['import', file, '--db', db, '--save-preset', 'site'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/Headers in batch 1 \(12 reports\):\n {2}impression: IMPRESSION \(12 reports\)\n {2}not recognised: CLINICAL QUESTION \(12 reports\), RESULT \(12 reports\)/)

    const t = runCli(['import-sections', '1', '--db', db, '--section-header', 'CLINICAL QUESTION=indication', '--section-header', 'result=findings', '--preset', 'site'])
    expect(t.code, t.stderr).toBe(0)
    expect(t.stdout).toMatch(/Re-split 12 reports of batch 1: 12 changed sections/)
    expect(t.stdout).toMatch(/Saved as version 1 of the section map of preset "site"/)
    expect(t.stdout).not.toMatch(/not recognised/)
    const j = JSON.parse(runCli(['import-sections', '1', '--db', db, '--json']).stdout)
    expect(j.headers.map((h: { phrase: string; section: string }) => [h.phrase, h.section])).toEqual([
      ['CLINICAL QUESTION', 'indication'],
      ['IMPRESSION', 'impression'],
      ['RESULT', 'findings']
    ])
    // A new file of the same site with the preset splits with the map at once.
    const file2 = join(dir.dir, 'site2.csv')
    writeFileSync(file2, 'id,report\nQ1,"RESULT: Small effusion.\nIMPRESSION: Effusion."\n')
    const second = JSON.parse(runCli(['import', file2, '--db', db, '--preset', 'site', '--json']).stdout)
    expect(second.headerReports[0].headers.every((h: { section: string | null }) => h.section !== null)).toBe(true)
    expect(runCli(['import-sections', '1', '--db', db, '--section-header', 'nonsense']).stderr).toMatch(/is not PHRASE=SECTION/)
  })

  it('--max-report-chars rejects longer reports; a FIFO is refused with exit 2', () => {
    const db = join(dir.dir, 'cap.db')
    const file = join(dir.dir, 'cap.csv')
    writeFileSync(file, `id,report\nA,${'x'.repeat(5000)}\nB,short\n`)
    const r = JSON.parse(runCli(['import', file, '--db', db, '--max-report-chars', '2000', '--json']).stdout)
    expect(r).toMatchObject({ added: 1, rejected: 1 })
    const fifo = join(dir.dir, 'p.csv')
    execFileSync('mkfifo', [fifo])
    const f = runCli(['import', fifo, '--db', db, '--format', 'csv'], { timeoutMs: 20_000 })
    expect(f.code).toBe(2)
    expect(f.stderr).toMatch(/named pipe \(FIFO\)/)
  })
})
