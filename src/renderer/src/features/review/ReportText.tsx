// The report text as stored, section headers in bold, evidence highlighted in one colour per source
// (mark.hl-1..4) with a legend. The chosen label's evidence is outlined.
import type { ReviewReport } from '../../../../common/ipc/calls/review'
import type { Evidence } from '../../../../common/types'
import { segments } from '../detect/highlight'

export function ReportText({ report, focusLabelId }: { report: ReviewReport; focusLabelId: number | null }): React.JSX.Element {
  const spans: (Evidence & { cls: string })[] = []
  for (const s of report.sections) {
    if (s.header && s.headerStart !== undefined) {
      spans.push({ start: s.headerStart, end: s.headerStart + s.header.length, text: s.header, cls: 'section-head', rule: `${s.name} section` })
    }
  }
  // the same words cited by several sources: one mark in the first source's colour, underlined in the others'
  const bySpan = new Map<string, Evidence & { cls: string }>()
  for (const h of report.highlights) {
    for (const l of h.labels) {
      if (l.state === 'not_mentioned' && l.labelId !== focusLabelId) continue
      const name = report.labels.find((x) => x.labelId === l.labelId)?.name ?? ''
      for (const e of l.evidence) {
        const why = `${h.name}: ${name} ${l.state}${e.rule ? ` (${e.rule})` : ''}`
        const key = `${e.start}:${e.end}`
        const seen = bySpan.get(key)
        if (!seen) {
          const span = { ...e, cls: `hl hl-${h.colour}${l.labelId === focusLabelId ? ' focus' : ''}`, rule: why }
          bySpan.set(key, span)
          spans.push(span)
        } else {
          if (!seen.cls.includes(`hl-${h.colour}`)) seen.cls += ` also-hl-${h.colour}`
          if (l.labelId === focusLabelId && !seen.cls.includes('focus')) seen.cls += ' focus'
          seen.rule = `${seen.rule}\n${why}`
        }
      }
    }
  }
  const segs = segments(report.text, spans)
  return (
    <section className="stack" aria-label={`Report ${report.reportKey}`}>
      <div className="report-text review-text" aria-label="Report text">
        {segs.map((s) =>
          s.cls === 'section-head' ? (
            <strong key={s.start} className="section-head" title={s.title}>
              {s.text}
            </strong>
          ) : s.cls ? (
            <mark key={s.start} className={s.cls} title={s.title}>
              {s.text}
            </mark>
          ) : (
            <span key={s.start}>{s.text}</span>
          )
        )}
      </div>
      {report.highlights.length ? (
        <div className="small muted review-legend" aria-label="Legend">
          Evidence:{' '}
          {report.highlights.map((h) => (
            <mark key={h.sourceId} className={`hl hl-${h.colour}`}>
              {h.name}
            </mark>
          ))}
        </div>
      ) : report.mode === 'blinded' ? (
        <div className="small muted">Blinded: no predictions are shown.</div>
      ) : (
        <div className="small muted">No labeler or reference source labels this report.</div>
      )}
      {report.sections.length > 1 ? (
        <div className="small muted">Sections: {report.sections.map((s) => s.name).join(' · ')}</div>
      ) : null}
    </section>
  )
}
