// Running jobs, always visible: progress and a cancel button wherever the user is.
import { useEffect, useState } from 'react'
import type { JobSnapshot } from '../../../common/types'
import { ProgressBar } from '../ui/ProgressBar'
import { call, onEvent } from './api'

export function JobsTray(): React.JSX.Element | null {
  const [jobs, setJobs] = useState<Map<number, JobSnapshot>>(new Map())
  useEffect(
    () =>
      onEvent('job.updated', (job) =>
        setJobs((current) => {
          const next = new Map(current)
          if (job.status === 'running' || job.status === 'queued') next.set(job.id, job)
          else next.delete(job.id)
          return next
        })
      ),
    []
  )
  if (jobs.size === 0) return null
  return (
    <aside className="jobs-tray" role="region" aria-label="Running jobs">
      {[...jobs.values()].map((job) => (
        <div key={job.id} className="jobs-tray-item">
          <div className="small ellipsis">{job.title}</div>
          <ProgressBar progress={job.progress} />
          <button className="link small" onClick={() => void call('jobs.cancel', { id: job.id })}>
            Cancel
          </button>
        </div>
      ))}
    </aside>
  )
}
