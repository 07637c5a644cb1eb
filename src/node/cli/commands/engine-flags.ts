// Engine settings from CLI flags (`radlabel detect` and `radlabel label`): each flag goes into the
// engine's config under its setting name; the engine's own schema validates them when the run starts.
import type { Command } from 'commander'
import { Option } from 'commander'
import { AppError } from '../../../common/errors'
import { TEXT_SCOPES } from '../../../common/types'
import type { Db } from '../../store/db'
import { findModelRow, getModel } from '../../models/registry'
import { getTemplate } from '../../models/templates'

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
}

export function addEngineFlags(cmd: Command, defaultEngine = 'rules'): Command {
  return cmd
    .addOption(new Option('--engine <name>', 'labeller').choices(['rules', 'llm']).default(defaultEngine))
    .addOption(new Option('--scope <scope>', 'rules: report text to read').choices([...TEXT_SCOPES]))
    .addOption(
      new Option('--hedging <policy>', 'rules: which hedges give "uncertain" (all: also may/could/cannot exclude; probable: only likely/suspected; default: the label set\'s convention)').choices([
        'probable',
        'all'
      ])
    )
    .option('--model <file>', 'llm: base model (.gguf path, or a model registered in the workspace)')
    .option('--lora <file>', 'llm: LoRA adapter (.gguf)')
    .option('--lora-scale <s>', 'llm: adapter scale')
    .option('--task <task>', 'llm: classify | open | both')
    .option('--sequences <n>', 'llm: reports generated in parallel')
    .option('--threads <n>', 'llm: CPU threads')
    .option('--gpu <gpu>', 'llm: auto | cuda | metal | vulkan | cpu')
    .option('--gpu-layers <n>', 'llm: layers on the GPU (number or auto)')
    .option('--context-size <n>', 'llm: tokens per sequence')
    .option('--batch-size <n>', 'llm: tokens per llama.cpp batch')
    .option('--prompt-template <name>', 'llm: prompt template (built-in or saved in the workspace)')
    .option('--max-tokens <n>', 'llm: most tokens one answer may have (default 1024; a longer answer is a per-report error)')
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

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The engine config from the flags; flags of the other engine are refused so nothing is silently ignored. */
export async function engineConfig(flags: EngineFlags, db: Db): Promise<Record<string, unknown>> {
  const own: readonly string[] = flags.engine === 'llm' ? LLM_FLAGS : RULES_FLAGS
  const other: readonly string[] = flags.engine === 'llm' ? RULES_FLAGS : LLM_FLAGS
  const misplaced = other.filter((k) => flags[k as keyof EngineFlags] !== undefined)
  if (misplaced.length) {
    throw new AppError(
      'invalid_input',
      `${misplaced.map((k) => `--${kebab(k)}`).join(', ')} ${misplaced.length > 1 ? 'do' : 'does'} not apply to the ${flags.engine} engine.`,
      flags.engine === 'llm' ? 'Rules flags (--scope, --hedging) need --engine rules.' : 'LLM flags need --engine llm.'
    )
  }
  const config: Record<string, unknown> = {}
  for (const k of own) {
    const v = flags[k as keyof EngineFlags]
    if (v === undefined) continue
    // numbers stay strings for the schemas that coerce; plain integers become numbers for the others
    config[k] = /^\d+$/.test(v) && k !== 'model' && k !== 'lora' && k !== 'promptTemplate' ? Number(v) : v
  }
  if (flags.engine === 'llm') {
    if (typeof config.model === 'string') {
      // a model registered in the workspace may be named by id or name
      const id = findModelRow(db, config.model)
      if (id !== undefined) config.model = (await getModel(db, id)).path
    }
    if (typeof config.promptTemplate === 'string') config.template = getTemplate(db, config.promptTemplate)
  }
  return config
}
