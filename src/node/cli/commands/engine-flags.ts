// Engine settings from CLI flags (`radlabel detect` and `radlabel label`): each flag goes into the
// engine's config under its setting name; the engine's own schema validates them when the run starts.
import type { Command } from 'commander'
import { Option } from 'commander'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../../../common/errors'
import { TEXT_SCOPES } from '../../../common/types'
import type { Db } from '../../store/db'
import { findModelRow, getModel } from '../../models/registry'
import { getTemplate } from '../../models/templates'
import { findEndpoint } from '../../store/repos/endpoints'

export interface EngineFlags {
  engine: string
  scope?: string
  hedging?: string
  model?: string
  lora?: string
  loraScale?: string
  task?: string
  sequences?: string
  threads?: string
  gpu?: string
  gpuLayers?: string
  contextSize?: string
  batchSize?: string
  promptTemplate?: string
  maxTokens?: string
  endpoint?: string
  serverModel?: string
  apiKeyFile?: string
  caFile?: string
  allowPrivateHttp?: boolean
  concurrency?: string
  requestTimeout?: string
  maxRetries?: string
}

export function addEngineFlags(cmd: Command, defaultEngine = 'rules'): Command {
  return cmd
    .addOption(new Option('--engine <name>', 'labeller').choices(['rules', 'llm', 'server']).default(defaultEngine))
    .addOption(new Option('--scope <scope>', 'rules: report text to read').choices([...TEXT_SCOPES]))
    .addOption(
      new Option('--hedging <policy>', 'rules: which hedges give "uncertain" (all: also may/could/cannot exclude; probable: only likely/suspected; default: the label set\'s convention)').choices([
        'probable',
        'all'
      ])
    )
    .option('--model <file>', 'llm: base model (.gguf path, or a model registered in the workspace)')
    .option('--lora <file>', 'llm: LoRA adapter (.gguf); server: adapter NAME[:SCALE] as the server knows it')
    .option('--lora-scale <s>', 'llm: adapter scale')
    .option('--task <task>', 'llm, server: classify | open | both')
    .option('--sequences <n>', 'llm: reports generated in parallel')
    .option('--threads <n>', 'llm: CPU threads')
    .option('--gpu <gpu>', 'llm: auto | cuda | metal | vulkan | cpu')
    .option('--gpu-layers <n>', 'llm: layers on the GPU (number or auto)')
    .option('--context-size <n>', 'llm: tokens per sequence')
    .option('--batch-size <n>', 'llm: tokens per llama.cpp batch')
    .option('--prompt-template <name>', 'llm, server: prompt template (built-in or saved in the workspace)')
    .option('--endpoint <url|name>', 'server: base URL of an OpenAI-compatible API (e.g. http://127.0.0.1:8080/v1), or an endpoint saved in the workspace')
    .option('--server-model <name>', 'server: the served model\'s name (see `radlabel endpoints test`)')
    .option('--api-key-file <file>', 'server: file holding the API key (read at run time, never stored)')
    .option('--ca-file <pem>', 'server: CA certificate(s) for an https endpoint signed by a hospital CA')
    .option('--allow-private-http', 'server: allow plain http to a non-loopback host on a private network (unencrypted)')
    .option('--concurrency <n>', 'server: requests in flight at once (default 4; match the server\'s slots)')
    .option('--request-timeout <s>', 'server: seconds before a request is retried (default 300)')
    .option('--max-retries <n>', 'server: retries of a request on 429/5xx/timeouts (default 5)')
    .option('--max-tokens <n>', 'llm, server: most tokens one answer may have (default 1024; a longer answer is a per-report error)')
}

const RULES_FLAGS = ['scope', 'hedging'] as const
const LLM_FLAGS = [
  'model',
  'lora',
  'loraScale',
  'task',
  'sequences',
  'threads',
  'gpu',
  'gpuLayers',
  'contextSize',
  'batchSize',
  'promptTemplate',
  'maxTokens'
] as const

