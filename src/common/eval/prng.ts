// Seeded PRNG so a bootstrap is reproducible: mulberry32 (32-bit state, passes the usual smoke tests,
// plenty for drawing resample indices).

export type Rng = () => number

/** Returns a generator of uint32 values for a seed (any integer; same seed, same sequence). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** Uniform integer in [0, n) from a uint32 generator (bias below 2^-32 * n, negligible for n <= 1e7). */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor((rng() / 4294967296) * n)
}
