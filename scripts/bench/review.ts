// Benchmark: the review back end on a 100,000-report workspace (synthetic reports, two labeller sources).
// Target: opening a report from the list (the `review.report` call, as the review screen makes it) under
// 100 ms. Also times finder pages (search, filters), a saved decision, and sampling review sets.
// Calls go through the real handler table (validation included), as the Electron main process runs them.
// Run: npx tsx scripts/bench/review.ts [--reports N] [--opens K]
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { mulberry32, randomIndex } from '../../src/common/eval/prng'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { createSession } from '../../src/node/services/session'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const N = arg('--reports', 100_000)
const OPENS = arg('--opens', 200)

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b)
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1].toFixed(2)} ms (n=${s.length})`
}

/** Longest time the event loop went without running a 1 ms timer, until the returned stop() is called. */
function blockMonitor(): () => number {
  let last = performance.now()
  let max = 0
  const timer = setInterval(() => {
    const now = performance.now()
    max = Math.max(max, now - last)
    last = now
  }, 1)
  return () => {
    clearInterval(timer)
    return Math.max(max, performance.now() - last)
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-review-'))
  try {
    const session = await createSession({ dbPath: join(dir, 'bench.db'), platform: { runtime: 'node' } })
    const db = session.ctx.workspace.db
    const call = async <T>(name: string, input: unknown): Promise<T> => {
      const out = await session.call(name, input)
      if (!out.ok) throw new Error(`${name}: ${out.error.message}`)
      return out.value as T
    }
    const timed = async <T>(name: string, input: unknown): Promise<{ ms: number; value: T }> => {
      const t = performance.now()
      const value = await call<T>(name, input)
      return { ms: performance.now() - t, value }
    }

    const t = performance.now()
    const syn = seedSynthetic(db, N, 17)
    console.log(`workspace: ${N.toLocaleString()} synthetic reports + 2 sources seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    // checkpoint the seeding's write-ahead log now, so its one-off cost is not charged to the first set
    db.pragma('wal_checkpoint(TRUNCATE)')
    const reviewer = await call<{ id: number }>('review.reviewers.create', { name: 'Bench Reader' })

    const sizes = { random: 0, stratified: 0, disagreement: 0 }
    const blocked = { random: 0, stratified: 0, disagreement: 0 }
    const setIds: Record<string, number> = {}
    for (const strategy of ['random', 'stratified', 'disagreement'] as const) {
      const stop = blockMonitor()
      const r = await timed<{ id: number }>('review.sets.create', {
        name: `bench ${strategy}`,
        sampling: { strategy, size: 1000, seed: 5, stratifySourceId: syn.sourceA, compareSourceIds: [syn.sourceA, syn.sourceB] },
        mode: 'assisted',
        assistSourceId: syn.sourceA,
        readersPerReport: 1
      })
      blocked[strategy] = stop()
      sizes[strategy] = r.ms
      setIds[strategy] = r.value.id
    }
    console.log(
      `longest event-loop block while creating it: random ${blocked.random.toFixed(0)} ms, stratified ${blocked.stratified.toFixed(0)} ms, disagreements first ${blocked.disagreement.toFixed(0)} ms (pauses between chunks of 20,000 label rows)`
    )
    console.log(
      `create a 1,000-report set from ${N.toLocaleString()}: random ${sizes.random.toFixed(0)} ms, stratified ${sizes.stratified.toFixed(0)} ms, disagreements first ${sizes.disagreement.toFixed(0)} ms`
    )

    const setId = setIds.random
    const items = db.prepare('SELECT report_id FROM review_items WHERE set_id = ? ORDER BY ord').pluck().all(setId) as number[]
    const rng = mulberry32(99)
    // warm-up (statement cache, page cache) as after the first report of a session
    for (let i = 0; i < 5; i++) await call('review.report', { setId, reportId: items[i], reviewerId: reviewer.id })

    const open: number[] = []
    for (let i = 0; i < OPENS; i++) {
      open.push((await timed('review.report', { setId, reportId: items[randomIndex(rng, items.length)], reviewerId: reviewer.id })).ms)
    }
    console.log(`review.report (open a report in an assisted set, with evidence): ${stats(open)}`)

    const view: number[] = []
    for (let i = 0; i < OPENS; i++) view.push((await timed('review.report', { reportId: syn.reportIds[randomIndex(rng, N)] })).ms)
    console.log(`review.report (open any report from the finder, all sources): ${stats(view)}`)

    const labelId = db
      .prepare("SELECT l.id FROM labels l JOIN sources s ON s.label_set_id = l.label_set_id WHERE s.id = ? AND l.name = 'Pneumothorax'")
      .pluck()
      .get(syn.sourceA) as number
    const finds: Record<string, object> = {
      'first page, no filter': { limit: 200 },
      'page 400 (offset 80,000)': { limit: 200, offset: 80_000 },
      'text search "pneumothorax"': { limit: 200, search: 'pneumothorax' },
      'source A: Pneumothorax positive': { limit: 200, sourceId: syn.sourceA, labelId, state: 'positive' },
      'in a set, by reviewer': { limit: 200, setId, reviewerId: reviewer.id }
    }
    for (const [what, q] of Object.entries(finds)) {
      const ms: number[] = []
      let total = 0
      for (let i = 0; i < 9; i++) {
        const r = await timed<{ total: number }>('review.find', q)
        ms.push(r.ms)
        total = r.value.total
      }
      console.log(`review.find ${what} (${total.toLocaleString()} matches, with the count): ${stats(ms)}`)
    }

    const decide: number[] = []
    const labels = db.prepare("SELECT id FROM labels WHERE label_set_id = (SELECT label_set_id FROM review_sets WHERE id = ?)").pluck().all(setId) as number[]
    for (let i = 0; i < 100; i++) {
      const r = await timed('review.decide', {
        setId,
        reportId: items[i],
        labelId: labels[i % labels.length],
        reviewerId: reviewer.id,
        state: i % 2 ? 'positive' : 'negative'
      })
      decide.push(r.ms)
    }
    console.log(`review.decide (saved, audited, curated source refreshed): ${stats(decide)}`)
    const complete: number[] = []
    for (let i = 0; i < 100; i++) complete.push((await timed('review.complete', { setId, reportId: items[i], reviewerId: reviewer.id })).ms)
    console.log(`review.complete (fills the rest, curated source written): ${stats(complete)}`)
    const q = await timed<{ items: unknown[] }>('review.queue', { setId, reviewerId: reviewer.id })
    console.log(`review.queue of a 1,000-report set: ${q.ms.toFixed(1)} ms`)
    await session.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
