// Inference-server calls: the workspace's endpoints (OpenAI-compatible servers: llama-server, vLLM,
// SGLang) added explicitly by a user, tested, listed with their models. Also the `server` engine's
// settings schema, shared by the Detect form, the CLI and the engine. Only the main process (Node)
// ever connects to an endpoint; the renderer only asks through these calls.
import { z } from 'zod'
import { call, filePath, id, noInput } from '../define'
import { LLM_TASKS, promptTemplateSchema } from './models'

export const SERVER_KINDS = ['llama-server', 'vllm', 'sglang', 'openai-compatible'] as const
export type ServerKind = (typeof SERVER_KINDS)[number]

/** A base URL of an OpenAI-compatible API, e.g. http://gpu01:8000/v1 (no credentials, query or fragment). */
export const endpointUrl = z
  .string()
  .trim()
  .min(1, 'an endpoint URL is required, e.g. http://127.0.0.1:8080/v1')
  .max(2048)

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max)
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])

/**
 * Settings of the server engine, from the Detect form, the CLI (--endpoint, --server-model, --api-key-file,
 * --concurrency, --lora NAME[:SCALE], --max-tokens, --task, --prompt-template, --ca-file,
 * --allow-private-http) or a stored run. The API key itself is never part of it: only the path of the
 * file it is read from at run time.
 */
export const serverConfigSchema = z.object({
  endpoint: endpointUrl,
  /** The model name the server serves (see `radlabel endpoints test`). */
  serverModel: z.string().trim().min(1, 'choose the served model (--server-model NAME)').max(512),
  /** A file holding the API key (Bearer token); read when the run starts, never stored. */
  apiKeyFile: z.string().trim().min(1).max(4096).optional(),
  /** PEM file of the CA that signed the server's certificate (hospital PKI). */
  caFile: z.string().trim().min(1).max(4096).optional(),
  /** Plain http to a host that is not loopback: the user acknowledged it crosses a private network unencrypted. */
  allowPrivateHttp: flag.default(false),
  /** Requests in flight at once. */
  concurrency: positiveInt(256).default(4),
  /** Per-request LoRA adapter: NAME or NAME:SCALE (vLLM: the adapter's model name; llama-server: adapter id or file name; SGLang: lora_path). */
  lora: z.string().trim().min(1).max(512).optional(),
  task: z.enum(LLM_TASKS).default('classify'),
  promptTemplate: z.string().trim().min(1).default('radlabel-default'),
  template: promptTemplateSchema.optional(),
  maxTokens: positiveInt(32_768).default(1024),
  maxFindings: positiveInt(64).default(12),
  maxQuoteChars: positiveInt(2000).default(200),
  /** Seconds one request may take before it is retried. */
  requestTimeout: positiveInt(3600).default(300),
  /** Retries of one request on 429, 5xx, timeouts and dropped connections. */
  maxRetries: z.coerce.number().int().min(0).max(20).default(5),
  /** First backoff delay of a retry, in milliseconds (doubles per retry, with jitter; Retry-After wins). */
  retryBaseMs: z.coerce.number().int().min(1).max(60_000).default(500),
  /** The request dialect; 'auto' follows the detected server kind. */
  dialect: z.enum(['auto', 'openai', 'vllm', 'llama-server', 'sglang']).default('auto')
})
export type ServerConfig = z.infer<typeof serverConfigSchema>
export type ServerConfigInput = z.input<typeof serverConfigSchema>

export interface EndpointEntry {
  id: number
  name: string
  url: string
  caFile: string | null
  allowPrivateHttp: boolean
  apiKeyFile: string | null
  addedAt: string
  /** The last successful test, if any. */
  lastCheck: EndpointCheck | null
}

export interface EndpointCheck {
  kind: ServerKind
  version: string | null
  models: string[]
  /** llama-server's loaded LoRA adapters (id, file), when it has any. */
  adapters?: Array<{ id: number; path: string; scale: number }>
  /** Slots (llama-server's parallel sequences), when the server says. */
  slots?: number | null
  /** Round trip of GET /v1/models, in milliseconds. */
  latencyMs: number
  checkedAt: string
}

export const endpointInput = z.object({
  name: z.string().trim().min(1, 'give the endpoint a name').max(80),
  url: endpointUrl,
  caFile: filePath.optional(),
  allowPrivateHttp: z.boolean().default(false),
  apiKeyFile: filePath.optional()
})

export const serversCalls = {
  'endpoints.list': call<EndpointEntry[]>()(noInput),
  /** Adds an endpoint; makes no connection. */
  'endpoints.add': call<EndpointEntry>()(endpointInput),
  'endpoints.remove': call<{ removed: boolean }>()(z.object({ id })),
  /** Connects (from the main process) and lists the server's models, kind, version and round-trip latency. */
  'endpoints.test': call<EndpointCheck>()(z.object({ id })),
  /** The models an endpoint serves (for the Detect form): the last check's list, refreshed when asked. */
  'endpoints.models': call<{ models: string[]; kind: ServerKind | null; adapters: Array<{ id: number; path: string; scale: number }> }>()(
    z.object({ id, refresh: z.boolean().default(false) })
  )
}
