import { useCall } from '../../app/hooks'
import { PageHeader } from '../../ui/states'

export function AboutPage(): React.JSX.Element {
  const info = useCall('app.info', {})
  return (
    <>
      <PageHeader title="About RadLabel" />
      <section className="card disclaimer" aria-labelledby="disclaimer-title">
        <h2 id="disclaimer-title">Research and quality-assurance tool</h2>
        <p>
          RadLabel is <strong>not a medical device</strong>. Its labels are weak labels for research, quality assurance
          and model development. They are <strong>not a diagnosis</strong> and must not be used to make decisions about
          the care of a patient.
        </p>
        <p>
          Everything stays on this workstation: RadLabel makes no network connection of any kind (no telemetry, no update
          checks, no downloads). Models are loaded only from files you choose.
        </p>
      </section>
      <section className="card">
        <h2>This installation</h2>
        {info.data ? (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{info.data.version}</dd>
            <dt>Workspace</dt>
            <dd className="mono">{info.data.workspacePath}</dd>
            <dt>Schema version</dt>
            <dd>{info.data.schemaVersion}</dd>
            <dt>Platform</dt>
            <dd>
              {info.data.platform} ({info.data.runtime})
            </dd>
          </dl>
        ) : (
          <p className="muted">{info.error ? info.error.message : 'Loading…'}</p>
        )}
      </section>
    </>
  )
}
