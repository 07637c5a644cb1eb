// The evaluation history: every evaluation run here, newest first, to reopen, compare (two at a time)
// and delete. Each row says what was compared with what, on how many reports, with which settings.
import type { HistorySummary } from '../../../../common/ipc/calls/evaluate'
import { MIN_REPORTS_FOR_STATISTICS } from '../../../../common/eval'
import { f3 } from './format'

const when = (iso: string): string => iso.slice(0, 16).replace('T', ' ')

export function HistoryPanel(props: {
  entries: HistorySummary[]
  openId: number | null
  compare: number[]
  onOpen(id: number): void
  onDelete(id: number): void
  onToggleCompare(id: number): void
  onCompare(): void
}): React.JSX.Element {
  const { entries } = props
  return (
    <section className="card" aria-labelledby="eval-history">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="eval-history">History</h2>
        <button type="button" className="secondary small" disabled={props.compare.length !== 2} onClick={props.onCompare}>
          Compare the two checked
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="muted small">Every evaluation you run is kept here, with its settings and results, to reopen, compare or delete.</p>
      ) : (
        <div className="eval-history-scroll">
          <table className="data eval-history" aria-label="Saved evaluations">
            <thead>
              <tr>
                <th aria-label="Compare" />
                <th>When</th>
                <th>Prediction → reference</th>
                <th className="num">Reports</th>
                <th>Settings</th>
                <th className="num">Micro F1</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} className={e.id === props.openId ? 'selected' : undefined} aria-current={e.id === props.openId ? 'true' : undefined}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare evaluation ${e.id}`}
                      checked={props.compare.includes(e.id)}
                      onChange={() => props.onToggleCompare(e.id)}
                    />
                  </td>
                  <td className="small">{when(e.createdAt)}</td>
                  <td>
                    {e.predictionNames.join(', ')} → {e.referenceName}
                  </td>
                  <td className={`num${e.nReports < MIN_REPORTS_FOR_STATISTICS ? ' warn' : ''}`}>{e.nReports.toLocaleString()}</td>
                  <td className="small muted">
                    uncertain {e.settings.uncertain === 'exclude' ? 'left out' : `as ${e.settings.uncertain}`}, {e.settings.resamples} resamples, seed{' '}
                    {e.settings.seed}
                  </td>
                  <td className="num">{e.microF1.map((v) => f3(v)).join(' / ')}</td>
                  <td className="eval-history-actions">
                    <button type="button" className="link small" onClick={() => props.onOpen(e.id)} aria-label={`Open evaluation ${e.id}`}>
                      {e.id === props.openId ? 'Shown' : 'Open'}
                    </button>
                    <button
                      type="button"
                      className="link small danger"
                      aria-label={`Delete evaluation ${e.id}`}
                      onClick={() => {
                        if (window.confirm(`Delete the evaluation of ${e.predictionNames.join(', ')} against ${e.referenceName} (${when(e.createdAt)})?`)) props.onDelete(e.id)
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
