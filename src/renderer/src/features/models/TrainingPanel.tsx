// Models page: train a student. Starts a training kit's train.py as a job (kind 'train') and watches it:
// step of total, loss, tokens/s, ETA; Cancel kills the process; a failure shows train.py's own message.
// The kit comes from `radlabel train prepare` (see docs/training.md).
import { useState } from 'react'
import { TRAIN_DEVICE_CHOICES } from '../../../../common/ipc/calls/training'
import { call } from '../../app/api'
import { useJob } from '../../app/hooks'
import { ProgressBar } from '../../ui/ProgressBar'
import { SelectField } from '../../ui/SelectField'
import { ErrorBanner } from '../../ui/states'

interface TrainResult {
  adapterDir: string
  steps: number
  finalTrainLoss: number | null
  finalValLoss: number | null
  wallSeconds: number
  device: string
  changedFiles: string[]
}

const loss = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(4))

export function TrainingPanel(): React.JSX.Element {
  const [kit, setKit] = useState('')
  const [device, setDevice] = useState<(typeof TRAIN_DEVICE_CHOICES)[number]>('auto')
  const [maxSteps, setMaxSteps] = useState('')
  const [python, setPython] = useState('')
  const [error, setError] = useState<Error>()
  const [jobId, setJobId] = useState<number>()
  const job = useJob(jobId)
  const running = job?.status === 'running' || job?.status === 'queued'

  const start = async (): Promise<void> => {
    setError(undefined)
    const steps = maxSteps.trim() ? Number(maxSteps) : undefined
    if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
      setError(new Error(`Max steps must be a positive whole number, not "${maxSteps}".`))
      return
    }
    try {
      const snapshot = await call('training.start', { kitPath: kit.trim(), device, maxSteps: steps, pythonPath: python.trim() || undefined })
      setJobId(snapshot.id)
    } catch (err) {
      setError(err as Error)
    }
  }
  const result = job?.status === 'completed' ? (job.result as TrainResult | null) : null

  return (
    <form
      className="card stack"
      aria-label="Train a student"
      onSubmit={(e) => {
        e.preventDefault()
        void start()
      }}
    >
      <h2>Train a student (LoRA)</h2>
      <p className="small muted">
        Fine-tunes a LoRA adapter on a training kit made by <code>radlabel train prepare</code> (labels, prompts, the paper&apos;s settings).
        On a GPU server, run the kit&apos;s own <code>train.py</code> instead (its README says how).
      </p>
      <div className="row">
        <label className="grow">
          Training kit folder
          <input value={kit} onChange={(e) => setKit(e.target.value)} placeholder="/data/radlabel/kit" disabled={running} />
        </label>
        <SelectField
          label="Device"
          value={device}
          onChange={(v) => setDevice(v as typeof device)}
          options={TRAIN_DEVICE_CHOICES.map((d) => ({ value: d, label: d === 'auto' ? 'auto (GPU if any)' : d }))}
        />
        <label>
          Max steps
          <input value={maxSteps} onChange={(e) => setMaxSteps(e.target.value)} placeholder="all (1 epoch)" size={10} disabled={running} />
        </label>
      </div>
      <label>
        Python (optional)
        <input value={python} onChange={(e) => setPython(e.target.value)} placeholder="the venv of npm run setup:train, else python3" disabled={running} />
      </label>
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button type="submit" disabled={!kit.trim() || running}>
          {running ? 'Training…' : 'Start training'}
        </button>
        {running && jobId !== undefined ? (
          <button type="button" className="secondary" onClick={() => void call('jobs.cancel', { id: jobId }).catch(setError)}>
            Cancel
          </button>
        ) : null}
      </div>
      {job && running ? <ProgressBar progress={job.progress} /> : null}
      {job?.status === 'failed' ? <ErrorBanner error={job.error ?? 'Training failed.'} /> : null}
      {job?.status === 'cancelled' ? <p className="muted">Training cancelled; the process was stopped.</p> : null}
      {result ? (
        <div className="stack" role="status">
          <strong>Adapter written to {result.adapterDir}</strong>
          <span className="small">
            {result.steps} steps on {result.device} in {result.wallSeconds.toFixed(1)} s · final train loss {loss(result.finalTrainLoss)} · validation
            loss {loss(result.finalValLoss)}
          </span>
          {result.changedFiles.length ? <span className="small">Kit files changed since prepare: {result.changedFiles.join(', ')}</span> : null}
          <span className="small muted">
            Bring it back as a GGUF adapter with its lineage: <code>radlabel models import-adapter {result.adapterDir} --base BASE_MODEL --db WORKSPACE</code>
          </span>
        </div>
      ) : null}
    </form>
  )
}
