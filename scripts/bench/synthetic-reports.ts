// Synthetic chest X-ray sentences written for the project, and the reports the LLM benchmarks build from
// them (llm.ts, server.ts, probe.ts): one place, so every benchmark labels the same kind of text.
import type { EngineReport } from '../../src/node/engines/types'

export const BENCH_SENTENCES = [
  'The heart size is normal.',
  'Mild cardiomegaly.',
  'No pleural effusion or pneumothorax.',
  'Small left pleural effusion.',
  'Bibasilar atelectasis.',
  'Right lower lobe opacity may represent pneumonia.',
  'Lungs are clear.',
  'Endotracheal tube in good position.',
  'No acute osseous abnormality.',
  'Mild pulmonary vascular congestion.'
]

/** `n` reports of three findings sentences and one impression, ids 1..n (deterministic). */
export function benchReports(n: number): EngineReport[] {
  const p = BENCH_SENTENCES
  return Array.from({ length: n }, (_, i) => {
    const findings = [p[i % p.length], p[(i * 3 + 1) % p.length], p[(i * 7 + 2) % p.length]].join(' ')
    return { id: i + 1, text: `FINDINGS: ${findings}\nIMPRESSION: ${p[(i * 5 + 3) % p.length]}`, sections: [] }
  })
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
