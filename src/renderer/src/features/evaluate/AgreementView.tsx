// Agreement between the first two chosen sources, without a reference: percent agreement and kappa.
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { ciText, f3 } from './format'

export function AgreementView(props: { a: number; b: number; uncertain: 'positive' | 'negative' | 'exclude'; mapping?: Record<string, string>; resamples: number; seed: number }): React.JSX.Element {
  const res = useCall('evaluate.agreement', props)
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`)
  return (
    <section className="card" aria-labelledby="eval-agree">
      <h2 id="eval-agree">
        Agreement{res.data ? ` between ${res.data.a.name} and ${res.data.b.name}` : ''}
      </h2>
      {res.error ? <ErrorBanner error={res.error} /> : null}
      {res.loading && !res.data ? <Loading what="agreement" /> : null}
      {res.data ? (
        <>
          <p className="muted small">
            {res.data.nReports.toLocaleString()} reports labelled by both. Binary kappa after the uncertain policy; 4-state kappa over positive,
            negative, uncertain and not mentioned.
          </p>
          <table className="data">
            <thead>
              <tr>
                <th>Label</th>
                <th className="num">Binary kappa</th>
                <th className="num">Agreement</th>
                <th className="num">4-state kappa</th>
                <th className="num">Agreement</th>
              </tr>
            </thead>
            <tbody>
              {[{ label: 'All labels (pooled)', ...res.data.overall }, ...res.data.labels].map((l) => (
                <tr key={l.label}>
                  <td>{l.label}</td>
                  <td className="num">
                    {f3(l.binary.kappa)}
                    {ciText(l.binary.kappaCi) ? <span className="eval-ci">{ciText(l.binary.kappaCi)}</span> : null}
                  </td>
                  <td className="num">{pct(l.binary.agreement)}</td>
                  <td className="num">
                    {f3(l.fourState.kappa)}
                    {ciText(l.fourState.kappaCi) ? <span className="eval-ci">{ciText(l.fourState.kappaCi)}</span> : null}
                  </td>
                  <td className="num">{pct(l.fourState.agreement)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
