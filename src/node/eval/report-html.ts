// The evaluation report as ONE self-contained HTML file: inline CSS, inline SVG charts, no scripts and
// no external resources, so it opens and prints the same on an air-gapped workstation and archives well.
import type { EvaluationReportInput, Interval, SourceProvenance, UncertainPolicy } from '../../common/eval'
import { MIN_REPORTS_FOR_STATISTICS } from '../../common/eval/defaults'
import { confusionGrid, differenceChart, escapeXml as esc, intervalBarChart } from '../../common/eval/charts-svg'

export type { EvaluationReportInput, SourceProvenance }

const POLICY_TEXT: Record<UncertainPolicy, string> = {
  positive: 'uncertain counted as positive',
  negative: 'uncertain counted as negative',
  exclude: 'cells where either side is uncertain are left out of that label'
}

function num(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '<span class="na">n/a</span>' : v.toFixed(digits)
}

function ci(iv: Interval | null | undefined, digits = 3): string {
  if (!iv || iv.low === null || iv.high === null) return ''
  const n = (v: number) => (v < 0 ? `−${(-v).toFixed(digits)}` : v.toFixed(digits))
  const sep = iv.low < 0 || iv.high < 0 ? ' to ' : '–'
  return `<span class="ci">${n(iv.low)}${sep}${n(iv.high)}</span>`
}

function signed(v: number | null): string {
  if (v === null) return '<span class="na">n/a</span>'
  return (v > 0 ? '+' : v < 0 ? '−' : '±') + Math.abs(v).toFixed(3)
}

