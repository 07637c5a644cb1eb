// Agreement between the first two chosen sources, without a reference: percent agreement and kappa,
// and the reports on which they disagree for a label (the same error browser, one source as "reference").
import { useState } from 'react'
import type { UncertainPolicy } from '../../../../common/eval'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { ErrorBrowser } from './ErrorBrowser'
import { ciText, f3 } from './format'

/** Binary disagreement counts from a 4-state matrix (rows A, columns B; not mentioned, positive, negative, uncertain). */
function disagreements(matrix: number[][], policy: UncertainPolicy): { aOnly: number; bOnly: number } {
  const bin = [0, 1, 0, policy === 'positive' ? 1 : policy === 'negative' ? 0 : -1]
  let aOnly = 0
  let bOnly = 0
  matrix.forEach((row, x) =>
    row.forEach((n, y) => {
      if (bin[x] === 1 && bin[y] === 0) aOnly += n
      if (bin[x] === 0 && bin[y] === 1) bOnly += n
    })
  )
  return { aOnly, bOnly }
}

export function AgreementView(props: { a: number; b: number; uncertain: UncertainPolicy; resamples: number; seed: number }): React.JSX.Element {
  const res = useCall('evaluate.agreement', props)
  const [open, setOpen] = useState<{ label: string; outcome: 'fp' | 'fn' } | null>(null)
  const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`)
  const a = res.data?.a.name ?? 'A'
  const b = res.data?.b.name ?? 'B'
  return (
    <>
      <section className="card" aria-labelledby="eval-agree">
        <h2 id="eval-agree">Agreement{res.data ? ` between ${a} and ${b}` : ''}</h2>
        {res.error ? <ErrorBanner error={res.error} /> : null}
        {res.loading && !res.data ? <Loading what="agreement" /> : null}
        {res.data ? (
          <>
            <p className="muted small">
              {res.data.nReports.toLocaleString()} reports labelled by both. Binary kappa after the uncertain policy; 4-state kappa over positive,
              negative, uncertain and not mentioned. Click a disagreement count to list those reports.
            </p>
            <table className="data">
              <thead>
                <tr>
                  <th>Label</th>
                  <th className="num">Binary kappa</th>
                  <th className="num">Agreement</th>
                  <th className="num">4-state kappa</th>
                  <th className="num">Agreement</th>
                  <th className="num">Only {a} positive</th>
                  <th className="num">Only {b} positive</th>
                </tr>
              </thead>
              <tbody>
                {[{ label: 'All labels (pooled)', matrix: null, ...res.data.overall }, ...res.data.labels].map((l) => {
                  const d = l.matrix ? disagreements(l.matrix, res.data!.uncertain) : null
                  const count = (n: number, outcome: 'fp' | 'fn') =>
                    n === 0 ? (
                      <span className="muted">0</span>
                    ) : (
                      <>
                        <button type="button" className="link eval-count" title={`List the reports of ${l.label} where only ${outcome === 'fp' ? a : b} is positive`} onClick={() => setOpen({ label: l.label, outcome })}>
                          {n.toLocaleString()}
                        </button>
                        <span className="eval-print-only">{n.toLocaleString()}</span>
                      </>
                    )
                  return (
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
                      <td className="num">{d ? count(d.aOnly, 'fp') : ''}</td>
                      <td className="num">{d ? count(d.bOnly, 'fn') : ''}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </>
        ) : null}
      </section>
      {open && res.data ? (
        <ErrorBrowser
          key={`${open.label}-${open.outcome}`}
          target={{ source: 0, label: open.label, outcome: open.outcome }}
          query={{ pred: props.a, ref: props.b, uncertain: props.uncertain, alsoCoveredBy: [] }}
          predName={a}
          refName={b}
          title={`${open.label}: positive only in ${open.outcome === 'fp' ? a : b}`}
          headingId="eval-agree-cases"
          onClose={() => setOpen(null)}
        />
      ) : null}
    </>
  )
}
