// `radlabel label` (no --db: streaming) end to end against the rules engine alone, measured in the same
// run, interleaved: per round the engine labels the reports already in memory, then the real CLI binary
// reads the CSV, labels and writes the output CSV in a child process. Prints medians of reports/s (the CLI
// wall time with and without process start, the engine alone), their ratio, and the CLI's peak RSS.
// With --flat it also labels 4x the reports once, to show memory does not grow with the input.
//
//   npx tsx scripts/bench/label.ts                  # 50,000 IU-like synthetic reports, 5 rounds
//   npx tsx scripts/bench/label.ts --size 20000 --runs 3 --flat
//   npx tsx scripts/bench/label.ts --db             # also time `label --db` (stored run) once
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { applyMapping, suggestMapping } from '../../src/common/import/mapping'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { rulesEngine } from '../../src/node/engines/rules/engine'
import type { EngineReport } from '../../src/node/engines/types'
import { openSource } from '../../src/node/import/read'
import { records } from '../../src/node/import/types'

const args = process.argv.slice(2)
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : def
}
const SIZE = Number(arg('size', '50000'))
const RUNS = Number(arg('runs', '5'))
const BIN = resolve(import.meta.dirname, '../../bin/radlabel.mjs')

// Synthetic sentences written for this benchmark (no real report text), in the shape of IU X-ray
// reports: a short findings paragraph and a one- or two-sentence impression.
const FINDINGS = [
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
  'Lungs are clear bilaterally.',
  'Right internal jugular central venous catheter with tip in the SVC.',
  'Mild interstitial edema cannot be excluded.',
  'Apical pleural thickening bilaterally, stable.',
  'No acute bony abnormality.'
]
const IMPRESSIONS = ['No acute cardiopulmonary disease.', 'Small left effusion.', 'Cardiomegaly without edema.', 'Possible right lower lobe pneumonia.', 'Normal chest.', 'Stable chronic changes.']

function writeInput(path: string, n: number): void {
  let seed = 7
  const rnd = (k: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % k
  const lines = ['uid,findings,impression']
  for (let i = 0; i < n; i++) {
    const f = Array.from({ length: 3 + rnd(4) }, () => FINDINGS[rnd(FINDINGS.length)]).join(' ')
    const imp = Array.from({ length: 1 + rnd(2) }, () => IMPRESSIONS[rnd(IMPRESSIONS.length)]).join(' ')
    lines.push(`CXR${i + 1},"${f}","${imp}"`)
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function loadReports(path: string): Promise<EngineReport[]> {
  const source = await openSource(path)
  const mapping = suggestMapping(source.info.fields)
  const out: EngineReport[] = []
  for await (const item of records(source)) {
    if (item.kind !== 'record') continue
    const m = applyMapping(item.fields, mapping)
    if (m.ok) out.push({ id: item.loc.record, text: m.report.text, sections: m.report.sections })
  }
  return out
}

/** Reports per wall second and per CPU second of the engine alone on reports already in memory. */
async function engineAlone(reports: EngineReport[]): Promise<{ wall: number; cpu: number }> {
  const session = await rulesEngine.open({}, { ...CHEXPERT14, version: 1 })
  const signal = new AbortController().signal
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (let i = 0; i < reports.length; i += 500) await session.label(reports.slice(i, i + 500), signal)
  const s = (performance.now() - t0) / 1000
  const c = process.cpuUsage(c0)
  await session.close()
  return { wall: reports.length / s, cpu: reports.length / ((c.user + c.system) / 1e6) }
}

interface CliRun {
  wallS: number
  cpuS: number
  innerS: number
  peakRssMb: number
  rows: number
}

function cli(input: string, out: string, extra: string[] = []): CliRun {
  const t0 = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M CPU_S %U %S', process.execPath, BIN, 'label', input, '--out', out, '--force', '--json', ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 << 20
  })
  const wallS = (performance.now() - t0) / 1000
  if (r.status !== 0) throw new Error(`radlabel label failed (${r.status}): ${r.stderr.slice(-2000)}`)
  const summary = JSON.parse(r.stdout) as { rows: number; wallMs?: number; run?: { wallMs: number } | null }
  const rss = Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN)
  const cpu = /CPU_S ([\d.]+) ([\d.]+)/.exec(r.stderr)
  return { wallS, cpuS: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, innerS: (summary.wallMs ?? summary.run?.wallMs ?? NaN) / 1000, peakRssMb: rss / 1024, rows: summary.rows }
}

