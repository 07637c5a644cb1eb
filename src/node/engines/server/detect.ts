// What an endpoint is: its models (GET /v1/models), the server kind (owned_by, then llama-server's
// /props, vLLM's /version, SGLang's /get_server_info), its version, llama-server's slots and LoRA
// adapters, and the round-trip latency of /v1/models.
import { AppError } from '../../../common/errors'
import type { EndpointCheck, ServerKind } from '../../../common/ipc/calls/servers'
import { nowIso } from '../../store/db'
import { EndpointRequestError, type EndpointClient, type HttpAnswer } from '../../net/endpoint-client'

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {})
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null)

/** A non-2xx answer as an AppError that says what to do. */
export function statusError(origin: string, path: string, answer: HttpAnswer): AppError {
  const detail = str(obj(obj(answer.json).error).message) ?? str(obj(answer.json).detail) ?? answer.text.slice(0, 200)
  if (answer.status === 401 || answer.status === 403) {
    return new AppError('forbidden', `${origin} refused ${path} (HTTP ${answer.status}: ${detail || 'not authorised'}).`, 'The server needs an API key: pass the file holding it with --api-key-file (or set it on the endpoint).')
  }
  if (answer.status === 404) {
    return new AppError('not_found', `${origin} has no ${path} (HTTP 404).`, 'Give the base URL of the OpenAI-compatible API, usually ending in /v1 (e.g. http://gpu01:8000/v1).')
  }
  return new AppError('engine_failed', `${origin} answered ${path} with HTTP ${answer.status}${detail ? `: ${detail}` : ''}.`)
}

async function probe(client: EndpointClient, path: string, signal?: AbortSignal): Promise<Record<string, unknown> | null> {
  try {
    const a = await client.request('GET', path, { signal, timeoutMs: 10_000 })
    return a.status === 200 && a.json && typeof a.json === 'object' ? obj(a.json) : null
  } catch (err) {
    if (err instanceof EndpointRequestError && err.kind === 'aborted') throw err
    return null
  }
}

export async function detectServer(client: EndpointClient, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<EndpointCheck> {
  let answer: HttpAnswer
  try {
    answer = await client.request('GET', 'models', { signal: options.signal, timeoutMs: options.timeoutMs ?? 15_000 })
  } catch (err) {
    if (err instanceof EndpointRequestError) throw new AppError('engine_failed', err.message, 'Check that the server is running and the URL and port are right.')
    throw err
  }
  if (answer.status !== 200) throw statusError(client.origin, `${client.base.pathname}/models`, answer)
  const data = obj(answer.json).data
  if (!Array.isArray(data)) {
    throw new AppError('engine_failed', `${client.origin}${client.base.pathname}/models did not answer with an OpenAI model list.`, 'Is this an OpenAI-compatible API? The base URL usually ends in /v1.')
  }
  const models = data.map((m) => str(obj(m).id)).filter((m): m is string => m !== null)
  const owners = new Set(data.map((m) => str(obj(m).owned_by)))
  let kind: ServerKind = owners.has('llamacpp') ? 'llama-server' : owners.has('vllm') ? 'vllm' : owners.has('sglang') ? 'sglang' : 'openai-compatible'
  let version: string | null = null
  let slots: number | null = null
  let adapters: EndpointCheck['adapters']
  if (kind === 'llama-server' || kind === 'openai-compatible') {
    const props = await probe(client, '/props', options.signal)
    if (props && ('build_info' in props || 'default_generation_settings' in props || 'total_slots' in props)) {
      kind = 'llama-server'
      version = str(props.build_info)
      slots = typeof props.total_slots === 'number' ? props.total_slots : null
      const loras = await client.request('GET', '/lora-adapters', { signal: options.signal, timeoutMs: 10_000 }).catch(() => null)
      if (loras?.status === 200 && Array.isArray(loras.json)) {
        adapters = loras.json.map((l) => ({ id: Number(obj(l).id), path: String(obj(l).path ?? ''), scale: Number(obj(l).scale ?? 1) }))
      }
    }
  }
  if (kind === 'vllm' || kind === 'openai-compatible') {
    const v = await probe(client, '/version', options.signal)
    if (v && str(v.version)) {
      version = str(v.version)
      if (kind === 'openai-compatible' && owners.has('vllm')) kind = 'vllm'
    }
  }
  if (kind === 'sglang' || kind === 'openai-compatible') {
    const info = await probe(client, '/get_server_info', options.signal)
    if (info && str(info.version)) {
      kind = 'sglang'
      version = str(info.version)
    }
  }
  return { kind, version, models, ...(adapters ? { adapters } : {}), slots, latencyMs: Math.round(answer.latencyMs * 10) / 10, checkedAt: nowIso() }
}
