// Review sets with their progress, and the form that samples a new one.
import { useState } from 'react'
import { call } from '../../app/api'
import { useCall, useWorkspaceLabelSet } from '../../app/hooks'
import { href, navigate } from '../../app/router'
import {
  DISAGREEMENT_RULE_TEXT,
  DISAGREEMENT_RULES,
  SAMPLING_STRATEGIES,
  type DisagreementRule,
  type Reviewer,
  type ReviewSetSummary,
  type SamplingStrategy
} from '../../../../common/ipc/calls/review'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'

export function SetsHome({ reviewer }: { reviewer: Reviewer }): React.JSX.Element {
  const sets = useCall('review.sets.list', {})
  return (
    <div className="stack">
      <p className="row">
        <a href={href('/review', { view: 'find' })}>Find reports…</a>
      </p>
      {sets.error ? <ErrorBanner error={sets.error} onRetry={sets.reload} /> : null}
      {!sets.data ? (
        <Loading what="review sets" />
      ) : sets.data.length === 0 ? (
        <EmptyState title="No review set yet">Sample reports from the workspace below to start reviewing.</EmptyState>
      ) : (
        <table className="data review-sets" aria-label="Review sets">
          <thead>
            <tr>
              <th>Set</th>
              <th>Mode</th>
              <th>Readers</th>
              <th>Reports</th>
              <th>Fully read</th>
              <th>Curated</th>
              <th>Readers' progress</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sets.data.map((s) => (
              <SetRow key={s.id} s={s} reviewer={reviewer} />
            ))}
          </tbody>
        </table>
      )}
      <NewSetForm reviewer={reviewer} onCreated={(s) => navigate('/review', { set: s.id })} />
    </div>
  )
}

