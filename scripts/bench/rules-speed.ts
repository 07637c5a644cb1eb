// Rules-engine throughput on one core: reports/s on synthetic reports of several lengths (1x, 2x, 4x,
// 8x a typical chest radiograph report), median of several runs. Linear cost shows as a constant
// characters/s across lengths. Rates are per second of CPU time of this process (one thread labels),
// so a busy shared machine does not distort them; wall-clock rates are printed too.
// Usage: npx tsx scripts/bench/rules-speed.ts [--baseline DIR]
//   --baseline DIR: a checkout of another commit (git worktree add --detach DIR HEAD~1); both engines run
//   interleaved in this process and the ratio this/baseline is printed per length.
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CHESTXRAY14, CHEXPERT14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { Section } from '../../src/common/types'

// Synthetic sentences written for this benchmark (no real report text).
const SENTENCES = [
  'The heart size is normal.',
  'Mild cardiomegaly is again noted.',
  'There is no pleural effusion or pneumothorax.',
  'Small left pleural effusion with adjacent basilar atelectasis.',
  'No focal airspace consolidation to suggest pneumonia.',
  'Patchy right lower lobe opacity may represent atelectasis versus early pneumonia.',
  'The cardiomediastinal silhouette is within normal limits.',
  'Hyperinflated lungs with emphysematous changes in the upper lobes.',
  'A 9 mm nodule projects over the right midlung, unchanged.',
  'Degenerative changes of the thoracic spine.',
  'Interval resolution of the previously seen left lower lobe consolidation.',
  'Small hiatal hernia.',
  'Right internal jugular central venous catheter with tip in the SVC.',
  'Mild interstitial edema cannot be excluded.',
  'Apical pleural thickening bilaterally, stable.'
]

function makeReport(seed: number, sentences: number): { text: string; sections: Section[] } {
  const pick = (k: number): string => SENTENCES[(seed * 7 + k * 11) % SENTENCES.length]
  const nFind = Math.max(1, Math.round(sentences * 0.75))
  const findings = Array.from({ length: nFind }, (_, k) => pick(k)).join(' ')
  const impression = Array.from({ length: sentences - nFind || 1 }, (_, k) => pick(k + 100)).join(' ')
  const text = `FINDINGS: ${findings}\n\nIMPRESSION: ${impression}`
  const iHeader = text.indexOf('IMPRESSION:')
  return {
    text,
    sections: [
      { name: 'findings', start: 10, end: 10 + findings.length, header: 'FINDINGS:', headerStart: 0 },
      { name: 'impression', start: iHeader + 12, end: text.length, header: 'IMPRESSION:', headerStart: iHeader }
    ]
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

interface EngineModule {
  compileLabelSet: typeof compileLabelSet
  labelReport: typeof labelReport
}
// --baseline DIR: also load DIR's engine (e.g. a git worktree of the parent commit) and interleave runs
// of both in this one process, printing the ratio this/baseline per length.
const args = process.argv.slice(2)
const baselineDir = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined
const engines: { name: string; mod: EngineModule }[] = [{ name: 'this', mod: { compileLabelSet, labelReport } }]
if (baselineDir) {
  const mod = (await import(pathToFileURL(resolve(baselineDir, 'src/common/rules/index.ts')).href)) as EngineModule
  engines.push({ name: 'baseline', mod })
  console.log(`baseline engine: ${resolve(baselineDir)} (runs interleaved with this checkout's)`)
}

/** One timed run (~400 ms): reports per CPU-second and per wall-second. */
function timedRun(label: (r: { text: string; sections: Section[] }) => void, reports: { text: string; sections: Section[] }[]): [number, number] {
  let n = 0
  const start = performance.now()
  const cpu0 = process.cpuUsage()
  while (performance.now() - start < 400) {
    for (const r of reports) label(r)
    n += reports.length
  }
  const cpu = process.cpuUsage(cpu0)
  return [n / ((cpu.user + cpu.system) / 1e6), n / ((performance.now() - start) / 1000)]
}

for (const set of [CHESTXRAY14, CHEXPERT14]) {
  const compiledBy = engines.map(({ name, mod }) => {
    const t0 = performance.now()
    const compiled = mod.compileLabelSet(set)
    console.log(`label set ${set.slug} (${name}): compiled in ${(performance.now() - t0).toFixed(1)} ms (${compiled.terms.length} term entries, ${compiled.rules.length} context rules)`)
    return (r: { text: string; sections: Section[] }): void => void mod.labelReport(r.text, r.sections, compiled, 'findings_impression')
  })
  console.log(
    'sentences/report  chars/report  reports/CPU-s (median of 7)  chars/CPU-s  reports/wall-s' +
      (baselineDir ? '  baseline reports/CPU-s  ratio this/baseline' : '')
  )
  const lengths = [6, 12, 24, 48]
  const sets = lengths.map((sentences) => Array.from({ length: 500 }, (_, i) => makeReport(i, sentences)))
  // warm-up on every length first, so the JIT has settled before any measurement
  for (let k = 0; k < 3; k++) for (const label of compiledBy) for (const reports of sets) for (const r of reports) label(r)
  for (const [li, sentences] of lengths.entries()) {
    const reports = sets[li]
    const chars = reports.reduce((a, r) => a + r.text.length, 0) / reports.length
    const rates = compiledBy.map(() => [] as number[])
    const wallRates = compiledBy.map(() => [] as number[])
    for (let run = 0; run < 7; run++) {
      compiledBy.forEach((label, e) => {
        const [cpuRate, wallRate] = timedRun(label, reports)
        rates[e].push(cpuRate)
        wallRates[e].push(wallRate)
      })
    }
    const rate = median(rates[0])
    let line = `${String(sentences).padStart(16)}  ${chars.toFixed(0).padStart(12)}  ${rate.toFixed(0).padStart(27)}  ${((rate * chars) / 1e6).toFixed(2).padStart(9)} M  ${median(wallRates[0]).toFixed(0).padStart(14)}`
    if (baselineDir) {
      const base = median(rates[1])
      line += `  ${base.toFixed(0).padStart(22)}  ${(rate / base).toFixed(3).padStart(19)}`
    }
    console.log(line)
  }
}
