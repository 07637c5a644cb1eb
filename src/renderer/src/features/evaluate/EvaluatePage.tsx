// Evaluate: any prediction source(s) against a reference on the reports both cover, with intervals,
// the side-by-side comparison, agreement, the error browser, the printable report and the exports.
import { useEffect, useState } from 'react'
import type { StoreEvaluation } from '../../../../common/eval'
import { call } from '../../app/api'
import { useCall, useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { AgreementView } from './AgreementView'
import { ErrorBrowser } from './ErrorBrowser'
import { ExportPanel, type ReportRequest } from './ExportPanel'
import { ResultsView, type CellTarget } from './ResultsView'
import { SetupForm, type EvalSetup } from './SetupForm'
import './evaluate.css'

const INITIAL: EvalSetup = { ref: null, preds: [], uncertain: 'exclude', resamples: 1000, seed: 42, mapping: {} }

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

  // Sensible first choice: a curated source as reference, the newest run as prediction.
  useEffect(() => {
    const list = sources.data
    if (!list || setup.ref !== null || list.length < 2) return
    const ref = list.find((s) => s.kind === 'curated') ?? list[0]
    const pred = [...list].reverse().find((s) => s.id !== ref.id && s.kind === 'run') ?? list.find((s) => s.id !== ref.id)
    setSetup((s) => ({ ...s, ref: ref.id, preds: pred ? [pred.id] : [] }))
  }, [sources.data, setup.ref])

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
      setResult(job.result as StoreEvaluation)
      setRequest(pending)
      setCell(null)
      setShowAgreement(false)
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
          {cancelled && !running ? <p className="muted">Evaluation cancelled.</p> : null}
          {result && request ? (
            <>
              <ResultsView ev={result} selected={cell} onCell={setCell} />
              {cell ? (
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
              {request.pred.length >= 2 ? (
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
        </>
      )}
    </>
  )
}
