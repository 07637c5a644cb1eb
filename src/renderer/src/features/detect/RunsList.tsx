// Every run of the workspace with its status, progress and the job controls of the active one.
import { useState } from 'react'
import type { DetectRun } from '../../../../common/ipc/calls/detect'
import type { JobProgress } from '../../../../common/types'
import { call } from '../../app/api'
import { useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState } from '../../ui/states'
import { DeleteSourceDialog } from './DeleteSourceDialog'

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`
}

/** The run's live numbers beside the bar: tokens/s and errors so far (reports/s and the ETA are the bar's own). */
function withRunCounters(p: JobProgress): JobProgress {
  const parts: string[] = []
  const tps = p.counters?.tokensPerSecond
  if (tps) parts.push(`${Math.round(tps).toLocaleString()} tokens/s`)
  const failed = p.counters?.failed ?? 0
  parts.push(failed ? `${failed.toLocaleString()} error${failed === 1 ? '' : 's'}` : 'no errors')
  return { ...p, unit: 'reports', message: [...parts, ...(p.message ? [p.message] : [])].join(' · ') }
}

export function RunsList(props: {
  runs: DetectRun[]
  selected: number | null
  onSelect(sourceId: number): void
  onError(err: Error): void
  onChanged(): void
}): React.JSX.Element {
  const [deleting, setDeleting] = useState<number | null>(null)
  if (props.runs.length === 0) {
    return <EmptyState title="No runs yet">Start a run above: every report of the workspace gets one state per label.</EmptyState>
  }
  return (
    <>
    {deleting !== null ? (
      <DeleteSourceDialog
        sourceId={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => {
          setDeleting(null)
          props.onChanged()
        }}
      />
    ) : null}
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
          <RunRow key={r.sourceId} run={r} {...props} onDelete={setDeleting} />
        ))}
      </tbody>
    </table>
    </>
  )
}

function RunRow({
  run,
  selected,
  onSelect,
  onError,
  onChanged,
  onDelete
}: {
  run: DetectRun
  selected: number | null
  onSelect(sourceId: number): void
  onError(err: Error): void
  onChanged(): void
  onDelete(sourceId: number): void
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
            {run.reportsFailed > 0 && !job && run.engine !== 'batch' ? (
              <button className="secondary small" onClick={() => act(call('detect.rerunFailed', { sourceId: run.sourceId }))}>
                Re-run failed
              </button>
            ) : null}
            {!job || (job.status !== 'running' && job.status !== 'queued') ? (
              <button className="danger small" aria-label={`Delete ${run.name}`} onClick={() => onDelete(run.sourceId)}>
                Delete…
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {job && (job.status === 'running' || job.status === 'queued') ? (
        <tr>
          <td colSpan={8}>
            <ProgressBar progress={withRunCounters(job.progress)} />
          </td>
        </tr>
      ) : null}
    </>
  )
}