function provenanceRows(p: SourceProvenance): string {
  const rows: Array<[string, string | number | null | undefined]> = [
    ['Kind', p.kind],
    ['Id', p.id],
    ['Label set', p.labelSet && (p.labelSetVersion ? `${p.labelSet} (version ${p.labelSetVersion})` : p.labelSet)],
    ['Engine', p.engine],
    ['Model file', p.modelFile],
    ['Model hash (SHA-256)', p.modelHash],
    ['Prompt version', p.promptVersion],
    ['Created', p.createdAt],
    ...Object.entries(p.details ?? {})
  ]
  return rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td class="mono">${esc(String(v))}</td></tr>`)
    .join('')
}

const CSS = `
*{box-sizing:border-box}
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;margin:0 auto;max-width:1000px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:3px}
h3{font-size:14px;margin:18px 0 6px}
.sub{color:#555;margin:0 0 12px}.note{background:#fff7e0;border:1px solid #e6c200;padding:8px 10px;margin:10px 0}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}
th,td{border-bottom:1px solid #e3e3e3;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#f3f5f7;border-bottom:1px solid #bbb}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ci{display:block;color:#666;font-size:11px}.na{color:#999}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.kv th{width:220px;background:none;font-weight:600}.sources .kv th{width:40%}
.up{color:#006b4f}.down{color:#b33c00}
.chart{margin:8px 0 16px;max-width:100%;overflow:hidden}.chart svg{max-width:100%;height:auto}
.sources{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
footer{margin-top:32px;color:#666;font-size:11px;border-top:1px solid #ccc;padding-top:6px}
@media print{body{padding:0;max-width:none}h2{break-after:avoid}.chart,table,.sources>div{break-inside:avoid}a{color:inherit}}
@page{size:A4;margin:14mm}
`

function summaryTable(input: EvaluationReportInput): string {
  const { results } = input.comparison
  const rows = results
    .map((r, i) => {
      const m = r.micro
      return `<tr><td>${esc(input.predictions[i]?.name ?? `source ${i + 1}`)}</td>
<td class="n">${num(m.precision)}${ci(m.ci?.precision)}</td><td class="n">${num(m.recall)}${ci(m.ci?.recall)}</td>
<td class="n">${num(m.f1)}${ci(m.ci?.f1)}</td><td class="n">${num(r.macro.f1)}${ci(r.macro.ci?.f1)}</td>
<td class="n">${r.macro.labels}</td><td class="n">${m.tp}</td><td class="n">${m.fp}</td><td class="n">${m.fn}</td></tr>`
    })
    .join('')
  return `<table><thead><tr><th>Prediction source</th><th class="n">Micro precision</th><th class="n">Micro recall</th>
<th class="n">Micro F1</th><th class="n">Macro F1</th><th class="n">Labels in macro</th><th class="n">TP</th><th class="n">FP</th><th class="n">FN</th></tr></thead><tbody>${rows}</tbody></table>`
}

function labelTable(input: EvaluationReportInput, s: number): string {
  const r = input.comparison.results[s]
  const rows = r.labels
    .map(
      (l) => `<tr><td>${esc(l.label)}</td><td class="n">${num(l.precision)}${ci(l.ci?.precision)}</td>
<td class="n">${num(l.recall)}${ci(l.ci?.recall)}</td><td class="n">${num(l.f1)}${ci(l.ci?.f1)}</td>
<td class="n">${l.support}</td><td class="n">${l.tp}</td><td class="n">${l.fp}</td><td class="n">${l.fn}</td><td class="n">${l.tn}</td>${
        input.settings.uncertain === 'exclude' ? `<td class="n">${l.excluded}</td>` : ''
      }</tr>`
    )
    .join('')
  return `<table><thead><tr><th>Label</th><th class="n">Precision</th><th class="n">Recall</th><th class="n">F1</th>
<th class="n">Support</th><th class="n">TP</th><th class="n">FP</th><th class="n">FN</th><th class="n">TN</th>${
    input.settings.uncertain === 'exclude' ? '<th class="n">Excluded</th>' : ''
  }</tr></thead><tbody>${rows}</tbody></table>`
}

function differencesSection(input: EvaluationReportInput): string {
  const { differences, results } = input.comparison
  if (differences.length === 0) return ''
  const name = (i: number) => input.predictions[i]?.name ?? `source ${i + 1}`
  const parts: string[] = [
    `<h2>Differences against ${esc(name(differences[0].baseline))}</h2>`,
    `<p class="sub">Each source minus the baseline, on the same reports. Intervals come from a paired bootstrap
(the same resampled reports for both sources); p is an approximate two-sided bootstrap p-value. An interval
that excludes zero is shown in colour.</p>`
  ]
  // Below the minimum sample the screen greys the figures and hides p; the report says the same.
  const tooFew = input.comparison.nReports < MIN_REPORTS_FOR_STATISTICS
  if (tooFew) {
    parts.push(
      `<p class="note">Only ${input.comparison.nReports} reports in common (at least ${MIN_REPORTS_FOR_STATISTICS} are needed): ` +
        'p-values are left out and no difference is marked as significant.</p>'
    )
  }
  const labels = results[0].labels.map((l) => l.label)
  const head = differences.map((d) => `<th class="n">${esc(name(d.source))}</th>`).join('')
  const cell = (d: { value: number | null; ci: Interval | null; p: number | null }) => {
    const cls = !tooFew && d.ci && d.ci.low !== null && d.ci.high !== null ? (d.ci.low > 0 ? 'up' : d.ci.high < 0 ? 'down' : '') : ''
    return `<td class="n ${cls}">${signed(d.value)}${
      d.ci && d.ci.low !== null && d.ci.high !== null
        ? `<span class="ci">${signed(d.ci.low)} to ${signed(d.ci.high)}${d.p !== null && !tooFew ? `, p ${d.p < 0.001 ? '&lt; 0.001' : '≈ ' + d.p.toFixed(3)}` : ''}</span>`
        : ''
    }</td>`
  }
  const rows = [
    `<tr><th>Micro F1</th>${differences.map((d) => cell(d.micro.f1)).join('')}</tr>`,
    `<tr><th>Macro F1</th>${differences.map((d) => cell(d.macro.f1)).join('')}</tr>`,
    ...labels.map((label, l) => `<tr><td>${esc(label)} F1</td>${differences.map((d) => cell(d.labels[l].f1)).join('')}</tr>`)
  ]
  parts.push(`<table><thead><tr><th>Metric</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`)
  for (const d of differences) {
    const chartRows = [
      { name: 'Micro F1', ...flat(d.micro.f1) },
      { name: 'Macro F1', ...flat(d.macro.f1) },
      ...d.labels.map((x) => ({ name: x.label, ...flat(x.f1) }))
    ]
    parts.push(`<div class="chart">${differenceChart({ title: `F1 difference: ${name(d.source)} − ${name(d.baseline)}`, rows: chartRows })}</div>`)
  }
  return parts.join('\n')
}

/** CheXbert-style class F1 and the open-ended micro-F1 of every source (the literature's metrics). */
function literatureSection(input: EvaluationReportInput): string {
  const lit = input.literature
  if (!lit || lit.length === 0) return ''
  const name = (i: number) => input.predictions[i]?.name ?? `source ${i + 1}`
  const summary = lit
    .map(
      (m, i) => `<tr><td>${esc(name(i))}</td><td class="n">${num(m.chexbert.weightedF1)}</td><td class="n">${num(m.chexbert.macro.positive)}</td>
<td class="n">${num(m.chexbert.macro.negative)}</td><td class="n">${num(m.chexbert.macro.uncertain)}</td><td class="n">${num(m.chexbert.macro.mention)}</td>
<td class="n">${num(m.openEnded.f1)}</td><td>${esc(m.openEnded.from)}</td></tr>`
    )
    .join('')
  const perLabel = input.comparison.results[0]!.labels.map((l, k) => {
    const cells = lit
      .map((m) => {
        const x = m.chexbert.labels[k]!
        return `<td class="n">${num(x.positive.f1)}</td><td class="n">${num(x.negative.f1)}</td><td class="n">${num(x.uncertain.f1)}</td><td class="n">${num(x.mention.f1)}</td><td class="n">${num(x.weightedF1)}</td>`
      })
      .join('')
    return `<tr><td>${esc(l.label)}</td>${cells}</tr>`
  })
  const head = lit.map((_, i) => `<th class="n" colspan="5">${esc(name(i))}</th>`).join('')
  const sub = lit.map(() => '<th class="n">pos</th><th class="n">neg</th><th class="n">unc</th><th class="n">mention</th><th class="n">weighted</th>').join('')
  return `<h2>Metrics of the literature</h2>
<p class="sub">CheXbert-style F1: per label, the F1 of each class (positive, negative, uncertain) against the rest and of
"mention" (any of the three against not mentioned); a label's weighted F1 averages its three class F1 weighted by
reference support, and the overall weighted F1 averages labels weighted by how often the reference mentions them.
Open-ended micro-F1 (the seed paper's): the findings a source listed, mapped onto the label set, as present labels
against the reference's positive labels (uncertain: ${esc(input.settings.uncertain)}); sources without stored findings answer with their positive labels.</p>
<table><thead><tr><th>Prediction source</th><th class="n">CheXbert weighted F1</th><th class="n">Positive F1</th><th class="n">Negative F1</th>
<th class="n">Uncertain F1</th><th class="n">Mention F1</th><th class="n">Open-ended micro-F1</th><th>Open-ended from</th></tr></thead><tbody>${summary}</tbody></table>
<table><thead><tr><th rowspan="2">Label</th>${head}</tr><tr>${sub}</tr></thead><tbody>${perLabel.join('')}</tbody></table>`
}

function flat(d: { value: number | null; ci: Interval | null }) {
  return { value: d.value, low: d.ci?.low ?? null, high: d.ci?.high ?? null }
}

function agreementSection(input: EvaluationReportInput): string {
  const a = input.agreement
  if (!a) return ''
  const k = (x: { kappa: number | null; kappaCi: Interval | null; agreement: number | null; n: number }) =>
    `<td class="n">${num(x.kappa)}${ci(x.kappaCi)}</td><td class="n">${x.agreement === null ? num(null) : (100 * x.agreement).toFixed(1) + '%'}</td><td class="n">${x.n}</td>`
  const rows = [
    `<tr><th>All labels (pooled)</th>${k(a.overall.binary)}${k(a.overall.fourState)}</tr>`,
    ...a.labels.map((l) => `<tr><td>${esc(l.label)}</td>${k(l.binary)}${k(l.fourState)}</tr>`)
  ]
  return `<h2>Agreement between ${esc(input.predictions[0]?.name ?? 'A')} and ${esc(input.predictions[1]?.name ?? 'B')}</h2>
<p class="sub">Cohen's kappa without a reference: binary after the uncertain policy, and on the four states
(positive, negative, uncertain, not mentioned).</p>
<table><thead><tr><th>Label</th><th class="n">Binary kappa</th><th class="n">Agreement</th><th class="n">Cells</th>
<th class="n">4-state kappa</th><th class="n">Agreement</th><th class="n">Cells</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

export function renderEvaluationHtml(input: EvaluationReportInput): string {
  const { comparison: cmp, settings, data } = input
  const names = input.predictions.map((p, i) => p.name || `source ${i + 1}`)
  const title = input.title ?? `Evaluation against ${input.reference.name}`
  const labels = cmp.results[0]?.labels.map((l) => l.label) ?? []
  const f1Chart = intervalBarChart({
    title: 'F1 per label (95% bootstrap interval)',
    categories: labels,
    series: cmp.results.map((r, s) => ({
      name: names[s],
      values: r.labels.map((l) => ({ value: l.f1, low: l.ci?.f1.low, high: l.ci?.f1.high }))
    })),
    axisLabel: 'F1'
  })
  const summaryChart = intervalBarChart({
    title: 'Summary: micro precision, recall, F1 and macro F1',
    categories: ['Micro precision', 'Micro recall', 'Micro F1', 'Macro F1'],
    series: cmp.results.map((r, s) => ({
      name: names[s],
      values: [
        { value: r.micro.precision, low: r.micro.ci?.precision.low, high: r.micro.ci?.precision.high },
        { value: r.micro.recall, low: r.micro.ci?.recall.low, high: r.micro.ci?.recall.high },
        { value: r.micro.f1, low: r.micro.ci?.f1.low, high: r.micro.ci?.f1.high },
        { value: r.macro.f1, low: r.macro.ci?.f1.low, high: r.macro.ci?.f1.high }
      ]
    }))
  })
  const mapped = data.labelPairs.filter((p) => p.how !== 'exact')
  const sourcesHtml = [
    `<div><h3>Reference: ${esc(input.reference.name)}</h3><table class="kv">${provenanceRows(input.reference)}</table></div>`,
    ...input.predictions.map((p) => `<div><h3>Prediction: ${esc(p.name)}</h3><table class="kv">${provenanceRows(p)}</table></div>`)
  ].join('')
  const perSource = cmp.results
    .map(
      (r, s) => `<h3>${esc(names[s])}</h3>${labelTable(input, s)}
<div class="chart">${confusionGrid({
        title: `Confusion per label: ${names[s]}`,
        cells: r.labels.map((l) => ({ label: l.label, tp: l.tp, fp: l.fp, fn: l.fn, tn: l.tn }))
      })}</div>`
    )
    .join('\n')

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body>
<header><h1>${esc(title)}</h1>
<p class="sub">Generated ${esc(input.generatedAt)}${input.appVersion ? ` by RadLabel ${esc(input.appVersion)}` : ''}${
    input.workspace ? ` from workspace <span class="mono">${esc(input.workspace)}</span>` : ''
  }. Research and quality-assurance output, not a medical device.</p></header>

<h2>Data</h2>
<table class="kv">
<tr><th>Reports evaluated</th><td>${data.nReports} (reports labelled by the reference and by every prediction source)</td></tr>
${data.description ? `<tr><th>Description</th><td>${esc(data.description)}</td></tr>` : ''}
<tr><th>Labels evaluated</th><td>${labels.length}: ${esc(labels.join(', '))}</td></tr>
${mapped.length ? `<tr><th>Label mapping</th><td>${mapped.map((p) => `${esc(p.pred)} → ${esc(p.ref)} (${p.how})`).join('<br>')}</td></tr>` : ''}
${data.unmatchedRef.length ? `<tr><th>Reference labels without a match</th><td>${esc(data.unmatchedRef.join(', '))}</td></tr>` : ''}
${data.unmatchedPred.length ? `<tr><th>Prediction labels without a match</th><td>${esc(data.unmatchedPred.join(', '))}</td></tr>` : ''}
${(data.notes ?? []).map((n) => `<tr><th>Note</th><td>${esc(n)}</td></tr>`).join('')}
</table>
${data.nReports === 0 ? '<p class="note">No report is covered by both the reference and the prediction source(s): there is nothing to measure. Check that you chose the right sources.</p>' : ''}
${(data.warnings ?? []).filter(() => data.nReports > 0).map((w) => `<p class="note">${esc(w)}</p>`).join('')}

<h2>Settings</h2>
<table class="kv">
<tr><th>Uncertain labels</th><td>${esc(POLICY_TEXT[settings.uncertain])}; not mentioned counts as negative</td></tr>
<tr><th>Confidence intervals</th><td>${
    settings.resamples > 0
      ? `${Math.round(settings.confidence * 100)}% percentile bootstrap over reports, ${settings.resamples} resamples, seed ${settings.seed}`
      : 'none (0 resamples)'
  }</td></tr>
<tr><th>Definitions</th><td>Precision = TP/(TP+FP), recall = TP/(TP+FN), F1 = 2TP/(2TP+FP+FN); support = reference positives.
Micro: counts pooled over labels. Macro: mean over labels whose F1 is defined. n/a: undefined (0/0).</td></tr>
</table>

<h2>Sources</h2>
<div class="sources">${sourcesHtml}</div>

<h2>Summary</h2>
${summaryTable(input)}
<div class="chart">${summaryChart}</div>

<h2>Per label</h2>
<div class="chart">${f1Chart}</div>
${perSource}
${literatureSection(input)}
${differencesSection(input)}
${agreementSection(input)}
<footer>RadLabel evaluation report. Computed locally; this file embeds no report text and loads nothing from the network.</footer>
</body></html>
`
}
