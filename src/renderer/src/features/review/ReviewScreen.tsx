// The review screen: one report, one decision per label, keyboard first. Every decision is sent to the
// back end at once, in order (one queue of calls), so a reload or crash loses nothing; undo walks back
// through this session's decisions, across reports.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { DecisionRole, RecentDecision, Reviewer, ReviewQueue, ReviewReport } from '../../../../common/ipc/calls/review'
import { LABEL_STATES, type LabelState } from '../../../../common/types'
import { call } from '../../app/api'
import { href, navigate } from '../../app/router'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'
import { STATE_TEXT } from '../detect/highlight'
import { labelIndexFromKey, labelKey, STATE_KEYS } from './keys'
import { ReportText } from './ReportText'
import { ShortcutHelp } from './ShortcutHelp'
import { ReviewExplain } from '../explain/ExplainPanel'

interface Props {
  setId: number | null
  reportId: number | null
  reviewer: Reviewer | null
  role: DecisionRole
}

interface UndoEntry {
  reportId: number
  labelId: number
  label: string
  previous: LabelState | null
}

const SHORT: Record<LabelState, string> = { positive: 'P', negative: 'N', uncertain: 'U', not_mentioned: '–' }

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
}

export function ReviewScreen({ setId, reportId, reviewer, role }: Props): React.JSX.Element {
  const [report, setReport] = useState<ReviewReport>()
  const [queue, setQueue] = useState<ReviewQueue>()
  const [recent, setRecent] = useState<RecentDecision[]>([])
  const [cursor, setCursor] = useState(0)
  const [undo, setUndo] = useState<UndoEntry[]>([])
  const [pending, setPending] = useState(0)
  const [error, setError] = useState<Error>()
  const [help, setHelp] = useState(false)
  const [comment, setComment] = useState('')
  const [finished, setFinished] = useState(false)
  const commentRef = useRef<HTMLTextAreaElement>(null)
  const chain = useRef<Promise<void>>(Promise.resolve())
  const editable = setId !== null && reviewer !== null

  const [reloadTick, setReloadTick] = useState(0)

  /**
   * Runs calls one after another, in the order the reviewer made them. When a change is refused, the
   * report is read again so the screen shows what is really saved.
   */
  const enqueue = useCallback((fn: () => Promise<unknown>, change = false): Promise<void> => {
    setPending((p) => p + 1)
    const next = chain.current
      .then(async () => {
        await fn()
        if (change) setError(undefined)
      })
      .catch((err: Error) => {
        setError(err)
        if (change) setReloadTick((t) => t + 1)
      })
      .finally(() => setPending((p) => p - 1))
    chain.current = next
    return next
  }, [])

  const loadQueue = useCallback(
    () =>
      setId && reviewer
        ? enqueue(async () => setQueue(await call('review.queue', { setId, reviewerId: reviewer.id, role })))
        : Promise.resolve(),
    [enqueue, setId, reviewer, role]
  )
  const loadRecent = useCallback(
    () => (setId && reviewer && role === 'reader' ? enqueue(async () => setRecent(await call('review.recent', { setId, reviewerId: reviewer.id }))) : Promise.resolve()),
    [enqueue, setId, reviewer, role]
  )

  useEffect(() => {
    void loadQueue()
    void loadRecent()
  }, [loadQueue, loadRecent])

  // the set without a report: open the first report still open to this reviewer
  useEffect(() => {
    if (setId && !reportId && queue) {
      const first = queue.items.find((i) => !i.done) ?? queue.items[0]
      if (first) navigate('/review', { set: setId, report: first.reportId, as: role === 'adjudicator' ? 'adjudicator' : undefined })
    }
  }, [setId, reportId, queue, role])

  useEffect(() => {
    if (!reportId) return
    setFinished(false)
    void enqueue(async () => {
      const r = await call('review.report', { reportId, setId: setId ?? undefined, reviewerId: reviewer?.id, role })
      setReport((old) => {
        // a reload after a refused change keeps the cursor where it was
        if (old?.reportId !== r.reportId) {
          const firstOpen = role === 'adjudicator' ? r.labels.findIndex((l) => l.disagreement) : 0
          setCursor(Math.max(0, firstOpen))
          setError(undefined)
        }
        return r
      })
      setComment(r.comment ?? '')
    })
  }, [enqueue, reportId, setId, reviewer, role, reloadTick])

  const goTo = useCallback(
    (id: number) => navigate('/review', { set: setId ?? undefined, report: id, as: role === 'adjudicator' ? 'adjudicator' : undefined }),
    [setId, role]
  )

  const decide = useCallback(
    (index: number, state: LabelState | null, advance = true) => {
      if (!editable || !report || !reviewer || !setId) return
      const label = report.labels[index]
      if (!label) return
      if (label.decision === state) {
        if (advance) setCursor((c) => nextCursor(report, c, 1, role))
        return
      }
      setUndo((u) => [...u.slice(-199), { reportId: report.reportId, labelId: label.labelId, label: label.name, previous: label.decision }])
      setReport({ ...report, labels: report.labels.map((l, i) => (i === index ? { ...l, decision: state } : l)) })
      void enqueue(() => call('review.decide', { setId, reportId: report.reportId, labelId: label.labelId, reviewerId: reviewer.id, role, state }), true)
      void loadRecent()
      if (advance) setCursor(nextCursor(report, index, 1, role))
    },
    [editable, report, reviewer, setId, role, enqueue, loadRecent]
  )

  const undoLast = useCallback(() => {
    const last = undo[undo.length - 1]
    if (!last || !reviewer || !setId) return
    setUndo(undo.slice(0, -1))
    void enqueue(() => call('review.decide', { setId, reportId: last.reportId, labelId: last.labelId, reviewerId: reviewer.id, role, state: last.previous }), true)
    void loadRecent()
    if (report && last.reportId === report.reportId) {
      const index = report.labels.findIndex((l) => l.labelId === last.labelId)
      setReport({ ...report, labels: report.labels.map((l, i) => (i === index ? { ...l, decision: last.previous } : l)) })
      setCursor(index)
    } else goTo(last.reportId)
  }, [undo, reviewer, setId, role, enqueue, loadRecent, report, goTo])

  const step = useCallback(
    (delta: number) => {
      if (!queue || !report) return
      const i = queue.items.findIndex((it) => it.reportId === report.reportId)
      const next = queue.items[i + delta]
      if (next) goTo(next.reportId)
    },
    [queue, report, goTo]
  )

  const completeAndNext = useCallback(() => {
    if (!editable || !report || !reviewer || !setId) return
    const current = report.reportId
    void enqueue(async () => {
      await call('review.complete', { setId, reportId: current, reviewerId: reviewer.id, role }).catch((err: Error) => {
        setReloadTick((t) => t + 1)
        throw err
      })
      const q = await call('review.queue', { setId, reviewerId: reviewer.id, role })
      setQueue(q)
      const i = q.items.findIndex((it) => it.reportId === current)
      const after = [...q.items.slice(i + 1), ...q.items.slice(0, Math.max(0, i))].find((it) => !it.done)
      if (after) goTo(after.reportId)
      else setFinished(true)
    })
    void loadRecent()
  }, [editable, report, reviewer, setId, role, enqueue, goTo, loadRecent])

  const saveNote = useCallback(
    (patch: { flagged?: boolean; comment?: string | null }) => {
      if (!editable || !report || !reviewer || !setId) return
      const reportId = report.reportId
      void enqueue(async () => {
        const n = await call('review.note', { setId, reportId, reviewerId: reviewer.id, ...patch })
        setReport((r) => (r && r.reportId === reportId ? { ...r, flagged: n.flagged, comment: n.comment } : r))
        setQueue((q) => q && { ...q, items: q.items.map((it) => (it.reportId === reportId ? { ...it, flagged: n.flagged } : it)) })
      })
    },
    [editable, report, reviewer, setId, enqueue]
  )

  // one keyboard handler; it reads the latest state through a ref
  const handler = useRef<(e: KeyboardEvent) => void>(() => {})
  handler.current = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      if (help) setHelp(false)
      if (isTyping(e.target)) (e.target as HTMLElement).blur()
      return
    }
    if (isTyping(e.target) || e.altKey || e.metaKey) return
    if (e.ctrlKey) {
      if (e.key === 'z') {
        e.preventDefault()
        undoLast()
      }
      return
    }
    if (e.key === '?') {
      setHelp((h) => !h)
      e.preventDefault()
      return
    }
    if (!report) return
    const n = report.labels.length
    const index = labelIndexFromKey(e)
    if (index !== null) {
      if (index < n) setCursor(index)
      e.preventDefault()
      return
    }
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
    if (key in STATE_KEYS && !e.shiftKey) {
      decide(cursor, STATE_KEYS[key])
    } else if ((key === 'a' || key === 'b') && role === 'adjudicator') {
      const reader = report.labels[cursor]?.readers?.[key === 'a' ? 0 : 1]
      if (reader) decide(cursor, reader.state)
    } else if (key === 'ArrowDown' || key === 'j') {
      setCursor(nextCursor(report, cursor, 1, role))
    } else if (key === 'ArrowUp' || key === 'k') {
      setCursor(nextCursor(report, cursor, -1, role))
    } else if (key === 'Backspace' || key === 'Delete') {
      decide(cursor, null, false)
    } else if (key === 'Enter') {
      completeAndNext()
    } else if (key === 'ArrowRight' || key === ']') {
      step(1)
    } else if (key === 'ArrowLeft' || key === '[') {
      step(-1)
    } else if (key === 'z') {
      undoLast()
    } else if (key === 'f') {
      saveNote({ flagged: !report.flagged })
    } else if (key === 'c') {
      commentRef.current?.focus()
    } else return
    e.preventDefault()
  }
  useEffect(() => {
    const listener = (e: KeyboardEvent): void => handler.current(e)
    window.addEventListener('keydown', listener)
    return () => window.removeEventListener('keydown', listener)
  }, [])

  if (setId && !reportId) {
    if (error) return <ErrorBanner error={error} />
    if (queue && queue.items.length === 0) {
      return (
        <EmptyState title={role === 'adjudicator' ? 'Nothing to adjudicate' : 'No report open to you in this set'}>
          {role === 'adjudicator'
            ? 'Disagreements appear here once two readers have completed a report; you cannot adjudicate reports you read.'
            : 'Every report already has as many readers as the set asks for.'}{' '}
          <a href={href('/review')}>Back to the review sets</a>
        </EmptyState>
      )
    }
    return <Loading what="your queue" />
  }
  if (!report) return error ? <ErrorBanner error={error} /> : <Loading what="report" />

  const position = queue ? queue.items.findIndex((it) => it.reportId === report.reportId) : -1
  return (
    <div className="review-screen">
      <div className="review-top row">
        {queue ? (
          <div className="grow">
            <ProgressBar progress={{ done: queue.done, total: queue.items.length, unit: role === 'adjudicator' ? 'reports adjudicated' : 'reports done' }} />
          </div>
        ) : null}
        <span className="small">
          {position >= 0 && queue ? `Report ${position + 1} of ${queue.items.length}` : null} · <span className="mono">{report.reportKey}</span>
          {report.studyDate ? ` · ${report.studyDate}` : ''}
          {report.completedAt ? <span className="ok"> · done</span> : null}
          {report.flagged ? <span className="warn"> · flagged</span> : null}
        </span>
        <span role="status" aria-live="polite" className={`small review-save ${pending ? 'muted' : 'ok'}`}>
          {pending ? 'Saving…' : 'All changes saved'}
        </span>
        <button className="secondary small" onClick={() => setHelp(true)}>
          Shortcuts <kbd>?</kbd>
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {finished ? (
        <div className="card ok" role="status">
          {role === 'adjudicator' ? 'Every disagreement in your queue is settled.' : 'Every report of your queue is done.'}{' '}
          <a href={href('/review')}>Back to the review sets</a>
        </div>
      ) : null}
      <div className="review-body">
        <div className="stack">
          <ReportText report={report} focusLabelId={report.labels[cursor]?.labelId ?? null} />
          {editable ? (
            <label className="small">
              <span>
                Comment (<kbd>c</kbd>)
              </span>
              <textarea
                ref={commentRef}
                rows={2}
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                onBlur={() => comment !== (report.comment ?? '') && saveNote({ comment })}
              />
            </label>
          ) : null}
        </div>
        <div className="stack">
          <LabelList report={report} cursor={cursor} role={role} editable={editable} onCursor={setCursor} onDecide={(i, s) => decide(i, s, false)} />
          <ReviewExplain reportId={report.reportId} sourceIds={report.highlights.map((h) => h.sourceId)} label={report.labels[cursor]?.name ?? null} />
          {editable && role === 'reader' ? <RecentList recent={recent} onOpen={goTo} onChange={(d, s) => changeRecent(d, s)} /> : null}
        </div>
      </div>
      {help ? <ShortcutHelp role={role} onClose={() => setHelp(false)} /> : null}
    </div>
  )

  function changeRecent(d: RecentDecision, state: LabelState): void {
    if (!reviewer || !setId || !report) return
    if (d.reportId === report.reportId) {
      decide(
        report.labels.findIndex((l) => l.labelId === d.labelId),
        state,
        false
      )
      return
    }
    setUndo((u) => [...u, { reportId: d.reportId, labelId: d.labelId, label: d.label, previous: d.state }])
    void enqueue(() => call('review.decide', { setId, reportId: d.reportId, labelId: d.labelId, reviewerId: reviewer.id, role, state }))
    void loadRecent()
  }
}

