// Settings of the llm engine for a run: model, LoRA adapter and scale, task, prompt template, and the
// throughput settings (parallel sequences, threads, GPU backend and layers, context and batch size).
// Edits a partial engine config; the run validates it with the shared llmConfigSchema.
import type { LlmConfigInput } from '../../../../common/ipc/calls/models'
import { GPU_CHOICES, LLM_TASKS } from '../../../../common/ipc/calls/models'
import { useEffect, useRef } from 'react'
import { useCall } from '../../app/hooks'
import { ErrorBanner } from '../../ui/states'

export type LlmOptionsValue = Partial<LlmConfigInput>

const TASK_LABEL: Record<(typeof LLM_TASKS)[number], string> = {
  classify: 'Classification: a state for every label',
  open: 'Open-ended detection: findings present, as phrases',
  both: 'Both, in one answer'
}

const GPU_LABEL: Record<(typeof GPU_CHOICES)[number], string> = {
  auto: 'Automatic (best available)',
  cuda: 'CUDA (NVIDIA)',
  metal: 'Metal (Apple)',
  vulkan: 'Vulkan',
  cpu: 'CPU only'
}

/** An optional positive integer field: empty means "use the default". */
function NumberField(props: {
  label: string
  value: number | undefined
  placeholder: string
  min?: number
  max?: number
  step?: number
  help?: string
  onChange(value: number | undefined): void
}): React.JSX.Element {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min ?? 1}
        max={props.max}
        step={props.step ?? 1}
        value={props.value ?? ''}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
      {props.help ? <span className="small muted">{props.help}</span> : null}
    </label>
  )
}

