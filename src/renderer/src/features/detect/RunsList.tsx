// Every run of the workspace with its status, progress and the job controls of the active one.
import type { DetectRun } from '../../../../common/ipc/calls/detect'
import { call } from '../../app/api'
import { useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState } from '../../ui/states'

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`
}

export function RunsList(props: {
  runs: DetectRun[]
  selected: number | null
  onSelect(sourceId: number): void
  onError(err: Error): void
  onChanged(): void
}): React.JSX.Element {
  if (props.runs.length === 0) {
    return <EmptyState title="No runs yet">Start a run above: every report of the workspace gets one state per label.</EmptyState>
  }
  return (
    <table className="data" aria-label="Runs">
      <thead>
        <tr>
          <th>Run</th>
          <th>Engine</th>
          <th>Label set</th>
          <th>Status</th>
          <th className="num">Labelled</th>
          <th className="num">Failed</th>
          <th className="num">Time</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.runs.map((r) => (
          <RunRow key={r.sourceId} run={r} {...props} />
        ))}
      </tbody>
    </table>
  )
}

function RunRow({
  run,
  selected,
  onSelect,
  onError,
  onChanged
}: {
  run: DetectRun
  selected: number | null
  onSelect(sourceId: number): void
  onError(err: Error): void
  onChanged(): void
}): React.JSX.Element {
  const job = useJob(run.status === 'running' || run.status === 'queued' ? run.jobId : null)
  const act = (p: Promise<unknown>): void => {
    p.then(onChanged).catch(onError)
  }
  const stopped = ['paused', 'cancelled', 'interrupted', 'failed'].includes(run.status)
  return (
    <>
      <tr className={selected === run.sourceId ? 'selected' : undefined}>
        <td>
          <button className="link" onClick={() => onSelect(run.sourceId)} aria-label={`Show results of ${run.name}`}>
            {run.name}
          </button>
        </td>
        <td>{run.engine}</td>
        <td>
          {run.labelSetSlug} v{run.labelSetVersion}
        </td>
        <td className={run.status === 'failed' ? 'error' : run.status === 'completed' ? 'ok' : undefined}>
          {job && job.status === 'running' ? 'running' : run.status}
          {run.error ? <div className="small">{run.error}</div> : null}
        </td>
        <td className="num">
          {(job?.progress.done ?? run.reportsDone).toLocaleString()} / {run.reportsTotal.toLocaleString()}
        </td>
        <td className="num">{run.reportsFailed || ''}</td>
        <td className="num">{run.wallMs ? duration(run.wallMs) : ''}</td>
        <td>
          <div className="row">
            {job && job.status === 'running' && run.jobId ? (
              <>
                <button className="secondary small" onClick={() => act(call('jobs.pause', { id: run.jobId! }))}>
                  Pause
                </button>
                <button className="secondary small" onClick={() => act(call('jobs.cancel', { id: run.jobId! }))}>
                  Cancel
                </button>
              </>
            ) : null}
            {stopped && run.jobId ? (
              <button className="secondary small" onClick={() => act(call('jobs.resume', { id: run.jobId! }))}>
                Resume
              </button>
            ) : null}
            {run.reportsFailed > 0 && !job ? (
              <button className="secondary small" onClick={() => act(call('detect.rerunFailed', { sourceId: run.sourceId }))}>
                Re-run failed
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {job && (job.status === 'running' || job.status === 'queued') ? (
        <tr>
          <td colSpan={8}>
            <ProgressBar progress={job.progress} />
          </td>
        </tr>
      ) : null}
    </>
  )
}
