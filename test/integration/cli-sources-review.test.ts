// `radlabel sources` (list, ids and names accepted elsewhere) and `radlabel review create | list`
// through the real binary, on the project's synthetic reports.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { runCli } from '../support/cli'
import { tempWorkspace } from '../support/workspace'

const ws = tempWorkspace()
let reportKeys: string[] = []
beforeAll(() => {
  const syn = seedSynthetic(ws.db, 40, 5)
  reportKeys = syn.reportIds.map((id) => ws.db.prepare('SELECT report_key FROM reports WHERE id = ?').pluck().get(id) as string)
  ws.close()
  const labels = join(ws.dir, 'gold.csv')
  writeFileSync(labels, ['id,Cardiomegaly,Edema', ...reportKeys.slice(0, 10).map((k, i) => `${k},${i % 2},0`)].join('\n') + '\n')
  const imp = runCli(['import-labels', labels, '--db', ws.path, '--source', 'site gold', '--label-set', 'chexpert14', '--id-column', 'id'])
  expect(imp.code, imp.stderr).toBe(0)
})
afterAll(() => ws.cleanup())

interface SourceRow {
  id: number
  kind: string
  name: string
  labelSet: string
  labelSetVersion: number
  reports: number
  complete: boolean
  createdAt: string
}

const sources = (): SourceRow[] => (JSON.parse(runCli(['sources', '--db', ws.path, '--json']).stdout) as { sources: SourceRow[] }).sources

describe('radlabel sources', () => {
  it('lists id, kind, name, label set and version, reports covered, completeness and creation time', () => {
    const list = sources()
    expect(list.map((s) => [s.kind, s.name])).toEqual([
      ['run', 'synthetic A'],
      ['run', 'synthetic B'],
      ['imported', 'site gold']
    ])
    expect(list[2]).toMatchObject({ labelSet: 'chexpert14', labelSetVersion: 1, reports: 10, complete: true })
    expect(list[2].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
    const text = runCli(['sources', '--db', ws.path])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^id\s+kind\s+name\s+label set\s+reports\s+complete\s+created/)
    expect(text.stdout).toMatch(/imported\s+site gold\s+chexpert14@1\s+10\s+yes/)
  })

  it('accepts an id or a name wherever a source is named', () => {
    const [a, , gold] = sources()
    const byId = runCli(['eval', '--db', ws.path, '--pred', String(a.id), '--ref', String(gold.id), '--resamples', '0', '--json'])
    const byName = runCli(['eval', '--db', ws.path, '--pred', 'synthetic A', '--ref', 'site gold', '--resamples', '0', '--json'])
    expect(byId.code, byId.stderr).toBe(0)
    expect(JSON.parse(byId.stdout).predictions).toEqual(JSON.parse(byName.stdout).predictions)
    const missing = runCli(['eval', '--db', ws.path, '--pred', 'nope', '--ref', 'site gold'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no label source "nope".*\d+: synthetic A; \d+: synthetic B; \d+: site gold/)
  })
})

describe('radlabel review create / list', () => {
  it('creates a random set and prints its reports by their own ids, in order; same seed, same sample', () => {
    const r = runCli(['review', 'create', '--db', ws.path, '--name', 'QA random', '--strategy', 'random', '--size', '8', '--seed', '3', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const set = JSON.parse(r.stdout) as { id: number; name: string; size: number; readersPerReport: number; mode: string; reports: string[] }
    expect(set).toMatchObject({ name: 'QA random', size: 8, readersPerReport: 1, mode: 'blinded' })
    expect(set.reports).toHaveLength(8)
    for (const k of set.reports) expect(reportKeys).toContain(k)
    const again = JSON.parse(
      runCli(['review', 'create', '--db', ws.path, '--name', 'QA random 2', '--strategy', 'random', '--size', '8', '--seed', '3', '--json']).stdout
    ) as { reports: string[] }
    expect(again.reports).toEqual(set.reports)
  })

  it('disagreements between two sources (by id and by name), double reading, assisted', () => {
    const [a, b] = sources()
    const r = runCli([
      'review', 'create', '--db', ws.path, '--name', 'QA disagree', '--strategy', 'disagreements', '--size', '5',
      '--sources', `${a.id},synthetic B`, '--readers', '2', '--assisted', String(b.id), '--disagreement-rule', 'any-state', '--json'
    ])
    expect(r.code, r.stderr).toBe(0)
    const set = JSON.parse(r.stdout) as { sampling: { strategy: string; compareSourceIds: number[] }; readersPerReport: number; mode: string; assistSourceName: string; reports: string[] }
    expect(set.sampling).toMatchObject({ strategy: 'disagreement', compareSourceIds: [a.id, b.id], disagreementRule: 'any-state' })
    expect(set).toMatchObject({ readersPerReport: 2, mode: 'assisted', assistSourceName: 'synthetic B' })
    expect(set.reports).toHaveLength(5)
  })

  it('refuses what cannot work, saying what to do', () => {
    const one = runCli(['review', 'create', '--db', ws.path, '--name', 'x', '--strategy', 'disagreements', '--size', '5', '--sources', 'synthetic A'])
    expect(one.code).toBe(1)
    expect(one.stderr).toMatch(/needs --sources with the two sources to compare/)
    const bad = runCli(['review', 'create', '--db', ws.path, '--name', 'x', '--strategy', 'newest', '--size', '5'])
    expect(bad.stderr).toMatch(/--strategy must be random, stratified, disagreements or all/)
    const dup = runCli(['review', 'create', '--db', ws.path, '--name', 'QA random', '--strategy', 'random', '--size', '5'])
    expect(dup.code).toBe(1)
    expect(dup.stderr).toMatch(/already exists/)
  })

  it('stratified by a source, then lists every set with its progress', () => {
    const s = runCli(['review', 'create', '--db', ws.path, '--name', 'QA strata', '--strategy', 'stratified', '--size', '6', '--sources', 'synthetic A'])
    expect(s.code, s.stderr).toBe(0)
    expect(s.stdout).toMatch(/Review set "QA strata" \(id \d+\): 6 reports/)
    const list = runCli(['review', 'list', '--db', ws.path, '--json'])
    const sets = (JSON.parse(list.stdout) as { reviewSets: { name: string; size: number; fullyRead: number; curated: number }[] }).reviewSets
    expect(sets.map((x) => x.name).sort()).toEqual(['QA disagree', 'QA random', 'QA random 2', 'QA strata'])
    expect(sets.find((x) => x.name === 'QA strata')).toMatchObject({ size: 6, fullyRead: 0, curated: 0 })
    const text = runCli(['review', 'list', '--db', ws.path])
    expect(text.stdout).toMatch(/QA strata .*6 reports, 0 fully read, 0 curated/)
    expect(text.stdout).toMatch(/QA disagree .*disagreement: any different state, negative against not mentioned included/)
  })
})
