// Who is reviewing: every decision is stamped with this profile. Local profiles, no passwords: the
// workstation's own login is the access control.
import { useState } from 'react'
import { call } from '../../app/api'
import { REVIEWER_ROLES, type Reviewer, type ReviewerRole } from '../../../../common/ipc/calls/review'
import { ErrorBanner } from '../../ui/states'

export function ReviewerPicker({
  reviewers,
  onChoose,
  onCreated
}: {
  reviewers: Reviewer[]
  onChoose(id: number): void
  onCreated(): void
}): React.JSX.Element {
  const [name, setName] = useState('')
  const [role, setRole] = useState<ReviewerRole>('radiologist')
  const [error, setError] = useState<Error>()
  const create = async (): Promise<void> => {
    try {
      const r = await call('review.reviewers.create', { name, role })
      onCreated()
      onChoose(r.id)
    } catch (err) {
      setError(err as Error)
    }
  }
  return (
    <section className="card stack" aria-label="Choose reviewer">
      <h2>Who is reviewing?</h2>
      <p className="muted">Every decision is saved with your name and the time. Choose your profile or create one.</p>
      {reviewers.length ? (
        <ul className="review-reviewers">
          {reviewers.map((r) => (
            <li key={r.id}>
              <button onClick={() => onChoose(r.id)}>
                {r.name} <span className="muted small">({r.role})</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void create()
        }}
      >
        <label className="stack grow">
          New reviewer name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Dr. A. Example" />
        </label>
        <label className="stack">
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as ReviewerRole)}>
            {REVIEWER_ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!name.trim()}>
          Create and start
        </button>
      </form>
      {error ? <ErrorBanner error={error} /> : null}
    </section>
  )
}

export function ReviewerBar({ reviewer, onSwitch }: { reviewer: Reviewer; onSwitch(): void }): React.JSX.Element {
  return (
    <span className="review-reviewer small">
      Reviewing as <strong>{reviewer.name}</strong>{' '}
      <button className="secondary small" onClick={onSwitch}>
        Switch reviewer
      </button>
    </span>
  )
}
