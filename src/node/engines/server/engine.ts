// The `server` engine: labels reports through an OpenAI-compatible inference server (llama-server, vLLM,
// SGLang) with the llm engine's prompt templates, answer schema, parser, evidence checks and provenance.
// Requests go out N at a time; 429, 5xx, timeouts and dropped connections are retried with backoff; a
// cut-off or invalid answer gets one retry with twice the token budget, then becomes a per-report error.
// A server that stays unreachable stops the run with a clear error; resume sends only what is not done.
import { AppError } from '../../../common/errors'
import { serverConfigSchema, type EndpointCheck, type ServerConfig, type ServerKind } from '../../../common/ipc/calls/servers'
import { EndpointClient, EndpointRequestError } from '../../net/endpoint-client'
import { askedLabels } from '../llm/prompts'
import { resultFromAnswer, type ParseContext } from '../llm/parse'
import { resolveTemplate, templateProvenance } from '../llm/template-choice'
import { answerRequestBuilder, type ChatRequestBody, type LoraChoice, type ServerDialect } from '../openai/request'
import { ChatResponseError, readChatAnswer } from '../openai/response'
import { PartialBatchError, type Engine, type EngineReport, type EngineResult, type EngineSession, type VersionedLabelSet } from '../types'
import { detectServer, statusError } from './detect'

export interface ServerStats {
  reports: number
  requests: number
  retries: number
  promptTokens: number
  completionTokens: number
  /** Sum of request round trips (ms). */
  requestMs: number
  /** Sum of llama-server's own prompt + generation time (timings), where the server reports it. */
  serverMs: number
}

export interface ServerSession extends EngineSession {
  stats(): ServerStats
  readonly check: EndpointCheck
}

const MAX_RETRY_TOKENS = 32_768

export function dialectOf(kind: ServerKind): ServerDialect {
  return kind === 'openai-compatible' ? 'openai' : kind
}

/** "NAME" or "NAME:SCALE" (the last colon separates the scale, so paths with colons still work). */
export function parseLoraOption(value: string): { name: string; scale: number } {
  const i = value.lastIndexOf(':')
  if (i > 0 && /^-?\d+(\.\d+)?$/.test(value.slice(i + 1))) {
    const scale = Number(value.slice(i + 1))
    if (scale < -4 || scale > 4) throw new AppError('invalid_input', `The LoRA scale ${scale} is outside -4..4.`)
    return { name: value.slice(0, i), scale }
  }
  return { name: value, scale: 1 }
}

/** The adapter choice in the dialect's terms; llama-server gets every loaded adapter, unused ones at scale 0. */
function adapterRequest(
  config: ServerConfig,
  check: EndpointCheck,
  dialect: ServerDialect
): { lora?: LoraChoice; extraFields?: Record<string, unknown>; recorded: Record<string, unknown> | null } {
  const wanted = config.lora ? parseLoraOption(config.lora) : null
  if (dialect === 'llama-server') {
    const loaded = check.adapters ?? []
    let id: number | undefined
    if (wanted) {
      const byId = /^\d+$/.test(wanted.name) ? loaded.find((a) => a.id === Number(wanted.name)) : undefined
      const base = (p: string): string => p.split(/[\\/]/).pop() ?? p
      const found = byId ?? loaded.find((a) => a.path === wanted.name || base(a.path) === wanted.name || base(a.path).replace(/\.gguf$/i, '') === wanted.name)
      if (!found) {
        throw new AppError(
          'not_found',
          `llama-server has no LoRA adapter "${wanted.name}".`,
          loaded.length
            ? `Loaded adapters: ${loaded.map((a) => `${a.id} (${base(a.path)})`).join(', ')}. Pass --lora ID or FILE-NAME[:SCALE].`
            : 'Start llama-server with --lora ADAPTER.gguf (and --lora-init-without-apply) to serve an adapter.'
        )
      }
      id = found.id
    }
    if (!loaded.length) return { recorded: null }
    // Every loaded adapter is named, so an adapter the run did not ask for is off (scale 0), not applied by default.
    const list = loaded.map((a) => ({ id: a.id, scale: a.id === id ? wanted!.scale : 0 }))
    const chosen = loaded.find((a) => a.id === id)
    return { extraFields: { lora: list }, recorded: chosen ? { id: chosen.id, path: chosen.path, scale: wanted!.scale } : { none: true, loadedOff: loaded.length } }
  }
  if (!wanted) return { recorded: null }
  if (wanted.scale !== 1) {
    throw new AppError('unsupported', `${dialect} applies a per-request LoRA adapter at scale 1 only; ${wanted.scale} was asked.`, 'Drop the :SCALE, or use llama-server, which takes a scale per request.')
  }
  if ((dialect === 'vllm' || dialect === 'openai') && !check.models.includes(wanted.name)) {
    throw new AppError('not_found', `The server serves no adapter named "${wanted.name}".`, `Served models and adapters: ${check.models.join(', ') || 'none'}. vLLM serves adapters given with --lora-modules NAME=PATH.`)
  }
  return { lora: { name: wanted.name, scale: 1 }, recorded: { name: wanted.name, scale: 1 } }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new EndpointRequestError('The request was cancelled.', 'aborted', false))
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(t)
      reject(new EndpointRequestError('The request was cancelled.', 'aborted', false))
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header
  if (!v) return undefined
  const seconds = Number(v)
  if (Number.isFinite(seconds)) return Math.min(120_000, Math.max(0, seconds * 1000))
  const at = Date.parse(v)
  return Number.isFinite(at) ? Math.min(120_000, Math.max(0, at - Date.now())) : undefined
}

