// Which reports a run labels: all, a review set, the reports another source has not labelled, or a
// list of report ids; then optionally only the first N or a seeded random sample of N. Shows, as the
// user edits, how many reports match and how many the run will label (detect.scopeCount).
import { useEffect, useState } from 'react'
import type { RunScope } from '../../../../common/ipc/calls/detect'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'

export type ScopeBase = 'all' | 'reviewSet' | 'unlabelledBy' | 'ids'
export type ScopePick = 'all' | 'first' | 'sample'

export interface ScopeValue {
  base: ScopeBase
  reviewSet?: number
  unlabelledBy?: number
  ids: string
  pick: ScopePick
  n: number
  seed: number
}

export const DEFAULT_SCOPE: ScopeValue = { base: 'all', ids: '', pick: 'all', n: 50, seed: 1 }

/** The run scope of the form's value; undefined while the form is incomplete (nothing chosen yet). */
export function toRunScope(v: ScopeValue): RunScope | undefined {
  const scope: RunScope = {}
  if (v.base === 'reviewSet') {
    if (v.reviewSet === undefined) return undefined
    scope.reviewSet = v.reviewSet
  } else if (v.base === 'unlabelledBy') {
    if (v.unlabelledBy === undefined) return undefined
    scope.unlabelledBy = v.unlabelledBy
  } else if (v.base === 'ids') {
    const keys = v.ids
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean)
    if (keys.length === 0) return undefined
    scope.reportKeys = keys
  }
  if (v.pick === 'first') scope.limit = Math.max(1, Math.floor(v.n))
  if (v.pick === 'sample') scope.sample = { size: Math.max(1, Math.floor(v.n)), seed: Math.max(0, Math.floor(v.seed)) }
  return scope
}

export function ScopeFields({ value, onChange }: { value: ScopeValue; onChange(v: ScopeValue): void }): React.JSX.Element {
  const sets = useCall('review.sets.list', {})
  const sources = useCall('evaluate.sources', {})
  const set = (patch: Partial<ScopeValue>): void => onChange({ ...value, ...patch })
  const scope = toRunScope(value)
  const [count, setCount] = useState<{ matching: number; chosen: number } | Error | null>(null)
  const key = JSON.stringify(scope ?? null)

  useEffect(() => {
    if (!scope) {
      setCount(null)
      return
    }
    let live = true
    const timer = setTimeout(() => {
      call('detect.scopeCount', { scope })
        .then((c) => live && setCount(c))
        .catch((e: Error) => live && setCount(e))
    }, 250)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [key])

  return (
    <fieldset className="card stack" aria-label="Reports to label">
      <legend>Reports to label</legend>
      <div className="row">
        <label>
          Which reports
          <select aria-label="Which reports" value={value.base} onChange={(e) => set({ base: e.target.value as ScopeBase })}>
            <option value="all">Every report in the workspace</option>
            <option value="reviewSet">The reports of a review set</option>
            <option value="unlabelledBy">Reports another source has not labelled</option>
            <option value="ids">Listed report ids</option>
          </select>
        </label>
        {value.base === 'reviewSet' ? (
          <label>
            Review set
            <select aria-label="Review set" value={value.reviewSet ?? ''} onChange={(e) => set({ reviewSet: e.target.value ? Number(e.target.value) : undefined })}>
              <option value="">{sets.data?.length ? 'Choose a review set…' : 'No review sets yet'}</option>
              {(sets.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {value.base === 'unlabelledBy' ? (
          <label>
            Not labelled by
            <select aria-label="Not labelled by" value={value.unlabelledBy ?? ''} onChange={(e) => set({ unlabelledBy: e.target.value ? Number(e.target.value) : undefined })}>
              <option value="">{sources.data?.length ? 'Choose a source…' : 'No label sources yet'}</option>
              {(sources.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.kind}, {s.reportCount.toLocaleString()} reports)
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          How many
          <select aria-label="How many" value={value.pick} onChange={(e) => set({ pick: e.target.value as ScopePick })}>
            <option value="all">All of them</option>
            <option value="first">Only the first N</option>
            <option value="sample">A random sample of N</option>
          </select>
        </label>
        {value.pick !== 'all' ? (
          <label>
            N
            <input aria-label="Number of reports" type="number" min={1} value={value.n} onChange={(e) => set({ n: Number(e.target.value) })} />
          </label>
        ) : null}
        {value.pick === 'sample' ? (
          <label>
            Seed
            <input aria-label="Seed" type="number" min={0} value={value.seed} onChange={(e) => set({ seed: Number(e.target.value) })} />
            <span className="small muted">The same seed gives the same sample.</span>
          </label>
        ) : null}
      </div>
      {value.base === 'ids' ? (
        <label>
          Report ids (one per line, or separated by commas)
          <textarea aria-label="Report ids" rows={3} value={value.ids} onChange={(e) => set({ ids: e.target.value })} placeholder="ACC0001&#10;ACC0002" />
        </label>
      ) : null}
      <p className="small muted" aria-live="polite" data-testid="scope-count">
        {count === null
          ? scope
            ? 'Counting…'
            : 'Choose which reports to label.'
          : count instanceof Error
            ? <span className="error">{count.message}</span>
            : count.chosen === count.matching
              ? `${count.chosen.toLocaleString()} report${count.chosen === 1 ? '' : 's'} will be labelled.`
              : `${count.chosen.toLocaleString()} of ${count.matching.toLocaleString()} matching reports will be labelled.`}
      </p>
    </fieldset>
  )
}
