// The review screen in Chromium against the real handlers: keyboard-only labelling, reload safety,
// double reading with adjudication. Every check of what was saved reads the database itself.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createReviewSet } from '../../src/node/review/sets'
import { seedSynthetic } from '../../src/node/review/synthetic'
import type { Db } from '../../src/node/store/db'
import { createReviewer } from '../../src/node/store/repos/reviewers'
import { appPerTest, type AppUnderTest } from './support/app'

let app: AppUnderTest | undefined
const openApp = appPerTest()

interface Seeded {
  setId: number
  reviewers: Record<string, number>
}

function seed(db: Db, opts: { size: number; readers: 1 | 2; reviewers: string[] }): Seeded {
  seedSynthetic(db, 40, 11)
  const reviewers = Object.fromEntries(opts.reviewers.map((n) => [n, createReviewer(db, n, 'radiologist').id]))
  const set = createReviewSet(db, {
    name: 'e2e set',
    labelSet: 'chexpert14',
    sampling: { strategy: 'random', size: opts.size, seed: 4 },
    mode: 'blinded',
    readersPerReport: opts.readers
  })
  return { setId: set.id, reviewers }
}

const labelNames = (db: Db): string[] =>
  db.prepare("SELECT l.name FROM labels l JOIN label_sets s ON s.id = l.label_set_id WHERE s.slug = 'chexpert14' ORDER BY l.ord").pluck().all() as string[]

function setItems(db: Db, setId: number): number[] {
  return db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all(setId) as number[]
}

function decisionsOf(db: Db, setId: number, reportId: number, reviewer: string): Record<string, string> {
  const rows = db
    .prepare(
      `SELECT l.name, d.state FROM review_decisions d JOIN labels l ON l.id = d.label_id JOIN reviewers r ON r.id = d.reviewer_id
       WHERE d.set_id = ? AND d.report_id = ? AND r.name = ?`
    )
    .all(setId, reportId, reviewer) as { name: string; state: string }[]
  return Object.fromEntries(rows.map((r) => [r.name, r.state]))
}

async function chooseReviewer(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click()
  await expect.poll(() => page.getByText(`Reviewing as`).count()).toBeGreaterThan(0)
}

async function waitSaved(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.review-save').textContent()).toBe('All changes saved')
}

async function waitForPosition(page: Page, n: number, of: number): Promise<void> {
  await expect.poll(() => page.locator('.review-top').textContent()).toContain(`Report ${n} of ${of}`)
}

/** Digit key for label index i (0-based): 1..9, 0, then Shift+1..9. */
function labelKey(i: number): string {
  if (i < 9) return `Digit${i + 1}`
  if (i === 9) return 'Digit0'
  return `Shift+Digit${i - 9}`
}

