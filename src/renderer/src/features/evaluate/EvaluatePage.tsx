// Evaluate: any prediction source(s) against a reference on the reports both cover, with intervals,
// the side-by-side comparison, agreement, the error browser, the printable report and the exports.
import { useEffect, useRef, useState } from 'react'
import { defaultEvaluationSources, type StoreEvaluation } from '../../../../common/eval'
import type { EvalSourceSummary, EvaluationRequest, SavedEvaluation } from '../../../../common/ipc/calls/evaluate'
import { call } from '../../app/api'
import { useCall, useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { AgreementView } from './AgreementView'
import { CompareView } from './CompareView'
import { HistoryPanel } from './HistoryPanel'
import { ErrorBrowser } from './ErrorBrowser'
import { ExportPanel, type ReportRequest } from './ExportPanel'
import { ResultsView, type CellTarget } from './ResultsView'
import { SetupForm, type EvalSetup } from './SetupForm'
import { StudentTeacherPanel } from './StudentTeacherPanel'
import './evaluate.css'

const INITIAL: EvalSetup = { ref: null, preds: [], uncertain: 'exclude', resamples: 1000, seed: 42, mapping: {} }

/** The form as a saved evaluation asked for it (sources that no longer exist are left out). */
function setupFrom(request: EvaluationRequest, sources: EvalSourceSummary[]): { setup: EvalSetup; request: ReportRequest | null } {
  const idOf = (ref: number | string): number | undefined => (typeof ref === 'number' ? sources.find((s) => s.id === ref) : sources.find((s) => s.name === ref))?.id
  const ref = idOf(request.ref)
  const preds = request.pred.map(idOf).filter((id): id is number => id !== undefined)
  const setup: EvalSetup = {
    ref: ref ?? null,
    preds,
    uncertain: request.uncertain ?? 'exclude',
    resamples: request.resamples ?? 1000,
    seed: request.seed ?? 42,
    mapping: request.mapping ?? {}
  }
  if (ref === undefined || preds.length !== request.pred.length) return { setup, request: null }
  return { setup, request: { pred: preds, ref, uncertain: setup.uncertain, mapping: request.mapping, resamples: setup.resamples, seed: setup.seed } }
}

export function EvaluatePage(): React.JSX.Element {
  const sources = useCall('evaluate.sources', {})
  const [setup, setSetup] = useState<EvalSetup>(INITIAL)
  const [request, setRequest] = useState<ReportRequest | null>(null)
  const [result, setResult] = useState<StoreEvaluation | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [running, setRunning] = useState(false)
  const [jobId, setJobId] = useState<number | null>(null)
  const [pending, setPending] = useState<ReportRequest | null>(null)
  const [cancelled, setCancelled] = useState(false)
  const job = useJob(jobId)
  const [cell, setCell] = useState<CellTarget | null>(null)
  const [showAgreement, setShowAgreement] = useState(false)
  const history = useCall('evaluate.history.list', {})
  const [shownId, setShownId] = useState<number | null>(null)
  const [compare, setCompare] = useState<number[]>([])
  const [comparing, setComparing] = useState<[number, number] | null>(null)
  const initialised = useRef(false)

  const show = (id: number, ev: StoreEvaluation, req: ReportRequest | null): void => {
    setShownId(id)
    setResult(ev)
    setRequest(req)
    setCell(null)
    setShowAgreement(false)
  }

  const openSaved = async (id: number, restoreForm: boolean): Promise<void> => {
    try {
      const entry = await call('evaluate.history.get', { id })
      const restored = setupFrom(entry.request, sources.data ?? [])
      if (restoreForm) setSetup(restored.setup)
      show(id, entry.result, restored.request)
      setError(null)
    } catch (err) {
      setError(err as Error)
    }
  }

  // First visit: reopen the latest evaluation (results do not vanish when you leave the page) with its
  // settings; with no history, propose a reference that is big enough and the newest completed run.
  useEffect(() => {
    const list = sources.data
    if (initialised.current || !list || !history.data) return
    initialised.current = true
    if (history.data.length) void openSaved(history.data[0].id, true)
    else setSetup((s) => ({ ...s, ...defaultEvaluationSources(list) }))
  }, [sources.data, history.data])

  const runEval = async () => {
    if (setup.ref === null || setup.preds.length === 0) return
    const req: ReportRequest = {
      pred: setup.preds,
      ref: setup.ref,
      uncertain: setup.uncertain,
      mapping: Object.keys(setup.mapping).length ? setup.mapping : undefined,
      resamples: setup.resamples,
      seed: setup.seed
    }
    setRunning(true)
    setError(null)
    setCancelled(false)
    try {
      // A job (progress, cancel); the effect below takes its result when it completes.
      const snapshot = await call('evaluate.start', req)
      setPending(req)
      setJobId(snapshot.id)
    } catch (err) {
      setError(err as Error)
      setRunning(false)
    }
  }

  useEffect(() => {
    if (!job || job.id !== jobId || job.status === 'running' || job.status === 'queued') return
    if (job.status === 'completed' && job.result) {
      const saved = job.result as SavedEvaluation
      show(saved.historyId, saved, pending)
      history.reload()
    } else if (job.status === 'failed') {
      setError(new Error(job.error ?? 'The evaluation failed.'))
    } else if (job.status === 'cancelled' || job.status === 'paused' || job.status === 'interrupted') {
      setCancelled(true)
    }
    setJobId(null)
    setRunning(false)
  }, [job, jobId, pending])

  if (sources.loading && !sources.data) return <Loading what="label sources" />
  if (sources.error) return <ErrorBanner error={sources.error} onRetry={sources.reload} />
  const list = sources.data ?? []

  return (
    <>
      <PageHeader title="Evaluate" />
      {list.length < 2 ? (
        <EmptyState title="Two label sources are needed">
          Evaluation compares a prediction source (a labeler run or imported labels) with a reference (curated review labels or imported
          gold labels). This workspace has {list.length === 0 ? 'no label sources yet' : 'only one'}: run a labeler, import labels or
          finish a review first.
        </EmptyState>
      ) : (
        <>
          <div className="eval-setup">
            <SetupForm sources={list} setup={setup} onChange={setSetup} onRun={runEval} running={running} />
          </div>
          {error ? <ErrorBanner error={error} onRetry={runEval} /> : null}
          {running ? (
            <div className="card">
              {job ? <ProgressBar progress={job.progress} /> : <Loading what="evaluation" />}
              {jobId !== null ? (
                <button type="button" className="secondary" onClick={() => void call('jobs.cancel', { id: jobId }).catch(setError)}>
                  Cancel
                </button>
              ) : null}
            </div>
          ) : null}
          {cancelled && !running ? <p className="muted">Evaluation cancelled; nothing was saved.</p> : null}
          <HistoryPanel
            entries={history.data ?? []}
            openId={shownId}
            compare={compare}
            onOpen={(id) => void openSaved(id, true)}
            onDelete={(id) => {
              call('evaluate.history.delete', { id })
                .then(() => {
                  setCompare((c) => c.filter((x) => x !== id))
                  if (comparing?.includes(id)) setComparing(null)
                  if (id === shownId) {
                    setShownId(null)
                    setResult(null)
                    setRequest(null)
                  }
                  history.reload()
                })
                .catch(setError)
            }}
            onToggleCompare={(id) => setCompare((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c.slice(-1), id]))}
            onCompare={() => compare.length === 2 && setComparing([compare[0], compare[1]])}
          />
          {comparing ? <CompareView key={comparing.join('-')} ids={comparing} onClose={() => setComparing(null)} /> : null}
          {result && !request ? (
            <p className="warn small" role="note">
              A source of this saved evaluation no longer exists: its figures are shown as they were, without the lists of reports.
            </p>
          ) : null}
          {result ? (
            <>
              <ResultsView ev={result} selected={cell} onCell={request ? setCell : undefined} />
              {cell && request ? (
                <ErrorBrowser
                  key={`${cell.source}-${cell.label}-${cell.outcome}`}
                  target={cell}
                  query={{
                    pred: request.pred[cell.source],
                    ref: request.ref,
                    uncertain: request.uncertain,
                    mapping: request.mapping,
                    alsoCoveredBy: request.pred.filter((_, i) => i !== cell.source)
                  }}
                  predName={result.predictions[cell.source].name}
                  refName={result.reference.name}
                  onClose={() => setCell(null)}
                />
              ) : null}
              {request && request.pred.length >= 2 ? (
                showAgreement ? (
                  <AgreementView
                    a={request.pred[0]}
                    b={request.pred[1]}
                    uncertain={request.uncertain}
                    resamples={request.resamples}
                    seed={request.seed}
                  />
                ) : (
                  <div className="card eval-export-card">
                    <button type="button" className="secondary" onClick={() => setShowAgreement(true)}>
                      Agreement (Cohen&apos;s kappa) between {result.predictions[0].name} and {result.predictions[1].name}
                    </button>
                  </div>
                )
              ) : null}
            </>
          ) : null}
          <div className="eval-export-card">
            <ExportPanel request={request} sources={list} />
          </div>
          <StudentTeacherPanel sources={list} />
        </>
      )}
    </>
  )
}
