// The import wizard: choose files -> detected format and options -> mapping with live preview ->
// progress with cancel -> summary (added / duplicates / conflicts / rejected, error file).
import { useEffect, useState } from 'react'
import { formatBytes } from '../../../../common/format'
import type { FileResult, Preview, MappingPreset } from '../../../../common/import/dto'
import { TEXT_ENCODINGS } from '../../../../common/import/dto'
import { IMPORT_FORMATS, validateMapping, type FieldMapping } from '../../../../common/import/mapping'
import { call, droppedPaths } from '../../app/api'
import { useJob } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { SectionReport } from './SectionReport'
import { ProgressBar } from '../../ui/ProgressBar'
import { MappingForm } from './MappingForm'
import { PreviewTable } from './PreviewTable'
import { SelectField } from '../../ui/SelectField'

interface Options {
  format: string
  encoding: string
  delimiter: string
  header: 'auto' | 'yes' | 'no'
}

const AUTO: Options = { format: 'auto', encoding: 'auto', delimiter: '', header: 'auto' }

function toSourceOptions(o: Options) {
  return {
    format: o.format as 'auto',
    ...(o.encoding !== 'auto' ? { encoding: o.encoding as 'utf-8' } : {}),
    ...(o.delimiter ? { delimiter: o.delimiter === '\\t' ? '\t' : o.delimiter } : {}),
    ...(o.header !== 'auto' ? { hasHeader: o.header === 'yes' } : {})
  }
}


interface JobResult {
  added: number
  duplicates: number
  conflicts: number
  rejected: number
  records: number
  refused: number
  files: FileResult[]
}

