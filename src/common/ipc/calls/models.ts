// Models calls: the GGUF model registry (add by path, header, sha256, fit estimate, remove), the
// hardware panel, prompt templates. Also the llm engine's settings schema, shared by the Detect page's
// LLM options, the CLI and the engine itself.
import { z } from 'zod'
import type { JobSnapshot } from '../../types'
import { call, filePath, id, noInput } from '../define'

// ---- llm engine settings -------------------------------------------------------------------------

export const LLM_TASKS = ['classify', 'open', 'both'] as const
export type LlmTask = (typeof LLM_TASKS)[number]

export const GPU_CHOICES = ['auto', 'cuda', 'metal', 'vulkan', 'cpu'] as const
export type GpuChoice = (typeof GPU_CHOICES)[number]

const exampleFinding = z.object({ phrase: z.string().min(1), quote: z.string().min(1) })

export const promptTemplateSchema = z.object({
  name: z.string().trim().min(1).max(80),
  version: z.number().int().positive(),
  description: z.string().optional(),
  system: z.string().min(1),
  /** Classification instructions; `{{labels}}` becomes the label list (one per line, with descriptions). */
  classify: z.string().min(1),
  /** Open-ended detection instructions. */
  open: z.string().min(1),
  /** Instructions when both tasks are answered in one JSON object; `{{labels}}` as above. */
  both: z.string().min(1),
  /** Few-shot examples as findings, so that their answers follow any label set. */
  examples: z
    .array(
      z.object({
        report: z.string().min(1),
        present: z.array(exampleFinding).default([]),
        uncertain: z.array(exampleFinding).default([]),
        negated: z.array(exampleFinding).default([])
      })
    )
    .max(8)
    .default([])
})
export type PromptTemplate = z.infer<typeof promptTemplateSchema>

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max)

/**
 * Settings of the llm engine, as given by the Detect page, the CLI (--model, --lora, --lora-scale, --task,
 * --sequences, --threads, --gpu, --gpu-layers, --context-size, --batch-size, --prompt-template) or a
 * stored run. CLI values arrive as strings, hence the coercions. Unknown keys are dropped.
 */
export const llmConfigSchema = z.object({
  /** Path of the base model (.gguf). */
  model: z.string().trim().min(1, 'choose a GGUF model file (--model FILE.gguf)'),
  /** A LoRA adapter (.gguf) applied on top of the base model. */
  lora: z.string().trim().min(1).optional(),
  loraScale: z.coerce.number().min(-4).max(4).default(1),
  /** Further adapters, each with its own scale. */
  adapters: z
    .array(z.object({ path: z.string().trim().min(1), scale: z.coerce.number().min(-4).max(4).default(1) }))
    .default([]),
  task: z.enum(LLM_TASKS).default('classify'),
  /** Parallel context sequences (reports generated at once). */
  sequences: positiveInt(64).default(1),
  /** CPU threads; default: the machine's physical core count. */
  threads: positiveInt(512).optional(),
  gpu: z.enum(GPU_CHOICES).default('auto'),
  gpuLayers: z
    .union([z.literal('auto'), z.literal('max'), z.coerce.number().int().min(0).max(10_000)])
    .default('auto'),
  /** Tokens per sequence. */
  contextSize: positiveInt(1 << 20).default(4096),
  /** Tokens per llama.cpp batch (prompt evaluation chunk). */
  batchSize: positiveInt(1 << 16).optional(),
  promptTemplate: z.string().trim().min(1).default('radlabel-default'),
  /** The template itself, when it is not a built-in one (filled in from the workspace's templates). */
  template: promptTemplateSchema.optional(),
  maxTokens: positiveInt(32_768).default(1024),
  maxFindings: positiveInt(64).default(12),
  maxQuoteChars: positiveInt(2000).default(200),
  /** 'process' (default) hosts llama.cpp in its own process; 'in-process' is the fallback where that fails. */
  isolation: z.enum(['process', 'in-process']).default('process'),
  /** Re-use the evaluated shared prompt prefix between reports of a sequence (off only for benchmarks). */
  reusePrefix: z.boolean().default(true)
})
export type LlmConfig = z.infer<typeof llmConfigSchema>
export type LlmConfigInput = z.input<typeof llmConfigSchema>

// ---- results ---------------------------------------------------------------------------------------

export interface GgufHeaderInfo {
  path: string
  fileName: string
  sizeBytes: number
  /** 'lora' for adapters (general.type = adapter), else 'base'. */
  kind: 'base' | 'lora'
  name: string | null
  architecture: string
  parameters: number
  /** llama.cpp file type name, e.g. MOSTLY_Q4_K_M. */
  quantisation: string | null
  contextLength: number | null
  layers: number | null
  embeddingLength: number | null
  chatTemplate: string | null
  ggufVersion: number
  tensorCount: number
  /** Bytes the tensors need according to the header (0 for unknown tensor types). */
  tensorBytes: number
  supportedByLlamaCpp: boolean
}