/** The next label the cursor visits; the adjudicator moves among the disagreements only. */
function nextCursor(report: ReviewReport, from: number, delta: 1 | -1, role: DecisionRole): number {
  const n = report.labels.length
  for (let i = from + delta; i >= 0 && i < n; i += delta) {
    if (role !== 'adjudicator' || report.labels[i].disagreement) return i
  }
  return from
}

function LabelList({
  report,
  cursor,
  role,
  editable,
  onCursor,
  onDecide
}: {
  report: ReviewReport
  cursor: number
  role: DecisionRole
  editable: boolean
  onCursor(i: number): void
  onDecide(i: number, s: LabelState): void
}): React.JSX.Element {
  const sources = report.highlights
  return (
    <ol className="review-labels" aria-label="Labels">
      {report.labels.map((l, i) => {
        const shown = l.decision ?? l.prefill
        const dim = role === 'adjudicator' && !l.disagreement
        return (
          <li
            key={l.labelId}
            className={`${i === cursor ? 'current' : ''} ${dim ? 'dim' : ''} ${l.decision ? 'decided' : ''}`}
            aria-current={i === cursor ? 'true' : undefined}
            data-label={l.name}
            data-state={l.decision ?? ''}
            onClick={() => onCursor(i)}
          >
            <span className="review-key">{labelKey(i) ? <kbd>{labelKey(i)}</kbd> : null}</span>
            <span className="review-label-name">{l.name}</span>
            {editable ? (
              <span className="review-states" role="group" aria-label={`${l.name} state`}>
                {LABEL_STATES.map((s) => (
                  <button
                    key={s}
                    type="button"
                    tabIndex={-1}
                    className={`state-btn state-${s} ${l.decision === s ? 'on' : !l.decision && l.prefill === s ? 'prefill' : ''}`}
                    aria-pressed={l.decision === s}
                    title={`${STATE_TEXT[s]}${!l.decision && l.prefill === s ? ' (pre-filled)' : ''}`}
                    onClick={(e) => {
                      e.stopPropagation()
                      onDecide(i, s)
                    }}
                  >
                    {SHORT[s]}
                  </button>
                ))}
              </span>
            ) : null}
            {!editable && shown ? <span className={`state-${shown}`}>{STATE_TEXT[shown]}</span> : null}
            {l.readers ? (
              <span className="small review-readers">
                {l.readers.map((r, k) => (
                  <span key={r.reviewerId} className={`state-${r.state}`} title={r.reviewer}>
                    {k === 0 ? 'A' : 'B'}: {STATE_TEXT[r.state]}{' '}
                  </span>
                ))}
              </span>
            ) : null}
            {sources.length ? (
              <span className="small review-source-states">
                {sources.map((s) => {
                  const st = s.labels.find((x) => x.labelId === l.labelId)?.state
                  return st && st !== 'not_mentioned' ? (
                    <mark key={s.sourceId} className={`hl hl-${s.colour}`} title={s.name}>
                      {STATE_TEXT[st]}
                    </mark>
                  ) : null
                })}
              </span>
            ) : null}
          </li>
        )
      })}
    </ol>
  )
}

function RecentList({
  recent,
  onOpen,
  onChange
}: {
  recent: RecentDecision[]
  onOpen(reportId: number): void
  onChange(d: RecentDecision, s: LabelState): void
}): React.JSX.Element {
  return (
    <section className="review-recent" aria-label="Recent decisions">
      <h3 className="small">Recent decisions</h3>
      {recent.length === 0 ? <p className="small muted">None yet. Not-mentioned labels are left out.</p> : null}
      <table className="data small">
        <tbody>
          {recent.map((d) => (
            <tr key={`${d.reportId}-${d.labelId}`}>
              <td>
                <button className="link" onClick={() => onOpen(d.reportId)}>
                  {d.reportKey}
                </button>
              </td>
              <td>{d.label}</td>
              <td>
                <select aria-label={`${d.reportKey} ${d.label}`} value={d.state} onChange={(e) => onChange(d, e.target.value as LabelState)}>
                  {LABEL_STATES.map((s) => (
                    <option key={s} value={s}>
                      {STATE_TEXT[s]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
