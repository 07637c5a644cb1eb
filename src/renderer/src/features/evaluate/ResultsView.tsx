// Results of an evaluation: summary, per-label table with clickable counts (into the error browser),
// charts with intervals, and the paired differences when several sources are compared.
import { useState } from 'react'
import {
  confusionGrid,
  differenceChart,
  intervalBarChart,
  MIN_REPORTS_FOR_STATISTICS,
  type OutcomeName,
  type StoreEvaluation
} from '../../../../common/eval'
import { ciText, f3, pText, signed } from './format'
import { Svg } from './Svg'

export interface CellTarget {
  source: number
  label: string
  outcome: OutcomeName
}

function Val({ v, ci }: { v: number | null; ci?: Parameters<typeof ciText>[0] }): React.JSX.Element {
  return (
    <>
      {v === null ? <span className="muted">n/a</span> : f3(v)}
      {ci && ciText(ci) ? <span className="eval-ci">{ciText(ci)}</span> : null}
    </>
  )
}

function CountButton(props: { n: number; title: string; onClick?: () => void; selected: boolean }): React.JSX.Element {
  if (props.n === 0) return <span className="muted">0</span>
  if (!props.onClick) return <>{props.n.toLocaleString()}</>
  // Buttons are hidden in print; the plain number is printed instead.
  return (
    <>
      <button type="button" className={`link eval-count${props.selected ? ' selected' : ''}`} title={props.title} onClick={props.onClick}>
        {props.n.toLocaleString()}
      </button>
      <span className="eval-print-only">{props.n.toLocaleString()}</span>
    </>
  )
}

