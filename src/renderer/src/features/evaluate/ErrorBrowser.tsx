// The error browser: the reports behind one cell (e.g. false positives of Pneumonia for one source),
// and one report with the evidence of both sides highlighted, linking on to the review screen.
import { useEffect, useRef, useState } from 'react'
import type { CaseItem } from '../../../../common/eval'
import type { Evidence } from '../../../../common/types'
import { useCall } from '../../app/hooks'
import { href } from '../../app/router'
import { ErrorBanner, Loading } from '../../ui/states'
import { OUTCOME_TITLES, STATE_TEXT } from './format'
import type { CellTarget } from './ResultsView'

const PAGE = 50

export interface CaseQuery {
  pred: number
  ref: number
  uncertain: 'positive' | 'negative' | 'exclude'
  mapping?: Record<string, string>
  alsoCoveredBy: number[]
}

/** Report text split into plain and highlighted pieces (prediction evidence 1, reference evidence 2). */
function highlight(text: string, pred: Evidence[], ref: Evidence[]): React.JSX.Element[] {
  const marks = new Uint8Array(text.length)
  for (const e of pred) for (let i = Math.max(0, e.start); i < Math.min(text.length, e.end); i++) marks[i] |= 1
  for (const e of ref) for (let i = Math.max(0, e.start); i < Math.min(text.length, e.end); i++) marks[i] |= 2
  const out: React.JSX.Element[] = []
  let start = 0
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      const piece = text.slice(start, i)
      const m = marks[start]
      out.push(
        m === 0 ? (
          <span key={start}>{piece}</span>
        ) : (
          <mark key={start} className={`hl hl-${m === 1 ? 1 : m === 2 ? 2 : 3}`} title={m === 1 ? 'prediction evidence' : m === 2 ? 'reference evidence' : 'both'}>
            {piece}
          </mark>
        )
      )
      start = i
    }
  }
  return out
}

function ReportView({ item, label, predName, refName }: { item: CaseItem; label: string; predName: string; refName: string }): React.JSX.Element {
  const report = useCall('reports.get', { id: item.reportId })
  const quotes = (ev: Evidence[]) => ev.map((e) => `“${e.text}”${e.rule ? ` (${e.rule})` : ''}${e.note ? ` – ${e.note}` : ''}`).join('; ')
  return (
    <div className="stack eval-report">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h3>
          Report <span className="mono">{item.reportKey}</span>
        </h3>
        <a href={href('/review', { report: item.reportId })}>Open in the review screen</a>
      </div>
      <dl className="facts">
        <dt>{label}</dt>
        <dd>
          {predName}: <span className={`state-${item.predState}`}>{STATE_TEXT[item.predState]}</span> · {refName}:{' '}
          <span className={`state-${item.refState}`}>{STATE_TEXT[item.refState]}</span>
        </dd>
        {item.predEvidence.length ? (
          <>
            <dt><mark className="hl hl-1">Prediction evidence</mark></dt>
            <dd>{quotes(item.predEvidence)}</dd>
          </>
        ) : null}
        {item.refEvidence.length ? (
          <>
            <dt><mark className="hl hl-2">Reference evidence</mark></dt>
            <dd>{quotes(item.refEvidence)}</dd>
          </>
        ) : null}
      </dl>
      {report.error ? <ErrorBanner error={report.error} /> : null}
      {report.data ? <div className="report-text">{highlight(report.data.text, item.predEvidence, item.refEvidence)}</div> : report.loading ? <Loading what="report" /> : null}
    </div>
  )
}

export function ErrorBrowser(props: {
  target: CellTarget
  query: CaseQuery
  predName: string
  refName: string
  onClose(): void
  /** Overrides the heading (e.g. for disagreements between two sources without a reference). */
  title?: string
  /** Id of the heading; two browsers (results and agreement) can be open at once. */
  headingId?: string
}): React.JSX.Element {
  const [offset, setOffset] = useState(0)
  const [open, setOpen] = useState<CaseItem | null>(null)
  const { target, query } = props
  const cases = useCall('evaluate.cases', {
    pred: query.pred,
    ref: query.ref,
    uncertain: query.uncertain,
    mapping: query.mapping,
    alsoCoveredBy: query.alsoCoveredBy.length ? query.alsoCoveredBy : undefined,
    label: target.label,
    outcome: target.outcome,
    offset,
    limit: PAGE
  })
  const total = cases.data?.total ?? 0
  // The user clicked a count far above (under a table and charts): bring the list into view and move
  // the keyboard focus to its heading, so the answer to the click is where the eyes and Tab go next.
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start', behavior: 'auto' })
    heading.current?.focus({ preventScroll: true })
  }, [target.label, target.outcome, target.source])
  return (
    <section className="card" aria-labelledby={props.headingId ?? 'eval-cases'}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id={props.headingId ?? 'eval-cases'} ref={heading} tabIndex={-1}>
          {props.title ?? `${OUTCOME_TITLES[target.outcome]} of ${target.label} — ${props.predName}`}
          {cases.data ? <span className="muted"> ({total.toLocaleString()} reports)</span> : null}
        </h2>
        <button type="button" className="secondary small" onClick={props.onClose}>
          Close
        </button>
      </div>
      {cases.error ? <ErrorBanner error={cases.error} onRetry={cases.reload} /> : null}
      {cases.loading && !cases.data ? <Loading what="reports" /> : null}
      {cases.data ? (
        <div className="eval-cases">
          <table className="data">
            <thead>
              <tr>
                <th>Report</th>
                <th>{props.predName}</th>
                <th>{props.refName}</th>
                <th>Beginning of the report</th>
              </tr>
            </thead>
            <tbody>
              {cases.data.items.map((it) => (
                <tr key={it.reportId} className={open?.reportId === it.reportId ? 'selected' : undefined}>
                  <td>
                    <button type="button" className="link mono" onClick={() => setOpen(it)}>
                      {it.reportKey}
                    </button>
                  </td>
                  <td className={`state-${it.predState}`}>{STATE_TEXT[it.predState]}</td>
                  <td className={`state-${it.refState}`}>{STATE_TEXT[it.refState]}</td>
                  <td className="muted small">{it.preview.replace(/\s+/g, ' ').slice(0, 140)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > PAGE ? (
            <div className="row">
              <button type="button" className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </button>
              <span className="muted small">
                {offset + 1}–{Math.min(total, offset + PAGE)} of {total.toLocaleString()}
              </span>
              <button type="button" className="secondary small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </button>
            </div>
          ) : null}
          {open ? <ReportView item={open} label={target.label} predName={props.predName} refName={props.refName} /> : null}
        </div>
      ) : null}
    </section>
  )
}
