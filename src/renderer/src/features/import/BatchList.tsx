// Import batches with their counts: issues (rejected records, conflicts), error file, resume, delete.
import { useState } from 'react'
import type { BatchInfo } from '../../../../common/import/dto'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'
import { SectionReport } from './SectionReport'

export function BatchList({ batches, onChanged }: { batches: BatchInfo[]; onChanged(): void }): React.JSX.Element {
  const [open, setOpen] = useState<number | null>(null)
  const [sections, setSections] = useState<number | null>(null)
  const [error, setError] = useState<Error>()
  const [note, setNote] = useState<string>()
  const act = (p: Promise<unknown>, done?: (v: unknown) => void) => {
    setError(undefined)
    setNote(undefined)
    p.then((v) => {
      done?.(v)
      onChanged()
    }).catch(setError)
  }
  return (
    <div className="stack">
      {error ? <ErrorBanner error={error} /> : null}
      {note ? <p className="small ok">{note}</p> : null}
      {batches.length === 0 ? (
        <EmptyState title="No imports yet">Import a file above; each file becomes a batch you can inspect or delete.</EmptyState>
      ) : (
        <table className="data" aria-label="Import batches">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Format</th>
              <th>Status</th>
              <th className="num">Records</th>
              <th className="num">Added</th>
              <th className="num">Duplicates</th>
              <th className="num">Conflicts</th>
              <th className="num">Rejected</th>
              <th className="num">Reports now</th>
              <th>Imported</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <BatchRow
                key={b.id}
                b={b}
                open={open === b.id}
                onToggle={() => setOpen(open === b.id ? null : b.id)}
                sectionsOpen={sections === b.id}
                onSections={() => setSections(sections === b.id ? null : b.id)}
                onSave={() =>
                  act(call('import.saveIssues', { batchId: b.id }), (r) => {
                    const v = r as { path: string; count: number } | null
                    if (v) setNote(`${v.count} rows written to ${v.path}`)
                  })
                }
                onResume={() => act(call('import.resumeBatch', { id: b.id }))}
                onDelete={() => {
                  if (window.confirm(`Delete batch ${b.id} (${b.name}) and its ${b.reportCount} reports, with their labels?`))
                    act(call('import.deleteBatch', { id: b.id }), (r) => setNote(`Deleted ${(r as { reports: number }).reports} reports.`))
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function BatchRow(props: {
  b: BatchInfo
  open: boolean
  onToggle(): void
  sectionsOpen: boolean
  onSections(): void
  onSave(): void
  onResume(): void
  onDelete(): void
}): React.JSX.Element {
  const { b } = props
  const issues = b.rejected + b.conflicts
  return (
    <>
      <tr>
        <td>
          <div>
            {b.id}. {b.name}
          </div>
          <div className="small muted mono ellipsis" title={b.sourcePath} style={{ maxWidth: 280 }}>
            {b.sourcePath}
          </div>
        </td>
        <td>{b.format}</td>
        <td className={b.status === 'failed' ? 'error' : b.status === 'completed' ? '' : 'warn'}>
          {b.status}
          {b.error ? <div className="small error">{b.error}</div> : null}
        </td>
        <td className="num">{b.recordsDone.toLocaleString()}</td>
        <td className="num">{b.added.toLocaleString()}</td>
        <td className="num">{b.duplicates.toLocaleString()}</td>
        <td className="num">{b.conflicts.toLocaleString()}</td>
        <td className="num">{b.rejected.toLocaleString()}</td>
        <td className="num">{b.reportCount.toLocaleString()}</td>
        <td className="small">{new Date(b.createdAt).toLocaleString()}</td>
        <td>
          <div className="row">
            {b.reportCount > 0 && b.status !== 'running' ? (
              <button className="link small" onClick={props.onSections} aria-expanded={props.sectionsOpen}>
                {props.sectionsOpen ? 'Hide sections' : 'Sections'}
              </button>
            ) : null}
            {issues > 0 ? (
              <>
                <button className="link small" onClick={props.onToggle} aria-expanded={props.open}>
                  {props.open ? 'Hide issues' : 'Issues'}
                </button>
                <button className="link small" onClick={props.onSave}>
                  Error file
                </button>
              </>
            ) : null}
            {b.status === 'cancelled' || b.status === 'interrupted' || b.status === 'failed' ? (
              <button className="link small" onClick={props.onResume}>
                Resume
              </button>
            ) : null}
            {b.status !== 'running' ? (
              <button className="link small error" onClick={props.onDelete}>
                Delete
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {props.open ? (
        <tr>
          <td colSpan={11}>
            <Issues batchId={b.id} />
          </td>
        </tr>
      ) : null}
      {props.sectionsOpen ? (
        <tr>
          <td colSpan={11}>
            <SectionReport batchId={b.id} />
          </td>
        </tr>
      ) : null}
    </>
  )
}

function Issues({ batchId }: { batchId: number }): React.JSX.Element {
  const { data, error, loading } = useCall('import.issues', { batchId, limit: 100 })
  if (loading) return <Loading what="issues" />
  if (error) return <ErrorBanner error={error} />
  if (!data) return <></>
  return (
    <div className="stack">
      <p className="small muted">
        {data.total > data.items.length ? `First ${data.items.length} of ${data.total}; the error file has all.` : `${data.total} issues.`}
      </p>
      <table className="data" aria-label={`Issues of batch ${batchId}`}>
        <thead>
          <tr>
            <th>Kind</th>
            <th>Where</th>
            <th>Id</th>
            <th>Reason</th>
            <th>Excerpt</th>
          </tr>
        </thead>
        <tbody>
          {data.items.map((i) => (
            <tr key={i.id}>
              <td>{i.kind}</td>
              <td className="small">{i.location}</td>
              <td className="mono">{i.externalId ?? ''}</td>
              <td className="small">{i.reason}</td>
              <td className="small mono ellipsis" style={{ maxWidth: 320 }} title={i.excerpt ?? ''}>
                {i.excerpt ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
