// Finding reports: text search and filters answered by the back end a page at a time; the list is
// virtualised, so 100,000 matches scroll as smoothly as 100. Opening a row goes to the review screen.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { FoundReport } from '../../../../common/ipc/calls/review'
import { LABEL_STATES, type LabelState } from '../../../../common/types'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { href, navigate } from '../../app/router'
import { ErrorBanner } from '../../ui/states'
import { STATE_TEXT } from '../detect/highlight'
import { SelectField } from '../../ui/SelectField'

const PAGE = 200
const ROW_HEIGHT = 44

interface Filters {
  search: string
  setId?: number
  sourceId?: number
  labelId?: number
  state?: LabelState
  reviewerId?: number
  disagreement: boolean
}

export function Finder({ initialSetId }: { initialSetId: number | null }): React.JSX.Element {
  const [filters, setFilters] = useState<Filters>({ search: '', setId: initialSetId ?? undefined, disagreement: false })
  const [search, setSearch] = useState('')
  const sets = useCall('review.sets.list', {})
  const sources = useCall('evaluate.sources', {})
  const reviewers = useCall('review.reviewers.list', {})
  const set = sets.data?.find((s) => s.id === filters.setId)
  const source = sources.data?.find((s) => s.id === filters.sourceId)
  const labelSetRef = source ? `${source.labelSet}@${source.labelSetVersion}` : set ? set.labelSetId : 'chexpert14'
  const labels = useCall('labelsets.get', { ref: labelSetRef })

  // search as you type, a moment after the last key
  useEffect(() => {
    const t = setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 250)
    return () => clearTimeout(t)
  }, [search])

  const update = (patch: Partial<Filters>): void => setFilters((f) => ({ ...f, ...patch }))
  const num = (v: string): number | undefined => (v ? Number(v) : undefined)
  return (
    <div className="stack">
      <p>
        <a href={href('/review')}>Review sets</a>
      </p>
      <form className="row card" aria-label="Find reports" onSubmit={(e) => e.preventDefault()}>
        <label className="stack grow">
          Search text or id
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="e.g. effusion" />
        </label>
        <SelectField
          className="stack"
          label="Review set"
          value={filters.setId}
          onChange={(v) => update({ setId: num(v) })}
          emptyLabel="(whole workspace)"
          options={(sets.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <SelectField
          className="stack"
          label="Source"
          value={filters.sourceId}
          onChange={(v) => update({ sourceId: num(v), labelId: undefined })}
          emptyLabel="(review decisions)"
          options={(sources.data ?? []).map((s) => ({ value: s.id, label: s.complete ? s.name : `${s.name} (incomplete)` }))}
        />
        <SelectField
          className="stack"
          label="Label"
          value={filters.labelId}
          onChange={(v) => update({ labelId: num(v) })}
          emptyLabel="(any)"
          options={(labels.data?.labels ?? []).map((l) => ({ value: l.id, label: l.name }))}
        />
        <label className="stack">
          State
          <select value={filters.state ?? ''} onChange={(e) => update({ state: (e.target.value || undefined) as LabelState | undefined })}>
            <option value="">(any)</option>
            {LABEL_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_TEXT[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          Reviewer
          <select value={filters.reviewerId ?? ''} onChange={(e) => update({ reviewerId: num(e.target.value) })}>
            <option value="">(any)</option>
            {(reviewers.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.disagreement} onChange={(e) => update({ disagreement: e.target.checked })} /> Readers disagree
        </label>
      </form>
      <Results filters={filters} />
    </div>
  )
}

function Results({ filters }: { filters: Filters }): React.JSX.Element {
  const [total, setTotal] = useState<number>()
  const [pages, setPages] = useState<Map<number, FoundReport[]>>(new Map())
  const [error, setError] = useState<Error>()
  const requested = useRef(new Set<number>())
  const parentRef = useRef<HTMLDivElement>(null)
  const query = useMemo(
    () => ({
      search: filters.search || undefined,
      setId: filters.setId,
      sourceId: filters.sourceId,
      labelId: filters.state ? filters.labelId : undefined,
      state: filters.labelId ? filters.state : undefined,
      reviewerId: filters.reviewerId,
      disagreement: filters.disagreement || undefined
    }),
    [filters]
  )
  const generation = useRef(0)

  const load = (page: number): void => {
    if (requested.current.has(page)) return
    requested.current.add(page)
    const gen = generation.current
    call('review.find', { ...query, offset: page * PAGE, limit: PAGE })
      .then((res) => {
        if (gen !== generation.current) return
        setTotal(res.total)
        setPages((p) => new Map(p).set(page, res.items))
      })
      .catch((err: Error) => gen === generation.current && setError(err))
  }

  useEffect(() => {
    generation.current++
    requested.current = new Set()
    setPages(new Map())
    setTotal(undefined)
    setError(undefined)
    load(0)
  }, [query])

  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 })
  const items = virtualizer.getVirtualItems()
  useEffect(() => {
    for (const it of items) {
      const page = Math.floor(it.index / PAGE)
      if (!pages.has(page)) load(page)
    }
  })

  const open = (r: FoundReport): void => navigate('/review', { report: r.id, set: filters.setId })
  return (
    <section className="stack" aria-label="Matching reports">
      {error ? <ErrorBanner error={error} /> : null}
      <div className="small muted" role="status">
        {total === undefined ? 'Searching…' : `${total.toLocaleString()} report(s)`}
      </div>
      <div ref={parentRef} className="review-finder" tabIndex={0}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = pages.get(Math.floor(it.index / PAGE))?.[it.index % PAGE]
            return (
              <div
                key={it.key}
                className="review-finder-row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}
              >
                {r ? (
                  <button className="link review-finder-open" onClick={() => open(r)}>
                    <span className="mono">{r.reportKey}</span>
                    {r.studyDate ? <span className="muted small"> {r.studyDate}</span> : null}
                    <span className="muted small ellipsis"> {r.preview}</span>
                  </button>
                ) : (
                  <span className="muted small">…</span>
                )}
              </div>
            )
          })}
        </div>
      </div>
    </section>
  )
}
