// Settings of the llm engine. The schema is plain data shared with the renderer and the CLI, so it
// lives with the models calls in common; this module adds what only the engine needs.
import type { LlmConfig } from '../../../common/ipc/calls/models'

export { GPU_CHOICES, llmConfigSchema } from '../../../common/ipc/calls/models'
export type { GpuChoice, LlmConfig, LlmConfigInput } from '../../../common/ipc/calls/models'

/** All adapters of a config: `lora` + `loraScale` first, then `adapters`. */
export function adaptersOf(config: LlmConfig): Array<{ path: string; scale: number }> {
  return [...(config.lora ? [{ path: config.lora, scale: config.loraScale }] : []), ...config.adapters]
}