async function main(): Promise<void> {
  if (!existsSync('/usr/bin/time')) console.log('note: /usr/bin/time is missing; peak RSS is not measured')
  const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-label-'))
  try {
    const input = join(dir, 'in.csv')
    writeInput(input, SIZE)
    const reports = await loadReports(input)
    console.log(`${SIZE} IU-like synthetic reports (${(readFileSync(input).length / 1e6).toFixed(1)} MB CSV), ${RUNS} interleaved rounds, node ${process.version}`)
    await engineAlone(reports.slice(0, 5000)) // warm-up
    const eng: number[] = []
    const engCpu: number[] = []
    const e2eCpu: number[] = []
    const e2e: number[] = []
    const inner: number[] = []
    const rss: number[] = []
    for (let k = 0; k < RUNS; k++) {
      const e = await engineAlone(reports)
      eng.push(e.wall)
      engCpu.push(e.cpu)
      const c = cli(input, join(dir, 'out.csv'))
      if (c.rows !== SIZE) throw new Error(`expected ${SIZE} output rows, got ${c.rows}`)
      e2e.push(SIZE / c.wallS)
      e2eCpu.push(SIZE / c.cpuS)
      inner.push(SIZE / c.innerS)
      rss.push(c.peakRssMb)
      console.log(
        `round ${k + 1}: engine alone ${eng[k].toFixed(0)}/s · label end to end ${e2e[k].toFixed(0)}/s (process wall ${c.wallS.toFixed(2)} s), ` +
          `read→label→write ${inner[k].toFixed(0)}/s · peak RSS ${c.peakRssMb.toFixed(0)} MB`
      )
    }
    const m = { eng: median(eng), e2e: median(e2e), inner: median(inner), rss: median(rss), engCpu: median(engCpu), e2eCpu: median(e2eCpu) }
    console.log('')
    console.log(`engine alone (rules, chexpert14, in memory):     ${m.eng.toFixed(0)} reports/s (median)`)
    console.log(`radlabel label end to end (process wall):        ${m.e2e.toFixed(0)} reports/s (median)  ratio to engine ${(m.e2e / m.eng).toFixed(2)}`)
    console.log(`radlabel label read→label→write (no start-up):   ${m.inner.toFixed(0)} reports/s (median)  ratio to engine ${(m.inner / m.eng).toFixed(2)}`)
    console.log(`per CPU second (less sensitive to a busy machine): engine ${m.engCpu.toFixed(0)}/CPU-s, label end to end ${m.e2eCpu.toFixed(0)}/CPU-s (whole process, start-up included), ratio ${(m.e2eCpu / m.engCpu).toFixed(2)}`)
    console.log(`peak RSS of radlabel label:                      ${m.rss.toFixed(0)} MB (median)`)
    if (args.includes('--flat')) {
      const big = join(dir, 'big.csv')
      writeInput(big, SIZE * 4)
      const c = cli(big, join(dir, 'big-out.csv'))
      console.log(`flat memory: ${SIZE * 4} reports → peak RSS ${c.peakRssMb.toFixed(0)} MB (vs ${m.rss.toFixed(0)} MB for ${SIZE}); ${(SIZE * 4 / c.wallS).toFixed(0)} reports/s`)
    }
    if (args.includes('--db')) {
      const c = cli(input, join(dir, 'db-out.csv'), ['--db', join(dir, 'w.db')])
      console.log(`label --db (import + stored run + CSV): ${(SIZE / c.wallS).toFixed(0)} reports/s, run ${(SIZE / c.innerS).toFixed(0)} reports/s, peak RSS ${c.peakRssMb.toFixed(0)} MB`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
