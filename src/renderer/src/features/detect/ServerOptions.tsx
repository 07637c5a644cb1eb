// Settings of the server engine for a run: one of the workspace's endpoints (added on the Models page),
// a model the server serves (listed by the main process, which alone connects), an adapter where the
// server has some, task, prompt template, requests in flight and max tokens. Edits a partial config; the
// run validates it with the shared serverConfigSchema.
import { useEffect } from 'react'
import type { LlmTask } from '../../../../common/ipc/calls/models'
import { LLM_TASKS } from '../../../../common/ipc/calls/models'
import type { EndpointEntry, ServerConfigInput } from '../../../../common/ipc/calls/servers'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { ErrorBanner } from '../../ui/states'

export type ServerOptionsValue = Partial<ServerConfigInput> & { endpointId?: number }

const TASK_LABEL: Record<LlmTask, string> = {
  classify: 'Classification: a state for every label',
  open: 'Open-ended detection: findings present, as phrases',
  both: 'Both, in one answer'
}

/** The engine config of the form's value (the endpoint's URL and TLS settings, not its id). */
export function serverConfig(v: ServerOptionsValue, endpoints: EndpointEntry[] | undefined): Record<string, unknown> {
  const { endpointId, ...rest } = v
  const e = endpoints?.find((x) => x.id === endpointId)
  if (!e) return { ...rest }
  return {
    ...rest,
    endpoint: e.url,
    ...(rest.concurrency === undefined && e.lastCheck?.slots ? { concurrency: e.lastCheck.slots } : {}),
    ...(e.caFile ? { caFile: e.caFile } : {}),
    ...(e.allowPrivateHttp ? { allowPrivateHttp: true } : {}),
    ...(e.apiKeyFile ? { apiKeyFile: e.apiKeyFile } : {})
  }
}

export function ServerOptions({ value, onChange }: { value: ServerOptionsValue; onChange(v: ServerOptionsValue): void }): React.JSX.Element {
  const endpoints = useCall('endpoints.list', {})
  const templates = useCall('models.templates', {})
  const models = useCall('endpoints.models', value.endpointId ? { id: value.endpointId } : null)
  const set = (patch: ServerOptionsValue): void => onChange({ ...value, ...patch })
  const chosen = endpoints.data?.find((e) => e.id === value.endpointId)

  // one endpoint: choose it; one model: choose it
  useEffect(() => {
    if (value.endpointId === undefined && endpoints.data?.length === 1) onChange({ ...value, endpointId: endpoints.data[0]!.id })
  }, [endpoints.data, value, onChange])
  useEffect(() => {
    if (!value.serverModel && models.data?.models.length === 1) onChange({ ...value, serverModel: models.data.models[0] })
  }, [models.data, value, onChange])

  // listing the models tests an untested endpoint: show its kind and slots from then on
  const reloadEndpoints = endpoints.reload
  const untested = !!chosen && !chosen.lastCheck
  useEffect(() => {
    if (models.data && untested) reloadEndpoints()
  }, [models.data, untested, reloadEndpoints])

  const adapters = models.data?.adapters ?? []
  return (
    <fieldset className="card stack" aria-label="Server settings">
      <legend>Inference server</legend>
      {endpoints.error ? <ErrorBanner error={endpoints.error} onRetry={endpoints.reload} /> : null}
      <div className="row">
        <label className="grow">
          Endpoint
          <select aria-label="Endpoint" value={value.endpointId ?? ''} onChange={(e) => set({ endpointId: e.target.value ? Number(e.target.value) : undefined, serverModel: undefined, lora: undefined })}>
            <option value="">{endpoints.data?.length ? 'Choose an endpoint…' : 'No endpoints yet: add one on the Models page'}</option>
            {(endpoints.data ?? []).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name} · {e.url}
                {e.lastCheck ? ` · ${e.lastCheck.kind}` : ' · not tested'}
              </option>
            ))}
          </select>
          {chosen?.lastCheck?.slots ? <span className="small muted">The server has {chosen.lastCheck.slots} slots.</span> : null}
        </label>
        <label className="grow">
          Model
          <select aria-label="Server model" value={value.serverModel ?? ''} onChange={(e) => set({ serverModel: e.target.value || undefined })} disabled={!value.endpointId}>
            <option value="">{models.loading ? 'Asking the server…' : models.data?.models.length ? 'Choose a model…' : 'No models listed'}</option>
            {(models.data?.models ?? []).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {value.endpointId ? (
          <button
            className="secondary small"
            onClick={() => void call('endpoints.models', { id: value.endpointId!, refresh: true }).then(models.reload, models.reload)}
            disabled={models.loading}
          >
            Refresh models
          </button>
        ) : null}
      </div>
      {models.error ? <ErrorBanner error={models.error} onRetry={models.reload} /> : null}
      <div className="row">
        <label className="grow">
          Adapter (LoRA)
          {adapters.length ? (
            <select aria-label="Adapter" value={value.lora ?? ''} onChange={(e) => set({ lora: e.target.value || undefined })}>
              <option value="">None</option>
              {adapters.map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.path.split(/[\\/]/).pop()} (id {a.id})
                </option>
              ))}
            </select>
          ) : (
            <input
              aria-label="Adapter"
              value={value.lora ?? ''}
              placeholder="none (vLLM: the adapter's served name, NAME[:SCALE])"
              onChange={(e) => set({ lora: e.target.value.trim() || undefined })}
            />
          )}
        </label>
        <label>
          Task
          <select aria-label="Server task" value={value.task ?? 'classify'} onChange={(e) => set({ task: e.target.value as LlmTask })}>
            {LLM_TASKS.map((t) => (
              <option key={t} value={t}>
                {TASK_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Prompt template
          <select
            aria-label="Server prompt template"
            value={value.template ? `${value.template.name}@${value.template.version}` : (value.promptTemplate ?? 'radlabel-default')}
            onChange={(e) => {
              const entry = (templates.data ?? []).find((t) => (t.builtin ? t.template.name : `${t.template.name}@${t.template.version}`) === e.target.value)
              if (entry) set(entry.builtin ? { promptTemplate: entry.template.name, template: undefined } : { promptTemplate: entry.template.name, template: entry.template })
            }}
          >
            {templates.data?.length ? null : <option value="radlabel-default">radlabel-default (built-in)</option>}
            {(templates.data ?? []).map((t) => {
              const key = t.builtin ? t.template.name : `${t.template.name}@${t.template.version}`
              return (
                <option key={key} value={key}>
                  {t.template.name} v{t.template.version}
                  {t.builtin ? ' (built-in)' : ''}
                </option>
              )
            })}
          </select>
        </label>
      </div>
      <div className="row">
        <label>
          Requests in flight
          <input
            aria-label="Requests in flight"
            type="number"
            min={1}
            max={256}
            value={(value.concurrency as number | undefined) ?? ''}
            placeholder={String(chosen?.lastCheck?.slots ?? 4)}
            onChange={(e) => set({ concurrency: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
          <span className="small muted">Match the server's slots.</span>
        </label>
        <label>
          Max tokens per answer
          <input
            aria-label="Server max tokens"
            type="number"
            min={1}
            max={32768}
            value={(value.maxTokens as number | undefined) ?? ''}
            placeholder="1024"
            onChange={(e) => set({ maxTokens: e.target.value === '' ? undefined : Number(e.target.value) })}
          />
        </label>
      </div>
    </fieldset>
  )
}
