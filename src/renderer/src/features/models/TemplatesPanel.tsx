// Prompt templates: view what the model is asked (rendered for a label set) and save edits as new versions.
import { useState } from 'react'
import type { PromptTemplate, TemplateEntry } from '../../../../common/ipc/calls/models'
import { LLM_TASKS } from '../../../../common/ipc/calls/models'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'

function Preview({ name }: { name: string }): React.JSX.Element {
  const [task, setTask] = useState<(typeof LLM_TASKS)[number]>('classify')
  const [labelSet, setLabelSet] = useState('chexpert14')
  const preview = useCall('models.previewTemplate', { template: name, task, labelSet })
  return (
    <div className="stack">
      <div className="row">
        <label>
          Task
          <select value={task} onChange={(e) => setTask(e.target.value as typeof task)}>
            {LLM_TASKS.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Label set
          <input value={labelSet} onChange={(e) => setLabelSet(e.target.value)} />
        </label>
      </div>
      {preview.error ? <ErrorBanner error={preview.error} /> : null}
      {preview.data ? (
        <div className="stack small">
          <strong>System</strong>
          <pre className="mono report-text">{preview.data.system}</pre>
          {preview.data.turns.map((t, i) => (
            <div key={i}>
              <strong>{t.role === 'user' ? 'User' : 'Model'}</strong>
              <pre className="mono report-text">{t.text}</pre>
            </div>
          ))}
          <details>
            <summary>Answer schema (the grammar the model generates under)</summary>
            <pre className="mono">{JSON.stringify(preview.data.schema, null, 2)}</pre>
          </details>
        </div>
      ) : null}
    </div>
  )
}

function Editor({ entry, onSaved }: { entry: TemplateEntry; onSaved(t: PromptTemplate): void }): React.JSX.Element {
  const t = entry.template
  const [draft, setDraft] = useState({ ...t, examples: JSON.stringify(t.examples, null, 2) })
  const [error, setError] = useState<Error>()
  const field = (key: 'system' | 'classify' | 'open' | 'both', label: string) => (
    <label>
      {label}
      <textarea rows={key === 'system' ? 3 : 5} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
    </label>
  )
  const save = async (): Promise<void> => {
    setError(undefined)
    try {
      let examples: unknown
      try {
        examples = JSON.parse(draft.examples)
      } catch (err) {
        throw new Error(`The examples are not valid JSON: ${(err as Error).message}`, { cause: err })
      }
      const { version: _version, ...rest } = draft
      onSaved(await call('models.saveTemplate', { template: { ...rest, examples: examples as PromptTemplate['examples'] } }))
    } catch (err) {
      setError(err as Error)
    }
  }
  return (
    <div className="stack">
      <label>
        Name
        <input value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </label>
      {field('system', 'System prompt')}
      {field('classify', 'Classification instructions ({{labels}} becomes the label list)')}
      {field('open', 'Open-ended detection instructions')}
      {field('both', 'Instructions for both tasks at once')}
      <label>
        Few-shot examples (JSON: report, present / uncertain / negated findings with exact quotes)
        <textarea rows={10} className="mono" value={draft.examples} onChange={(e) => setDraft({ ...draft, examples: e.target.value })} />
      </label>
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button onClick={() => void save()}>Save as a new version</button>
        <span className="small muted">Runs record the template name and version they used; saving never changes an old run.</span>
      </div>
    </div>
  )
}

export function TemplatesPanel(): React.JSX.Element {
  const templates = useCall('models.templates', {})
  const [open, setOpen] = useState<{ key: string; mode: 'view' | 'edit' }>()
  return (
    <section className="card stack" aria-label="Prompt templates">
      <h2>Prompt templates</h2>
      {templates.loading && !templates.data ? <Loading what="templates" /> : null}
      {templates.error ? <ErrorBanner error={templates.error} onRetry={templates.reload} /> : null}
      <table className="data">
        <tbody>
          {(templates.data ?? []).map((e) => {
            const key = `${e.template.name}@${e.template.version}`
            return (
              <tr key={key}>
                <td>
                  <strong>{e.template.name}</strong> v{e.template.version} {e.builtin ? <span className="muted">(built-in)</span> : null}
                  {e.template.description ? <div className="small muted">{e.template.description}</div> : null}
                  {open?.key === key ? (
                    open.mode === 'view' ? (
                      <Preview name={key} />
                    ) : (
                      <Editor
                        entry={e}
                        onSaved={(t) => {
                          setOpen({ key: `${t.name}@${t.version}`, mode: 'view' })
                          templates.reload()
                        }}
                      />
                    )
                  ) : null}
                </td>
                <td>
                  <button className="secondary small" onClick={() => setOpen(open?.key === key && open.mode === 'view' ? undefined : { key, mode: 'view' })}>
                    View
                  </button>{' '}
                  <button className="secondary small" onClick={() => setOpen(open?.key === key && open.mode === 'edit' ? undefined : { key, mode: 'edit' })}>
                    Edit
                  </button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
