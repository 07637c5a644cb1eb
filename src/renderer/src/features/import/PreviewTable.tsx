// Live preview of the first records as they would be imported: id, sections, metadata, or why rejected.
import type { PreviewRow } from '../../../../common/import/dto'

function where(row: PreviewRow): string {
  const l = row.item.loc
  return `${l.sheet ? `${l.sheet} row` : 'line'} ${l.line ?? '?'} · record ${l.record}`
}

export function PreviewTable({ rows }: { rows: PreviewRow[] }): React.JSX.Element {
  if (rows.length === 0) return <p className="muted">No records in the first part of the file.</p>
  return (
    <div className="import-preview">
      <table className="data" aria-label="Preview of the first records">
        <thead>
          <tr>
            <th>Where</th>
            <th>Id</th>
            <th>Text and sections</th>
            <th>Metadata</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const item = row.item
            if (item.kind === 'error' || (row.mapped && !row.mapped.ok)) {
              const reason = item.kind === 'error' ? item.reason : row.mapped && !row.mapped.ok ? row.mapped.reason : ''
              return (
                <tr key={i} className="import-rejected">
                  <td className="small muted">{where(row)}</td>
                  <td colSpan={3}>
                    <strong className="error">Rejected:</strong> {reason}
                  </td>
                </tr>
              )
            }
            const r = row.mapped?.ok ? row.mapped.report : undefined
            return (
              <tr key={i}>
                <td className="small muted">{where(row)}</td>
                <td className="mono">{r ? (r.externalId ?? <span className="muted">hash</span>) : ''}</td>
                <td>
                  {r ? (
                    <div className="stack import-sections">
                      {r.sections.map((s, k) => (
                        <div key={k}>
                          <span className="import-section-name">{s.name}</span>{' '}
                          <span className="small">{r.text.slice(s.start, Math.min(s.end, s.start + 240))}
                            {s.end - s.start > 240 ? '…' : ''}</span>
                        </div>
                      ))}
                    </div>
                  ) : (
                    <span className="muted small">Choose the text field to see the report.</span>
                  )}
                </td>
                <td className="small">
                  {r
                    ? [
                        r.studyDate && `date ${r.studyDate}`,
                        r.modality && `modality ${r.modality}`,
                        r.patientId && `patient ${r.patientId}`,
                        r.accession && `accession ${r.accession}`
                      ]
                        .filter(Boolean)
                        .join(' · ')
                    : ''}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
