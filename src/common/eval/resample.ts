// The bootstrap core: resample reports with replacement and accumulate weighted per-report counts.
// Reports are precomputed into a sparse list of count codes (CSR), so each resample only touches the
// reports drawn and the cells that contribute, with no allocation per resample.

/** Per-report contributions: report r adds 1 to `counts[codes[k]]` for k in offsets[r]..offsets[r+1]. */
export interface SparseContributions {
  nReports: number
  nCodes: number
  offsets: Int32Array
  codes: Int32Array
}

/** Build contributions by asking, for each report, which codes it adds to (-1 entries are skipped). */
export function buildContributions(
  nReports: number,
  nCodes: number,
  perCell: number,
  codeOf: (report: number, cell: number) => number
): SparseContributions {
  const offsets = new Int32Array(nReports + 1)
  let buf = new Int32Array(Math.max(16, nReports * 2))
  let k = 0
  for (let r = 0; r < nReports; r++) {
    offsets[r] = k
    for (let c = 0; c < perCell; c++) {
      const code = codeOf(r, c)
      if (code < 0) continue
      if (k === buf.length) {
        const next = new Int32Array(buf.length * 2)
        next.set(buf)
        buf = next
      }
      buf[k++] = code
    }
  }
  offsets[nReports] = k
  return { nReports, nCodes, offsets, codes: buf.subarray(0, k) }
}

export interface ResampleOptions {
  /** Number of bootstrap resamples (at least 1,000 for reported intervals). */
  resamples: number
  seed: number
}

/**
 * Runs `resamples` bootstrap replicates over reports. For each, `onResample(b, countsPerSource)` gets the
 * weighted counts of every source (same drawn reports for all sources, which is what makes a paired
 * bootstrap). The count arrays are reused between calls: read them, do not keep them.
 */
export function resampleCounts(
  sources: SparseContributions[],
  opts: ResampleOptions,
  onResample: (b: number, counts: Int32Array[]) => void
): void {
  drain(resampleSteps(sources, opts, onResample))
}

/** The same as `resampleCounts`, one resample per step, so a caller can pause between steps. */
export function* resampleSteps(
  sources: SparseContributions[],
  opts: ResampleOptions,
  onResample: (b: number, counts: Int32Array[]) => void
): Generator<number, void> {
  if (sources.length === 0) return
  const n = sources[0].nReports
  for (const s of sources) {
    if (s.nReports !== n) throw new Error('resampleCounts: all sources must cover the same reports')
  }
  // Only reports that contribute some code need visiting when counting.
  const isActive = new Uint8Array(n)
  for (const s of sources) for (let r = 0; r < n; r++) if (s.offsets[r + 1] > s.offsets[r]) isActive[r] = 1
  const active: number[] = []
  for (let r = 0; r < n; r++) if (isActive[r]) active.push(r)
  const activeIdx = Int32Array.from(active)
  const weights = new Int32Array(n)
  const counts = sources.map((s) => new Int32Array(s.nCodes))
  // mulberry32 inlined (same sequence as prng.ts): this loop draws n indices per resample.
  let state = opts.seed >>> 0
  const scale = n / 4294967296
  for (let b = 0; b < opts.resamples; b++) {
    weights.fill(0)
    for (let i = 0; i < n; i++) {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      weights[Math.floor(((t ^ (t >>> 14)) >>> 0) * scale)]++
    }
    for (let s = 0; s < sources.length; s++) {
      const { offsets, codes } = sources[s]
      const cnt = counts[s]
      cnt.fill(0)
      for (let a = 0; a < activeIdx.length; a++) {
        const r = activeIdx[a]
        const w = weights[r]
        if (w === 0) continue
        const end = offsets[r + 1]
        for (let k = offsets[r]; k < end; k++) cnt[codes[k]] += w
      }
    }
    onResample(b, counts)
    yield b
  }
}

/** Runs a stepwise computation to the end. */
export function drain<T>(steps: Generator<unknown, T>): T {
  let r = steps.next()
  while (!r.done) r = steps.next()
  return r.value
}

/**
 * Runs a stepwise computation, pausing (`await pause()`) whenever `budgetMs` has passed, so a long
 * bootstrap never holds the event loop (Electron's main process) for more than a few tens of ms.
 */
export async function drainAsync<T>(
  steps: Generator<unknown, T>,
  pause: () => Promise<void> = () => new Promise((resolve) => setTimeout(resolve, 0)),
  budgetMs = 30
): Promise<T> {
  let start = Date.now()
  let r = steps.next()
  while (!r.done) {
    if (Date.now() - start > budgetMs) {
      await pause()
      start = Date.now()
    }
    r = steps.next()
  }
  return r.value
}

export interface Interval {
  low: number | null
  high: number | null
  /** Resamples in which the statistic was defined (e.g. a label with no positives drawn has no recall). */
  defined: number
}

/** Percentile interval (linear interpolation between order statistics) over the defined (non-NaN) values. */
export function percentileInterval(values: Float64Array, confidence: number): Interval {
  let k = 0
  const buf = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) buf[k++] = values[i]
  if (k === 0) return { low: null, high: null, defined: 0 }
  const sorted = buf.subarray(0, k).sort()
  const alpha = (1 - confidence) / 2
  return { low: quantileSorted(sorted, alpha), high: quantileSorted(sorted, 1 - alpha), defined: k }
}

export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}