export function LlmOptions({ value, onChange }: { value: LlmOptionsValue; onChange(value: LlmOptionsValue): void }): React.JSX.Element {
  const models = useCall('models.list', {})
  const templates = useCall('models.templates', {})
  const set = (patch: LlmOptionsValue): void => onChange({ ...value, ...patch })
  const bases = (models.data ?? []).filter((m) => m.kind === 'base')
  const loras = (models.data ?? []).filter((m) => m.kind === 'lora')
  const chosen = (models.data ?? []).find((m) => m.path === value.model)
  const templateKey = value.template ? `${value.template.name}@${value.template.version}` : (value.promptTemplate ?? 'radlabel-default')
  const gpuLayers = value.gpuLayers ?? 'auto'
  // The only model there is is the one to use: preselect it (once; the user may still clear it).
  const preselected = useRef(false)
  useEffect(() => {
    if (preselected.current || !models.data) return
    preselected.current = true
    if (bases.length === 1 && !value.model) onChange({ ...value, model: bases[0].path })
  }, [models.data, bases, value, onChange])

  return (
    <fieldset className="card stack" aria-label="LLM settings">
      <legend>LLM settings</legend>
      {models.error ? <ErrorBanner error={models.error} onRetry={models.reload} /> : null}
      <div className="row">
        <label className="grow">
          Model (GGUF)
          <select value={value.model ?? ''} onChange={(e) => set({ model: e.target.value || undefined })}>
            <option value="">{bases.length ? 'Choose a model…' : 'No models yet: add one on the Models page'}</option>
            {bases.map((m) => (
              <option key={m.id} value={m.path} disabled={!m.available}>
                {m.name} · {m.header.quantisation ?? '?'} · {(m.header.parameters / 1e9).toFixed(1)}B
                {m.available ? '' : ' (missing)'}
              </option>
            ))}
          </select>
          {chosen && !chosen.sha256 ? <span className="small muted">sha256 not computed yet; the run computes it.</span> : null}
        </label>
        <label>
          Task
          <select value={value.task ?? 'classify'} onChange={(e) => set({ task: e.target.value as LlmOptionsValue['task'] })}>
            {LLM_TASKS.map((t) => (
              <option key={t} value={t}>
                {TASK_LABEL[t]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row">
        <NumberField
          label="Max tokens per answer"
          value={value.maxTokens as number | undefined}
          placeholder="1024"
          max={32768}
          help="A longer answer is cut off and becomes that report's error."
          onChange={(maxTokens) => set({ maxTokens })}
        />
      </div>
      <div className="row">
        <label className="grow">
          LoRA adapter
          <select value={value.lora ?? ''} onChange={(e) => set({ lora: e.target.value || undefined })}>
            <option value="">None</option>
            {loras.map((m) => (
              <option key={m.id} value={m.path} disabled={!m.available}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="LoRA scale"
          value={value.loraScale as number | undefined}
          placeholder="1"
          min={-4}
          max={4}
          step={0.05}
          onChange={(loraScale) => set({ loraScale })}
        />
        <label className="grow">
          Prompt template
          <select
            value={templateKey}
            onChange={(e) => {
              const entry = (templates.data ?? []).find((t) => `${t.template.name}@${t.template.version}` === e.target.value)
              if (!entry) return
              // Workspace templates travel inside the config, so the run records the exact text it used.
              set(entry.builtin ? { promptTemplate: entry.template.name, template: undefined } : { promptTemplate: entry.template.name, template: entry.template })
            }}
          >
            {!value.template && !(templates.data ?? []).some((t) => t.builtin && t.template.name === templateKey) ? (
              <option value={templateKey}>{templateKey}</option>
            ) : null}
            {(templates.data ?? []).map((t) => {
              const key = `${t.template.name}@${t.template.version}`
              return (
                <option key={key} value={t.builtin ? t.template.name : key}>
                  {t.template.name} v{t.template.version}
                  {t.builtin ? ' (built-in)' : ''}
                </option>
              )
            })}
          </select>
        </label>
      </div>
      <details>
        <summary>Throughput and hardware</summary>
        <div className="row">
          <NumberField
            label="Parallel sequences"
            value={value.sequences as number | undefined}
            placeholder="1"
            max={64}
            help="Reports generated at once; each needs its own context."
            onChange={(sequences) => set({ sequences })}
          />
          <NumberField
            label="Context size (tokens per sequence)"
            value={value.contextSize as number | undefined}
            placeholder="4096"
            min={256}
            onChange={(contextSize) => set({ contextSize })}
          />
          <NumberField
            label="Batch size"
            value={value.batchSize as number | undefined}
            placeholder="512"
            onChange={(batchSize) => set({ batchSize })}
          />
          <NumberField
            label="CPU threads"
            value={value.threads as number | undefined}
            placeholder="physical cores"
            help="More threads than physical cores is much slower."
            onChange={(threads) => set({ threads })}
          />
        </div>
        <div className="row">
          <label>
            GPU backend
            <select value={value.gpu ?? 'auto'} onChange={(e) => set({ gpu: e.target.value as LlmOptionsValue['gpu'] })}>
              {GPU_CHOICES.map((g) => (
                <option key={g} value={g}>
                  {GPU_LABEL[g]}
                </option>
              ))}
            </select>
          </label>
          <label>
            GPU layers
            <select
              value={typeof gpuLayers === 'number' || /^\d+$/.test(String(gpuLayers)) ? 'number' : String(gpuLayers)}
              onChange={(e) => set({ gpuLayers: e.target.value === 'number' ? 0 : (e.target.value as 'auto' | 'max') })}
            >
              <option value="auto">Automatic (fit to free VRAM)</option>
              <option value="max">All layers</option>
              <option value="number">A number of layers…</option>
            </select>
          </label>
          {typeof gpuLayers === 'number' ? (
            <NumberField label="Layers on the GPU" value={gpuLayers} placeholder="0" min={0} onChange={(n) => set({ gpuLayers: n ?? 0 })} />
          ) : null}
          <label>
            Engine process
            <select
              value={value.isolation ?? 'process'}
              onChange={(e) => set({ isolation: e.target.value as LlmOptionsValue['isolation'] })}
            >
              <option value="process">Separate process (a llama.cpp crash cannot stop RadLabel)</option>
              <option value="in-process">In the app process (fallback where the separate process fails)</option>
            </select>
          </label>
        </div>
      </details>
    </fieldset>
  )
}
