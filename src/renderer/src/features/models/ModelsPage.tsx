// Models page: GGUF models and LoRA adapters from local disk (header, sha256, fit), the hardware panel,
// and the prompt templates. Nothing is ever downloaded.
import { useState } from 'react'
import type { ModelEntry } from '../../../../common/ipc/calls/models'
import { call } from '../../app/api'
import { useCall, useJob, useOnJobChange } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { HardwarePanel } from './HardwarePanel'
import { ServersPanel } from './ServersPanel'
import { TemplatesPanel } from './TemplatesPanel'
import { AdapterLineageView } from './AdapterLineageView'
import { TrainingPanel } from './TrainingPanel'
import { formatBytes, formatParams } from '../../../../common/format'

function AddModelForm({ onAdded }: { onAdded(): void }): React.JSX.Element {
  const [path, setPath] = useState('')
  const [mode, setMode] = useState<'reference' | 'copy'>('reference')
  const [name, setName] = useState('')
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const [jobId, setJobId] = useState<number>()
  const job = useJob(jobId)

  const browse = async (): Promise<void> => {
    try {
      const chosen = await call('models.pickFile', {})
      if (chosen) setPath(chosen)
    } catch (err) {
      setError(err as Error)
    }
  }
  const add = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      const res = await call('models.add', { path, mode, name: name || undefined })
      setJobId(res.job.id)
      setPath('')
      setName('')
      onAdded()
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="card stack"
      aria-label="Add a model"
      onSubmit={(e) => {
        e.preventDefault()
        void add()
      }}
    >
      <h2>Add a model or LoRA adapter</h2>
      <div className="row">
        <label className="grow">
          GGUF file on this computer
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/models/llama-3.1-8b-instruct-q4_k_m.gguf" />
        </label>
        <button type="button" className="secondary" onClick={() => void browse()}>
          Browse…
        </button>
      </div>
      <div className="row">
        <label className="inline">
          <input type="radio" checked={mode === 'reference'} onChange={() => setMode('reference')} /> Use it where it is
        </label>
        <label className="inline">
          <input type="radio" checked={mode === 'copy'} onChange={() => setMode('copy')} /> Copy it next to the workspace
        </label>
        <label className="grow">
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="from the file's header" />
        </label>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button type="submit" disabled={!path.trim() || busy}>
          {busy ? 'Reading header…' : 'Add'}
        </button>
        <span className="small muted">The header is checked first; the sha256 is computed in the background.</span>
      </div>
      {job && job.status === 'running' ? <ProgressBar progress={job.progress} /> : null}
      {job && job.status === 'failed' ? <ErrorBanner error={job.error ?? 'The job failed.'} /> : null}
    </form>
  )
}

function FitCell({ model }: { model: ModelEntry }): React.JSX.Element {
  const [state, setState] = useState<{ text?: string; error?: Error; busy?: boolean }>({})
  if (model.kind !== 'base') return <span className="muted">—</span>
  if (state.busy) return <span className="muted">estimating…</span>
  if (state.error) return <span className="error small">{state.error.message}</span>
  if (state.text) return <span className="small">{state.text}</span>
  return (
    <button
      className="secondary small"
      disabled={!model.available}
      onClick={() => {
        setState({ busy: true })
        call('models.fit', { id: model.id })
          .then((fit) => setState({ text: fit.summary }))
          .catch((error: Error) => setState({ error }))
      }}
    >
      Estimate fit
    </button>
  )
}

function ModelDetails({ model }: { model: ModelEntry }): React.JSX.Element {
  const h = model.header
  return (
    <details>
      <summary>Header</summary>
      <dl className="small">
        <dt>Path</dt>
        <dd className="mono">{model.path}</dd>
        <dt>Architecture</dt>
        <dd>{h.architecture}{h.supportedByLlamaCpp ? '' : ' (not supported by this llama.cpp)'}</dd>
        <dt>Layers / embedding</dt>
        <dd>{h.layers ?? '?'} / {h.embeddingLength ?? '?'}</dd>
        <dt>Trained context length</dt>
        <dd>{h.contextLength?.toLocaleString() ?? 'unknown'}</dd>
        <dt>GGUF version, tensors</dt>
        <dd>v{h.ggufVersion}, {h.tensorCount}</dd>
        <dt>sha256</dt>
        <dd className="mono">{model.sha256 ?? 'not computed yet'}</dd>
        <dt>Chat template</dt>
        <dd>{h.chatTemplate ? <pre className="mono small">{h.chatTemplate}</pre> : 'none (a generic chat format is used)'}</dd>
      </dl>
    </details>
  )
}

function ModelsTable({ models, onChanged }: { models: ModelEntry[]; onChanged(): void }): React.JSX.Element {
  const [error, setError] = useState<Error>()
  const act = (fn: () => Promise<unknown>) => () => {
    setError(undefined)
    fn().then(onChanged, (err: Error) => setError(err))
  }
  return (
    <div className="card stack">
      {error ? <ErrorBanner error={error} /> : null}
      <table className="data">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Quantisation</th>
            <th>Parameters</th>
            <th>Size</th>
            <th>sha256</th>
            <th>Fits this machine?</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td>
                {m.name}
                {m.problem ? <div className="error small">{m.problem}</div> : null}
                <ModelDetails model={m} />
                {m.lineage ? <AdapterLineageView lineage={m.lineage} /> : null}
              </td>
              <td>{m.kind === 'lora' ? 'LoRA adapter' : 'model'}{m.copied ? ' (copy)' : ''}</td>
              <td>{m.header.quantisation ?? '?'}</td>
              <td>{formatParams(m.header.parameters)}</td>
              <td>{formatBytes(m.sizeBytes)}</td>
              <td className="mono small">
                {m.sha256 ? `${m.sha256.slice(0, 12)}…` : (
                  <button className="secondary small" onClick={act(() => call('models.hash', { id: m.id }))} disabled={!m.available}>
                    Compute
                  </button>
                )}
              </td>
              <td>
                <FitCell model={m} />
              </td>
              <td>
                <button
                  className="secondary small"
                  onClick={act(async () => {
                    const what = m.copied ? 'This deletes the copy in the workspace.' : 'The file itself stays where it is.'
                    if (window.confirm(`Remove ${m.name}? ${what}`)) await call('models.remove', { id: m.id })
                  })}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ModelsPage(): React.JSX.Element {
  const models = useCall('models.list', {})
  useOnJobChange((job) => {
    if (job.kind === 'model') models.reload()
  })
  return (
    <>
      <PageHeader title="Models" />
      <p className="muted">
        Local GGUF models for the LLM engine (for example an instruction-tuned Llama 3.1 8B, or a model your site fine-tuned),
        and LoRA adapters applied on top of a model. RadLabel never downloads anything.
      </p>
      <AddModelForm onAdded={models.reload} />
      {models.loading && !models.data ? <Loading what="models" /> : null}
      {models.error ? <ErrorBanner error={models.error} onRetry={models.reload} /> : null}
      {models.data && models.data.length === 0 ? (
        <EmptyState title="No models yet">Add a .gguf file above to use the LLM engine.</EmptyState>
      ) : null}
      {models.data && models.data.length > 0 ? <ModelsTable models={models.data} onChanged={models.reload} /> : null}
      <ServersPanel />
      <TrainingPanel />
      <HardwarePanel />
      <TemplatesPanel />
    </>
  )
}