const SERVER_FLAGS = [
  'endpoint',
  'serverModel',
  'apiKeyFile',
  'caFile',
  'allowPrivateHttp',
  'concurrency',
  'requestTimeout',
  'maxRetries',
  'lora',
  'task',
  'promptTemplate',
  'maxTokens'
] as const

const FLAGS_BY_ENGINE: Record<string, readonly string[]> = { rules: RULES_FLAGS, llm: LLM_FLAGS, server: SERVER_FLAGS }
const STRING_FLAGS = new Set(['model', 'lora', 'promptTemplate', 'endpoint', 'serverModel', 'apiKeyFile', 'caFile'])

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The engine config from the flags; flags of the other engine are refused so nothing is silently ignored. */
export async function engineConfig(flags: EngineFlags, db: Db): Promise<Record<string, unknown>> {
  const own: readonly string[] = FLAGS_BY_ENGINE[flags.engine] ?? RULES_FLAGS
  const other = [...new Set(Object.values(FLAGS_BY_ENGINE).flat())].filter((k) => !own.includes(k))
  const misplaced = other.filter((k) => flags[k as keyof EngineFlags] !== undefined)
  if (misplaced.length) {
    const owners = (k: string): string => Object.keys(FLAGS_BY_ENGINE).filter((e) => FLAGS_BY_ENGINE[e]!.includes(k)).join(' or ')
    throw new AppError(
      'invalid_input',
      `${misplaced.map((k) => `--${kebab(k)}`).join(', ')} ${misplaced.length > 1 ? 'do' : 'does'} not apply to the ${flags.engine} engine.`,
      misplaced.map((k) => `--${kebab(k)} needs --engine ${owners(k)}`).join('; ') + '.'
    )
  }
  const config: Record<string, unknown> = {}
  for (const k of own) {
    const v = flags[k as keyof EngineFlags]
    if (v === undefined) continue
    // numbers stay strings for the schemas that coerce; plain integers become numbers for the others
    config[k] = typeof v === 'string' && /^\d+$/.test(v) && !STRING_FLAGS.has(k) ? Number(v) : v
  }
  if (flags.engine === 'llm') {
    if (typeof config.model === 'string') {
      // a model registered in the workspace may be named by id or name
      const id = findModelRow(db, config.model)
      if (id !== undefined) config.model = (await getModel(db, id)).path
      else if (!existsSync(resolve(config.model))) {
        // said here in the command line's words, before a run is created for it
        throw new AppError(
          'not_found',
          `--model: there is no model file ${resolve(config.model)} and no registered model named "${config.model}".`,
          'Give the path of a .gguf file, or the id or name of a model registered with "radlabel models add" (see "radlabel models list").'
        )
      }
    }
    if (typeof config.promptTemplate === 'string') config.template = getTemplate(db, config.promptTemplate)
  }
  if (flags.engine === 'server') {
    // a workspace endpoint by name (or id): its URL and TLS / private-network settings; flags win
    const saved = typeof config.endpoint === 'string' && !/^[a-z]+:\/\//i.test(config.endpoint) ? findEndpoint(db, config.endpoint) : undefined
    if (saved) {
      config.endpoint = saved.url
      if (saved.caFile && config.caFile === undefined) config.caFile = saved.caFile
      if (saved.allowPrivateHttp && config.allowPrivateHttp === undefined) config.allowPrivateHttp = true
      if (saved.apiKeyFile && config.apiKeyFile === undefined) config.apiKeyFile = saved.apiKeyFile
    } else if (typeof config.endpoint === 'string' && !/^[a-z]+:\/\//i.test(config.endpoint)) {
      throw new AppError('not_found', `There is no endpoint named "${config.endpoint}" in this workspace.`, 'Give the endpoint\'s URL (e.g. http://127.0.0.1:8080/v1), or add it first with `radlabel endpoints add`.')
    }
    if (typeof config.promptTemplate === 'string') config.template = getTemplate(db, config.promptTemplate)
  }
  return config
}
