// Detect: label the workspace's reports with an engine, follow the run, browse results per report and
// see why each label got its state. Label sets are managed on the second tab.
import { useState } from 'react'
import { describeScope } from '../../../../common/run-scope'
import { useCall, useOnJobChange } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading, PageHeader } from '../../ui/states'
import { SettingsTable } from '../../ui/SettingsTable'
import { Tabs } from '../../ui/Tabs'
import { hedgingNote } from '../explain/ExplainPanel'
import { LabelSetsPanel } from '../labelsets/LabelSetsPanel'
import { ReportView } from './ReportView'
import { ResultsTable } from './ResultsTable'
import { RunForm } from './RunForm'
import { RunsList } from './RunsList'
import { SourcesPanel } from './SourcesPanel'
import './detect.css'

type DetectTab = 'runs' | 'sources' | 'labelsets'

export function DetectPage(): React.JSX.Element {
  const [tab, setTab] = useState<DetectTab>('runs')
  return (
    <>
      <PageHeader title="Detect" />
      <Tabs<DetectTab>
        label="Detect"
        tabs={[
          { key: 'runs', title: 'Runs' },
          { key: 'sources', title: 'Label sources' },
          { key: 'labelsets', title: 'Label sets' }
        ]}
        selected={tab}
        onSelect={setTab}
      >
        {tab === 'runs' ? <RunsTab /> : tab === 'sources' ? <SourcesPanel /> : <LabelSetsPanel />}
      </Tabs>
    </>
  )
}

function RunsTab(): React.JSX.Element {
  const info = useCall('app.info', {})
  const runs = useCall('detect.runs', {})
  const [selectedRun, setSelectedRun] = useState<number | null>(null)
  const [report, setReport] = useState<number | null>(null)
  const [error, setError] = useState<Error>()
  const [tick, setTick] = useState(0)
  // refresh the runs (and the open result page) whenever a job stops
  useOnJobChange(() => {
    runs.reload()
    setTick((t) => t + 1)
  })
  const run = runs.data?.find((r) => r.sourceId === selectedRun) ?? null

  if (info.data && info.data.counts.reports === 0) {
    return (
      <EmptyState title="No reports to label yet">
        Import reports on the Import page first; then label them here with the rules engine or a local model.
      </EmptyState>
    )
  }
  return (
    <div className="stack">
      <RunForm
        onStarted={(r) => {
          runs.reload()
          setSelectedRun(r.sourceId)
          setReport(null)
        }}
      />
      <section className="stack" aria-label="Runs">
        <h2>Runs</h2>
        {runs.error ? <ErrorBanner error={runs.error} onRetry={runs.reload} /> : null}
        {error ? <ErrorBanner error={error} /> : null}
        {!runs.data && runs.loading ? <Loading what="runs" /> : null}
        {runs.data ? (
          <RunsList
            runs={runs.data}
            selected={selectedRun}
            onSelect={(id) => {
              setSelectedRun(id)
              setReport(null)
            }}
            onError={setError}
            onChanged={runs.reload}
          />
        ) : null}
      </section>
      {run ? (
        <section className="stack" aria-label={`Results of ${run.name}`}>
          <h2>Results: {run.name}</h2>
          <p className="small muted">
            {run.engine} · {run.labelSetSlug} v{run.labelSetVersion} · reports: {describeScope(run.scope, run.reportsTotal)}
            {typeof run.provenance.hedging === 'string' ? (
              <span title={hedgingNote(run.provenance.hedging as 'all' | 'probable')}>
                {' · '}hedging {run.provenance.hedging} ({run.provenance.hedging === 'all' ? 'every hedge is uncertain' : 'possible hedges are not mentioned'})
              </span>
            ) : null}
          </p>
          <SettingsTable label={`Settings of ${run.name}`} settings={run.config} />
          <ResultsTable sourceId={run.sourceId} selected={report} onOpen={setReport} refreshKey={tick} />
          {report !== null ? <ReportView sourceId={run.sourceId} reportId={report} engine={run.engine} /> : null}
        </section>
      ) : null}
    </div>
  )
}
