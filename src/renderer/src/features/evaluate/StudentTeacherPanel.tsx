// Evaluate page: student against teacher in one action. Base model, student (base + adapter) and the
// teacher it learned from, on the curated reference's reports (the llm runs are reused when they exist),
// as a job; then the seed paper's table with paired bootstrap differences and the HTML report.
import { useEffect, useState } from 'react'
import type { Difference, Interval } from '../../../../common/eval'
import type { StudentTeacherResult } from '../../../../common/ipc/calls/training'
import { paperTable } from '../../../../common/training/paper-table'
import { call } from '../../app/api'
import { useCall, useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { SelectField } from '../../ui/SelectField'
import { EmptyState, ErrorBanner } from '../../ui/states'

interface SourceOption {
  id: number
  name: string
  kind: string
}

const f3 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : v.toFixed(3))
const ci = (iv: Interval | null | undefined): string => (iv && iv.low !== null && iv.high !== null ? ` [${iv.low.toFixed(3)}, ${iv.high.toFixed(3)}]` : '')
const signed = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(3)}`)

function DiffCell({ d }: { d: Difference | null }): React.JSX.Element {
  if (!d) return <td className="n">n/a</td>
  const cls = d.ci && d.ci.low !== null && d.ci.high !== null ? (d.ci.low > 0 ? 'up' : d.ci.high < 0 ? 'down' : '') : ''
  return (
    <td className={`n ${cls}`}>
      {signed(d.value)}
      <span className="small muted">{ci(d.ci)}{d.p !== null ? ` p ${d.p < 0.001 ? '< 0.001' : d.p.toFixed(3)}` : ''}</span>
    </td>
  )
}

export function PaperTable({ result }: { result: StudentTeacherResult }): React.JSX.Element {
  const t = paperTable(result)
  const n = result.classification?.nReports ?? result.open?.nReports ?? 0
  return (
    <div className="stack" aria-label="Student against teacher results">
      <p className="small">
        {n} reports of {result.reference}. Runs:{' '}
        {Object.entries(result.runs)
          .flatMap(([task, p]) => [p.base, p.student].map((r) => `${r.name} (${task}, ${r.reused ? 'reused' : 'new'})`))
          .join('; ')}
      </p>
      <table className="data">
        <thead>
          <tr>
            <th>Role</th>
            <th>Source</th>
            <th className="n">Classification micro F1</th>
            <th className="n">Macro F1</th>
            <th className="n">CheXbert weighted F1</th>
            <th className="n">Open-ended micro F1</th>
          </tr>
        </thead>
        <tbody>
          {t.rows.map((r) => (
            <tr key={r.role}>
              <td>{r.role}</td>
              <td>{r.source}</td>
              <td className="n">
                {f3(r.microF1)}
                <span className="small muted">{ci(r.microCi)}</span>
              </td>
              <td className="n">{f3(r.macroF1)}</td>
              <td className="n">{f3(r.chexbertWeightedF1)}</td>
              <td className="n">
                {f3(r.openMicroF1)}
                <span className="small muted">{ci(r.openCi)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="data">
        <thead>
          <tr>
            <th>Paired difference</th>
            <th className="n">Classification micro F1</th>
            <th className="n">Open-ended micro F1</th>
          </tr>
        </thead>
        <tbody>
          {t.differences.map((d) => (
            <tr key={d.what}>
              <td>{d.what}</td>
              <DiffCell d={d.classification} />
              <DiffCell d={d.open} />
            </tr>
          ))}
        </tbody>
      </table>
      {(result.classification?.warnings ?? []).map((w) => (
        <p key={w} className="small muted">
          Note: {w}
        </p>
      ))}
    </div>
  )
}

export function StudentTeacherPanel({ sources }: { sources: SourceOption[] }): React.JSX.Element {
  const models = useCall('models.list', {})
  const adapters = (models.data ?? []).filter((m) => m.kind === 'lora')
  const [student, setStudent] = useState<number>()
  const [teacher, setTeacher] = useState<number>()
  const [ref, setRef] = useState<number>()
  const [threads, setThreads] = useState('')
  const [error, setError] = useState<Error>()
  const [jobId, setJobId] = useState<number>()
  const job = useJob(jobId)
  const running = job?.status === 'running' || job?.status === 'queued'
  const result = job?.status === 'completed' ? (job.result as StudentTeacherResult | null) : null

  // Defaults: the newest adapter with lineage, the source it learned from, a curated reference.
  useEffect(() => {
    if (student !== undefined || adapters.length === 0) return
    const a = [...adapters].reverse().find((m) => m.lineage) ?? adapters[adapters.length - 1]!
    setStudent(a.id)
    const learned = a.lineage?.dataset.source?.name
    const t = sources.find((s) => s.name === learned)
    if (t) setTeacher(t.id)
  }, [adapters, student, sources])
  useEffect(() => {
    if (ref === undefined) setRef(sources.find((s) => s.kind === 'curated')?.id)
  }, [sources, ref])

  const start = async (): Promise<void> => {
    if (student === undefined || teacher === undefined || ref === undefined) return
    setError(undefined)
    const t = threads.trim() ? Number(threads) : undefined
    if (t !== undefined && !(Number.isInteger(t) && t > 0)) {
      setError(new Error(`CPU threads must be a positive whole number, not "${threads}".`))
      return
    }
    try {
      const snapshot = await call('training.compare', { student, teacher, ref, threads: t })
      setJobId(snapshot.id)
    } catch (err) {
      setError(err as Error)
    }
  }
  const openReport = async (): Promise<void> => {
    if (jobId === undefined) return
    try {
      const { html } = await call('training.compareReport', { jobId })
      const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }))
      const a = document.createElement('a')
      a.href = url
      a.download = 'student-against-teacher.html'
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (err) {
      setError(err as Error)
    }
  }

  return (
    <section className="card stack" aria-label="Student against teacher">
      <h2>Student against teacher</h2>
      {models.error ? <ErrorBanner error={models.error} onRetry={models.reload} /> : null}
      {models.data && adapters.length === 0 ? (
        <EmptyState title="No trained adapter yet">
          Train a student on the Models page (or with <code>radlabel train run</code>) and import it with <code>radlabel models import-adapter</code>;
          then compare it here with its teacher and its base model.
        </EmptyState>
      ) : (
        <>
          <p className="small muted">
            Runs the base model and the student (base + adapter) on the reference&apos;s reports, reusing runs that already exist, and compares
            them with the teacher: the seed paper&apos;s table, with paired bootstrap intervals.
          </p>
          <div className="row">
            <SelectField
              label="Student (adapter)"
              value={student}
              onChange={(v) => setStudent(Number(v))}
              emptyLabel="choose…"
              options={adapters.map((a) => ({ value: a.id, label: a.name }))}
            />
            <SelectField
              label="Teacher (weak labels)"
              value={teacher}
              onChange={(v) => setTeacher(Number(v))}
              emptyLabel="choose…"
              options={sources.map((s) => ({ value: s.id, label: s.name }))}
            />
            <SelectField
              label="Reference (curated)"
              value={ref}
              onChange={(v) => setRef(Number(v))}
              emptyLabel="choose…"
              options={sources.map((s) => ({ value: s.id, label: `${s.name} (${s.kind})` }))}
            />
            <label>
              CPU threads
              <input value={threads} onChange={(e) => setThreads(e.target.value)} placeholder="all cores" size={8} />
            </label>
            <button type="button" disabled={running || student === undefined || teacher === undefined || ref === undefined} onClick={() => void start()}>
              {running ? 'Comparing…' : 'Compare'}
            </button>
            {running && jobId !== undefined ? (
              <button type="button" className="secondary" onClick={() => void call('jobs.cancel', { id: jobId }).catch(setError)}>
                Cancel
              </button>
            ) : null}
          </div>
        </>
      )}
      {error ? <ErrorBanner error={error} /> : null}
      {job && running ? <ProgressBar progress={job.progress} /> : null}
      {job?.status === 'failed' ? <ErrorBanner error={job.error ?? 'The comparison failed.'} /> : null}
      {job?.status === 'cancelled' ? <p className="muted">Comparison cancelled.</p> : null}
      {result ? (
        <>
          <PaperTable result={result} />
          <div className="row">
            <button type="button" className="secondary" onClick={() => void openReport()}>
              Download the HTML report
            </button>
          </div>
        </>
      ) : null}
    </section>
  )
}
