// Creates or edits a custom label set. Saving a changed set makes a new version; runs keep the version
// they used. Validation is the same code the back end runs (common/labelsets/validate).
import { useState } from 'react'
import { AppError } from '../../../../common/errors'
import type { LabelSetDetail } from '../../../../common/ipc/calls/labelsets'
import { parseLabelSetDefinition } from '../../../../common/labelsets'
import type { LabelSetDefinition } from '../../../../common/types'
import { call } from '../../app/api'
import { ErrorBanner } from '../../ui/states'
import { ContextRulesEditor, ruleRowsOf, rulesOfRows, type RuleRow } from './ContextRulesEditor'

interface Row {
  name: string
  description: string
  terms: string
  exclusions: string
}

const list = (s: string): string[] | undefined => {
  const items = s
    .split(/[,\n]/)
    .map((x) => x.trim())
    .filter(Boolean)
  return items.length ? items : undefined
}

export function LabelSetEditor({
  initial,
  onSaved,
  onCancel
}: {
  initial: LabelSetDefinition
  onSaved(saved: LabelSetDetail): void
  onCancel(): void
}): React.JSX.Element {
  const [slug, setSlug] = useState(initial.slug)
  const [name, setName] = useState(initial.name)
  const [description, setDescription] = useState(initial.description ?? '')
  const [rows, setRows] = useState<Row[]>(
    initial.labels.map((l) => ({
      name: l.name,
      description: l.description ?? '',
      terms: (l.terms ?? []).join(', '),
      exclusions: (l.exclusions ?? []).join(', ')
    }))
  )
  const [ruleRows, setRuleRows] = useState<RuleRow[]>(ruleRowsOf(initial.contextRules))
  const [error, setError] = useState<Error | string>()
  const [busy, setBusy] = useState(false)
  const setRow = (i: number, patch: Partial<Row>): void => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))

  const save = (): void => {
    setError(undefined)
    let definition: LabelSetDefinition
    try {
      definition = parseLabelSetDefinition(
        {
          slug,
          name,
          description: description.trim() || undefined,
          aggregation: initial.aggregation === 'chexpert' && rows.some((r) => r.name.trim() === 'No Finding') ? 'chexpert' : 'none',
          labels: rows.map((r) => ({
            name: r.name,
            description: r.description.trim() || undefined,
            terms: list(r.terms),
            exclusions: list(r.exclusions)
          })),
          ...(initial.hedging ? { hedging: initial.hedging } : {}),
          contextRules: rulesOfRows(ruleRows)
        },
        'label set'
      )
    } catch (err) {
      setError(err instanceof AppError ? err.message : String(err))
      return
    }
    setBusy(true)
    call('labelsets.save', { definition })
      .then(onSaved)
      .catch(setError)
      .finally(() => setBusy(false))
  }

  return (
    <section className="card stack" aria-label="Edit label set">
      <h3>{initial.slug ? `Edit ${initial.slug}` : 'New label set'}</h3>
      <p className="small muted">
        Labels named like a known finding (e.g. “Pleural Effusion”, “Nodule”) use RadLabel's lexicon; add your own terms
        (comma-separated; “nodule[s]” means nodule and nodules; “heart ... enlarged” allows a few words between) and
        exclusions (phrases that contain a term but are not the finding). Saving a changed set makes a new version.
      </p>
      <div className="row">
        <label>
          Id (slug)
          <input value={slug} onChange={(e) => setSlug(e.target.value)} placeholder="site-thorax" />
        </label>
        <label className="grow">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <table className="data" aria-label="Labels">
        <thead>
          <tr>
            <th>Label</th>
            <th>Description</th>
            <th>Terms</th>
            <th>Exclusions</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Label ${i + 1} name`} value={r.name} onChange={(e) => setRow(i, { name: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Label ${i + 1} description`} value={r.description} onChange={(e) => setRow(i, { description: e.target.value })} />
              </td>
              <td>
                <textarea aria-label={`Label ${i + 1} terms`} rows={2} value={r.terms} onChange={(e) => setRow(i, { terms: e.target.value })} />
              </td>
              <td>
                <textarea aria-label={`Label ${i + 1} exclusions`} rows={2} value={r.exclusions} onChange={(e) => setRow(i, { exclusions: e.target.value })} />
              </td>
              <td>
                <button className="secondary small" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove label ${i + 1}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button className="secondary small" onClick={() => setRows([...rows, { name: '', description: '', terms: '', exclusions: '' }])}>
          Add label
        </button>
      </div>
      <ContextRulesEditor rows={ruleRows} onChange={setRuleRows} />
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button onClick={save} disabled={busy}>
          {busy ? 'Saving…' : 'Save as new version'}
        </button>
        <button className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  )
}
