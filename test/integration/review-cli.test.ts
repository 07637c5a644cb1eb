// `radlabel review export`: the curated labels of a set in the `radlabel label` CSV layout.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { complete, decide } from '../../src/node/review/decisions'
import { createReviewSet } from '../../src/node/review/sets'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { createReviewer } from '../../src/node/store/repos/reviewers'
import { runCli } from '../support/cli'
import { tempWorkspace } from '../support/workspace'

let ws: ReturnType<typeof tempWorkspace> | undefined
afterEach(() => ws?.cleanup())

describe('radlabel review export', () => {
  it('writes id first then one column per label (1/0/-1/empty), only settled reports, in set order', () => {
    ws = tempWorkspace()
    const { db } = ws
    const syn = seedSynthetic(db, 10, 5)
    const ann = createReviewer(db, 'Ann', 'radiologist')
    const set = createReviewSet(db, {
      name: 'Chest set 1',
      labelSet: 'chexpert14',
      sampling: { strategy: 'random', size: 4, seed: 3 },
      mode: 'blinded',
      readersPerReport: 1
    })
    const items = db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all(set.id) as number[]
    const label = (name: string) => db.prepare('SELECT id FROM labels WHERE label_set_id = ? AND name = ?').pluck().get(set.labelSetId, name) as number
    const t = (reportId: number) => ({ setId: set.id, reportId, reviewerId: ann.id, role: 'reader' as const })
    decide(db, { ...t(items[1]), labelId: label('Edema'), state: 'positive' })
    decide(db, { ...t(items[1]), labelId: label('Fracture'), state: 'uncertain' })
    decide(db, { ...t(items[1]), labelId: label('Pneumothorax'), state: 'negative' })
    complete(db, t(items[1]))
    complete(db, t(items[3]))
    decide(db, { ...t(items[0]), labelId: label('Edema'), state: 'positive' }) // not completed: not exported
    ws.close()

    const out = join(ws.dir, 'curated.csv')
    const r = runCli(['review', 'export', '--db', ws.path, '--set', 'Chest set 1', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Wrote 2 curated reports x 14 labels/)
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n')
    const header = lines[0].split(',')
    expect(header[0]).toBe('id')
    expect(header).toHaveLength(15)
    expect(header.slice(1, 3)).toEqual(['No Finding', 'Enlarged Cardiomediastinum'])
    const key = (id: number) => `SYN-${String(syn.reportIds.indexOf(id) + 1).padStart(6, '0')}`
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual([key(items[1]), key(items[3])])
    const row = Object.fromEntries(lines[1].split(',').map((v, i) => [header[i], v]))
    expect(row).toMatchObject({ Edema: '1', Fracture: '-1', Pneumothorax: '0', Cardiomegaly: '' })

    // refuses to overwrite without --force, and names an unknown set clearly
    const again = runCli(['review', 'export', '--db', ws.path, '--set', 'Chest set 1', '--out', out])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already exists.*--force/s)
    const unknown = runCli(['review', 'export', '--db', ws.path, '--set', 'nope', '--out', join(ws.dir, 'x.csv')])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/no review set "nope".*Chest set 1/s)
  })
})
