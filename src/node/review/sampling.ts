// Sampling a review set: pure functions over report ids, seeded so the same workspace, parameters and
// seed always give the same set in the same order.
import { mulberry32, randomIndex, type Rng } from '../../common/eval/prng'
import type { DisagreementRule } from '../../common/ipc/calls/review'

/** Seeded Fisher-Yates shuffle of a copy; only the first `take` places are drawn. */
export function shuffled<T>(items: readonly T[], rng: Rng, take = items.length): T[] {
  const a = items.slice()
  const n = Math.min(take, a.length)
  for (let i = 0; i < n; i++) {
    const j = i + randomIndex(rng, a.length - i)
    const t = a[i]
    a[i] = a[j]
    a[j] = t
  }
  return a.slice(0, n)
}

/** `size` ids drawn uniformly without replacement, in random order. Input order must be stable (by id). */
export function sampleRandom(ids: readonly number[], size: number, seed: number): number[] {
  return shuffled(ids, mulberry32(seed), size)
}

/**
 * Stratified: each stratum is shuffled, then strata are visited round-robin (in key order) so small
 * strata (rare predicted labels) get as many reports as large ones until they run out.
 */
export function sampleStratified(strata: ReadonlyMap<string, readonly number[]>, size: number, seed: number): number[] {
  const rng = mulberry32(seed)
  const queues = [...strata.keys()].sort().map((k) => shuffled(strata.get(k)!, rng))
  const out: number[] = []
  for (let round = 0; out.length < size; round++) {
    let any = false
    for (const q of queues) {
      if (round < q.length) {
        any = true
        out.push(q[round])
        if (out.length === size) break
      }
    }
    if (!any) break
  }
  return out
}

/**
 * Disagreements first: reports on which two sources differ, most differing labels first (ties in
 * seeded random order), then the remaining reports at random to fill the size.
 */
export function sampleDisagreementsFirst(
  differing: readonly { id: number; labels: number }[],
  others: readonly number[],
  size: number,
  seed: number
): number[] {
  const rng = mulberry32(seed)
  const ranked = shuffled(differing, rng).sort((a, b) => b.labels - a.labels)
  const out = ranked.slice(0, size).map((d) => d.id)
  if (out.length < size) out.push(...shuffled(others, rng, size - out.length))
  return out
}

/** Whether two sources' states for one label disagree under `rule` (absent state = not mentioned). */
export function statesDisagree(a: string | undefined, b: string | undefined, rule: DisagreementRule): boolean {
  const sa = a ?? 'not_mentioned'
  const sb = b ?? 'not_mentioned'
  switch (rule) {
    case 'any-state':
      return sa !== sb
    case 'positive':
      return (sa === 'positive') !== (sb === 'positive')
    case 'presence': {
      const present = (s: string): boolean => s === 'positive' || s === 'uncertain'
      return present(sa) !== present(sb)
    }
  }
}

/** How many labels two sources disagree on for one report (label name -> state; missing = not mentioned). */
export function countDisagreeingLabels(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>, rule: DisagreementRule): number {
  let n = 0
  for (const [name, state] of a) if (statesDisagree(state, b.get(name), rule)) n++
  for (const [name, state] of b) if (!a.has(name) && statesDisagree(undefined, state, rule)) n++
  return n
}

/** The stratum of a report: its rarest predicted-positive label, else "no positive". */
export function strataOf(
  positives: ReadonlyMap<number, readonly string[]>,
  ids: readonly number[]
): Map<string, number[]> {
  const freq = new Map<string, number>()
  for (const labels of positives.values()) for (const l of labels) freq.set(l, (freq.get(l) ?? 0) + 1)
  const strata = new Map<string, number[]>()
  for (const id of ids) {
    const labels = positives.get(id) ?? []
    let key = '(no positive label)'
    let best = Infinity
    for (const l of labels) {
      const f = freq.get(l)!
      if (f < best || (f === best && l < key)) {
        best = f
        key = l
      }
    }
    let list = strata.get(key)
    if (!list) strata.set(key, (list = []))
    list.push(id)
  }
  return strata
}
