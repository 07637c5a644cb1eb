import type { JobProgress } from '../../../common/types'

function formatEta(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`
  return `${(seconds / 3600).toFixed(1)} h`
}

/** A labelled progress bar: "1,234 / 5,000 reports · 812/s · about 5 s left". */
export function ProgressBar({ progress }: { progress: JobProgress }): React.JSX.Element {
  const { done, total, unit, rate, etaSeconds, message } = progress
  const pct = total ? Math.min(100, (100 * done) / total) : undefined
  const parts = [`${done.toLocaleString()}${total != null ? ` / ${total.toLocaleString()}` : ''} ${unit}`]
  if (rate) parts.push(`${rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString()}/s`)
  if (etaSeconds != null && total != null && done < total) parts.push(`about ${formatEta(etaSeconds)} left`)
  if (message) parts.push(message)
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={done}
        aria-label={parts[0]}
      >
        <div className={pct === undefined ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: `${pct ?? 30}%` }} />
      </div>
      <div className="progress-text small muted">{parts.join(' · ')}</div>
    </div>
  )
}