export function ResultsView(props: { ev: StoreEvaluation; selected: CellTarget | null; onCell?: (t: CellTarget) => void }): React.JSX.Element {
  const { ev, onCell } = props
  // Too few reports in common: figures greyed out, no significance claimed (the note says why).
  const tooFew = ev.nReports > 0 && ev.nReports < MIN_REPORTS_FOR_STATISTICS
  const figures = tooFew ? ' eval-too-few' : ''
  const [detail, setDetail] = useState(0)
  const names = ev.predictions.map((p) => p.name)
  const { results, differences } = ev.comparison
  const r = results[Math.min(detail, results.length - 1)]
  const showExcluded = ev.settings.uncertain === 'exclude'
  const isSel = (label: string, outcome: OutcomeName) =>
    props.selected?.source === detail && props.selected.label === label && props.selected.outcome === outcome

  const summaryChart = intervalBarChart({
    title: 'Micro precision, recall, F1 and macro F1 (95% CI)',
    categories: ['Micro precision', 'Micro recall', 'Micro F1', 'Macro F1'],
    series: results.map((x, s) => ({
      name: names[s],
      values: [
        { value: x.micro.precision, low: x.micro.ci?.precision.low, high: x.micro.ci?.precision.high },
        { value: x.micro.recall, low: x.micro.ci?.recall.low, high: x.micro.ci?.recall.high },
        { value: x.micro.f1, low: x.micro.ci?.f1.low, high: x.micro.ci?.f1.high },
        { value: x.macro.f1, low: x.macro.ci?.f1.low, high: x.macro.ci?.f1.high }
      ]
    }))
  })
  const f1Chart = intervalBarChart({
    title: 'F1 per label (95% bootstrap interval)',
    categories: ev.labels,
    series: results.map((x, s) => ({ name: names[s], values: x.labels.map((l) => ({ value: l.f1, low: l.ci?.f1.low, high: l.ci?.f1.high })) })),
    axisLabel: 'F1'
  })

  return (
    <>
      <section className="card" aria-labelledby="eval-summary">
        <h2 id="eval-summary">Summary</h2>
        <p className="muted small">
          {ev.nReports.toLocaleString()} reports covered by {ev.reference.name} and {names.join(', ')} (reference covers{' '}
          {ev.coverage.reference.toLocaleString()}
          {ev.predictions.map((p, i) => `, ${p.name} ${ev.coverage.predictions[i].toLocaleString()}`).join('')}). Uncertain:{' '}
          {ev.settings.uncertain === 'exclude' ? 'left out' : `counted as ${ev.settings.uncertain}`}; not mentioned counts as negative.
          {ev.comparison.bootstrap
            ? ` Intervals: 95% percentile bootstrap over reports, ${ev.comparison.bootstrap.resamples} resamples, seed ${ev.comparison.bootstrap.seed}.`
            : ' No intervals (0 resamples).'}
        </p>
        {ev.data.studyDates || ev.data.batches.length ? (
          <p className="muted small">
            {ev.data.studyDates ? `Study dates ${ev.data.studyDates.first} to ${ev.data.studyDates.last}. ` : ''}
            {ev.data.batches.length
              ? `From ${ev.data.batches.slice(0, 5).map((b) => `${b.name} (${b.reports.toLocaleString()})`).join(', ')}${ev.data.batches.length > 5 ? ', …' : ''}.`
              : ''}
          </p>
        ) : null}
        {ev.nReports === 0 ? (
          <div className="error-banner" role="alert">
            <strong>No report is labelled by both the reference and the prediction source(s).</strong>
            <div>Choose sources that cover the same reports (e.g. run the labeler on the reviewed reports).</div>
          </div>
        ) : null}
        {tooFew ? (
          <div className="eval-too-few-note" role="note">
            <strong>
              Only {ev.nReports} report{ev.nReports === 1 ? '' : 's'} in common: too few for these figures to mean much (at least{' '}
              {MIN_REPORTS_FOR_STATISTICS} are needed).
            </strong>{' '}
            They are greyed out, and no difference is called significant. Evaluate on more reports, e.g. review more reports or run the labeler on
            the reviewed ones.
          </div>
        ) : null}
        {ev.nReports > 0 && ev.warnings.length ? (
          <ul className="eval-warnings" aria-label="Cautions">
            {ev.warnings.map((w) => (
              <li key={w} className="warn small">
                {w}
              </li>
            ))}
          </ul>
        ) : null}
        <table className={`data${figures}`}>
          <thead>
            <tr>
              <th>Prediction source</th>
              <th className="num">Micro precision</th>
              <th className="num">Micro recall</th>
              <th className="num">Micro F1</th>
              <th className="num">Macro F1</th>
              <th className="num">TP</th>
              <th className="num">FP</th>
              <th className="num">FN</th>
            </tr>
          </thead>
          <tbody>
            {results.map((x, s) => (
              <tr key={s}>
                <td>{names[s]}</td>
                <td className="num"><Val v={x.micro.precision} ci={x.micro.ci?.precision} /></td>
                <td className="num"><Val v={x.micro.recall} ci={x.micro.ci?.recall} /></td>
                <td className="num"><Val v={x.micro.f1} ci={x.micro.ci?.f1} /></td>
                <td className="num"><Val v={x.macro.f1} ci={x.macro.ci?.f1} /></td>
                <td className="num">{x.micro.tp.toLocaleString()}</td>
                <td className="num">{x.micro.fp.toLocaleString()}</td>
                <td className="num">{x.micro.fn.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className={figures}>
          <Svg svg={summaryChart} label="Summary chart" />
        </div>
        {ev.unmatchedRef.length ? (
          <p className="muted small">Reference labels not evaluated (no counterpart in every prediction source): {ev.unmatchedRef.join(', ')}.</p>
        ) : null}
        {ev.labelPairs.some((ps) => ps.some((p) => p.how !== 'exact')) ? (
          <p className="muted small">
            Label mapping:{' '}
            {ev.labelPairs
              .flatMap((ps, i) => ps.filter((p) => p.how !== 'exact').map((p) => `${names[i]}: ${p.pred} → ${p.ref} (${p.how})`))
              .join('; ')}
          </p>
        ) : null}
      </section>

      <section className="card" aria-labelledby="eval-labels">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 id="eval-labels">Per label{results.length > 1 ? `: ${names[detail]}` : ''}</h2>
          {results.length > 1 ? (
            <label>
              Source shown in the table
              <select value={detail} onChange={(e) => setDetail(Number(e.target.value))}>
                {names.map((n, i) => (
                  <option key={i} value={i}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </div>
        {onCell ? <p className="muted small">Click a count to list those reports.</p> : null}
        <table className={`data eval-per-label${figures}`}>
          <thead>
            <tr>
              <th>Label</th>
              <th className="num">Precision</th>
              <th className="num">Recall</th>
              <th className="num">F1</th>
              <th className="num">Support</th>
              <th className="num">TP</th>
              <th className="num">FP</th>
              <th className="num">FN</th>
              <th className="num">TN</th>
              {showExcluded ? <th className="num">Excluded</th> : null}
            </tr>
          </thead>
          <tbody>
            {r.labels.map((l) => (
              <tr key={l.label}>
                <td>{l.label}</td>
                <td className="num"><Val v={l.precision} ci={l.ci?.precision} /></td>
                <td className="num"><Val v={l.recall} ci={l.ci?.recall} /></td>
                <td className="num"><Val v={l.f1} ci={l.ci?.f1} /></td>
                <td className="num">{l.support.toLocaleString()}</td>
                {(['tp', 'fp', 'fn', 'tn', ...(showExcluded ? ['excluded'] : [])] as OutcomeName[]).map((o) => (
                  <td className="num" key={o}>
                    <CountButton
                      n={l[o]}
                      title={`List the ${o.toUpperCase()} reports of ${l.label}`}
                      selected={isSel(l.label, o)}
                      onClick={onCell ? () => onCell({ source: detail, label: l.label, outcome: o }) : undefined}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className={figures}>
          <Svg svg={f1Chart} label="F1 per label chart" />
        </div>
        <Svg
          svg={confusionGrid({ title: `Confusion per label: ${names[detail]}`, cells: r.labels.map((l) => ({ label: l.label, tp: l.tp, fp: l.fp, fn: l.fn, tn: l.tn })) })}
          label="Confusion per label"
        />
      </section>

      {differences.length ? (
        <section className="card" aria-labelledby="eval-diff">
          <h2 id="eval-diff">Differences against {names[differences[0].baseline]}</h2>
          <p className="muted small">
            Each source minus the baseline on the same reports; 95% paired bootstrap intervals.{' '}
            {tooFew ? `With ${ev.nReports} reports no difference is called significant.` : 'Green or red: the interval excludes zero.'}
          </p>
          <table className={`data${figures}`} aria-label="Differences">
            <thead>
              <tr>
                <th>F1</th>
                {differences.map((d) => (
                  <th className="num" key={d.source}>
                    {names[d.source]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {[
                { name: 'Micro F1', get: (d: (typeof differences)[number]) => d.micro.f1 },
                { name: 'Macro F1', get: (d: (typeof differences)[number]) => d.macro.f1 },
                ...ev.labels.map((label, l) => ({ name: label, get: (d: (typeof differences)[number]) => d.labels[l].f1 }))
              ].map((row) => (
                <tr key={row.name}>
                  <td>{row.name}</td>
                  {differences.map((d) => {
                    const x = row.get(d)
                    const cls =
                      !tooFew && x.ci && x.ci.low !== null && x.ci.high !== null ? (x.ci.low > 0 ? 'ok' : x.ci.high < 0 ? 'error' : '') : ''
                    return (
                      <td className={`num ${cls}`} key={d.source}>
                        {signed(x.value)}
                        {ciText(x.ci) ? (
                          <span className="eval-ci">
                            {ciText(x.ci)}
                            {x.p !== null && !tooFew ? `, ${pText(x.p)}` : ''}
                          </span>
                        ) : null}
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {differences.map((d) => (
            <div className={figures} key={d.source}>
            <Svg
              label={`F1 differences of ${names[d.source]}`}
              svg={differenceChart({
                title: `F1 difference: ${names[d.source]} − ${names[d.baseline]}`,
                rows: [
                  { name: 'Micro F1', value: d.micro.f1.value, low: d.micro.f1.ci?.low ?? null, high: d.micro.f1.ci?.high ?? null },
                  { name: 'Macro F1', value: d.macro.f1.value, low: d.macro.f1.ci?.low ?? null, high: d.macro.f1.ci?.high ?? null },
                  ...d.labels.map((x) => ({ name: x.label, value: x.f1.value, low: x.f1.ci?.low ?? null, high: x.f1.ci?.high ?? null }))
                ]
              })}
            />
            </div>
          ))}
        </section>
      ) : null}
    </>
  )
}
