// The versions of a report: the original, then addenda and corrected/amended texts. The latest is the
// report's text (what runs label); older ones are kept, never overwritten.
import type { ReportVersion } from '../../../../common/import/dto'
import { useCall } from '../../app/hooks'
import { ErrorBanner } from '../../ui/states'
import './import.css'

const KIND_TEXT: Record<ReportVersion['kind'], string> = {
  original: 'original',
  addendum: 'addendum',
  correction: 'corrected (HL7 status C)',
  amended: 'amended (FHIR)'
}

export function ReportHistory({ reportId }: { reportId: number }): React.JSX.Element | null {
  const versions = useCall('reports.versions', { id: reportId })
  if (versions.error) return <ErrorBanner error={versions.error} onRetry={versions.reload} />
  const list = versions.data
  // Loading, or a report never revised: nothing to show.
  if (!list || list.length < 2) return null
  return (
    <details className="stack" aria-label="Report history" open>
      <summary className="small">
        History: {list.length} versions · labelled: version {list.find((v) => v.current)?.version}
      </summary>
      <ol className="report-history">
        {list.map((v) => (
          <li key={v.version}>
            <div className="small">
              <strong>Version {v.version}</strong> · {KIND_TEXT[v.kind]}
              {v.sourceStatus ? ` · source status ${v.sourceStatus}` : ''} · {new Date(v.createdAt).toLocaleString()}
              {v.current ? <span className="ok"> · labelled (latest)</span> : null}
              {v.sourceLocation ? <div className="muted mono ellipsis">{v.sourceLocation}</div> : null}
            </div>
            <details>
              <summary className="small">Text</summary>
              <pre className="mono small report-history-text">{v.text}</pre>
            </details>
          </li>
        ))}
      </ol>
    </details>
  )
}