function SetRow({ s, reviewer }: { s: ReviewSetSummary; reviewer: Reviewer }): React.JSX.Element {
  // In a double-read set an adjudicator settles disagreements; reading would make them one of the readers.
  const adjudicatorOnly = reviewer.role === 'adjudicator' && s.readersPerReport === 2
  return (
    <tr>
      <td>
        <strong>{s.name}</strong>
        <div className="small muted">
          {s.sampling.strategy}
          {s.sampling.strategy === 'disagreement' ? ` (${DISAGREEMENT_RULE_TEXT[s.sampling.disagreementRule ?? 'presence']})` : ''}, seed {s.sampling.seed} ·{' '}
          {s.labelSetName} · curated source “{s.curatedSourceName}”
        </div>
      </td>
      <td>{s.mode === 'assisted' ? `assisted (${s.assistSourceName ?? 'source deleted'})` : 'blinded'}</td>
      <td>{s.readersPerReport}</td>
      <td>{s.size}</td>
      <td>{s.fullyRead}</td>
      <td>{s.curated}</td>
      <td>
        {s.readers.length === 0 ? (
          <span className="muted small">not started</span>
        ) : (
          <ul className="review-readers-progress small" aria-label={`Readers of ${s.name}`}>
            {s.readers.map((r) => (
              <li key={r.reviewerId}>
                {r.name}: {r.completed} of {s.size} done
                {r.started > r.completed ? <span className="muted"> ({r.started - r.completed} started)</span> : null}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="review-set-actions">
        {adjudicatorOnly ? null : (
          <a href={href('/review', { set: s.id })} aria-label={`Read ${s.name}`}>
            Read
          </a>
        )}
        {s.readersPerReport === 2 ? (
          <>
            <a href={href('/review', { set: s.id, as: 'adjudicator' })} aria-label={`Adjudicate ${s.name}`}>
              Adjudicate
            </a>
            <a href={href('/review', { set: s.id, view: 'agreement' })} aria-label={`Agreement of ${s.name}`}>
              Agreement
            </a>
          </>
        ) : null}
        <a href={href('/review', { set: s.id, view: 'find' })}>Reports</a>
      </td>
    </tr>
  )
}

function NewSetForm({ reviewer, onCreated }: { reviewer: Reviewer; onCreated(s: ReviewSetSummary): void }): React.JSX.Element {
  const sources = useCall('evaluate.sources', {})
  const batches = useCall('import.batches', {})
  const labelSets = useCall('labelsets.list', {})
  const [name, setName] = useState('')
  const [labelSet, setLabelSet] = useWorkspaceLabelSet()
  const [strategy, setStrategy] = useState<SamplingStrategy>('random')
  const [size, setSize] = useState(100)
  const [seed, setSeed] = useState(1)
  const [stratify, setStratify] = useState<number>()
  const [compareA, setCompareA] = useState<number>()
  const [compareB, setCompareB] = useState<number>()
  const [rule, setRule] = useState<DisagreementRule>('presence')
  const [batchId, setBatchId] = useState<number>()
  const [dateFrom, setDateFrom] = useState('')
  const [dateTo, setDateTo] = useState('')
  const [mode, setMode] = useState<'blinded' | 'assisted'>('blinded')
  const [assist, setAssist] = useState<number>()
  const [readers, setReaders] = useState<1 | 2>(1)
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const predictionSources = (sources.data ?? []).filter((s) => s.kind !== 'curated')
  const sourceSelect = (label: string, value: number | undefined, onChange: (v: number | undefined) => void): React.JSX.Element => (
    <label className="stack">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)}>
        <option value="">(choose)</option>
        {predictionSources.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.kind}, {s.reportCount} reports){s.complete ? '' : ' (incomplete)'}
          </option>
        ))}
      </select>
    </label>
  )
  const create = async (): Promise<void> => {
    setBusy(true)
    try {
      const set = await call('review.sets.create', {
        name,
        labelSet,
        sampling: {
          strategy,
          size,
          seed,
          stratifySourceId: strategy === 'stratified' ? stratify : undefined,
          compareSourceIds: strategy === 'disagreement' && compareA && compareB ? [compareA, compareB] : undefined,
          disagreementRule: strategy === 'disagreement' ? rule : undefined,
          batchIds: batchId ? [batchId] : undefined,
          dateFrom: dateFrom || undefined,
          dateTo: dateTo || undefined
        },
        mode,
        assistSourceId: mode === 'assisted' ? assist : undefined,
        readersPerReport: readers,
        reviewerId: reviewer.id
      })
      onCreated(set)
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="card stack"
      aria-label="New review set"
      onSubmit={(e) => {
        e.preventDefault()
        void create()
      }}
    >
      <h2>New review set</h2>
      <div className="row">
        <label className="stack grow">
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Chest CT audit, May" />
        </label>
        <label className="stack">
          Label set
          <select value={labelSet} onChange={(e) => setLabelSet(e.target.value)}>
            {(labelSets.data ?? [{ slug: 'chexpert14', name: 'CheXpert (14 observations)', id: 0 }]).map((l) => (
              <option key={l.slug} value={l.slug}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <label className="stack">
          Sampling
          <select value={strategy} onChange={(e) => setStrategy(e.target.value as SamplingStrategy)}>
            {SAMPLING_STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {{ random: 'random', stratified: 'stratified by predicted label', disagreement: 'disagreements between two sources first', all: 'all (in import order)' }[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          Size
          <input type="number" min={1} max={100000} value={size} onChange={(e) => setSize(Number(e.target.value))} />
        </label>
        <label className="stack">
          Seed
          <input type="number" min={0} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
        </label>
        {strategy === 'stratified' ? sourceSelect('Strata from source', stratify, setStratify) : null}
        {strategy === 'disagreement' ? (
          <>
            {sourceSelect('Compare source', compareA, setCompareA)}
            {sourceSelect('with source', compareB, setCompareB)}
          </>
        ) : null}
      </div>
      {strategy === 'disagreement' ? (
        <div className="row">
          <label className="stack grow">
            Counts as a disagreement on a label
            <select value={rule} onChange={(e) => setRule(e.target.value as DisagreementRule)}>
              {DISAGREEMENT_RULES.map((r) => (
                <option key={r} value={r}>
                  {DISAGREEMENT_RULE_TEXT[r]}
                </option>
              ))}
            </select>
            <span className="small muted">
              Reports where more labels disagree come first; the rest of the set is filled at random. A negative against a “not mentioned”
              only counts under the last rule: both say the finding is absent.
            </span>
          </label>
        </div>
      ) : null}
      <div className="row">
        <label className="stack">
          Import batch
          <select value={batchId ?? ''} onChange={(e) => setBatchId(e.target.value ? Number(e.target.value) : undefined)}>
            <option value="">(all batches)</option>
            {(batches.data ?? []).map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label className="stack">
          Study date from
          <input type="date" value={dateFrom} onChange={(e) => setDateFrom(e.target.value)} />
        </label>
        <label className="stack">
          to
          <input type="date" value={dateTo} onChange={(e) => setDateTo(e.target.value)} />
        </label>
      </div>
      <div className="row">
        <fieldset className="row">
          <legend>Mode</legend>
          <label className="inline">
            <input type="radio" name="mode" checked={mode === 'blinded'} onChange={() => setMode('blinded')} /> Blinded (no predictions shown)
          </label>
          <label className="inline">
            <input type="radio" name="mode" checked={mode === 'assisted'} onChange={() => setMode('assisted')} /> Assisted (pre-filled)
          </label>
        </fieldset>
        {mode === 'assisted' ? sourceSelect('Pre-fill from', assist, setAssist) : null}
        <fieldset className="row">
          <legend>Readers per report</legend>
          <label className="inline">
            <input type="radio" name="readers" checked={readers === 1} onChange={() => setReaders(1)} /> One
          </label>
          <label className="inline">
            <input type="radio" name="readers" checked={readers === 2} onChange={() => setReaders(2)} /> Two (double reading, adjudication)
          </label>
        </fieldset>
      </div>
      <div className="row">
        <button type="submit" disabled={busy || !name.trim()}>
          Create review set
        </button>
      </div>
      {error ? <ErrorBanner error={error} /> : null}
    </form>
  )
}
