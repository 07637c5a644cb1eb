// Inference servers (OpenAI-compatible: llama-server, vLLM, SGLang) this workspace may connect to. Adding
// one makes no connection; "Test" asks the main process to connect and shows the server's models, kind,
// version and round-trip latency. The renderer itself never connects anywhere.
import { useState } from 'react'
import type { EndpointCheck, EndpointEntry } from '../../../../common/ipc/calls/servers'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { EmptyState, ErrorBanner, Loading } from '../../ui/states'

function AddEndpointForm({ onAdded }: { onAdded: () => void }): React.JSX.Element {
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [caFile, setCaFile] = useState('')
  const [apiKeyFile, setApiKeyFile] = useState('')
  const [allowPrivateHttp, setAllowPrivateHttp] = useState(false)
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const add = async (): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      await call('endpoints.add', {
        name: name.trim(),
        url: url.trim(),
        allowPrivateHttp,
        ...(caFile.trim() ? { caFile: caFile.trim() } : {}),
        ...(apiKeyFile.trim() ? { apiKeyFile: apiKeyFile.trim() } : {})
      })
      setName('')
      setUrl('')
      setCaFile('')
      setApiKeyFile('')
      setAllowPrivateHttp(false)
      onAdded()
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form
      className="stack"
      aria-label="Add a server"
      onSubmit={(e) => {
        e.preventDefault()
        void add()
      }}
    >
      <div className="row">
        <label>
          Server name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="gpu01" />
        </label>
        <label className="grow">
          Base URL of the OpenAI-compatible API
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://gpu01.hospital.local:8000/v1" />
        </label>
      </div>
      <div className="row">
        <label className="grow">
          CA certificate file (https, optional)
          <input value={caFile} onChange={(e) => setCaFile(e.target.value)} placeholder="/etc/pki/hospital-ca.pem" />
        </label>
        <label className="grow">
          API key file (optional; read at run time, never stored)
          <input value={apiKeyFile} onChange={(e) => setApiKeyFile(e.target.value)} placeholder="/home/me/.config/gpu01.key" />
        </label>
      </div>
      <label className="inline">
        <input type="checkbox" checked={allowPrivateHttp} onChange={(e) => setAllowPrivateHttp(e.target.checked)} /> Private network, plain http: I accept that
        reports travel unencrypted to this server
      </label>
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button type="submit" disabled={!name.trim() || !url.trim() || busy}>
          {busy ? 'Adding…' : 'Add server'}
        </button>
        <span className="small muted">Adding makes no connection. Plain http is allowed to this computer (localhost) only, unless acknowledged above.</span>
      </div>
    </form>
  )
}

function CheckSummary({ check }: { check: EndpointCheck }): React.JSX.Element {
  return (
    <div className="small" aria-label="Server check">
      <strong>{check.kind}</strong>
      {check.version ? ` ${check.version}` : ''} · round trip {check.latencyMs} ms{check.slots ? ` · ${check.slots} slots` : ''}
      <div>
        Models: <span className="mono">{check.models.join(', ') || 'none'}</span>
      </div>
      {check.adapters?.length ? <div>LoRA adapters: {check.adapters.map((a) => `${a.id} ${a.path.split(/[\\/]/).pop()}`).join(', ')}</div> : null}
    </div>
  )
}

function EndpointRow({ endpoint, onChanged }: { endpoint: EndpointEntry; onChanged: () => void }): React.JSX.Element {
  const [state, setState] = useState<{ busy?: 'test' | 'remove'; check?: EndpointCheck; error?: Error; confirm?: boolean }>({})
  const check = state.check ?? endpoint.lastCheck
  const test = (): void => {
    setState({ busy: 'test' })
    call('endpoints.test', { id: endpoint.id })
      .then((c) => setState({ check: c }))
      .catch((error: Error) => setState({ error }))
  }
  const remove = (): void => {
    setState({ busy: 'remove' })
    call('endpoints.remove', { id: endpoint.id })
      .then(onChanged)
      .catch((error: Error) => setState({ error }))
  }
  return (
    <tr aria-label={endpoint.name}>
      <td>{endpoint.name}</td>
      <td className="mono small">
        {endpoint.url}
        {endpoint.allowPrivateHttp ? <div className="muted">private network, plain http acknowledged</div> : null}
        {endpoint.caFile ? <div className="muted">CA {endpoint.caFile}</div> : null}
        {endpoint.apiKeyFile ? <div className="muted">API key from a file</div> : null}
      </td>
      <td>
        {state.busy === 'test' ? <Loading what="the server's models" /> : null}
        {state.error ? <ErrorBanner error={state.error} /> : null}
        {!state.busy && !state.error && check ? <CheckSummary check={check} /> : null}
        {!state.busy && !state.error && !check ? <span className="muted small">Not tested yet</span> : null}
      </td>
      <td>
        <div className="row">
          <button className="secondary small" onClick={test} disabled={!!state.busy}>
            Test
          </button>
          {state.confirm ? (
            <>
              <button className="danger small" onClick={remove} disabled={!!state.busy}>
                Remove {endpoint.name}
              </button>
              <button className="secondary small" onClick={() => setState({})}>
                Keep
              </button>
            </>
          ) : (
            <button className="secondary small" onClick={() => setState({ confirm: true })} disabled={!!state.busy}>
              Remove…
            </button>
          )}
        </div>
      </td>
    </tr>
  )
}

export function ServersPanel(): React.JSX.Element {
  const endpoints = useCall('endpoints.list', {})
  return (
    <section className="card stack" aria-label="Servers">
      <h2>Servers</h2>
      <p className="muted small">
        Inference servers on your network that speak the OpenAI API (llama.cpp&apos;s llama-server, vLLM, SGLang), for the server engine.
        RadLabel connects only to servers listed here, from the app itself, never from this page.
      </p>
      <AddEndpointForm onAdded={endpoints.reload} />
      {endpoints.loading && !endpoints.data ? <Loading what="servers" /> : null}
      {endpoints.error ? <ErrorBanner error={endpoints.error} onRetry={endpoints.reload} /> : null}
      {endpoints.data && endpoints.data.length === 0 ? (
        <EmptyState title="No servers">Add one above to label with a model served on a GPU server. Until then RadLabel makes no network connection.</EmptyState>
      ) : null}
      {endpoints.data && endpoints.data.length > 0 ? (
        <table className="data" aria-label="Servers list">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Last test</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {endpoints.data.map((e) => (
              <EndpointRow key={e.id} endpoint={e} onChanged={endpoints.reload} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
