// `radlabel labelsets`, `radlabel detect --engine rules` and `radlabel label` through the real binary,
// on synthetic reports written for this test.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir()
afterAll(() => dir.cleanup())

const INPUT = [
  'report_id,findings,impression',
  'R1,"Heart size is normal. Small left pleural effusion. No pneumothorax.","Left basilar atelectasis."',
  'R2,"The lungs are clear. No focal consolidation, effusion or pneumothorax.","No acute cardiopulmonary disease."',
  'R3,,',
  'R4,"Moderate cardiomegaly. Probable right lower lobe pneumonia.","Cardiomegaly, likely pneumonia."',
  'R1,"Heart size is normal. Small left pleural effusion. No pneumothorax.","Left basilar atelectasis."',
  'R5,"Dual-lead pacemaker. Lungs are clear.","No acute disease. Small hiatal hernia."'
].join('\n')

const inputPath = join(dir.dir, 'reports.csv')
writeFileSync(inputPath, INPUT)

function parseCsv(text: string): string[][] {
  return text.trim().split('\n').map((l) => l.split(','))
}

describe('radlabel labelsets', () => {
  it('lists the built-in label sets without a workspace', () => {
    const r = runCli(['labelsets', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { labelSets: { slug: string; labels: string[] }[] }
    expect(out.labelSets.map((s) => s.slug)).toEqual(['chexpert14', 'chestxray14'])
    expect(out.labelSets[1].labels).toContain('Pleural_Thickening')
  })
})

describe('radlabel label (one-shot)', () => {
  it('writes id first, one column per label, 1/0/-1/empty, one row per input row in input order; rejected rows empty, on stderr, exit code 2', () => {
    const out = join(dir.dir, 'out.csv')
    const r = runCli(['label', inputPath, '--out', out, '--label-set', 'chexpert14'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/rejected .*record 3: report text is empty/)
    const rows = parseCsv(readFileSync(out, 'utf8'))
    expect(rows[0]).toEqual([
      'report_id',
      'No Finding',
      'Enlarged Cardiomediastinum',
      'Cardiomegaly',
      'Lung Lesion',
      'Lung Opacity',
      'Edema',
      'Consolidation',
      'Pneumonia',
      'Atelectasis',
      'Pneumothorax',
      'Pleural Effusion',
      'Pleural Other',
      'Fracture',
      'Support Devices'
    ])
    expect(rows.slice(1).map((r) => r[0])).toEqual(['R1', 'R2', 'R3', 'R4', 'R1', 'R5'])
    expect(rows[3].slice(1).every((v) => v === '')).toBe(true) // R3 was rejected: empty labels
    const col = (name: string) => rows[0].indexOf(name)
    const r1 = rows[1]
    expect([r1[col('Pleural Effusion')], r1[col('Pneumothorax')], r1[col('Atelectasis')], r1[col('Cardiomegaly')]]).toEqual(['1', '0', '1', '0'])
    expect(r1[col('Fracture')]).toBe('')
    const r4 = rows[4]
    expect([r4[col('Cardiomegaly')], r4[col('Pneumonia')], r4[col('No Finding')]]).toEqual(['1', '-1', '0'])
    const r5 = rows[6]
    expect([r5[col('Support Devices')], r5[col('No Finding')]]).toEqual(['1', '1'])
    expect(rows[5]).toEqual(rows[1]) // a repeated record gets the same labels
  })
  it('takes --id-column and --text-columns, and refuses unknown columns', () => {
    const out = join(dir.dir, 'out-imp.csv')
    const r = runCli(['label', inputPath, '--out', out, '--label-set', 'chestxray14', '--id-column', 'report_id', '--text-columns', 'impression'])
    expect(r.code).toBe(2) // R3 has no impression
    const rows = parseCsv(readFileSync(out, 'utf8'))
    const eff = rows[0].indexOf('Effusion')
    expect(rows[1][eff]).toBe('') // the effusion is only in the findings
    expect(rows.find((x) => x[0] === 'R5')![rows[0].indexOf('Hernia')]).toBe('1')
    const bad = runCli(['label', inputPath, '--out', join(dir.dir, 'x.csv'), '--text-columns', 'nope'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/no column "nope".*Columns: report_id, findings, impression/)
  })
  it('does not overwrite an existing output without --force', () => {
    const out = join(dir.dir, 'exists.csv')
    writeFileSync(out, 'keep')
    const r = runCli(['label', inputPath, '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/already exists/)
    expect(readFileSync(out, 'utf8')).toBe('keep')
  })
})

describe('radlabel detect --engine rules', () => {
  it('labels a workspace as a stored run and prints counts per label', () => {
    const db = join(dir.dir, 'detect.db')
    const first = runCli(['label', inputPath, '--out', join(dir.dir, 'seed.csv'), '--db', db])
    expect(first.code).toBe(2)
    const r = runCli(['detect', '--db', db, '--engine', 'rules', '--label-set', 'chestxray14', '--scope', 'impression', '--run-name', 'imp-only', '--json'])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as {
      run: { name: string; status: string; reportsDone: number; config: { scope: string }; provenance: Record<string, unknown> }
      labels: { label: string; positive: number }[]
    }
    expect(out.run).toMatchObject({ name: 'imp-only', status: 'completed', reportsDone: 4, config: { scope: 'impression' } })
    expect(out.run.provenance).toMatchObject({ engine: 'rules', hedging: 'probable', scope: 'impression' })
    expect(out.labels.find((l) => l.label === 'Effusion')!.positive).toBe(0)
    expect(out.labels.find((l) => l.label === 'Atelectasis')!.positive).toBe(1)
  })
  it('refuses a bad label-set file, naming the field', () => {
    const file = join(dir.dir, 'set.json')
    writeFileSync(file, JSON.stringify({ slug: 'site', name: 'Site', labels: [{ name: 'Pleural_Effusion' }, { name: 'pleural effusion' }] }))
    const bad = runCli(['labelsets', 'import', file, '--db', join(dir.dir, 'detect.db')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/label 2 \("pleural effusion"\)\.name: .*duplicates label 1/)
  })
  it('refuses flags of the other engine', () => {
    const db = join(dir.dir, 'detect.db')
    const r = runCli(['detect', '--db', db, '--label-set', 'chexpert14', '--model', 'm.gguf'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--model does not apply to the rules engine/)
  })
})
