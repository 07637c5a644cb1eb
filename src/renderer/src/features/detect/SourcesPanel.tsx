// Every label source of the workspace (runs, imported labels, curated review labels) with how many
// reports each covers, and deletion with confirmation.
import { useState } from 'react'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'
import { DeleteSourceDialog } from './DeleteSourceDialog'

const KIND: Record<string, string> = { run: 'Run', imported: 'Imported labels', curated: 'Curated (review)' }

export function SourcesPanel(): React.JSX.Element {
  const sources = useCall('evaluate.sources', {})
  const [deleting, setDeleting] = useState<number | null>(null)
  return (
    <section className="stack" aria-label="Label sources">
      <p className="small muted">
        Every set of labels in this workspace. Deleting one removes its labels (the reports stay); the audit log keeps the record.
      </p>
      {sources.error ? <ErrorBanner error={sources.error} onRetry={sources.reload} /> : null}
      {!sources.data && sources.loading ? <Loading what="label sources" /> : null}
      {sources.data && sources.data.length === 0 ? (
        <EmptyState title="No label sources yet">Run a labeller on the Runs tab, import labels on the Import page, or curate labels on the Review page.</EmptyState>
      ) : null}
      {sources.data && sources.data.length > 0 ? (
        <table className="data" aria-label="Label sources">
          <thead>
            <tr>
              <th>Source</th>
              <th>Kind</th>
              <th>Label set</th>
              <th className="num">Reports</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sources.data.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{KIND[s.kind] ?? s.kind}</td>
                <td>
                  {s.labelSet} v{s.labelSetVersion}
                </td>
                <td className="num">{s.reportCount.toLocaleString()}</td>
                <td className="small muted">{s.createdAt.slice(0, 16).replace('T', ' ')}</td>
                <td>
                  <button className="danger small" aria-label={`Delete ${s.name}`} onClick={() => setDeleting(s.id)}>
                    Delete…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {deleting !== null ? (
        <DeleteSourceDialog
          sourceId={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null)
            sources.reload()
          }}
        />
      ) : null}
    </section>
  )
}
