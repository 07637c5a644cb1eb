// Import page: the wizard, reference labels, and the list of batches.
import { useState } from 'react'
import type { LabelImportResult } from '../../../../common/import/dto'
import { BUILTIN_LABEL_SETS } from '../../../../common/labelsets'
import { inferLabelSet, type LabelSetGuess } from '../../../../common/labelsets/infer'
import { call } from '../../app/api'
import { useCall, useOnJobChange } from '../../app/hooks'
import { ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { BatchList } from './BatchList'
import { ImportWizard } from './ImportWizard'
import './import.css'

export function ImportPage(): React.JSX.Element {
  const batches = useCall('import.batches', {})
  useOnJobChange((job) => {
    if (job.kind === 'import') batches.reload()
  })
  return (
    <>
      <PageHeader title="Import" />
      <div className="stack">
        <ImportWizard onFinished={batches.reload} />
        <LabelsImport />
        <section className="card stack" aria-label="Batches">
          <h2>Batches</h2>
          {batches.loading && !batches.data ? <Loading what="batches" /> : null}
          {batches.error ? <ErrorBanner error={batches.error} onRetry={batches.reload} /> : null}
          {batches.data ? <BatchList batches={batches.data} onChanged={batches.reload} /> : null}
        </section>
      </div>
    </>
  )
}

function LabelsImport(): React.JSX.Element {
  const [open, setOpen] = useState(false)
  const [path, setPath] = useState('')
  const [sourceName, setSourceName] = useState('site gold')
  const [labelSet, setLabelSet] = useState('chexpert14')
  const [idColumn, setIdColumn] = useState('')
  const [zeroAs, setZeroAs] = useState<'negative' | 'not_mentioned'>('negative')
  const [fields, setFields] = useState<string[]>([])
  const [guess, setGuess] = useState<LabelSetGuess | null>(null)
  const [result, setResult] = useState<LabelImportResult>()
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)

  const readColumns = async () => {
    setError(undefined)
    try {
      const p = await call('import.preview', { path, limit: 5 })
      setFields(p.info.fields)
      // The label set follows the file's columns (a ChestX-ray14 file is not imported as CheXpert).
      const g = inferLabelSet(p.info.fields, BUILTIN_LABEL_SETS)
      setGuess(g)
      if (g) setLabelSet(g.slug)
      setIdColumn(p.info.fields.find((f) => /^(study_?id|report_?id|id|uid|accession)$/i.test(f)) ?? p.info.fields[0] ?? '')
    } catch (err) {
      setError(err as Error)
    }
  }
  const run = async () => {
    setBusy(true)
    setError(undefined)
    setResult(undefined)
    try {
      setResult(await call('import.labels', { path, sourceName, labelSet, idColumn, zeroAs }))
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  if (!open) {
    return (
      <div>
        <button className="secondary" onClick={() => setOpen(true)}>
          Import reference labels…
        </button>
      </div>
    )
  }
  return (
    <section className="card stack" aria-label="Import reference labels">
      <h2>Reference labels</h2>
      <p className="small muted">
        A label file with one row per report (CheXpert/MIMIC 1 / 0 / -1 / blank, or 0/1 columns) becomes a named source
        you can evaluate against. Columns are matched to the label set by name.
      </p>
      <div className="row">
        <label className="grow">
          Label file
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/data/labels/gold.csv" />
        </label>
        <button
          className="secondary"
          onClick={() =>
            void call('dialog.openFiles', { title: 'Choose a label file' })
              .then((p) => p[0] && setPath(p[0]))
              .catch(setError)
          }
        >
          Choose…
        </button>
        <button className="secondary" disabled={!path} onClick={() => void readColumns()}>
          Read columns
        </button>
      </div>
      <div className="row">
        <label>
          Source name
          <input value={sourceName} onChange={(e) => setSourceName(e.target.value)} />
        </label>
        <label>
          Label set
          <input list="import-labelsets" value={labelSet} onChange={(e) => setLabelSet(e.target.value)} aria-describedby="import-labelset-guess" />
          <datalist id="import-labelsets">
            {BUILTIN_LABEL_SETS.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </datalist>
          {guess ? (
            <span id="import-labelset-guess" className="small muted">
              From the columns: {guess.matched} of {guess.total} {BUILTIN_LABEL_SETS.find((l) => l.slug === guess.slug)?.name ?? guess.slug} labels
            </span>
          ) : null}
        </label>
        <label>
          Report id column
          {fields.length ? (
            <select value={idColumn} onChange={(e) => setIdColumn(e.target.value)}>
              {fields.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          ) : (
            <input value={idColumn} onChange={(e) => setIdColumn(e.target.value)} placeholder="study_id" />
          )}
        </label>
        <label>
          0 means
          <select value={zeroAs} onChange={(e) => setZeroAs(e.target.value as 'negative')}>
            <option value="negative">negative (CheXpert)</option>
            <option value="not_mentioned">not mentioned (0/1 files)</option>
          </select>
        </label>
        <button disabled={!path || !sourceName || !labelSet || !idColumn || busy} onClick={() => void run()}>
          Import labels
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {result ? (
        <div className="small stack" aria-label="Label import result">
          <div className="ok">
            Source “{result.sourceName}”: {result.reportsLabelled.toLocaleString()} reports labelled ({result.labelsWritten.toLocaleString()}{' '}
            labels from {result.rows.toLocaleString()} rows).
          </div>
          <div>Columns matched: {result.matched.map((m) => (m.column === m.label ? m.label : `${m.column} → ${m.label}`)).join(', ')}</div>
          {result.unknownColumns.length ? <div className="warn">Columns not used: {result.unknownColumns.join(', ')}</div> : null}
          {result.missingLabels.length ? <div className="muted">Labels without a column: {result.missingLabels.join(', ')}</div> : null}
          {result.unknownReportIds.count ? (
            <div className="warn">
              {result.unknownReportIds.count} ids match no imported report: {result.unknownReportIds.sample.slice(0, 20).join(', ')}
              {result.unknownReportIds.count > 20 ? ', …' : ''}
            </div>
          ) : null}
          {result.rejectedCount ? (
            <div className="error">
              {result.rejectedCount} rows rejected:
              <ul>
                {result.rejected.slice(0, 20).map((r, i) => (
                  <li key={i}>
                    {r.location}: {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  )
}
