// Home: the loop RadLabel is built around (import → labels → review → evaluate → export), what this
// workspace has done of it, and the one step to take next, with a link to where it is done.
import type { WorkspaceOverview } from '../../../../common/ipc/calls/app'
import { useCall, useOnJobChange } from '../../app/hooks'
import { href } from '../../app/router'
import { ErrorBanner, Loading, PageHeader } from '../../ui/states'

interface Step {
  key: string
  title: string
  done: boolean
  status: string
  todo: string
  link: { path: string; text: string }
}

export function loopSteps(o: WorkspaceOverview): Step[] {
  const n = (v: number, one: string, many = `${one}s`): string => `${v.toLocaleString()} ${v === 1 ? one : many}`
  return [
    {
      key: 'import',
      title: 'Import reports',
      done: o.reports > 0,
      status: n(o.reports, 'report'),
      todo: 'Bring in your reports: CSV, Excel, JSON, HL7, FHIR or a folder of text files.',
      link: { path: '/import', text: 'Import reports' }
    },
    {
      key: 'labels',
      title: 'Get labels',
      done: o.completedRuns + o.importedSources > 0,
      status: `${n(o.completedRuns, 'labeler run')}, ${n(o.importedSources, 'imported label source')}`,
      todo: 'Label the reports with the rules engine or a local model, or import labels you already have.',
      link: { path: '/detect', text: 'Label reports' }
    },
    {
      key: 'review',
      title: 'Review',
      done: o.curatedReports > 0,
      status: `${n(o.reviewSets, 'review set')}, ${n(o.curatedReports, 'report')} with curated labels`,
      todo: 'Sample reports into a review set and let radiologists confirm or correct the labels by keyboard.',
      link: { path: '/review', text: 'Review reports' }
    },
    {
      key: 'evaluate',
      title: 'Evaluate',
      done: o.evaluations > 0,
      status: n(o.evaluations, 'evaluation'),
      todo: 'Measure each labeler against the curated labels, with intervals, and look at its errors.',
      link: { path: '/evaluate', text: 'Evaluate' }
    },
    {
      key: 'export',
      title: 'Export',
      done: o.exports > 0,
      status: n(o.exports, 'export'),
      todo: 'Export the curated labels, the evaluation report, or a fine-tuning dataset for the next model.',
      link: { path: '/evaluate', text: 'Export' }
    }
  ]
}

export function HomePage(): React.JSX.Element {
  const overview = useCall('app.overview', {})
  useOnJobChange(() => overview.reload())
  if (overview.error) return <ErrorBanner error={overview.error} onRetry={overview.reload} />
  if (!overview.data) return <Loading what="workspace" />
  const steps = loopSteps(overview.data)
  const next = steps.find((s) => !s.done)
  return (
    <>
      <PageHeader title="Home" />
      <p className="muted">
        RadLabel works in a loop: import reports, get labels, review them, evaluate the labelers against the reviewed labels, export. Each
        pass makes the next model better.
      </p>
      {next ? (
        <section className="card" aria-label="Next step">
          <h2>Next: {next.title.toLowerCase()}</h2>
          <p>{next.todo}</p>
          <a className="button-link" href={href(next.link.path)}>
            {next.link.text}
          </a>
        </section>
      ) : (
        <section className="card" aria-label="Next step">
          <h2>Every step has been done once</h2>
          <p className="muted">Run the loop again with new reports or a new model: each evaluation is kept on the Evaluate page.</p>
        </section>
      )}
      <ol className="loop" aria-label="The loop">
        {steps.map((s) => {
          const state = s.done ? 'done' : s === next ? 'next' : 'later'
          return (
            <li key={s.key} data-state={state} aria-current={state === 'next' ? 'step' : undefined}>
              <span className="loop-state">{state === 'done' ? 'Done' : state === 'next' ? 'Next' : 'Later'}</span>
              <strong>{s.title}</strong>
              <span className="small">{s.status}</span>
              <a className="small" href={href(s.link.path)}>
                {s.link.text}
              </a>
            </li>
          )
        })}
      </ol>
      {overview.data.labelSet ? (
        <p className="small muted">
          This workspace uses the label set {overview.data.labelSet.name}; new runs and review sets start with it.
        </p>
      ) : null}
    </>
  )
}
