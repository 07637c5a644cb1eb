// Confirmation before deleting a label source (a run, imported or curated labels): says exactly what
// goes (labels, reports, findings) and what else it affects (review sets), then deletes on "Delete".
// The audit log keeps the record.
import { useEffect, useRef, useState } from 'react'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'

const KIND: Record<string, string> = { run: 'run', imported: 'imported labels', curated: 'curated labels' }

export function DeleteSourceDialog(props: { sourceId: number; onClose(): void; onDeleted(): void }): React.JSX.Element {
  const plan = useCall('sources.deletionPlan', { id: props.sourceId })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error>()
  const cancelRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    cancelRef.current?.focus()
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !busy) props.onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [busy, props])

  const confirm = (): void => {
    setBusy(true)
    setError(undefined)
    call('sources.delete', { id: props.sourceId, confirm: true })
      .then(() => props.onDeleted())
      .catch((e: Error) => {
        setError(e)
        setBusy(false)
      })
  }
  const p = plan.data
  return (
    <div className="confirm-backdrop">
      <div className="card stack confirm-dialog" role="dialog" aria-modal="true" aria-labelledby="delete-source-title">
        <h2 id="delete-source-title">{p ? `Delete ${KIND[p.kind] ?? p.kind} "${p.name}"?` : 'Delete this source?'}</h2>
        {plan.loading && !p ? <Loading what="what would be deleted" /> : null}
        {plan.error ? <ErrorBanner error={plan.error} onRetry={plan.reload} /> : null}
        {p ? (
          <>
            <p>
              This removes {p.labels.toLocaleString()} labels on {p.reports.toLocaleString()} reports
              {p.findings ? ` and ${p.findings.toLocaleString()} open-ended findings` : ''} (label set {p.labelSet}). The reports themselves stay.
              It cannot be undone; the audit log keeps a record of the deletion.
            </p>
            {p.warnings.length ? (
              <ul className="small warn">
                {p.warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
            {p.blocked ? <p className="error">{p.blocked}</p> : null}
          </>
        ) : null}
        {error ? <ErrorBanner error={error} /> : null}
        <div className="row">
          <button className="danger" onClick={confirm} disabled={busy || !p || !!p.blocked}>
            {busy ? 'Deleting…' : 'Delete'}
          </button>
          <button ref={cancelRef} className="secondary" onClick={props.onClose} disabled={busy}>
            Keep it
          </button>
        </div>
      </div>
    </div>
  )
}
