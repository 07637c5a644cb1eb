// Label sets of the workspace: built-ins to read, custom sets to create, edit (new version) or import
// from a JSON file.
import { useState } from 'react'
import type { LabelSetDetail } from '../../../../common/ipc/calls/labelsets'
import type { LabelSetDefinition } from '../../../../common/types'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'
import { LabelSetEditor } from './LabelSetEditor'

const EMPTY: LabelSetDefinition = { slug: '', name: '', labels: [{ name: '' }] }

export function LabelSetsPanel(): React.JSX.Element {
  const sets = useCall('labelsets.list', {})
  const [selected, setSelected] = useState<string | null>(null)
  const [editing, setEditing] = useState<LabelSetDefinition | null>(null)
  const [path, setPath] = useState('')
  const [note, setNote] = useState<string>()
  const [error, setError] = useState<Error>()
  const detail = useCall('labelsets.get', selected ? { ref: selected } : null)

  const saved = (d: LabelSetDetail): void => {
    setEditing(null)
    setNote(`Saved ${d.slug} version ${d.version}.`)
    setSelected(`${d.slug}@${d.version}`)
    sets.reload()
  }
  const importFile = (file: string): void => {
    setError(undefined)
    call('labelsets.importFile', { path: file }).then(saved).catch(setError)
  }
  const browse = (): void => {
    call('dialog.openFiles', { title: 'Label set JSON', filters: [{ name: 'JSON', extensions: ['json'] }] })
      .then((files) => files[0] && importFile(files[0]))
      .catch(() => setError(new Error('No file dialog here: type the path of the JSON file instead.')))
  }

  if (editing) return <LabelSetEditor initial={editing} onSaved={saved} onCancel={() => setEditing(null)} />
  return (
    <section className="stack" aria-label="Label sets">
      {sets.error ? <ErrorBanner error={sets.error} onRetry={sets.reload} /> : null}
      {!sets.data && sets.loading ? <Loading what="label sets" /> : null}
      {note ? <p className="small ok">{note}</p> : null}
      {sets.data ? (
        <table className="data" aria-label="Label sets">
          <thead>
            <tr>
              <th>Label set</th>
              <th>Id</th>
              <th className="num">Version</th>
              <th className="num">Labels</th>
              <th className="num">Used by</th>
            </tr>
          </thead>
          <tbody>
            {sets.data.map((s) => (
              <tr key={s.id} className={selected === `${s.slug}@${s.version}` ? 'selected' : undefined}>
                <td>
                  <button className="link" onClick={() => setSelected(`${s.slug}@${s.version}`)}>
                    {s.name}
                  </button>{' '}
                  <span className="small muted">{s.builtin ? 'built-in' : 'custom'}</span>
                </td>
                <td className="mono">{s.slug}</td>
                <td className="num">{s.version}</td>
                <td className="num">{s.labelCount}</td>
                <td className="num">{s.sourceCount ? `${s.sourceCount} source(s)` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="row">
        <button onClick={() => setEditing(EMPTY)}>New label set</button>
        <label className="grow">
          Import a JSON file
          <input value={path} placeholder="/path/to/labelset.json" onChange={(e) => setPath(e.target.value)} />
        </label>
        <button className="secondary" disabled={!path.trim()} onClick={() => importFile(path.trim())}>
          Import
        </button>
        <button className="secondary" onClick={browse}>
          Choose file…
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {detail.error ? <ErrorBanner error={detail.error} /> : null}
      {selected && detail.data ? (
        <LabelSetView d={detail.data} onEdit={(def) => setEditing(def)} onVersion={(v) => setSelected(`${detail.data!.slug}@${v}`)} />
      ) : null}
      {!selected && sets.data?.length ? <EmptyState title="Choose a label set">Its labels, terms and versions appear here.</EmptyState> : null}
    </section>
  )
}

function LabelSetView({
  d,
  onEdit,
  onVersion
}: {
  d: LabelSetDetail
  onEdit(def: LabelSetDefinition): void
  onVersion(version: number): void
}): React.JSX.Element {
  return (
    <section className="card stack" aria-label={`Label set ${d.slug}`}>
      <h3>
        {d.name} <span className="small muted">{d.slug} v{d.version}{d.latest ? ' (newest)' : ''}</span>
      </h3>
      {d.description ? <p className="small">{d.description}</p> : null}
      <div className="row small">
        Versions:
        {d.versions.map((v) => (
          <button key={v.id} className="link" onClick={() => onVersion(v.version)} disabled={v.version === d.version}>
            v{v.version}
          </button>
        ))}
      </div>
      <table className="data" aria-label="Labels of the label set">
        <thead>
          <tr>
            <th>Label</th>
            <th>Description</th>
            <th>Own terms</th>
          </tr>
        </thead>
        <tbody>
          {d.definition.labels.map((l) => (
            <tr key={l.name}>
              <td>{l.name}</td>
              <td className="small">{l.description}</td>
              <td className="small mono">{[...(l.terms ?? []), ...(l.exclusions ?? []).map((x) => `not: ${x}`)].join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        {d.builtin ? (
          <button className="secondary" onClick={() => onEdit({ ...d.definition, slug: `site-${d.slug}`, name: `${d.name} (site copy)` })}>
            Copy as a custom set
          </button>
        ) : (
          <button className="secondary" onClick={() => onEdit(d.definition)}>
            Edit (saves a new version)
          </button>
        )}
      </div>
    </section>
  )
}
