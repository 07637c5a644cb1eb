// Settings of the llm engine, as given by the Detect page, the CLI (--model, --lora, --lora-scale, --task,
// --sequences, --threads, --gpu, --gpu-layers, --context-size, --batch-size, --prompt-template) or a
// stored run. CLI values arrive as strings, hence the coercions.
import { z } from 'zod'
import { LLM_TASKS, promptTemplateSchema } from './prompts'

export const GPU_CHOICES = ['auto', 'cuda', 'metal', 'vulkan', 'cpu'] as const
export type GpuChoice = (typeof GPU_CHOICES)[number]

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max)

export const llmConfigSchema = z
  .object({
    /** Path of the base model (.gguf). */
    model: z.string().trim().min(1, 'choose a GGUF model file (--model FILE.gguf)'),
    /** A LoRA adapter (.gguf) applied on top of the base model. */
    lora: z.string().trim().min(1).optional(),
    loraScale: z.coerce.number().min(-4).max(4).default(1),
    /** Further adapters, each with its own scale. */
    adapters: z.array(z.object({ path: z.string().trim().min(1), scale: z.coerce.number().min(-4).max(4).default(1) })).default([]),
    task: z.enum(LLM_TASKS).default('classify'),
    /** Parallel context sequences (reports generated at once). */
    sequences: positiveInt(64).default(1),
    /** CPU threads; default: the machine's physical core count. */
    threads: positiveInt(512).optional(),
    gpu: z.enum(GPU_CHOICES).default('auto'),
    gpuLayers: z.union([z.literal('auto'), z.literal('max'), z.coerce.number().int().min(0).max(10_000)]).default('auto'),
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
    /** 'process' (default) hosts llama.cpp in its own process; 'in-process' is the fallback for platforms where that fails. */
    isolation: z.enum(['process', 'in-process']).default('process'),
    /** Re-use the evaluated shared prompt prefix between reports of a sequence (off only for benchmarks). */
    reusePrefix: z.boolean().default(true)
  })
  // Unknown keys (e.g. the rules engine's --scope) are dropped rather than refused.
  .strip()

export type LlmConfig = z.infer<typeof llmConfigSchema>
export type LlmConfigInput = z.input<typeof llmConfigSchema>

/** All adapters of a config: `lora` + `loraScale` first, then `adapters`. */
export function adaptersOf(config: LlmConfig): Array<{ path: string; scale: number }> {
  return [...(config.lora ? [{ path: config.lora, scale: config.loraScale }] : []), ...config.adapters]
}
