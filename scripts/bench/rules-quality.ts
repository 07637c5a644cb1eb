// Scores the rules engine on ../shared/data/iu-xray/dev.csv exactly as its README says: the 14
// ChestX-ray14 labels, a label positive when the engine says positive or uncertain, text = findings +
// impression; prints micro/macro F1 and per-label precision/recall/F1. Skips when the file is absent.
// Usage: npx tsx scripts/bench/rules-quality.ts [path/to/dev.csv] [--hedging all|probable] [--errors LABEL]
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CHESTXRAY14 } from '../../src/common/labelsets'
import { compileLabelSet, labelReport } from '../../src/common/rules'
import type { Section } from '../../src/common/types'

const args = process.argv.slice(2)
const flag = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const errorsFor = flag('--errors')
const hedging = (flag('--hedging') ?? 'probable') as 'all' | 'probable'
const file = resolve(
  args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '../shared/data/iu-xray/dev.csv'
)
if (!existsSync(file)) {
  console.log(`rules-quality: skipped, ${file} not found (the IU X-ray dev set is not shipped with the project).`)
  process.exit(0)
}

/** RFC 4180 CSV (quoted fields with commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field.length || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

const [header, ...rows] = parseCsv(readFileSync(file, 'utf8')).filter((r) => r.length > 1)
const col = (name: string): number => {
  const i = header.indexOf(name)
  if (i < 0) throw new Error(`${file}: column "${name}" missing`)
  return i
}
const labels = CHESTXRAY14.labels.map((l) => l.name)
const compiled = compileLabelSet(CHESTXRAY14)
const tp = labels.map(() => 0)
const fp = labels.map(() => 0)
const fn = labels.map(() => 0)
const errors: string[] = []

for (const r of rows) {
  // text = findings + impression, each as a section
  const findings = r[col('findings')]
  const impression = r[col('impression')]
  const text = `FINDINGS: ${findings}\nIMPRESSION: ${impression}`
  const fStart = 'FINDINGS: '.length
  const iStart = fStart + findings.length + '\nIMPRESSION: '.length
  const sections: Section[] = [
    { name: 'findings', start: fStart, end: fStart + findings.length, header: 'FINDINGS:', headerStart: 0 },
    { name: 'impression', start: iStart, end: text.length, header: 'IMPRESSION:', headerStart: iStart - 12 }
  ]
  const decisions = labelReport(text, sections, compiled, 'findings_impression', { hedging })
  labels.forEach((label, li) => {
    const gold = r[col(label)] === '1'
    const d = decisions[li]
    const pred = d.state === 'positive' || d.state === 'uncertain'
    if (pred && gold) tp[li]++
    else if (pred) fp[li]++
    else if (gold) fn[li]++
    if (errorsFor === label && pred !== gold) {
      // printed to the developer's terminal only; never written into the repository
      errors.push(`${pred ? 'FP' : 'FN'} uid=${r[col('uid')]} [${d.state} ${d.rule ?? ''}] ${text.replace(/\s+/g, ' ')}`)
    }
  })
}

const f1 = (t: number, p: number, n: number): number => (t === 0 ? 0 : (2 * t) / (2 * t + p + n))
const pct = (x: number): string => x.toFixed(3)
console.log(`rules-quality: ${rows.length} reports from ${file}, label set chestxray14, scope findings_impression, hedging ${hedging}`)
console.log('label                 support   P      R      F1    (tp/fp/fn)')
let macro = 0
labels.forEach((label, li) => {
  const p = tp[li] + fp[li] ? tp[li] / (tp[li] + fp[li]) : 0
  const rc = tp[li] + fn[li] ? tp[li] / (tp[li] + fn[li]) : 0
  const f = f1(tp[li], fp[li], fn[li])
  macro += f
  console.log(
    `${label.padEnd(20)} ${String(tp[li] + fn[li]).padStart(7)}  ${pct(p)}  ${pct(rc)}  ${pct(f)}  (${tp[li]}/${fp[li]}/${fn[li]})`
  )
})
const T = tp.reduce((a, b) => a + b, 0)
const P = fp.reduce((a, b) => a + b, 0)
const N = fn.reduce((a, b) => a + b, 0)
console.log(`micro P ${pct(T / (T + P))}  R ${pct(T / (T + N))}  F1 ${pct(f1(T, P, N))}`)
console.log(`macro F1 ${pct(macro / labels.length)}`)
if (errorsFor) console.log(errors.join('\n'))
