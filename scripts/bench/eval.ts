// Benchmark: evaluation with 1,000 bootstrap resamples on 10,000 synthetic reports x 14 labels.
// Target: under 2 s. Also times a 3-source paired comparison and 4-state agreement with intervals.
// Run: npx tsx scripts/bench/eval.ts [--reports N] [--runs K] [--store]  (--store: also end to end over a
// temporary workspace: SQLite load + alignment + evaluation)
import { performance } from 'node:perf_hooks'
import { agreement, compareSources, emptyMatrix, evaluate, mulberry32, STATE_CODE, type StateMatrix } from '../../src/common/eval'

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const N = arg('--reports', 10_000)
const RUNS = arg('--runs', 7)
const L = 14
const labels = Array.from({ length: L }, (_, i) => `Label ${i + 1}`)

/** Reference with label prevalences from 1% to 30% and some uncertain cells; predictions flip a share. */
function synthetic(seed: number, flip: number, ref?: StateMatrix): StateMatrix {
  const rng = mulberry32(seed)
  const u = () => rng() / 2 ** 32
  const m = emptyMatrix(labels, N)
  for (let r = 0; r < N; r++) {
    for (let l = 0; l < L; l++) {
      const i = r * L + l
      if (!ref) {
        const prev = 0.01 + (0.29 * l) / (L - 1)
        const x = u()
        m.states[i] = x < prev ? STATE_CODE.positive : x < prev * 1.15 ? STATE_CODE.uncertain : x < 0.6 ? STATE_CODE.negative : 0
      } else {
        const truth = ref.states[i] === STATE_CODE.positive
        m.states[i] = u() < flip ? (truth ? STATE_CODE.negative : STATE_CODE.positive) : ref.states[i]
      }
    }
  }
  return m
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const k = s.length >> 1
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2
}

/** Wall time, and CPU time of this process (steadier than wall time when the machine is busy). */
function time(name: string, fn: () => void): void {
  fn() // warm-up (JIT)
  const t: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    fn()
    t.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  console.log(
    `${name.padEnd(62)} median ${median(t).toFixed(0).padStart(6)} ms wall, ${median(cpu).toFixed(0).padStart(6)} ms CPU  ` +
      `(wall min ${Math.min(...t).toFixed(0)}, max ${Math.max(...t).toFixed(0)}; ${RUNS} runs)`
  )
}

const ref = synthetic(1, 0)
const predA = synthetic(2, 0.05, ref)
const predB = synthetic(3, 0.02, ref)
const predC = synthetic(4, 0.1, ref)
const { loadavg, cpus } = await import('node:os')
console.log(
  `eval benchmark: ${N} reports x ${L} labels, 1000 resamples, node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}`
)
const r = evaluate(predA, ref, { uncertain: 'positive', resamples: 1000, seed: 1 })
console.log(
  `  sanity: micro F1 ${r.micro.f1?.toFixed(3)} [${r.micro.ci?.f1.low?.toFixed(3)}, ${r.micro.ci?.f1.high?.toFixed(3)}], macro F1 ${r.macro.f1?.toFixed(3)}`
)
time('evaluate, 1 source, 1000 resamples (target < 2000 ms)', () => {
  evaluate(predA, ref, { uncertain: 'positive', resamples: 1000, seed: 1 })
})
time('evaluate, uncertain excluded, 1000 resamples', () => {
  evaluate(predA, ref, { uncertain: 'exclude', resamples: 1000, seed: 1 })
})
time('compare 3 sources (paired), 1000 resamples', () => {
  compareSources([predA, predB, predC], ref, { uncertain: 'positive', resamples: 1000, seed: 1 })
})
time('agreement (binary + 4-state kappa), 1000 resamples', () => {
  agreement(predA, predB, { uncertain: 'positive', resamples: 1000, seed: 1 })
})

// End to end over a workspace: load two sources from SQLite, align, evaluate with 1,000 resamples.
if (process.argv.includes('--store')) {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { openWorkspace } = await import('../../src/node/store/db')
  const { prepareWorkspace } = await import('../../src/node/store/prepare')
  const { findLabelSet } = await import('../../src/node/store/repos/labelSets')
  const { createSource } = await import('../../src/node/store/repos/sources')
  const { evaluateSources } = await import('../../src/node/eval/evaluate-sources')
  const { CODE_STATE } = await import('../../src/common/eval')
  const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-eval-'))
  try {
    const ws = openWorkspace(join(dir, 'bench.db'))
    prepareWorkspace(ws)
    const { db } = ws
    const set = findLabelSet(db, 'chexpert14')
    db.transaction(() => {
      const addReport = db.prepare(
        `INSERT INTO reports (report_key, text, content_hash, sections_json, created_at) VALUES (?, 'synthetic', ?, '[]', 'now')`
      )
      for (let r = 0; r < N; r++) addReport.run(`B${r}`, `h${r}`)
      const ins = db.prepare('INSERT INTO source_labels (source_id, report_id, label_id, state) VALUES (?, ?, ?, ?)')
      for (const [name, m] of [['bench ref', ref], ['bench pred', predA]] as const) {
        const id = createSource(db, { name, kind: name === 'bench ref' ? 'curated' : 'run', labelSetId: set.id })
        for (let r = 0; r < N; r++) for (let l = 0; l < L; l++) ins.run(id, r + 1, set.labels[l].id, CODE_STATE[m.states[r * L + l]])
      }
    })()
    time(`store: load 2 sources (${N} x ${L}) + evaluate, 1000 resamples`, () => {
      evaluateSources(db, { pred: ['bench pred'], ref: 'bench ref', uncertain: 'positive', resamples: 1000 })
    })
    time(`store: load 2 sources only (resamples 0)`, () => {
      evaluateSources(db, { pred: ['bench pred'], ref: 'bench ref', uncertain: 'positive', resamples: 0 })
    })
    ws.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
