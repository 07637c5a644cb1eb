// Saving the evaluation report (HTML, PDF, print) and the exports: labels CSV, instruction-tuning
// dataset, workspace backup. Files go where the user chooses (save dialog), or to a typed path.
import { useState } from 'react'
import type { EvalSourceSummary } from '../../../../common/ipc/calls/evaluate'
import { ApiError, call } from '../../app/api'
import { ErrorBanner } from '../../ui/states'

export interface ReportRequest {
  pred: number[]
  ref: number
  uncertain: 'positive' | 'negative' | 'exclude'
  mapping?: Record<string, string>
  resamples: number
  seed: number
}

function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function ExportPanel(props: { request: ReportRequest | null; sources: EvalSourceSummary[] }): React.JSX.Element {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [done, setDone] = useState<string[]>([])
  const [path, setPath] = useState('')
  const [source, setSource] = useState<number | ''>('')
  const [format, setFormat] = useState<'chexpert' | 'binary'>('chexpert')
  const [style, setStyle] = useState<'alpaca' | 'chat'>('alpaca')
  const [validation, setValidation] = useState(0.1)
  const chosen = source === '' ? props.request?.pred[0] : source

  const run = async (what: string, fn: () => Promise<string | null>) => {
    setBusy(what)
    setError(null)
    try {
      const msg = await fn()
      if (msg) setDone((d) => [msg, ...d].slice(0, 5))
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(null)
    }
  }
  const out = path.trim() || undefined
  const req = props.request

  return (
    <section className="card stack" aria-labelledby="eval-export">
      <h2 id="eval-export">Report and exports</h2>
      <div className="row">
        <button
          type="button"
          disabled={!req || busy !== null}
          onClick={() =>
            run('html', async () => {
              const input = { ...req!, agreement: req!.pred.length >= 2 }
              try {
                // The save dialog (Electron) or the typed path; without either, a browser download.
                const r = await call('evaluate.saveReport', { ...input, format: 'html', path: out })
                return r ? `HTML report saved: ${r.path}` : null
              } catch (err) {
                if (!(err instanceof ApiError && err.data.code === 'unsupported')) throw err
                const { html, fileName } = await call('evaluate.reportHtml', input)
                download(fileName, html, 'text/html')
                return `HTML report downloaded as ${fileName}`
              }
            })
          }
        >
          Save HTML report
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!req || busy !== null}
          onClick={() =>
            run('pdf', async () => {
              const r = await call('evaluate.saveReport', { ...req!, agreement: req!.pred.length >= 2, format: 'pdf', path: out })
              return r ? `PDF report saved: ${r.path}` : null
            })
          }
        >
          Save PDF report
        </button>
        <button type="button" className="secondary" disabled={!req} onClick={() => window.print()}>
          Print
        </button>
      </div>
      <hr className="eval-rule" />
      <div className="row">
        <label>
          Source to export
          <select value={chosen ?? ''} onChange={(e) => setSource(e.target.value ? Number(e.target.value) : '')}>
            <option value="">Choose…</option>
            {props.sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.kind})
              </option>
            ))}
          </select>
        </label>
        <label>
          Label values
          <select value={format} onChange={(e) => setFormat(e.target.value as 'chexpert' | 'binary')}>
            <option value="chexpert">CheXpert/MIMIC: 1 / 0 / -1 / empty</option>
            <option value="binary">Binary: 1 / 0 (uncertain as 1)</option>
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={chosen === undefined || busy !== null}
          onClick={() =>
            run('labels', async () => {
              const r = await call('export.labels', { source: chosen!, format, path: out })
              return r ? `Labels CSV: ${r.rows.toLocaleString()} reports → ${r.path}` : null
            })
          }
        >
          Export labels CSV
        </button>
      </div>
      <div className="row">
        <label>
          Dataset style
          <select value={style} onChange={(e) => setStyle(e.target.value as 'alpaca' | 'chat')}>
            <option value="alpaca">Alpaca (instruction / input / output)</option>
            <option value="chat">Chat messages</option>
          </select>
        </label>
        <label>
          Validation share
          <input type="number" min={0} max={0.5} step={0.05} value={validation} onChange={(e) => setValidation(Math.min(0.5, Math.max(0, Number(e.target.value) || 0)))} style={{ width: '6em' }} />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={chosen === undefined || busy !== null}
          onClick={() =>
            run('dataset', async () => {
              const r = await call('export.dataset', { source: chosen!, style, validationFraction: validation, path: out })
              return r
                ? `Dataset: ${r.examples.train} train + ${r.examples.validation} validation examples → ${r.files.train}. ${r.warning}`
                : null
            })
          }
        >
          Export fine-tuning dataset
        </button>
      </div>
      <p className="warn small" role="note">
        The fine-tuning dataset (and a labels CSV with text) contains the full text of the reports: patient data. Keep it on this machine.
      </p>
      <div className="row">
        <button
          type="button"
          className="secondary"
          disabled={busy !== null}
          onClick={() =>
            run('backup', async () => {
              const r = await call('export.backup', { path: out })
              return r ? `Backup: ${r.path} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.reports.toLocaleString()} reports)` : null
            })
          }
        >
          Back up workspace
        </button>
        <label className="grow">
          Output path (optional; otherwise a save dialog asks)
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/file" />
        </label>
      </div>
      {busy ? <p className="muted small" role="status">Working…</p> : null}
      {error ? <ErrorBanner error={error} /> : null}
      {done.length ? (
        <ul className="small" aria-label="Recent exports">
          {done.map((d, i) => (
            <li key={i}>{d}</li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
