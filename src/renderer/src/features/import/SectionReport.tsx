// A batch's section report and the site header map editor: the headers its reports use (how often,
// recognised as which section, or not), a section chosen per header, applied by re-splitting the stored
// reports (no re-import) and optionally saved as the next version of a preset's section map.
import { useEffect, useState } from 'react'
import type { HeaderReport } from '../../../../common/import/dto'
import type { SectionHeaderMap } from '../../../../common/text/sections'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'

const CHOICES: Array<{ value: string; label: string }> = [
  { value: '', label: 'not a header' },
  { value: 'indication', label: 'indication' },
  { value: 'technique', label: 'technique' },
  { value: 'comparison', label: 'comparison' },
  { value: 'findings', label: 'findings' },
  { value: 'impression', label: 'impression' },
  { value: 'other', label: 'other' }
]

const keyOf = (phrase: string) => phrase.toLowerCase().replace(/\s+/g, ' ').trim()

/** The section each header should open: the batch's map, else what the built-in headers recognise. */
function initialChoices(r: HeaderReport): Record<string, string> {
  const out: Record<string, string> = {}
  for (const h of r.headers) {
    const mapped = r.sectionHeaders[keyOf(h.phrase)]
    out[h.phrase] = mapped === 'none' ? '' : (mapped ?? h.section ?? '')
  }
  return out
}

export function SectionReport({ batchId }: { batchId: number }): React.JSX.Element {
  const report = useCall('import.headerReport', { batchId })
  const presets = useCall('import.presets', {})
  const [choices, setChoices] = useState<Record<string, string>>({})
  const [preset, setPreset] = useState('')
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState<string>()
  const [error, setError] = useState<Error>()
  const r = report.data
  useEffect(() => {
    if (r) setChoices(initialChoices(r))
  }, [r])
  if (report.error) return <ErrorBanner error={report.error} onRetry={report.reload} />
  if (!r) return <Loading what="section report" />
  if (r.reports === 0) return <EmptyState title="No reports in this batch">Its reports were deleted or none were added.</EmptyState>
  const unknown = r.headers.filter((h) => h.section === null)
  const initial = initialChoices(r)
  const changed = r.headers.some((h) => (choices[h.phrase] ?? '') !== initial[h.phrase])

  const apply = () => {
    // The site map: every header whose choice differs from what the built-in headers do.
    const headers: SectionHeaderMap = {}
    for (const h of r.headers) {
      const want = choices[h.phrase] ?? ''
      if (want === (h.section ?? '') && !(keyOf(h.phrase) in r.sectionHeaders)) continue
      headers[h.phrase] = (want || 'none') as SectionHeaderMap[string]
    }
    for (const [k, v] of Object.entries(r.sectionHeaders)) if (!r.headers.some((h) => keyOf(h.phrase) === k)) headers[k] = v
    setBusy(true)
    setError(undefined)
    setNote(undefined)
    call('import.setSectionHeaders', { batchId, headers, ...(preset ? { preset } : {}) })
      .then((res) => {
        setNote(
          `Re-split ${res.reports.toLocaleString()} reports: ${res.changed.toLocaleString()} changed sections (texts unchanged)` +
            (res.saved ? `; saved as version ${res.saved.version} of the section map of "${res.saved.preset}".` : '.')
        )
        report.reload()
      })
      .catch(setError)
      .finally(() => setBusy(false))
  }

  return (
    <section className="stack" aria-label={`Section report of batch ${batchId}`}>
      <p className="small">
        {r.reports.toLocaleString()} reports · {r.headers.length} distinct headers
        {unknown.length ? (
          <>
            {' '}
            · <strong className="warn">{unknown.length} not recognised</strong>
          </>
        ) : null}
        {r.withoutFindingsOrImpression ? (
          <>
            {' '}
            · <span className="warn">{r.withoutFindingsOrImpression.toLocaleString()} reports without findings or impression text</span> (labelling reads
            nothing of them with the default scope)
          </>
        ) : null}
      </p>
      {r.headers.length === 0 ? (
        <p className="small muted">No headers found: the reports are free text and are read whole.</p>
      ) : (
        <div className="import-preview">
          <table className="data" aria-label={`Headers of batch ${batchId}`}>
            <thead>
              <tr>
                <th>Header</th>
                <th className="num">Reports</th>
                <th className="num">Times</th>
                <th>Recognised as</th>
                <th>Section for this site</th>
              </tr>
            </thead>
            <tbody>
              {r.headers.map((h) => (
                <tr key={h.phrase} className={h.section === null ? 'import-unknown-header' : undefined}>
                  <td className="mono">{h.phrase}</td>
                  <td className="num">{h.reports.toLocaleString()}</td>
                  <td className="num">{h.count.toLocaleString()}</td>
                  <td>{h.section ?? <span className="warn">not recognised</span>}</td>
                  <td>
                    <select
                      aria-label={`Section for ${h.phrase}`}
                      value={choices[h.phrase] ?? ''}
                      onChange={(e) => setChoices((c) => ({ ...c, [h.phrase]: e.target.value }))}
                    >
                      {CHOICES.map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.label}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {r.moreHeaders ? <p className="small muted">… and {r.moreHeaders} rarer headers not listed.</p> : null}
      <div className="row">
        <label>
          Save with preset{' '}
          <select aria-label="Save the map with preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
            <option value="">(this batch only)</option>
            {(presets.data ?? []).map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button onClick={apply} disabled={busy || (!changed && !preset)}>
          {busy ? 'Re-splitting…' : 'Apply and re-split the reports'}
        </button>
      </div>
      {note ? <p className="small ok">{note}</p> : null}
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  )
}