export interface ModelEntry {
  id: number
  name: string
  kind: 'base' | 'lora'
  path: string
  copied: boolean
  sizeBytes: number
  sha256: string | null
  header: GgufHeaderInfo & { mtimeMs?: number }
  addedAt: string
  /** False when the file is gone or changed since it was added. */
  available: boolean
  problem?: string
  /** For an adapter imported from a training run: where it came from. */
  lineage?: AdapterLineage
}

/** Where an adapter imported by `models import-adapter` came from (table adapter_lineage). */
export interface AdapterLineage {
  baseModelId: number | null
  baseSha256: string
  adapterDir: string
  kitDir: string | null
  kitChecksum: string | null
  /** Data card summary: label sources, label set, prompt template, chat format, split and example counts. */
  dataset: {
    source?: { name: string; kind: string; engine: string | null }
    openSource?: { name: string; kind: string; engine: string | null } | null
    labelSet?: { slug: string; version: number }
    promptTemplate?: string
    chatFormat?: string
    split?: { by: string; reports: { train: number; validation: number }; examples: { train: number; validation: number } }
    provenanceTotals?: Record<string, number>
  }
  /** Settings (LoRA rank/alpha/targets, learning rate, batch), steps, device, package versions. */
  training: Record<string, unknown>
  finalTrainLoss: number | null
  finalValLoss: number | null
  conversion: { llamaCpp: string; commit: string; script: string; outType: string; seconds: number }
  createdAt: string
}

export interface BackendInfo {
  type: 'cuda' | 'metal' | 'vulkan' | 'cpu'
  usable: boolean
  /** Why not usable, or which devices were found. */
  detail: string
  devices: string[]
  vram?: { total: number; free: number }
}

export interface HardwareInfo {
  platform: string
  arch: string
  cpuModel: string
  logicalCores: number
  /** Physical math cores llama.cpp uses; RadLabel's default thread count. */
  physicalCores: number
  ramBytes: number
  backends: BackendInfo[]
  /** What gpu: 'auto' uses here, and why. */
  auto: { type: BackendInfo['type']; reason: string }
}

export interface FitEstimate {
  /** 0..1: how well the model uses the GPU with these settings (node-llama-cpp's score). */
  compatibilityScore: number
  fits: boolean
  gpu: string | false
  gpuLayers: number
  totalLayers: number
  contextSize: number
  ramBytes: number
  vramBytes: number
  summary: string
}

export interface TemplateEntry {
  template: PromptTemplate
  builtin: boolean
  createdAt: string | null
}

/** A prompt rendered for one example report, to show in the template viewer. */
export interface TemplatePreview {
  system: string
  turns: { role: 'user' | 'assistant'; text: string }[]
  schema: unknown
}

// ---- calls -----------------------------------------------------------------------------------------

export const fitInput = z.object({
  id,
  contextSize: positiveInt(1 << 20).default(4096),
  sequences: positiveInt(64).default(1),
  gpu: z.enum(GPU_CHOICES).default('auto')
})

export const modelsCalls = {
  'models.list': call<ModelEntry[]>()(noInput),
  /** Inspects the file (refusing non-GGUF, truncated, unsupported ones), registers it, then copies/hashes in a job. */
  'models.add': call<{ model: ModelEntry | null; job: JobSnapshot }>()(
    z.object({ path: filePath, mode: z.enum(['reference', 'copy']).default('reference'), name: z.string().trim().max(200).optional() })
  ),
  /** Header facts of a file without adding it. */
  'models.inspect': call<GgufHeaderInfo>()(z.object({ path: filePath })),
  'models.hash': call<JobSnapshot>()(z.object({ id })),
  'models.remove': call<{ deletedFile: boolean }>()(z.object({ id })),
  'models.fit': call<FitEstimate>()(fitInput),
  'models.hardware': call<HardwareInfo>()(z.object({ refresh: z.boolean().default(false) }).optional().default({ refresh: false })),
  'models.pickFile': call<string | null>()(noInput),
  'models.templates': call<TemplateEntry[]>()(noInput),
  'models.saveTemplate': call<PromptTemplate>()(z.object({ template: promptTemplateSchema.omit({ version: true }) })),
  'models.previewTemplate': call<TemplatePreview>()(
    z.object({ template: z.string().trim().min(1), task: z.enum(LLM_TASKS).default('classify'), labelSet: z.string().trim().min(1).default('chexpert14') })
  )
}
