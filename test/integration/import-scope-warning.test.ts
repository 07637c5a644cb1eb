// Issue 15 item 1 end to end: a MIMIC-style report with no FINDINGS/IMPRESSION headers is imported,
// labelled by the rules engine with the default scope, and read (not labelled normal); reports whose
// scope finds no findings/impression text get a warning each and a count in the run summary.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { scopeWarning } from '../../src/common/text/scope-check'
import { selectScope } from '../../src/common/rules/label-report'
import { splitSections } from '../../src/common/text/sections'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import '../../src/node/engines/rules'
import { runSummaryLines } from '../../src/node/cli/commands/detect'
import { importFile } from '../../src/node/import/pipeline'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { labelsOfReport } from '../../src/node/store/repos/sources'
import { tempWorkspace } from '../support/workspace'

const dir = mkdtempSync(join(tmpdir(), 'radlabel-scope-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const MIMIC =
  '                                 FINAL REPORT\n INDICATION:  ___-year-old man with a new line.\n\n COMPARISON:  Prior film.\n\n' +
  ' Right IJ catheter tip in the SVC. Small left effusion.\n\n Small left pleural effusion.\n'

describe('reports whose body has no heading', () => {
  it('are labelled from their unheaded paragraphs; a scope without text warns per report and in the summary', async () => {
    const folder = join(dir, 'reports')
    const files: Record<string, string> = {
      'm1.txt': MIMIC,
      'm2.txt': 'FINAL REPORT\nEXAMINATION: Chest.\nCOMPARISON: None.\n', // header block only: nothing to read
      'm3.txt': 'Heart size normal. No pleural effusion.', // free text: read whole, warned
      'm4.txt': 'FINDINGS: Cardiomegaly.\nIMPRESSION: Enlarged heart.' // fine
    }
    const { mkdirSync } = await import('node:fs')
    mkdirSync(folder, { recursive: true })
    for (const [n, t] of Object.entries(files)) writeFileSync(join(folder, n), t)
    const ws = tempWorkspace()
    try {
      const r = await importFile(ws.db, { path: folder })
      expect(r.added).toBe(4)
      const jobs = new JobManager(ws)
      registerJobKinds(jobs)
      const run = createRun(ws.db, { engine: 'rules', labelSet: 'chexpert14', config: {} })
      const job = await jobs.wait(jobs.start(RUN_JOB_KIND, 'rules', { sourceId: run.sourceId }).id)
      expect(job.status).toBe('completed')
      const id = (key: string) => ws.db.prepare('SELECT id FROM reports WHERE report_key = ?').pluck().get(key) as number
      const state = (key: string, label: string) => labelsOfReport(ws.db, run.sourceId, id(key)).find((l) => l.label === label)?.state
      // The MIMIC report: the effusion is read from the unheaded paragraphs; No Finding is not positive.
      expect(state('m1', 'Pleural Effusion')).toBe('positive')
      expect(state('m1', 'No Finding')).not.toBe('positive')
      const after = getRun(ws.db, run.sourceId)
      expect(after.reportsWarned).toBe(2)
      const warnings = ws.db
        .prepare('SELECT r.report_key, rr.warning FROM run_reports rr JOIN reports r ON r.id = rr.report_id WHERE rr.warning IS NOT NULL ORDER BY r.report_key')
        .raw()
        .all()
      expect(warnings).toEqual([
        ['m2', expect.stringMatching(/^no findings or impression text: nothing in this report was read/)],
        ['m3', expect.stringMatching(/no section headers\): the whole text was read/)]
      ])
      expect(runSummaryLines(after, []).join('\n')).toMatch(/Warning: 2 report\(s\) had no findings or impression text in the scope "findings_impression"/)
    } finally {
      ws.cleanup()
    }
  })

  it('scopeWarning: impression scope, whole scope, unknown headers', () => {
    const t = 'FINAL REPORT\nClear lungs.'
    expect(scopeWarning(t, splitSections(t), 'findings_impression')).toMatch(/headers are not findings\/impression ones/)
    const u = 'RESULT: Clear lungs.'
    expect(scopeWarning(u, splitSections(u), 'findings_impression')).toMatch(/no section headers/)
    expect(scopeWarning(t, splitSections(t), 'whole')).toBeUndefined()
    const f = 'FINDINGS: Clear.'
    expect(scopeWarning(f, splitSections(f), 'impression')).toMatch(/^no impression text/)
    expect(scopeWarning(f, splitSections(f), 'findings_impression')).toBeUndefined()
    expect(scopeWarning(MIMIC, splitSections(MIMIC), 'impression')).toBeUndefined()
  })

  it('an ADDENDUM is read by the findings/impression and impression scopes', () => {
    const t = 'FINDINGS: Small nodule.\nIMPRESSION: Nodule.\n\nADDENDUM: Right pleural effusion noted on review.\n\nSIGNED BY: Dr X'
    const s = splitSections(t)
    for (const scope of ['findings_impression', 'impression'] as const) {
      const read = selectScope(t, s, scope).map((x) => t.slice(x.start, x.end))
      expect(read, scope).toContain('Right pleural effusion noted on review.')
      expect(read.join(' '), scope).not.toContain('Dr X')
    }
  })
})
