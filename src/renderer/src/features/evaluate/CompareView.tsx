// Two saved evaluations side by side: their settings and provenance, then micro/macro F1 and F1 per
// label for every prediction source, with the change from the older to the newer.
import type { HistoryEntry } from '../../../../common/ipc/calls/evaluate'
import { useCall } from '../../app/hooks'
import { ErrorBanner, Loading } from '../../ui/states'
import { f3, signed } from './format'

interface Column {
  title: string
  f1: Map<string, number | null>
}

function columns(e: HistoryEntry): Column[] {
  return e.result.comparison.results.map((r, i) => ({
    title: `#${e.id} ${e.result.predictions[i].name}`,
    f1: new Map<string, number | null>([
      ['Micro F1', r.micro.f1],
      ['Macro F1', r.macro.f1],
      ...r.labels.map((l): [string, number | null] => [l.label, l.f1])
    ])
  }))
}

export function CompareView({ ids, onClose }: { ids: [number, number]; onClose(): void }): React.JSX.Element {
  const [older, newer] = [...ids].sort((a, b) => a - b)
  const a = useCall('evaluate.history.get', { id: older })
  const b = useCall('evaluate.history.get', { id: newer })
  const error = a.error ?? b.error
  let body: React.JSX.Element
  if (error) body = <ErrorBanner error={error} />
  else if (!a.data || !b.data) body = <Loading what="saved evaluations" />
  else {
    const cols = [...columns(a.data), ...columns(b.data)]
    const rows = ['Micro F1', 'Macro F1', ...new Set([...a.data.result.labels, ...b.data.result.labels])]
    const first = (e: HistoryEntry): number | null => e.result.comparison.results[0]?.micro.f1 ?? null
    const setting = (e: HistoryEntry): string =>
      `${e.referenceName}, ${e.nReports} reports, uncertain ${e.settings.uncertain === 'exclude' ? 'left out' : `as ${e.settings.uncertain}`}, ${e.settings.resamples} resamples, seed ${e.settings.seed}, ${e.createdAt.slice(0, 16).replace('T', ' ')}`
    const delta = (x: number | null, y: number | null): string => (x === null || y === null ? '' : signed(y - x))
    body = (
      <>
        <dl className="facts">
          <dt>#{a.data.id}</dt>
          <dd>
            {a.data.predictionNames.join(', ')} against {setting(a.data)}
          </dd>
          <dt>#{b.data.id}</dt>
          <dd>
            {b.data.predictionNames.join(', ')} against {setting(b.data)}
          </dd>
          <dt>Micro F1 change</dt>
          <dd>{delta(first(a.data), first(b.data)) || 'n/a'} (first prediction source, #{a.data.id} → #{b.data.id})</dd>
        </dl>
        <div className="eval-history-scroll">
          <table className="data" aria-label="Compared evaluations">
            <thead>
              <tr>
                <th>F1</th>
                {cols.map((c) => (
                  <th className="num" key={c.title}>
                    {c.title}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row}>
                  <td>{row}</td>
                  {cols.map((c) => (
                    <td className="num" key={c.title}>
                      {c.f1.has(row) ? f3(c.f1.get(row)) : <span className="muted">not evaluated</span>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    )
  }
  return (
    <section className="card" aria-labelledby="eval-compare">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h2 id="eval-compare">
          Evaluations #{older} and #{newer}
        </h2>
        <button type="button" className="secondary small" onClick={onClose}>
          Close
        </button>
      </div>
      {body}
    </section>
  )
}
