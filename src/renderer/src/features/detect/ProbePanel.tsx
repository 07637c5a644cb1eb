// "Estimate time": labels a few reports of the chosen scope with the chosen settings, stores nothing,
// and says how long the whole run would take, before the user commits to it.
import { useState } from 'react'
import type { ProbeEstimate, RunScope } from '../../../../common/ipc/calls/detect'
import { formatDuration } from '../../../../common/format'
import { call } from '../../app/api'
import { useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { ErrorBanner } from '../../ui/states'

export function ProbePanel(props: {
  engine: string
  labelSet: string
  config: Record<string, unknown>
  scope: RunScope | undefined
  disabled?: boolean
}): React.JSX.Element {
  const [reports, setReports] = useState(5)
  const [jobId, setJobId] = useState<number | null>(null)
  const [error, setError] = useState<Error>()
  const job = useJob(jobId)
  const running = !!job && (job.status === 'running' || job.status === 'queued')
  const estimate = job?.status === 'completed' ? (job.result as ProbeEstimate) : undefined

  const probe = (): void => {
    setError(undefined)
    if (!props.scope) return
    call('detect.probe', { engine: props.engine, labelSet: props.labelSet, config: props.config, scope: props.scope, reports })
      .then(({ job }) => setJobId(job.id))
      .catch(setError)
  }

  return (
    <div className="stack" aria-label="Time estimate">
      <div className="row">
        <label>
          Reports to probe
          <input aria-label="Reports to probe" type="number" min={1} max={100} value={reports} onChange={(e) => setReports(Number(e.target.value))} />
        </label>
        <button className="secondary" onClick={probe} disabled={props.disabled || running || !props.scope}>
          {running ? 'Estimating…' : 'Estimate time'}
        </button>
        {running && jobId ? (
          <button className="secondary" onClick={() => void call('jobs.cancel', { id: jobId }).catch(setError)}>
            Stop estimating
          </button>
        ) : null}
        <span className="small muted">Labels a few reports spread over the scope; stores nothing.</span>
      </div>
      {running && job ? <ProgressBar progress={job.progress} /> : null}
      {error ? <ErrorBanner error={error} /> : null}
      {job?.status === 'failed' ? <ErrorBanner error={new Error(job.error ?? 'The probe failed.')} /> : null}
      {estimate ? <EstimateText estimate={estimate} /> : null}
    </div>
  )
}

function EstimateText({ estimate: e }: { estimate: ProbeEstimate }): React.JSX.Element {
  return (
    <div className="card stack" role="status" data-testid="probe-estimate">
      <strong>
        All {e.total.toLocaleString()} report{e.total === 1 ? '' : 's'}: about {formatDuration(e.estimateSeconds)}
      </strong>
      <span className="small">
        Probe: {e.probed} report{e.probed === 1 ? '' : 's'} in {e.labelSeconds.toFixed(1)} s after {e.openSeconds.toFixed(1)} s loading ·{' '}
        {e.reportsPerSecond.toFixed(2)} reports/s
        {e.tokensPerSecond !== null ? ` · ${Math.round(e.tokensPerSecond)} tokens/s` : ''}
        {e.completionTokensPerReport !== null ? ` · ${e.completionTokensPerReport} answer tokens per report` : ''}
      </span>
      {e.failed ? (
        <span className="small error">
          {e.failed} of {e.probed} probe reports failed: {e.errors[0]}
        </span>
      ) : null}
    </div>
  )
}