/** A per-report failure the server gave (HTTP 400 / 422: e.g. the prompt does not fit its context). */
class ReportRejected extends Error {
  constructor(
    message: string,
    /** The server kept answering with an error status (5xx, 429) for this report: counts towards the breaker. */
    readonly serverError = false,
    readonly attempts = 1
  ) {
    super(message)
  }
}

export const serverEngine: Engine = {
  name: 'server',
  configSchema: serverConfigSchema,
  batchSize(config: unknown): number {
    const parsed = serverConfigSchema.safeParse(config)
    const concurrency = parsed.success ? parsed.data.concurrency : 4
    // Chunks are committed as they complete; a few chunks' worth of slots keeps the server busy.
    return Math.max(8, concurrency * 4)
  },
  async open(rawConfig: unknown, labelSet: VersionedLabelSet, onStatus = () => {}): Promise<EngineSession> {
    const config = serverConfigSchema.parse(rawConfig)
    const template = resolveTemplate(config)
    if (askedLabels(labelSet).length === 0) {
      throw new AppError('invalid_input', `The label set ${labelSet.slug} has no labels the model could be asked about.`)
    }
    const client = new EndpointClient(
      { url: config.endpoint, caFile: config.caFile, allowPrivateHttp: config.allowPrivateHttp, apiKeyFile: config.apiKeyFile },
      { maxSockets: config.concurrency }
    )
    const endpointShown = `${client.origin}${client.base.pathname}`
    let check: EndpointCheck
    let builder: ReturnType<typeof answerRequestBuilder>
    let dialect: ServerDialect
    let adapter: ReturnType<typeof adapterRequest>
    try {
      onStatus(`Connecting to ${endpointShown}`)
      check = await detectServer(client)
      if (!check.models.includes(config.serverModel)) {
        throw new AppError(
          'not_found',
          `${endpointShown} serves no model named "${config.serverModel}".`,
          `It serves: ${check.models.join(', ') || 'no models'}. Pass one of them with --server-model.`
        )
      }
      dialect = config.dialect === 'auto' ? dialectOf(check.kind) : config.dialect
      adapter = adapterRequest(config, check, dialect)
      builder = answerRequestBuilder({
        task: config.task,
        labelSet,
        template,
        model: config.serverModel,
        maxTokens: config.maxTokens,
        limits: { maxFindings: config.maxFindings, maxPhraseChars: 80, maxQuoteChars: config.maxQuoteChars },
        dialect,
        serverVersion: check.version ?? undefined,
        lora: adapter.lora,
        extraFields: adapter.extraFields
      })
    } catch (err) {
      client.close()
      throw err
    }
    onStatus(`Server: ${check.kind}${check.version ? ` ${check.version}` : ''} at ${endpointShown} · model ${config.serverModel} · ${config.concurrency} at a time`)

    const provenance: Record<string, unknown> = {
      server: {
        endpoint: endpointShown,
        kind: check.kind,
        version: check.version,
        model: config.serverModel,
        slots: check.slots ?? null,
        dialect,
        tls: client.base.protocol === 'https:' ? { caFile: config.caFile ?? null } : null,
        apiKey: config.apiKeyFile ? 'from a file (not recorded)' : 'none'
      },
      adapter: adapter.recorded,
      promptTemplate: templateProvenance(template),
      labelSet: { slug: labelSet.slug, version: labelSet.version },
      task: config.task,
      decoding: {
        sampling: 'greedy',
        temperature: 0,
        maxTokens: config.maxTokens,
        retryMaxTokens: Math.min(MAX_RETRY_TOKENS, config.maxTokens * 2),
        constrained: 'json-schema',
        maxFindings: config.maxFindings,
        maxQuoteChars: config.maxQuoteChars
      },
      requests: { concurrency: config.concurrency, timeoutSeconds: config.requestTimeout, maxRetries: config.maxRetries }
    }

    const stats: ServerStats = { reports: 0, requests: 0, retries: 0, promptTokens: 0, completionTokens: 0, requestMs: 0, serverMs: 0 }
    const timeoutMs = config.requestTimeout * 1000
    /** Reports in a row the server answered only with errors; at `breaker` the run stops. */
    let consecutiveServerErrors = 0
    let lastServerError = ''
    const breaker = Math.max(3, config.concurrency * 2)

    /** One request with retries; returns the parsed JSON body of a 200 answer. */
    async function send(body: ChatRequestBody, signal: AbortSignal): Promise<{ json: unknown; latencyMs: number; attempts: number }> {
      let lastError: string
      let answered: boolean
      for (let attempt = 0; ; attempt++) {
        stats.requests++
        let waitMs: number | undefined
        try {
          const answer = await client.request('POST', 'chat/completions', { body, signal, timeoutMs })
          stats.requestMs += answer.latencyMs
          if (answer.status === 200) return { json: answer.json ?? answer.text, latencyMs: answer.latencyMs, attempts: attempt + 1 }
          if (answer.status === 429 || answer.status === 408 || answer.status >= 500) {
            lastError = `HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 200)}` : ''}`
            answered = true
            waitMs = retryAfterMs(answer.headers['retry-after'])
          } else if (answer.status === 400 || answer.status === 413 || answer.status === 422) {
            throw new ReportRejected(statusError(client.origin, 'chat/completions', answer).message)
          } else {
            throw statusError(client.origin, `${client.base.pathname}/chat/completions`, answer)
          }
        } catch (err) {
          if (!(err instanceof EndpointRequestError)) throw err
          if (err.kind === 'aborted') throw err
          lastError = err.message
          answered = false
        }
        if (attempt >= config.maxRetries) {
          // A server that answers, but with an error for this report, fails this report (a breaker stops the
          // run when it does so for report after report); a server that cannot be reached stops the run.
          if (answered) throw new ReportRejected(`The server answered with an error ${attempt + 1} times (last: ${lastError}).`, true, attempt + 1)
          throw new AppError(
            'engine_failed',
            `The server at ${endpointShown} failed ${attempt + 1} times in a row (last: ${lastError}).`,
            'Labels so far are kept. Check the server, then resume the run: only the reports not done yet are sent.'
          )
        }
        stats.retries++
        const backoff = Math.min(30_000, config.retryBaseMs * 2 ** attempt) * (0.5 + Math.random() / 2)
        await sleep(waitMs ?? backoff, signal)
      }
    }

    async function labelOne(report: EngineReport, signal: AbortSignal): Promise<EngineResult> {
      const started = performance.now()
      let attempts = 0
      let budget = config.maxTokens
      let last: EngineResult | null = null
      let finishReason: string | undefined
      for (let pass = 0; pass < 2; pass++) {
        let sent: Awaited<ReturnType<typeof send>>
        try {
          sent = await send(builder.body(report.text, { maxTokens: budget }), signal)
        } catch (err) {
          if (err instanceof ReportRejected) {
            if (err.serverError) {
              consecutiveServerErrors++
              lastServerError = err.message
            }
            return { reportId: report.id, ok: false, error: err.message, meta: { latencyMs: Math.round(performance.now() - started), attempts: attempts + err.attempts } }
          }
          throw err
        }
        attempts += sent.attempts
        consecutiveServerErrors = 0
        const ctx: ParseContext = { task: config.task, labelSet, text: report.text, maxTokens: budget }
        let result: EngineResult
        try {
          const answer = readChatAnswer(sent.json)
          finishReason = answer.finishReason
          stats.promptTokens += answer.promptTokens ?? 0
          stats.completionTokens += answer.completionTokens ?? 0
          if (answer.timings) stats.serverMs += (answer.timings.prompt_ms ?? 0) + (answer.timings.predicted_ms ?? 0)
          result = resultFromAnswer(
            report.id,
            answer.content,
            { ...ctx, stopReason: answer.finishReason === 'length' ? 'maxTokens' : answer.finishReason },
            { promptTokens: answer.promptTokens, completionTokens: answer.completionTokens }
          )
        } catch (err) {
          if (!(err instanceof ChatResponseError)) throw err
          finishReason = undefined
          const text = typeof sent.json === 'string' ? sent.json : JSON.stringify(sent.json)
          result = { reportId: report.id, ok: false, error: `${err.message}`, raw: text?.slice(0, 2000) }
        }
        last = result
        if (result.ok) break
        budget = Math.min(MAX_RETRY_TOKENS, config.maxTokens * 2)
      }
      stats.reports++
      const meta = { finishReason, latencyMs: Math.round(performance.now() - started), attempts }
      if (!last!.ok && attempts > 1) last = { ...last!, error: `${last!.error} (also after a retry with ${budget} tokens)` }
      return { ...last!, meta }
    }

    let closed = false
    const session: ServerSession = {
      provenance,
      check,
      stats: () => ({ ...stats }),
      async label(batch: EngineReport[], signal: AbortSignal, onResult?: (result: EngineResult) => void): Promise<EngineResult[]> {
        if (closed) throw new AppError('engine_failed', 'The server engine session is closed.')
        // One controller per chunk: a run-level failure of one request stops the others in flight.
        const chunk = new AbortController()
        const onAbort = (): void => chunk.abort(signal.reason)
        signal.addEventListener('abort', onAbort, { once: true })
        const results: EngineResult[] = new Array(batch.length)
        let next = 0
        let failure: unknown = null
        const started = performance.now()
        const worker = async (): Promise<void> => {
          while (!failure && !chunk.signal.aborted) {
            const i = next++
            if (i >= batch.length) return
            try {
              results[i] = await labelOne(batch[i]!, chunk.signal)
              onResult?.(results[i]!)
              if (consecutiveServerErrors >= breaker && !failure) {
                failure = new AppError(
                  'engine_failed',
                  `The server at ${endpointShown} answered only with errors for ${consecutiveServerErrors} reports in a row. ${lastServerError}`,
                  'Labels so far are kept. Check the server, then resume the run: only the reports not done yet are sent.'
                )
                chunk.abort('failed')
              }
            } catch (err) {
              if (!failure) failure = err
              chunk.abort('failed')
            }
          }
        }
        try {
          await Promise.all(Array.from({ length: Math.min(config.concurrency, batch.length) }, worker))
        } finally {
          signal.removeEventListener('abort', onAbort)
        }
        const completed = results.filter((r): r is EngineResult => r !== undefined)
        if (signal.aborted) throw new PartialBatchError(new AppError('cancelled', 'The run was stopped.'), completed)
        if (failure) throw new PartialBatchError(AppError.from(failure instanceof EndpointRequestError ? new AppError('engine_failed', failure.message) : failure), completed)
        const seconds = (performance.now() - started) / 1000
        onStatus(
          `${check.kind} at ${endpointShown}: ${(batch.length / Math.max(seconds, 1e-3)).toFixed(1)} reports/s · ` +
            `${Math.round(stats.requestMs / Math.max(1, stats.requests))} ms per request · ${stats.retries} retries`
        )
        return results
      },
      async close(): Promise<void> {
        if (closed) return
        closed = true
        client.close()
      }
    }
    return session
  }
}
