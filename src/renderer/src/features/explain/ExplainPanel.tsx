// Why the rules engine gave a label its state: each mention, the trigger that governed it (category,
// direction, window, distance), the scope that applied, the decision; hedges kept as evidence and
// excluded terms say why. The explanation comes from the engine's own trace (rules.explain).
import type { ExplainResult } from '../../../../common/ipc/calls/explain'
import type { LabelExplanation, MentionTrace, TraceTrigger } from '../../../../common/rules'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import './explain.css'

const OUTCOME_TEXT: Record<MentionTrace['outcome'], string> = {
  positive: 'positive',
  uncertain: 'uncertain',
  negative: 'negative',
  not_asserted: 'not asserted',
  ignored: 'ignored'
}

/** One line about the hedging mode, so "not mentioned" next to a highlighted hedge makes sense. */
export function hedgingNote(hedging: 'all' | 'probable'): string {
  return hedging === 'all'
    ? 'Hedging “all” (CheXpert convention): every hedge, probable or possible, gives uncertain.'
    : 'Hedging “probable”: only probable hedges (“likely”, “suspected”) give uncertain; possible ones (“may”, “cannot be excluded”, “concerning for”) leave the finding not mentioned, with the hedge kept as evidence.'
}

function TriggerLine({ t, role }: { t: TraceTrigger; role: string }): React.JSX.Element {
  return (
    <div className="explain-trigger small">
      {role}: <mark className="hl hl-2">{t.text}</mark> <span className="explain-chip">{t.category}{t.strength ? ` · ${t.strength}` : ''}</span>{' '}
      <span className="explain-chip">{t.direction}</span> <span className="explain-chip">window {t.window}</span>{' '}
      <span className="muted">
        {t.side === 'inside' ? 'inside the mention' : `${t.distance} token${t.distance === 1 ? '' : 's'} ${t.side} the mention`}
        {t.reach === 'list' ? ', over a coordinated list beyond the window' : ''} · <span className="mono">{t.rule}</span>
        {t.site ? ' (site rule)' : ''}
      </span>
    </div>
  )
}

/** The explanation of one label (pure display). */
export function LabelExplanationView({ e, hedging, text }: { e: LabelExplanation; hedging: 'all' | 'probable'; text: string }): React.JSX.Element {
  return (
    <div className="explain stack" aria-label={`Why ${e.label}`}>
      <p className="explain-summary">{e.summary}</p>
      {e.mentions.length ? (
        <ol className="explain-mentions">
          {e.mentions.map((m, i) => (
            <li key={i}>
              <div>
                <mark className="hl hl-1">{m.mention.text}</mark> → <strong className={`state-${m.outcome === 'not_asserted' ? 'not_mentioned' : m.outcome}`}>{OUTCOME_TEXT[m.outcome]}</strong>{' '}
                <span className="small muted mono">{m.mention.rule}</span>
              </div>
              <div className="small muted explain-sentence">“{text.slice(m.sentence.start, m.sentence.end)}”</div>
              {m.trigger ? <TriggerLine t={m.trigger} role="Trigger" /> : <div className="small muted">No trigger in scope.</div>}
              {m.overriddenHedge ? <TriggerLine t={m.overriddenHedge} role="Overridden hedge" /> : null}
              {m.strongerHedge ? <TriggerLine t={m.strongerHedge} role="Stronger hedge (weakest decides)" /> : null}
              <div className="small">{m.reason}.</div>
            </li>
          ))}
        </ol>
      ) : null}
      {e.exclusions.length ? (
        <div className="small" aria-label="Excluded terms">
          Excluded terms (not this finding):{' '}
          {e.exclusions.map((x, i) => (
            <span key={i}>
              {i ? ', ' : ''}“{x.text}” <span className="muted mono">{x.rule}</span>
            </span>
          ))}
        </div>
      ) : null}
      <p className="small muted">{hedgingNote(hedging)}</p>
    </div>
  )
}

/** The explanation of `label` in a loaded report explanation (or a note when the label is unknown). */
export function ExplainPanel({ result, label }: { result: ExplainResult; label: string }): React.JSX.Element {
  const e = result.labels.find((l) => l.label.toLowerCase() === label.toLowerCase())
  return (
    <section className="card stack explain-panel" aria-label="Explanation">
      <h4>
        Why {label}? <span className="small muted">rules · {result.labelSet} · scope {result.scope} · hedging {result.hedging}</span>
      </h4>
      {e ? <LabelExplanationView e={e} hedging={result.hedging} text={result.text} /> : <p className="small muted">The rules run has no label “{label}”.</p>}
    </section>
  )
}

/**
 * Review: explains the selected label as the first rules run among the report's highlighted sources
 * labelled it. Nothing is shown when no rules run is highlighted (e.g. a blinded set).
 */
export function ReviewExplain({ reportId, sourceIds, label }: { reportId: number; sourceIds: number[]; label: string | null }): React.JSX.Element | null {
  const runs = useCall('detect.runs', sourceIds.length && label ? {} : null)
  const run = runs.data?.find((r) => sourceIds.includes(r.sourceId) && r.engine === 'rules')
  const result = useCall('rules.explain', run && label ? { sourceId: run.sourceId, reportId } : null)
  if (!label || !sourceIds.length || (runs.data && !run)) return null
  if (runs.error || result.error) return <ErrorBanner error={(runs.error ?? result.error)!} onRetry={result.reload} />
  if (!result.data) return <Loading what="explanation" />
  return (
    <details className="review-explain" open>
      <summary className="small">Why the rules run “{run?.name}” said so</summary>
      <ExplainPanel result={result.data} label={label} />
    </details>
  )
}