describe('review screen in Chromium', () => {
  it('a reviewer labels 20 reports with the keyboard alone; the database holds every decision', async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db, { size: 20, readers: 1, reviewers: ['Dr Keys'] })), hash: '/review' })
    const { page, workspace } = app
    const db = workspace.db
    const names = labelNames(db)
    await chooseReviewer(page, 'Dr Keys')
    await page.goto(`${app.harness.url}/#/review?set=${s.setId}`)
    await waitForPosition(page, 1, 20)

    // `?` lists every shortcut; Esc closes the list
    await page.keyboard.press('?')
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await expect.poll(() => help.textContent()).toMatch(/Undo the last decision.*Flag.*comment/s)
    await page.keyboard.press('Escape')
    await expect.poll(() => help.count()).toBe(0)

    const items = setItems(db, s.setId)
    const expected: Record<string, string>[] = []
    for (let i = 0; i < 20; i++) {
      const a = i % 10
      const plan: Record<string, string> = {}
      await page.keyboard.press(labelKey(a))
      await page.keyboard.press('p') // positive, cursor moves to the next label
      plan[names[a]] = 'positive'
      await page.keyboard.press('n')
      plan[names[a + 1]] = 'negative'
      if (i % 2 === 0) {
        await page.keyboard.press(labelKey(12))
        await page.keyboard.press('u')
        plan[names[12]] = 'uncertain'
      }
      if (i % 5 === 0) {
        // a slip, undone: the label ends up not mentioned
        await page.keyboard.press(labelKey(13))
        await page.keyboard.press('p')
        await page.keyboard.press('z')
      }
      if (i === 3) {
        // up/down with j/k, and a changed mind on the same label
        await page.keyboard.press('k')
        await page.keyboard.press('u')
        plan[names[a + 1]] = 'uncertain'
        await page.keyboard.press('f')
      }
      expected.push(plan)
      await page.keyboard.press('Enter')
      if (i < 19) await waitForPosition(page, i + 2, 20)
    }
    await expect.poll(() => page.getByText('Every report of your queue is done').count()).toBe(1)
    await waitSaved(page)

    for (let i = 0; i < 20; i++) {
      const got = decisionsOf(db, s.setId, items[i], 'Dr Keys')
      const want = Object.fromEntries(names.map((n) => [n, expected[i][n] ?? 'not_mentioned']))
      expect(got, `report ${i + 1}`).toEqual(want)
    }
    const completed = db.prepare('SELECT count(*) FROM review_notes WHERE set_id = ? AND completed_at IS NOT NULL').pluck().get(s.setId)
    expect(completed).toBe(20)
    expect(db.prepare('SELECT flagged FROM review_notes WHERE set_id = ? AND report_id = ?').pluck().get(s.setId, items[3])).toBe(1)
    // the curated source has every report, and the audit log names the reviewer
    const curated = db.prepare('SELECT count(DISTINCT report_id) FROM source_labels sl JOIN review_sets rs ON rs.curated_source_id = sl.source_id WHERE rs.id = ?').pluck().get(s.setId)
    expect(curated).toBe(20)
    expect(db.prepare("SELECT count(*) FROM audit_log WHERE actor = 'Dr Keys' AND action = 'review.complete'").pluck().get()).toBe(20)
  })

  it('reload in the middle of a set loses no decision', async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db, { size: 6, readers: 1, reviewers: ['Dr Reload'] })), hash: '/review' })
    const { page, workspace } = app
    const db = workspace.db
    const names = labelNames(db)
    const items = setItems(db, s.setId)
    await chooseReviewer(page, 'Dr Reload')
    await page.goto(`${app.harness.url}/#/review?set=${s.setId}`)
    await waitForPosition(page, 1, 6)
    await page.keyboard.press('Digit3')
    await page.keyboard.press('p')
    await page.keyboard.press('Enter')
    await waitForPosition(page, 2, 6)
    // decisions on report 2, not completed, then reload at once
    await page.keyboard.press('Digit5')
    await page.keyboard.press('n')
    await page.keyboard.press('Shift+Digit1')
    await page.keyboard.press('u')
    await page.keyboard.press('c')
    await page.keyboard.type('needs the prior study')
    await page.keyboard.press('Escape')
    await waitSaved(page)
    await page.reload()
    await waitForPosition(page, 2, 6)
    const state = (name: string) => page.locator(`li[data-label="${name}"]`).getAttribute('data-state')
    await expect.poll(() => state(names[4])).toBe('negative')
    await expect.poll(() => state(names[10])).toBe('uncertain')
    await expect.poll(() => page.getByLabel('Comment').inputValue()).toBe('needs the prior study')
    expect(decisionsOf(db, s.setId, items[1], 'Dr Reload')).toEqual({ [names[4]]: 'negative', [names[10]]: 'uncertain' })
    expect(decisionsOf(db, s.setId, items[0], 'Dr Reload')[names[2]]).toBe('positive')
    // the recent decisions list shows them and edits them in place
    const recent = page.getByRole('region', { name: 'Recent decisions' })
    await expect.poll(() => recent.textContent()).toContain(names[2])
    const key = db.prepare('SELECT report_key FROM reports WHERE id = ?').pluck().get(items[0]) as string
    await recent.getByLabel(`${key} ${names[2]}`).selectOption('uncertain')
    await expect.poll(() => decisionsOf(db, s.setId, items[0], 'Dr Reload')[names[2]]).toBe('uncertain')
    // going back with [ shows the completed report with its saved decisions
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('BracketLeft')
    await waitForPosition(page, 1, 6)
    await expect.poll(() => state(names[2])).toBe('uncertain')
  })

  it('double reading: two blinded readers, agreement, and a third reviewer adjudicates into the curated source', async () => {
    let s!: Seeded
    app = await openApp({ seed: (ws) => (s = seed(ws.db, { size: 3, readers: 2, reviewers: ['Reader A', 'Reader B', 'Chief C'] })), hash: '/review' })
    const { page, workspace, harness } = app
    const db = workspace.db
    const names = labelNames(db)
    const items = setItems(db, s.setId)
    // Cardiomegaly = label 3 (index 2), Edema = label 6 (index 5)
    const read = async (reader: string, edema: 'p' | 'n'): Promise<void> => {
      await page.goto(`${harness.url}/#/review`)
      await chooseReviewer(page, reader)
      await page.goto(`${harness.url}/#/review?set=${s.setId}`)
      for (let i = 0; i < 3; i++) {
        await waitForPosition(page, i + 1, 3)
        // blinded: nothing decided yet on this reader's screen
        await expect.poll(() => page.locator('li.decided').count()).toBe(0)
        await page.keyboard.press('Digit3')
        await page.keyboard.press('p')
        await page.keyboard.press('Digit6')
        await page.keyboard.press(edema)
        await page.keyboard.press('Enter')
      }
      await expect.poll(() => page.getByText('Every report of your queue is done').count()).toBe(1)
      await waitSaved(page)
      await page.getByRole('button', { name: 'Switch reviewer' }).click()
    }
    await read('Reader A', 'p')
    await read('Reader B', 'n')

    // agreement: Cardiomegaly agrees everywhere, Edema never
    await chooseReviewer(page, 'Chief C')
    // a third reader is refused on a report that has its two readers; the screen shows what is saved
    await page.goto(`${harness.url}/#/review?set=${s.setId}&report=${items[0]}`)
    await expect.poll(() => page.locator('li[data-label]').count()).toBe(names.length)
    await page.keyboard.press('p')
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/already has 2 reader/)
    await expect.poll(() => page.locator('li[data-label="No Finding"]').getAttribute('data-state')).toBe('')
    expect(decisionsOf(db, s.setId, items[0], 'Chief C')).toEqual({})
    await page.goto(`${harness.url}/#/review?set=${s.setId}&view=agreement`)
    const table = page.getByRole('table', { name: 'Agreement per label' })
    const row = (label: string) => table.locator('tr', { hasText: label }).first().textContent()
    await expect.poll(() => row('Cardiomegaly')).toMatch(/Cardiomegaly3100\.0 %n\/a — all one state00/)
    await expect.poll(() => row('Edema')).toMatch(/Edema30\.0 %0\.00030/)
    await expect.poll(() => page.getByText('3 disagreement(s) on 3 report(s) waiting for adjudication').count()).toBe(1)

    // adjudication by keyboard: the cursor starts on the disagreement; a/b take a reader's answer
    await page.goto(`${harness.url}/#/review?set=${s.setId}&as=adjudicator`)
    const answers = ['a', 'b', 'n']
    for (let i = 0; i < 3; i++) {
      await waitForPosition(page, i + 1, 3)
      await expect.poll(() => page.locator('li[aria-current="true"]').getAttribute('data-label')).toBe('Edema')
      await expect.poll(() => page.locator('li[data-label="Edema"]').textContent()).toMatch(/A: positive.*B: negative/)
      await page.keyboard.press(answers[i])
      await page.keyboard.press('Enter')
    }
    await expect.poll(() => page.getByText('Every disagreement in your queue is settled').count()).toBe(1)
    await waitSaved(page)

    const curatedId = db.prepare('SELECT curated_source_id FROM review_sets WHERE id = ?').pluck().get(s.setId) as number
    const curated = (reportId: number) =>
      Object.fromEntries(
        (db
          .prepare('SELECT l.name, sl.state, sl.rule FROM source_labels sl JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND sl.report_id = ?')
          .all(curatedId, reportId) as { name: string; state: string; rule: string }[]).map((r) => [r.name, `${r.state} ${r.rule}`])
      )
    const expectedEdema = ['positive', 'negative', 'negative']
    items.forEach((id, i) => {
      const c = curated(id)
      expect(Object.keys(c)).toHaveLength(names.length)
      expect(c.Edema).toBe(`${expectedEdema[i]} review:adjudicated`)
      expect(c.Cardiomegaly).toBe('positive review:agreed')
      expect(c.Pneumothorax).toBe('not_mentioned review:agreed')
    })
    const adjudicator = db
      .prepare("SELECT DISTINCT r.name FROM review_decisions d JOIN reviewers r ON r.id = d.reviewer_id WHERE d.role = 'adjudicator'")
      .pluck()
      .all()
    expect(adjudicator).toEqual(['Chief C'])
    // the set list shows the curated count
    await page.goto(`${harness.url}/#/review`)
    await expect.poll(() => page.getByRole('table', { name: 'Review sets' }).textContent()).toContain('review: e2e set')
  })

  it('creates an assisted set from the form, Enter accepts the pre-filled labels; the finder opens any report with every source', async () => {
    let ids!: { sourceA: number; sourceB: number; reportIds: number[] }
    app = await openApp({
      seed: (ws) => {
        ids = seedSynthetic(ws.db, 60, 21)
        createReviewer(ws.db, 'Dr Form', 'radiologist')
      },
      hash: '/review'
    })
    const { page, workspace, harness } = app
    const db = workspace.db
    await chooseReviewer(page, 'Dr Form')
    const form = page.getByRole('form', { name: 'New review set' })
    await form.getByLabel('Name').fill('A vs B')
    await form.getByLabel('Sampling').selectOption('disagreement')
    await form.getByLabel('Size').fill('8')
    await form.getByLabel('Seed').fill('3')
    await form.getByLabel('Compare source').selectOption(String(ids.sourceA))
    await form.getByLabel('with source').selectOption(String(ids.sourceB))
    await form.getByLabel('Assisted (pre-filled)').check()
    await form.getByLabel('Pre-fill from').selectOption(String(ids.sourceA))
    await form.getByRole('button', { name: 'Create review set' }).click()
    await waitForPosition(page, 1, 8)
    const set = db.prepare("SELECT id, mode, assist_source_id, sampling_json FROM review_sets WHERE name = 'A vs B'").get() as {
      id: number
      mode: string
      assist_source_id: number
      sampling_json: string
    }
    expect(set).toMatchObject({ mode: 'assisted', assist_source_id: ids.sourceA })
    expect(JSON.parse(set.sampling_json)).toMatchObject({ strategy: 'disagreement', size: 8, seed: 3, compareSourceIds: [ids.sourceA, ids.sourceB] })
    // assisted: the legend names the sources, Enter takes source A's states for every undecided label
    await expect.poll(() => page.getByLabel('Legend').textContent()).toContain('synthetic A')
    // both sources cite the same words here: one mark in A's colour, underlined in B's, both named in its title
    const shared = page.locator('mark.hl-1.also-hl-2').first()
    await expect.poll(() => shared.getAttribute('title')).toMatch(/synthetic A: .*\nsynthetic B: /)
    const first = setItems(db, set.id)[0]
    await page.keyboard.press('Enter')
    await waitForPosition(page, 2, 8)
    await waitSaved(page)
    const fromA = Object.fromEntries(
      (db
        .prepare('SELECT l.name, sl.state FROM source_labels sl JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND sl.report_id = ?')
        .all(ids.sourceA, first) as { name: string; state: string }[]).map((r) => [r.name, r.state])
    )
    expect(Object.keys(fromA).length).toBeGreaterThan(0)
    const got = decisionsOf(db, set.id, first, 'Dr Form')
    for (const [name, state] of Object.entries(fromA)) expect(got[name]).toBe(state)
    expect(Object.values(got).filter((v) => v !== 'not_mentioned')).toHaveLength(Object.values(fromA).filter((v) => v !== 'not_mentioned').length)

    // the finder: search, then open a report outside any set (as the Evaluate page links)
    await page.goto(`${harness.url}/#/review?view=find`)
    await page.getByLabel('Search text or id').fill('SYN-000007')
    await expect.poll(() => page.getByRole('region', { name: 'Matching reports' }).getByRole('status').textContent()).toBe('1 report(s)')
    await page.getByRole('button', { name: /SYN-000007/ }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Review · report')
    await expect.poll(() => page.getByLabel('Report text').textContent()).toContain('FINDINGS:')
    const legend = await page.getByLabel('Legend').count()
    const labelled = db.prepare('SELECT count(*) FROM source_labels WHERE report_id = ?').pluck().get(ids.reportIds[6]) as number
    expect(legend).toBe(labelled > 0 ? 1 : 0)
  })
})
