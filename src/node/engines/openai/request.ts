// OpenAI-compatible chat requests for labelling one report: the llm engine's prompt template rendered
// as chat messages (system, few-shot turns, then the report, so every request shares the same prefix
// and the server's prefix cache hits), greedy decoding, and the answer schema in each server's own
// dialect. Used by the `server` engine (live requests) and by batch files (OpenAI batch format).
import type { LabelSetDefinition } from '../../../common/types'
import { askedLabels, renderPrompt, type LlmTask, type PromptTemplate } from '../llm/prompts'
import { answerSchema, DEFAULT_LIMITS, type JsonSchema, type SchemaLimits } from '../llm/schema'

/**
 * How a server wants the answer schema and a LoRA adapter:
 * - openai: `response_format: {type: 'json_schema', json_schema: {name, strict, schema}}` (the standard; SGLang and vLLM accept it too)
 * - vllm: `structured_outputs: {json}` (vLLM >= 0.10.2; older versions: `guided_json`); adapter = model name
 * - llama-server: top-level `json_schema` (turned into a grammar); adapter = `lora: [{id, scale}]`
 * - sglang: `response_format` json_schema; adapter = `lora_path`
 */
export const SERVER_DIALECTS = ['openai', 'vllm', 'llama-server', 'sglang'] as const
export type ServerDialect = (typeof SERVER_DIALECTS)[number]

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface LoraChoice {
  /** Adapter name as the server knows it (vLLM/SGLang), or llama-server's adapter path/file name. */
  name: string
  scale: number
  /** llama-server's adapter id (index in /lora-adapters); required for the llama-server dialect. */
  id?: number
}

export interface AnswerRequestSpec {
  task: LlmTask
  labelSet: LabelSetDefinition
  template: PromptTemplate
  /** The served model's name (`model` of the request). */
  model: string
  maxTokens: number
  limits?: SchemaLimits
  dialect?: ServerDialect
  /** The server's version, where the dialect depends on it (vLLM's structured outputs). */
  serverVersion?: string
  lora?: LoraChoice
  /** Further request fields (e.g. llama-server's full `lora` list that switches unused adapters off). */
  extraFields?: Record<string, unknown>
}

/** The JSON body of a POST /v1/chat/completions request. */
export type ChatRequestBody = Record<string, unknown> & { model: string; messages: ChatMessage[]; max_tokens: number }

export const SCHEMA_NAME = 'radlabel_answer'

/** True when `version` (e.g. "0.10.2", "v0.11.0rc1") is at least major.minor.patch. */
export function versionAtLeast(version: string | undefined, wanted: [number, number, number]): boolean {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(version ?? '')
  if (!m) return false
  const have = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
  for (let i = 0; i < 3; i++) {
    if (have[i]! !== wanted[i]) return have[i]! > wanted[i]!
  }
  return true
}

/** The fields that constrain the answer to `schema`, in the dialect's own words. */
export function schemaFields(schema: JsonSchema, dialect: ServerDialect, serverVersion?: string): Record<string, unknown> {
  switch (dialect) {
    case 'llama-server':
      return { json_schema: schema }
    case 'vllm':
      // An unknown vLLM version gets the standard field, which every vLLM with structured output accepts.
      if (!serverVersion) return { response_format: { type: 'json_schema', json_schema: { name: SCHEMA_NAME, strict: true, schema } } }
      return versionAtLeast(serverVersion, [0, 10, 2]) ? { structured_outputs: { json: schema } } : { guided_json: schema }
    default:
      return { response_format: { type: 'json_schema', json_schema: { name: SCHEMA_NAME, strict: true, schema } } }
  }
}

/** The fields that select a LoRA adapter per request, and the model name to send. */
export function loraFields(model: string, lora: LoraChoice | undefined, dialect: ServerDialect): { model: string; fields: Record<string, unknown> } {
  if (!lora) return { model, fields: {} }
  switch (dialect) {
    case 'vllm':
    case 'openai':
      // vLLM serves each adapter under its own model name (--lora-modules NAME=PATH).
      return { model: lora.name, fields: {} }
    case 'llama-server':
      if (lora.id === undefined) throw new Error(`llama-server needs the adapter id of "${lora.name}" (see GET /lora-adapters).`)
      return { model, fields: { lora: [{ id: lora.id, scale: lora.scale }] } }
    case 'sglang':
      return { model, fields: { lora_path: lora.name } }
  }
}

export interface AnswerRequestBuilder {
  /** System prompt and few-shot turns: identical for every report. */
  readonly prefix: ChatMessage[]
  readonly schema: JsonSchema
  /** The request for one report; `maxTokens` overrides the spec's budget (a retry with a larger one). */
  body(reportText: string, options?: { maxTokens?: number }): ChatRequestBody
}

/** Prepares everything that is the same for every report once; `body` then only adds the report. */
export function answerRequestBuilder(spec: AnswerRequestSpec): AnswerRequestBuilder {
  const dialect = spec.dialect ?? 'openai'
  const rendered = renderPrompt(spec.template, spec.task, spec.labelSet)
  const prefix: ChatMessage[] = [
    { role: 'system', content: rendered.system },
    ...rendered.examples.map((t): ChatMessage => ({ role: t.role, content: t.text }))
  ]
  const schema = answerSchema(spec.task, askedLabels(spec.labelSet), spec.limits ?? DEFAULT_LIMITS)
  const constrain = schemaFields(schema, dialect, spec.serverVersion)
  const { model, fields: adapter } = loraFields(spec.model, spec.lora, dialect)
  const serverSide = dialect === 'llama-server' ? { cache_prompt: true, timings_per_token: false } : {}
  return {
    prefix,
    schema,
    body(reportText, options = {}) {
      return {
        model,
        messages: [...prefix, { role: 'user', content: rendered.userPrefix + reportText }],
        temperature: 0,
        top_p: 1,
        seed: 0,
        max_tokens: options.maxTokens ?? spec.maxTokens,
        stream: false,
        ...constrain,
        ...adapter,
        ...serverSide,
        ...spec.extraFields
      }
    }
  }
}

/** One line of an OpenAI batch input file (`custom_id` = report key). */
export function batchRequestLine(customId: string, body: ChatRequestBody): string {
  return JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body })
}
