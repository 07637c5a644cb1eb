// One run's results: a page of reports, one state per label (1 / 0 / -1 / blank as in the CSV export),
// filterable by label and state, searchable; a click opens the report view.
import { useEffect, useState } from 'react'
import type { DetectResultsPage } from '../../../../common/ipc/calls/detect'
import { LABEL_STATES, type LabelState } from '../../../../common/types'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'
import { STATE_SHORT, STATE_TEXT } from './highlight'

const PAGE = 50

export function ResultsTable({
  sourceId,
  selected,
  onOpen,
  refreshKey
}: {
  sourceId: number
  selected: number | null
  onOpen(reportId: number): void
  refreshKey: number
}): React.JSX.Element {
  const [offset, setOffset] = useState(0)
  const [search, setSearch] = useState('')
  const [label, setLabel] = useState('')
  const [state, setState] = useState<LabelState | 'asserted'>('asserted')
  const [status, setStatus] = useState<'' | 'done' | 'failed' | 'pending'>('')
  const results = useCall('detect.results', {
    sourceId,
    offset,
    limit: PAGE,
    search: search.trim() || undefined,
    label: label || undefined,
    state: label ? state : undefined,
    status: status || undefined
  })
  // refresh the page when the run progresses or finishes
  const reload = results.reload
  useEffect(() => reload(), [refreshKey, reload])
  const page: DetectResultsPage | undefined = results.data
  const labels = page?.labels ?? []

  return (
    <section className="stack" aria-label="Results">
      <div className="row">
        <label className="grow">
          Search report text or id
          <input
            value={search}
            onChange={(e) => {
              setSearch(e.target.value)
              setOffset(0)
            }}
          />
        </label>
        <label>
          Label
          <select
            aria-label="Filter by label"
            value={label}
            onChange={(e) => {
              setLabel(e.target.value)
              setOffset(0)
            }}
          >
            <option value="">Any</option>
            {labels.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        {label ? (
          <label>
            State
            <select aria-label="Filter by state" value={state} onChange={(e) => setState(e.target.value as LabelState | 'asserted')}>
              <option value="asserted">positive or uncertain</option>
              {LABEL_STATES.map((s) => (
                <option key={s} value={s}>
                  {STATE_TEXT[s]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Report status
          <select aria-label="Filter by report status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="">Any</option>
            <option value="done">labelled</option>
            <option value="failed">failed</option>
            <option value="pending">not yet labelled</option>
          </select>
        </label>
      </div>
      {results.error ? <ErrorBanner error={results.error} onRetry={results.reload} /> : null}
      {!page && results.loading ? <Loading what="results" /> : null}
      {page && page.total === 0 ? <EmptyState title="No reports match">Change the filters or the search.</EmptyState> : null}
      {page && page.total > 0 ? (
        <>
          <div className="detect-results">
            <table className="data detect-grid" aria-label="Labels per report">
              <thead>
                <tr>
                  <th>Report</th>
                  {labels.map((l) => (
                    <th key={l} className="label-col" title={l}>
                      {l}
                    </th>
                  ))}
                  <th>Text</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.reportId} className={selected === r.reportId ? 'selected' : undefined} onClick={() => onOpen(r.reportId)}>
                    <td className="mono">
                      {r.reportKey.startsWith('sha256:') ? `#${r.reportId}` : r.reportKey}
                      {r.status !== 'done' ? <div className={`small ${r.status === 'failed' ? 'error' : 'muted'}`}>{r.status}</div> : null}
                    </td>
                    {r.states.map((s, i) => (
                      <td key={labels[i]} className={`state ${s ? `state-${s}` : ''}`} title={`${labels[i]}: ${s ? STATE_TEXT[s] : 'no result'}`}>
                        {s ? STATE_SHORT[s] : ''}
                      </td>
                    ))}
                    <td className="small muted ellipsis">{r.preview}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="row small">
            <span className="muted">
              {page.offset + 1}–{page.offset + page.items.length} of {page.total.toLocaleString()} reports
            </span>
            <button className="secondary small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <button className="secondary small" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        </>
      ) : null}
    </section>
  )
}
