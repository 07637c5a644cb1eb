// The seed paper's table for a student-against-teacher comparison: teacher, base and student on the
// curated reports (classification micro/macro F1, CheXbert weighted F1, open-ended micro-F1, with 95%
// bootstrap intervals) and the paired differences, as text lines (CLI) and as an HTML report (the usual
// evaluation report of the classification comparison, with this table in front).
import type { Difference, Interval } from '../../common/eval'
import { reportInput } from '../eval/evaluate-sources'
import { renderEvaluationHtml } from '../eval/report-html'
import type { StudentTeacherResult } from '../../common/ipc/calls/training'
import { paperTable } from '../../common/training/paper-table'

export { paperTable }

const f3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3))
const ci = (iv: Interval | null | undefined): string => (iv && iv.low !== null && iv.high !== null ? `[${iv.low.toFixed(3)}, ${iv.high.toFixed(3)}]` : '')
const signed = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`)
const pText = (p: number | null | undefined): string => (p === null || p === undefined ? '' : p < 0.001 ? 'p < 0.001' : `p ≈ ${p.toFixed(3)}`)
const diffText = (d: Difference | null): string => (d ? `${signed(d.value)} ${ci(d.ci)} ${pText(d.p)}`.trim() : 'n/a')

export function paperLines(r: StudentTeacherResult): string[] {
  const t = paperTable(r)
  const n = r.classification?.nReports ?? r.open?.nReports ?? 0
  const runs = Object.entries(r.runs).flatMap(([task, p]) => [p.base, p.student].map((x) => `${task}: ${x.name} (${x.reused ? 'reused' : 'new run'})`))
  const w = Math.max(10, ...t.rows.map((x) => x.source.length)) + 2
  return [
    `Student against teacher on ${n} reports of ${r.reference} (95% bootstrap intervals, paired differences)`,
    ...runs.map((x) => `  ${x}`),
    '',
    `${'role'.padEnd(9)}${'source'.padEnd(w)}${'micro F1'.padStart(9)} ${'95% CI'.padEnd(17)}${'macro F1'.padStart(9)}${'CheXbert wF1'.padStart(13)}${'open F1'.padStart(9)} 95% CI`,
    ...t.rows.map(
      (x) =>
        `${x.role.padEnd(9)}${x.source.padEnd(w)}${f3(x.microF1).padStart(9)} ${ci(x.microCi).padEnd(17)}${f3(x.macroF1).padStart(9)}${f3(x.chexbertWeightedF1).padStart(13)}${f3(x.openMicroF1).padStart(9)} ${ci(x.openCi)}`
    ),
    '',
    ...t.differences.map((d) => `${d.what.padEnd(18)} classification micro F1 ${diffText(d.classification)};  open-ended micro F1 ${diffText(d.open)}`),
    ...(r.classification?.warnings ?? []).map((x) => `Note: ${x}`)
  ]
}

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

export function paperHtmlSection(r: StudentTeacherResult): string {
  const t = paperTable(r)
  const cell = (v: number | null, iv?: Interval | null) => `<td class="n">${f3(v)}${iv ? `<span class="ci">${ci(iv)}</span>` : ''}</td>`
  const dcell = (d: Difference | null) => {
    const cls = d?.ci && d.ci.low !== null && d.ci.high !== null ? (d.ci.low > 0 ? 'up' : d.ci.high < 0 ? 'down' : '') : ''
    return `<td class="n ${cls}">${d ? `${signed(d.value)}<span class="ci">${esc(`${ci(d.ci)} ${pText(d.p)}`.trim())}</span>` : 'n/a'}</td>`
  }
  return `<h2>Student against teacher</h2>
<p class="sub">The base model, the student (base + LoRA adapter ${esc(r.student.name)}) and the teacher it learned from, on the reports of the
curated reference ${esc(r.reference)}. Classification: the label states each source gives; open-ended: the findings each model lists, mapped onto
the label set. Differences are paired (the same resampled reports for both sides); an interval that excludes zero is in colour.</p>
<table><thead><tr><th>Role</th><th>Source</th><th class="n">Classification micro F1</th><th class="n">Macro F1</th><th class="n">CheXbert weighted F1</th><th class="n">Open-ended micro F1</th></tr></thead>
<tbody>${t.rows.map((x) => `<tr><td>${x.role}</td><td>${esc(x.source)}</td>${cell(x.microF1, x.microCi)}${cell(x.macroF1)}${cell(x.chexbertWeightedF1)}${cell(x.openMicroF1, x.openCi)}</tr>`).join('')}</tbody></table>
<table><thead><tr><th>Difference</th><th class="n">Classification micro F1</th><th class="n">Open-ended micro F1</th></tr></thead>
<tbody>${t.differences.map((d) => `<tr><td>${esc(d.what)}</td>${dcell(d.classification)}${dcell(d.open)}</tr>`).join('')}</tbody></table>`
}

/** The HTML report: the evaluation report of the classification comparison with the paper's table in front. */
export function studentTeacherHtml(r: StudentTeacherResult, extra: { workspace?: string; appVersion?: string } = {}): string {
  const ev = r.classification ?? r.open
  if (!ev) throw new Error('student-teacher report: no evaluation')
  const html = renderEvaluationHtml(reportInput(ev, { ...extra, title: `Student against teacher: ${r.student.name} vs ${r.teacher}` }))
  const at = html.indexOf('<h2>')
  return at < 0 ? html : html.slice(0, at) + paperHtmlSection(r) + '\n' + html.slice(at)
}
