// Inter-reader agreement of a double-read set: per label, percent agreement and Cohen's kappa over the
// four states, with disagreements and how many are adjudicated.
import { useCall } from '../../app/hooks'
import { href } from '../../app/router'
import { ErrorBanner, Loading } from '../../ui/states'

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)} %`)
/** Kappa, or why there is none: it needs cells read by both readers and more than one state among them. */
function kappaText(kappa: number | null, n: number): { text: string; why?: string } {
  if (kappa !== null) return { text: kappa.toFixed(3) }
  if (n === 0) return { text: 'n/a — not read by both', why: 'No report of this label has been read by both readers yet.' }
  return {
    text: 'n/a — all one state',
    why: 'Both readers gave the same single state throughout, so chance agreement is 100 % and kappa is undefined; see the agreement column.'
  }
}

function Kappa({ kappa, n }: { kappa: number | null; n: number }): React.JSX.Element {
  const k = kappaText(kappa, n)
  return k.why ? (
    <span className="muted" title={k.why}>
      {k.text}
    </span>
  ) : (
    <>{k.text}</>
  )
}

export function AgreementView({ setId }: { setId: number }): React.JSX.Element {
  const set = useCall('review.sets.get', { setId })
  const a = useCall('review.agreement', { setId })
  if (a.error || set.error) return <ErrorBanner error={(a.error ?? set.error)!} onRetry={a.reload} />
  if (!a.data || !set.data) return <Loading what="agreement" />
  const d = a.data
  return (
    <div className="stack">
      <p>
        <a href={href('/review')}>Review sets</a> · <strong>{set.data.name}</strong> · {d.doubleRead} report(s) read by both readers ·{' '}
        {d.pendingDisagreements} disagreement(s) on {d.pendingReports} report(s) waiting for adjudication ·{' '}
        <a href={href('/review', { set: setId, as: 'adjudicator' })}>Adjudicate</a>
      </p>
      <table className="data" aria-label="Agreement per label">
        <thead>
          <tr>
            <th>Label</th>
            <th>Reports</th>
            <th>Agreement</th>
            <th>Cohen's kappa</th>
            <th>Disagreements</th>
            <th>Adjudicated</th>
          </tr>
        </thead>
        <tbody>
          {d.labels.map((l) => (
            <tr key={l.labelId}>
              <td>{l.label}</td>
              <td>{l.n}</td>
              <td>{pct(l.agreement)}</td>
              <td>
                <Kappa kappa={l.kappa} n={l.n} />
              </td>
              <td>{l.disagreements}</td>
              <td>{l.adjudicated}</td>
            </tr>
          ))}
          <tr className="total">
            <td>All labels (pooled)</td>
            <td>{d.overall.n}</td>
            <td>{pct(d.overall.agreement)}</td>
            <td>
              <Kappa kappa={d.overall.kappa} n={d.overall.n} />
            </td>
            <td>{d.labels.reduce((s, l) => s + l.disagreements, 0)}</td>
            <td>{d.labels.reduce((s, l) => s + l.adjudicated, 0)}</td>
          </tr>
        </tbody>
      </table>
      <p className="small muted">
        Kappa over the four states (positive, negative, uncertain, not mentioned). “n/a — all one state”: both readers gave one and the
        same state throughout, so kappa is undefined (agreement is then 100 %); “n/a — not read by both”: no report has two readings yet. The pooled row counts report × label cells.
      </p>
    </div>
  )
}
