import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { seedEvalWorkspace } from '../support/eval-workspace'
import { tempWorkspace } from '../support/workspace'

let ws: ReturnType<typeof tempWorkspace>
let db: string

beforeAll(() => {
  ws = tempWorkspace()
  seedEvalWorkspace(ws.db)
  db = ws.path
  ws.close()
})
afterAll(() => ws.cleanup())

describe('radlabel eval / compare / agree', () => {
  it('eval --json prints one object with the documented fields', () => {
    const r = runCli(['eval', '--db', db, '--pred', 'rules', '--ref', 'curated', '--uncertain', 'positive', '--json', '--resamples', '200', '--seed', '3'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.n_reports).toBe(5)
    expect(out.micro).toMatchObject({ tp: 3, fp: 1, fn: 1 })
    expect(out.micro.precision).toBeCloseTo(0.75, 12)
    expect(out.micro.recall).toBeCloseTo(0.75, 12)
    expect(out.micro.f1).toBeCloseTo(0.75, 12)
    expect(out.macro.f1).toBeCloseTo(5 / 6, 12)
    const pe = out.labels.find((l: { label: string }) => l.label === 'Pleural Effusion')
    expect(pe).toMatchObject({ support: 3, tp: 2, fp: 1, fn: 1, tn: 1 })
    for (const k of ['label', 'precision', 'recall', 'f1', 'support', 'tp', 'fp', 'fn']) expect(pe).toHaveProperty(k)
    expect(pe.ci.f1.low).toBeLessThanOrEqual(pe.f1)
    expect(out.bootstrap).toMatchObject({ resamples: 200, seed: 3 })
  })

  it('eval prints a readable table and writes the HTML and PDF reports', () => {
    const html = join(ws.dir, 'report.html')
    const pdf = join(ws.dir, 'report.pdf')
    const withPdf = existsSync('/usr/bin/chromium')
    const args = ['eval', '--db', db, '--pred', 'weak', '--ref', 'curated', '--html', html, '--resamples', '100']
    const r = runCli(withPdf ? [...args, '--pdf', pdf] : args)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('weak against curated: 4 reports covered by both')
    expect(r.stdout).toContain('Effusion -> Pleural Effusion (synonym)')
    expect(r.stdout).toMatch(/micro\s+precision/)
    expect(readFileSync(html, 'utf8')).toContain('<svg')
    if (withPdf) expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('compare shows sources side by side with paired differences', () => {
    const r = runCli(['compare', '--db', db, '--pred', 'rules', '--pred', 'weak', '--ref', 'curated', '--uncertain', 'positive', '--json', '--resamples', '100'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.n_reports).toBe(4)
    expect(out.sources.map((s: { prediction: string }) => s.prediction)).toEqual(['rules', 'weak'])
    expect(out.differences[0]).toMatchObject({ source: 'weak', baseline: 'rules' })
    expect(out.differences[0].micro.f1.ci).not.toBeNull()
    const text = runCli(['compare', '--db', db, '--pred', 'rules', '--pred', 'weak', '--ref', 'curated', '--resamples', '50'])
    expect(text.stdout).toContain('weak - rules: micro F1')
  })

  it('agree reports kappa without a reference', () => {
    const r = runCli(['agree', '--db', db, '--a', 'weak', '--b', 'rules', '--uncertain', 'positive', '--json', '--resamples', '50'])
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.nReports).toBe(5)
    expect(out.labels.find((l: { label: string }) => l.label === 'Pleural Effusion').binary.agreement).toBeCloseTo(0.4, 12)
  })

  it('fails clearly on bad input', () => {
    const missing = runCli(['eval', '--db', db, '--pred', 'nosuch', '--ref', 'curated'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no label source "nosuch".*Known sources \(id: name\): \d+: curated; \d+: rules; \d+: weak/)
    const noDb = runCli(['eval', '--db', join(ws.dir, 'absent.db'), '--pred', 'a', '--ref', 'b'])
    expect(noDb.code).toBe(1)
    expect(noDb.stderr).toMatch(/does not exist/)
    expect(existsSync(join(ws.dir, 'absent.db'))).toBe(false)
    const badMap = runCli(['eval', '--db', db, '--pred', 'weak', '--ref', 'curated', '--map', 'Effusion'])
    expect(badMap.stderr).toMatch(/PREDICTION_LABEL=REFERENCE_LABEL/)
  })
})

describe('radlabel export / restore', () => {
  it('exports labels CSV and the dataset with the report-text warning', () => {
    const csv = join(ws.dir, 'labels.csv')
    const r = runCli(['export', 'labels', '--db', db, '--source', 'curated', '--out', csv])
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(csv, 'utf8').split('\r\n')[1]).toMatch(/^R1,/)
    const again = runCli(['export', 'labels', '--db', db, '--source', 'curated', '--out', csv])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists.*--force/)
    const ds = runCli(['export', 'dataset', '--db', db, '--source', 'rules', '--out', join(ws.dir, 'ft'), '--style', 'chat', '--json'])
    expect(ds.code, ds.stderr).toBe(0)
    expect(ds.stderr).toContain('WARNING: these files contain the full text of radiology reports')
    const out = JSON.parse(ds.stdout)
    expect(out.examples.train + out.examples.validation).toBe(12)
    expect(existsSync(join(ws.dir, 'ft.README.txt'))).toBe(true)
  })

  it('backs up and restores a workspace', () => {
    const bak = join(ws.dir, 'ws-backup.db')
    const b = runCli(['export', 'backup', '--db', db, '--out', bak, '--json'])
    expect(b.code, b.stderr).toBe(0)
    expect(JSON.parse(b.stdout)).toMatchObject({ reports: 6, sources: 3 })
    const target = join(ws.dir, 'restored.db')
    const r = runCli(['restore', '--from', bak, '--db', target])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('6 reports, 3 label sources')
    const ev = runCli(['eval', '--db', target, '--pred', 'rules', '--ref', 'curated', '--json', '--resamples', '0'])
    expect(JSON.parse(ev.stdout).n_reports).toBe(5)
    const clobber = runCli(['restore', '--from', bak, '--db', target])
    expect(clobber.code).toBe(1)
    expect(clobber.stderr).toMatch(/already exists.*--replace/)
    const bad = runCli(['restore', '--from', csvPath(), '--db', join(ws.dir, 'x.db')])
    expect(bad.stderr).toMatch(/not a SQLite database/)
  })
})

function csvPath(): string {
  return join(ws.dir, 'labels.csv')
}