export function ImportWizard({ onFinished }: { onFinished(): void }): React.JSX.Element {
  const [pathsText, setPathsText] = useState('')
  const paths = pathsText.split('\n').map((p) => p.trim()).filter(Boolean)
  const [options, setOptions] = useState<Options>(AUTO)
  const [preview, setPreview] = useState<(Preview & { presets: MappingPreset[] }) | undefined>()
  const [mapping, setMapping] = useState<FieldMapping | undefined>()
  const [error, setError] = useState<Error | undefined>()
  const [busy, setBusy] = useState(false)
  const [jobId, setJobId] = useState<number | null>(null)
  const [presetName, setPresetName] = useState('')
  const [saved, setSaved] = useState<string | undefined>()
  const job = useJob(jobId)

  const choose = async (directory: boolean) => {
    setError(undefined)
    try {
      const chosen = await call('dialog.openFiles', {
        title: directory ? 'Choose a folder of .txt reports' : 'Choose report files',
        directory,
        multiple: !directory
      })
      if (chosen.length) setPathsText(chosen.join('\n'))
    } catch (err) {
      setError(err as Error)
    }
  }

  // Reads the first file's head again whenever options or mapping change: the live preview.
  const load = async (m: FieldMapping | undefined) => {
    if (!paths.length) return
    setBusy(true)
    setError(undefined)
    try {
      const p = await call('import.preview', { path: paths[0], options: toSourceOptions(options), mapping: m, limit: 20 })
      setPreview(p)
      if (!m) setMapping(p.suggested)
    } catch (err) {
      setError(err as Error)
      setPreview(undefined)
    } finally {
      setBusy(false)
    }
  }

  const mappingKey = JSON.stringify(mapping ?? null)
  const optionsKey = JSON.stringify(options)
  // Other reader options can change the fields: read again and suggest a mapping afresh.
  useEffect(() => {
    if (preview) void load(undefined)
  }, [optionsKey])
  // A changed mapping: the preview shows the records as they would now be imported.
  useEffect(() => {
    if (preview && mapping) void load(mapping)
  }, [mappingKey])

  const problems = preview && mapping ? validateMapping(mapping, preview.info.fields) : []

  const start = async () => {
    setError(undefined)
    try {
      const snapshot = await call('import.start', {
        files: paths.map((path) => ({ path, options: toSourceOptions(options), mapping })),
        autoResume: true
      })
      setJobId(snapshot.id)
    } catch (err) {
      setError(err as Error)
    }
  }

  const reset = () => {
    setJobId(null)
    setPreview(undefined)
    setMapping(undefined)
    setPathsText('')
    setOptions(AUTO)
    setSaved(undefined)
    onFinished()
  }

  // Step 3 and 4: progress, then the summary.
  if (jobId !== null) {
    const running = !job || job.status === 'running' || job.status === 'queued'
    const result = job?.result as JobResult | null | undefined
    return (
      <section className="card stack" aria-label="Import progress">
        <h2>{running ? 'Importing…' : `Import ${job?.status}`}</h2>
        {job ? <ProgressBar progress={job.progress} /> : <Loading what="the import" />}
        {running && job ? (
          <div>
            <button className="secondary" onClick={() => void call('jobs.cancel', { id: job.id })}>
              Cancel
            </button>{' '}
            <span className="small muted">What is imported so far is kept; the batch can be resumed.</span>
          </div>
        ) : null}
        {job?.error ? <ErrorBanner error={job.error} /> : null}
        {!running && result ? <Summary result={result} /> : null}
        {!running ? (
          <div className="row">
            <button onClick={reset}>Import more</button>
          </div>
        ) : null}
      </section>
    )
  }

  return (
    <section
      className="card stack"
      aria-label="Import reports"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault()
        const dropped = droppedPaths(e.dataTransfer.files)
        if (dropped === null) {
          setError(new Error('Dropped files cannot be read here: type or paste their paths instead.'))
        } else if (dropped.length) {
          setPathsText([...paths, ...dropped].join('\n'))
          setPreview(undefined)
        }
      }}
    >
      <h2>1. Choose the files</h2>
      <p className="small muted">Drop report files or folders here, choose them, or type their paths.</p>
      <div className="row">
        <button className="secondary" onClick={() => void choose(false)}>
          Choose files…
        </button>
        <button className="secondary" onClick={() => void choose(true)}>
          Choose a folder…
        </button>
      </div>
      <label>
        Or type or paste paths (one per line)
        <textarea
          rows={Math.min(6, Math.max(2, paths.length + 1))}
          value={pathsText}
          onChange={(e) => {
            setPathsText(e.target.value)
            setPreview(undefined)
          }}
          placeholder="/data/ris/reports-2024.csv"
        />
      </label>
      <div className="row">
        <button disabled={!paths.length || busy} onClick={() => void load(undefined)}>
          Read {paths.length > 1 ? 'the first file' : 'file'}
        </button>
        {busy ? <span className="small muted">Reading…</span> : null}
      </div>
      {error ? <ErrorBanner error={error} /> : null}

      {preview && mapping ? (
        <>
          <h2>2. Format and mapping</h2>
          <p className="small" aria-label="Detected format">
            <strong>{preview.info.format.toUpperCase()}</strong>
            {preview.info.encoding ? ` · ${preview.info.encoding}` : ''}
            {preview.info.delimiter ? ` · delimiter ${JSON.stringify(preview.info.delimiter)}` : ''}
            {preview.info.hasHeader !== undefined ? ` · ${preview.info.hasHeader ? 'header row' : 'no header row'}` : ''}
            {` · ${formatBytes(preview.info.totalBytes)}`}
          </p>
          {preview.info.notes.length ? (
            <ul className="small muted">
              {preview.info.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          ) : null}
          <div className="row">
            <SelectField
              label="Format"
              value={options.format}
              onChange={(format) => setOptions({ ...options, format })}
              emptyLabel="Detect"
              emptyValue="auto"
              options={IMPORT_FORMATS.map((f) => ({ value: f, label: f }))}
            />
            <SelectField
              label="Encoding"
              value={options.encoding}
              onChange={(encoding) => setOptions({ ...options, encoding })}
              emptyLabel="Detect"
              emptyValue="auto"
              options={TEXT_ENCODINGS.map((f) => ({ value: f, label: f }))}
            />
            <label>
              Delimiter
              <select value={options.delimiter} onChange={(e) => setOptions({ ...options, delimiter: e.target.value })}>
                <option value="">Detect</option>
                <option value=",">comma</option>
                <option value={'\\t'}>tab</option>
                <option value=";">semicolon</option>
                <option value="|">pipe</option>
              </select>
            </label>
            <label>
              First row
              <select value={options.header} onChange={(e) => setOptions({ ...options, header: e.target.value as Options['header'] })}>
                <option value="auto">Detect</option>
                <option value="yes">is a header</option>
                <option value="no">is data</option>
              </select>
            </label>
            {preview.presets.length ? (
              <label>
                Saved mapping
                <select
                  value=""
                  onChange={(e) => {
                    const p = preview.presets.find((x) => x.name === e.target.value)
                    if (p) setMapping(p.mapping)
                  }}
                >
                  <option value="">Apply a preset…</option>
                  {preview.presets.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
          <MappingForm fields={preview.info.fields} mapping={mapping} onChange={setMapping} />
          {problems.length ? (
            <ul className="error small" role="alert">
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          ) : null}
          <PreviewTable rows={preview.rows} />
          <div className="row">
            <label>
              Save this mapping as
              <input value={presetName} onChange={(e) => setPresetName(e.target.value)} placeholder="e.g. RIS export" />
            </label>
            <button
              className="secondary"
              disabled={!presetName.trim() || problems.length > 0}
              onClick={() =>
                void call('import.savePreset', { name: presetName, format: preview.info.format, mapping })
                  .then((p) => setSaved(`Saved preset "${p.name}".`))
                  .catch(setError)
              }
            >
              Save preset
            </button>
            {saved ? <span className="small ok">{saved}</span> : null}
          </div>
          <h2>3. Import</h2>
          <div className="row">
            <button disabled={problems.length > 0} onClick={() => void start()}>
              Import {paths.length > 1 ? `${paths.length} files` : 'file'}
            </button>
          </div>
        </>
      ) : null}
    </section>
  )
}

function Summary({ result }: { result: JobResult }): React.JSX.Element {
  const [saved, setSaved] = useState<Record<number, string>>({})
  const [error, setError] = useState<Error>()
  return (
    <div className="stack" aria-label="Import summary">
      <dl className="facts import-summary">
        <dt>Added</dt>
        <dd>{result.added.toLocaleString()}</dd>
        <dt>Duplicates (already there)</dt>
        <dd>{result.duplicates.toLocaleString()}</dd>
        <dt>Conflicts (same id, other text; kept the existing)</dt>
        <dd className={result.conflicts ? 'warn' : ''}>{result.conflicts.toLocaleString()}</dd>
        <dt>Rejected</dt>
        <dd className={result.rejected ? 'error' : ''}>{result.rejected.toLocaleString()}</dd>
      </dl>
      {result.files.map((f, i) => (
        <div key={i} className="small">
          <span className="mono">{f.path}</span>:{' '}
          {f.status === 'refused' ? (
            <span className="error">refused — {f.error}</span>
          ) : (
            <>
              {f.format}, batch {f.batchId}: added {f.added}, duplicates {f.duplicates}, conflicts {f.conflicts}, rejected{' '}
              {f.rejected}
              {f.revised ? `, new versions ${f.revised} (addenda/corrections)` : ''}
              {f.batchId !== null && f.rejected + f.conflicts > 0 ? (
                <>
                  {' '}
                  <button
                    className="link"
                    onClick={() =>
                      void call('import.saveIssues', { batchId: f.batchId as number })
                        .then((r) => r && setSaved((s) => ({ ...s, [f.batchId as number]: `${r.count} written to ${r.path}` })))
                        .catch(setError)
                    }
                  >
                    Save the rejected records and conflicts as CSV
                  </button>
                  {saved[f.batchId] ? <span className="ok"> {saved[f.batchId]}</span> : null}
                </>
              ) : null}
            </>
          )}
        </div>
      ))}
      {error ? <ErrorBanner error={error} /> : null}
      {result.files
        .filter((f) => f.batchId !== null && f.status !== 'refused' && f.added + (f.revised ?? 0) > 0)
        .slice(0, 3)
        .map((f) => (
          <div key={`sections-${f.batchId}`} className="stack">
            <h3>Sections of batch {f.batchId}</h3>
            <SectionReport batchId={f.batchId as number} />
          </div>
        ))}
    </div>
  )
}
