// One report of a run: the text with evidence highlighted (mentions and the context words that decided),
// every label with its state and the deciding rule. Choosing a label highlights only its evidence.
import { useState } from 'react'
import type { DetectReportResult } from '../../../../common/ipc/calls/detect'
import type { ExplainResult } from '../../../../common/ipc/calls/explain'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { ExplainPanel } from '../explain/ExplainPanel'
import { ReportHistory } from '../import/ReportHistory'
import { segments, STATE_TEXT } from './highlight'

export function ReportView({ sourceId, reportId, engine }: { sourceId: number; reportId: number; engine?: string }): React.JSX.Element {
  const result = useCall('detect.report', { sourceId, reportId })
  // rules runs: why each label got its state (from the engine's own trace)
  const explained = useCall('rules.explain', engine === 'rules' ? { sourceId, reportId } : null)
  const [chosen, setChosen] = useState<string | null>(null)
  if (result.error) return <ErrorBanner error={result.error} onRetry={result.reload} />
  if (!result.data) return <Loading what="report" />
  return (
    <ReportBody
      r={result.data}
      explained={explained.data}
      explainError={explained.error}
      chosen={chosen}
      onChoose={(l) => setChosen(chosen === l ? null : l)}
    />
  )
}

/** Why a label shows evidence but no state: a hedge kept under "probable" hedging, or a historical mention. */
function notMentionedHint(rule: string | null, hedging: unknown): string {
  if (rule?.startsWith('unc.') || rule?.startsWith('lexicon:')) {
    return hedging === 'probable'
      ? 'Only possibly present: under hedging “probable” a possible hedge is not asserted; the hedge is kept as evidence. Click for details.'
      : 'Not asserted; click for details.'
  }
  if (rule?.startsWith('hist.')) return 'A historical mention: not a current finding. Click for details.'
  return 'Mentioned but not asserted; click for details.'
}

function ReportBody({
  r,
  explained,
  explainError,
  chosen,
  onChoose
}: {
  r: DetectReportResult
  explained: ExplainResult | undefined
  explainError: Error | undefined
  chosen: string | null
  onChoose(label: string): void
}): React.JSX.Element {
  const excludedFor = (label: string): string[] =>
    explained?.labels.find((l) => l.label === label)?.exclusions.map((x) => x.text) ?? []
  const shown = r.labels.filter((l) => (chosen ? l.label === chosen : l.state !== 'not_mentioned'))
  const spans = shown.flatMap((l) => l.evidence)
  const segs = segments(r.text, spans)
  const asserted = r.labels.filter((l) => l.state !== 'not_mentioned' || l.evidence.length > 0)
  const silent = r.labels.filter((l) => l.state === 'not_mentioned' && l.evidence.length === 0)
  const excluded = silent.filter((l) => excludedFor(l.label).length > 0)
  return (
    <section className="stack" aria-label={`Report ${r.reportKey}`}>
      <h3>
        Report <span className="mono">{r.reportKey}</span>
        {r.status !== 'done' ? <span className={r.status === 'failed' ? 'error' : 'muted'}> · {r.status}</span> : null}
      </h3>
      {r.error ? <ErrorBanner error={r.error} /> : null}
      <ReportHistory reportId={r.reportId} />
      <div className="detect-report">
        <div className="stack">
          <div className="report-text" aria-label="Report text with evidence highlighted">
            {segs.map((s) =>
              s.cls ? (
                <mark key={s.start} className={s.cls} title={s.title}>
                  {s.text}
                </mark>
              ) : (
                <span key={s.start}>{s.text}</span>
              )
            )}
          </div>
          <div className="small muted detect-legend">
            <mark className="hl hl-1">finding mention</mark> <mark className="hl hl-2">context (negation, hedge, normal)</mark>
            {chosen ? ` · showing the evidence of ${chosen}; click it again to show all` : ' · click a label to show only its evidence'}
          </div>
          {r.findings.length ? (
            <div className="stack">
              <h4>Open-ended findings</h4>
              <ul>
                {r.findings.map((f, i) => (
                  <li key={i}>
                    {f.phrase} → {f.label ?? <span className="muted">not in this label set</span>}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {r.raw ? (
            <details>
              <summary className="small">Raw engine output</summary>
              <pre className="mono small">{r.raw}</pre>
            </details>
          ) : null}
        </div>
        <div className="stack">
          <ul className="detect-labels" aria-label="Labels">
            {asserted.map((l) => (
              <li
                key={l.label}
                className={chosen === l.label ? 'selected' : undefined}
                onClick={() => onChoose(l.label)}
                role="button"
                tabIndex={0}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onChoose(l.label)}
              >
                <strong>{l.label}</strong>: <span className={`state-${l.state}`}>{STATE_TEXT[l.state]}</span>
                {l.rule ? <div className="detect-rule">decided by {l.rule}</div> : null}
                {l.evidence.length ? (
                  <div className="small muted">{l.evidence.map((e) => `“${e.text}”`).join(' · ')}</div>
                ) : null}
                {l.state === 'not_mentioned' && l.evidence.length ? (
                  <div className="explain-hint">{notMentionedHint(l.rule, explained?.hedging)}</div>
                ) : null}
              </li>
            ))}
            {excluded.map((l) => (
              <li
                key={l.label}
                className={chosen === l.label ? 'selected' : undefined}
                onClick={() => onChoose(l.label)}
                role="button"
                tabIndex={0}
                onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onChoose(l.label)}
              >
                <strong>{l.label}</strong>: <span className="state-not_mentioned">{STATE_TEXT.not_mentioned}</span>
                <div className="explain-hint">
                  Excluded term{excludedFor(l.label).length > 1 ? 's' : ''}: {excludedFor(l.label).map((t) => `“${t}”`).join(', ')} is not this finding. Click for details.
                </div>
              </li>
            ))}
          </ul>
          {silent.length > excluded.length ? (
            <p className="small muted">
              Not mentioned:{' '}
              {silent
                .filter((l) => !excluded.includes(l))
                .map((l) => l.label)
                .join(', ')}
              .
            </p>
          ) : null}
          {explainError ? <ErrorBanner error={explainError} /> : null}
          {chosen && explained ? <ExplainPanel result={explained} label={chosen} /> : null}
        </div>
      </div>
    </section>
  )
}
