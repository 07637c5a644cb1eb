// Choosing what to evaluate: reference, prediction source(s), uncertain policy, intervals, label mapping.
import { useMemo } from 'react'
import type { EvalSourceSummary } from '../../../../common/ipc/calls/evaluate'
import { UNCERTAIN_POLICIES, type UncertainPolicy } from '../../../../common/eval'
import { sameLabel } from '../../../../common/labelsets/names'

export interface EvalSetup {
  ref: number | null
  preds: number[]
  uncertain: UncertainPolicy
  resamples: number
  seed: number
  mapping: Record<string, string>
}

const POLICY_LABEL: Record<UncertainPolicy, string> = {
  exclude: 'Leave out (cells where either side is uncertain)',
  positive: 'Count as positive',
  negative: 'Count as negative'
}

const KIND_LABEL = { run: 'run', imported: 'imported', curated: 'curated' } as const

export function SetupForm(props: {
  sources: EvalSourceSummary[]
  setup: EvalSetup
  onChange(setup: EvalSetup): void
  onRun(): void
  running: boolean
}): React.JSX.Element {
  const { sources, setup, onChange } = props
  const ref = sources.find((s) => s.id === setup.ref)
  const preds = sources.filter((s) => setup.preds.includes(s.id))
  // Prediction labels that have no same-named reference label: offered for an explicit mapping.
  const unmatched = useMemo(() => {
    if (!ref) return []
    const norm = (n: string) => n.toLowerCase().replace(/[^a-z0-9]+/g, '')
    const refNames = new Set(ref.labels.map(norm))
    return [...new Set(preds.flatMap((p) => p.labels))].filter(
      (l) => !refNames.has(norm(l)) && !ref.labels.some((r) => sameLabel(l, r))
    )
  }, [ref, preds])
  const set = (patch: Partial<EvalSetup>) => onChange({ ...setup, ...patch })
  const describe = (s: EvalSourceSummary) =>
    `${s.name} (${KIND_LABEL[s.kind]}, ${s.labelSet} v${s.labelSetVersion}, ${s.reportCount.toLocaleString()} reports)${s.complete ? '' : ' (incomplete)'}`

  return (
    <form
      className="card stack"
      aria-label="Evaluation settings"
      onSubmit={(e) => {
        e.preventDefault()
        props.onRun()
      }}
    >
      <div className="row">
        <label className="grow">
          Reference (what counts as correct)
          <select
            value={setup.ref ?? ''}
            onChange={(e) => {
              const id = e.target.value ? Number(e.target.value) : null
              set({ ref: id, preds: setup.preds.filter((p) => p !== id) })
            }}
          >
            <option value="">Choose a reference source…</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {describe(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Uncertain labels
          <select value={setup.uncertain} onChange={(e) => set({ uncertain: e.target.value as UncertainPolicy })}>
            {UNCERTAIN_POLICIES.map((p) => (
              <option key={p} value={p}>
                {POLICY_LABEL[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Bootstrap resamples
          <input
            type="number"
            min={0}
            max={100000}
            step={1}
            value={setup.resamples}
            onChange={(e) => set({ resamples: Math.max(0, Math.floor(Number(e.target.value) || 0)) })}
            style={{ width: '8em' }}
          />
        </label>
        <label>
          Seed
          <input type="number" value={setup.seed} onChange={(e) => set({ seed: Math.floor(Number(e.target.value) || 0) })} style={{ width: '6em' }} />
        </label>
      </div>
      <fieldset>
        <legend className="muted small">Prediction sources to evaluate (the first checked is the baseline of the comparison)</legend>
        <div className="eval-source-list">
          {sources
            .filter((s) => s.id !== setup.ref)
            .map((s) => (
              <label key={s.id} className="inline">
                <input
                  type="checkbox"
                  checked={setup.preds.includes(s.id)}
                  onChange={(e) =>
                    set({ preds: e.target.checked ? [...setup.preds, s.id] : setup.preds.filter((p) => p !== s.id) })
                  }
                />
                {describe(s)}
                {setup.preds[0] === s.id && setup.preds.length > 1 ? <span className="muted small">(baseline)</span> : null}
              </label>
            ))}
        </div>
      </fieldset>
      {ref && unmatched.length ? (
        <details>
          <summary>
            Label mapping: {unmatched.length} prediction label{unmatched.length === 1 ? '' : 's'} without a counterpart in the
            reference (same names and known synonyms such as Effusion = Pleural Effusion are matched automatically)
          </summary>
          <table className="data eval-mapping">
            <thead>
              <tr>
                <th>Prediction label</th>
                <th>Reference label</th>
              </tr>
            </thead>
            <tbody>
              {unmatched.map((l) => (
                <tr key={l}>
                  <td>{l}</td>
                  <td>
                    <select
                      aria-label={`Reference label for ${l}`}
                      value={setup.mapping[l] ?? ''}
                      onChange={(e) => {
                        const mapping = { ...setup.mapping }
                        if (e.target.value) mapping[l] = e.target.value
                        else delete mapping[l]
                        set({ mapping })
                      }}
                    >
                      <option value="">not evaluated</option>
                      {ref.labels.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      <div className="row">
        <button type="submit" disabled={!setup.ref || setup.preds.length === 0 || props.running}>
          {props.running ? 'Evaluating…' : setup.preds.length > 1 ? 'Compare' : 'Evaluate'}
        </button>
        {!setup.ref ? <span className="muted small">Choose a reference, e.g. curated review labels.</span> : null}
      </div>
    </form>
  )
}
