// The form that starts a labelling run: engine, label set, the engine's settings, run name.
import { useState } from 'react'
import type { DetectRun } from '../../../../common/ipc/calls/detect'
import { TEXT_SCOPES, type JobSnapshot, type TextScope } from '../../../../common/types'
import { call } from '../../app/api'
import { useCall, useWorkspaceLabelSet } from '../../app/hooks'
import { ErrorBanner } from '../../ui/states'
import { LlmOptions, type LlmOptionsValue } from './LlmOptions'
import { ProbePanel } from './ProbePanel'
import { ServerOptions, serverConfig, type ServerOptionsValue } from './ServerOptions'
import { DEFAULT_SCOPE, ScopeFields, toRunScope, type ScopeValue } from './ScopeFields'

const ENGINE_TEXT: Record<string, string> = {
  rules: 'Rules (instant, explainable)',
  llm: 'LLM (local model)',
  server: 'LLM on an inference server (llama-server, vLLM, SGLang)'
}

const SCOPE_TEXT: Record<TextScope, string> = {
  whole: 'Whole report (indication and history included)',
  findings_impression: 'Findings and impression',
  impression: 'Impression only'
}

export function RunForm({ onStarted }: { onStarted(run: DetectRun, job: JobSnapshot): void }): React.JSX.Element {
  const engines = useCall('detect.engines', {})
  const labelSets = useCall('labelsets.list', {})
  const models = useCall('models.list', {})
  const endpoints = useCall('endpoints.list', {})
  const [engine, setEngine] = useState('rules')
  const [labelSet, setLabelSet] = useWorkspaceLabelSet()
  const [scope, setScope] = useState<TextScope>('findings_impression')
  const [hedging, setHedging] = useState<'' | 'all' | 'probable'>('')
  const [llm, setLlm] = useState<LlmOptionsValue>({})
  const [server, setServer] = useState<ServerOptionsValue>({})
  const [scopeValue, setScopeValue] = useState<ScopeValue>(DEFAULT_SCOPE)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<Error>()

  const hasModels = (models.data ?? []).some((m) => m.kind === 'base')
  const hasEndpoints = (endpoints.data ?? []).length > 0
  const available = (engines.data ?? []).filter((e) => (e.name !== 'llm' || hasModels) && (e.name !== 'server' || hasEndpoints))
  const chosenSet = (labelSets.data ?? []).find((s) => s.slug === labelSet)

  const config: Record<string, unknown> =
    engine === 'rules' ? { scope, ...(hedging ? { hedging } : {}) } : engine === 'server' ? serverConfig(server, endpoints.data) : { ...llm }
  const runScope = toRunScope(scopeValue)

  const start = (): void => {
    setBusy(true)
    setError(undefined)
    call('detect.start', { engine, labelSet, config, name: name.trim() || undefined, scope: runScope })
      .then(({ run, job }) => {
        setName('')
        onStarted(run, job)
      })
      .catch(setError)
      .finally(() => setBusy(false))
  }

  return (
    <section className="card stack" aria-label="New run">
      <h2>Label reports</h2>
      {engines.error ? <ErrorBanner error={engines.error} onRetry={engines.reload} /> : null}
      {labelSets.error ? <ErrorBanner error={labelSets.error} onRetry={labelSets.reload} /> : null}
      <div className="row">
        <label>
          Engine
          <select aria-label="Engine" value={engine} onChange={(e) => setEngine(e.target.value)}>
            {available.map((e) => (
              <option key={e.name} value={e.name} title={e.description}>
                {ENGINE_TEXT[e.name] ?? e.name}
              </option>
            ))}
          </select>
          {!hasModels || !hasEndpoints ? (
            <span className="small muted">
              {!hasModels ? 'The LLM engine appears once a model is added on the Models page. ' : ''}
              {!hasEndpoints ? 'The server engine appears once an endpoint is added on the Models page.' : ''}
            </span>
          ) : null}
        </label>
        <label>
          Label set
          <select aria-label="Label set" value={labelSet} onChange={(e) => setLabelSet(e.target.value)}>
            {(labelSets.data ?? []).map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name} ({s.slug} v{s.version}
                {s.builtin ? ', built-in' : ''})
              </option>
            ))}
          </select>
          {chosenSet ? <span className="small muted">{chosenSet.labelCount} labels; the run records version {chosenSet.version}.</span> : null}
        </label>
        <label className="grow">
          Run name (optional)
          <input value={name} maxLength={200} placeholder="engine · label set · time" onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      {engine === 'rules' ? (
        <div className="row">
          <label>
            Text to read
            <select aria-label="Text to read" value={scope} onChange={(e) => setScope(e.target.value as TextScope)}>
              {TEXT_SCOPES.map((s) => (
                <option key={s} value={s}>
                  {SCOPE_TEXT[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Hedged findings
            <select aria-label="Hedged findings" value={hedging} onChange={(e) => setHedging(e.target.value as typeof hedging)}>
              <option value="">Label set's convention</option>
              <option value="all">Every hedge is uncertain (may, possible, cannot exclude…)</option>
              <option value="probable">Only probable hedges are uncertain (likely, suspected…)</option>
            </select>
          </label>
        </div>
      ) : null}
      {engine === 'llm' ? <LlmOptions value={llm} onChange={setLlm} /> : null}
      {engine === 'server' ? <ServerOptions value={server} onChange={setServer} /> : null}
      <ScopeFields value={scopeValue} onChange={setScopeValue} />
      <ProbePanel engine={engine} labelSet={labelSet} config={config} scope={runScope} disabled={!available.length} />
      {error ? <ErrorBanner error={error} /> : null}
      <div className="row">
        <button onClick={start} disabled={busy || !available.length || !labelSets.data?.length || !runScope}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </section>
  )
}
