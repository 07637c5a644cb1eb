// The llama.cpp side of the llm engine: one model + context with N sequences, and the labelling loop.
// Runs inside the engine host process (host.ts) or, as a fallback, in the caller's process.
// State machine: idle -> loading -> ready -> busy -> ready ... ; any load failure -> failed.
// Loads happen under a lock, replace (and dispose) what was loaded before, and never load twice.
import type {
  ChatHistoryItem,
  ChatWrapper,
  Llama,
  LlamaContext,
  LlamaCompletion,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Token
} from 'node-llama-cpp'
import type { LabelSetDefinition } from '../../../common/types'
import type { EngineResult } from '../types'
import type { GpuChoice } from './config'
import { promptPrefix, reportHistory } from './chat-history'
import { resultFromAnswer } from './parse'
import { askedLabels, renderPrompt, type LlmTask, type PromptTemplate } from './prompts'
import { answerSchema, type SchemaLimits } from './schema'

export type HostState = 'idle' | 'loading' | 'ready' | 'busy' | 'failed'

export interface LoadSpec {
  modelPath: string
  adapters: Array<{ path: string; scale: number }>
  gpu: GpuChoice
  gpuLayers: number | 'auto' | 'max'
  /** Undefined: physical core count. */
  threads?: number
  contextSize: number
  batchSize?: number
  sequences: number
  task: LlmTask
  labelSet: LabelSetDefinition
  template: PromptTemplate
  limits: SchemaLimits
  maxTokens: number
  reusePrefix: boolean
}

export interface LoadInfo {
  gpu: string | false
  /** Why the backend in use is not the one asked for (empty when it is). */
  gpuNote: string
  gpuLayers: number
  threads: number
  contextSize: number
  batchSize: number
  sequences: number
  llamaCpp: string
  nodeLlamaCpp: string
  chatWrapper: string
  /** Tokens of the prompt shared by every report (system, instructions, examples). */
  prefixTokens: number
  loadMs: number
}

export interface LabelItem {
  id: number
  text: string
}

export interface RuntimeStats {
  reports: number
  promptTokens: number
  completionTokens: number
  generationMs: number
}

type NodeLlamaCpp = typeof import('node-llama-cpp')

const GPU_TYPE: Record<Exclude<GpuChoice, 'auto' | 'cpu'>, 'cuda' | 'metal' | 'vulkan'> = {
  cuda: 'cuda',
  metal: 'metal',
  vulkan: 'vulkan'
}

/** Serialises async sections: one load / label / dispose at a time. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve()
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn)
    this.tail = next.catch(() => undefined)
    return next
  }
}

interface Loaded {
  spec: LoadSpec
  model: LlamaModel
  context: LlamaContext
  sequences: LlamaContextSequence[]
  completions: LlamaCompletion[]
  grammar: LlamaGrammar
  chatWrapper: ChatWrapper
  prefix: ChatHistoryItem[]
  userPrefix: string
  info: LoadInfo
}

export class LlmRuntime {
  state: HostState = 'idle'
  error: string | null = null
  private lib: NodeLlamaCpp | null = null
  private llama: Llama | null = null
  private llamaKey = ''
  private llamaNote = ''
  private loaded: Loaded | null = null
  private readonly lock = new Lock()
  readonly stats: RuntimeStats = { reports: 0, promptTokens: 0, completionTokens: 0, generationMs: 0 }

  constructor(private readonly onState: (state: HostState, detail?: string) => void = () => {}) {}

  private setState(state: HostState, detail?: string): void {
    this.state = state
    this.onState(state, detail)
  }

  /** Picks the llama.cpp binding for a GPU choice, falling back to CPU with a reason. */
  private async getLlama(choice: GpuChoice): Promise<Llama> {
    const lib = (this.lib ??= await import('node-llama-cpp'))
    if (this.llama && this.llamaKey === choice) return this.llama
    if (this.llama) await this.llama.dispose()
    this.llama = null
    const base = { build: 'never' as const, logLevel: lib.LlamaLogLevel.error, maxThreads: 0 }
    let note = ''
    let llama: Llama
    if (choice === 'cpu') {
      llama = await lib.getLlama({ ...base, gpu: false })
    } else if (choice === 'auto') {
      llama = await lib.getLlama({ ...base, gpu: 'auto' })
      if (llama.gpu === false) {
        const all = (await lib.getLlamaGpuTypes('allValid')).filter((g) => g !== false)
        const supported = (await lib.getLlamaGpuTypes('supported')).filter((g) => g !== false)
        note = supported.length
          ? `no working GPU device for ${supported.join(', ')}; running on the CPU`
          : all.length
            ? `no ${all.join(' or ')} driver or runtime found; running on the CPU`
            : 'this platform has no GPU backend; running on the CPU'
      }
    } else {
      try {
        llama = await lib.getLlama({ ...base, gpu: GPU_TYPE[choice] })
        if (llama.gpu !== GPU_TYPE[choice]) note = `${choice} is not available on this platform; running on ${llama.gpu || 'the CPU'}`
      } catch (err) {
        const e = err as Error
        const why =
          e.name === 'NoBinaryFoundError' || /NoBinaryFound/.test(e.message)
            ? `its llama.cpp binary cannot run on this system (no ${choice} driver or runtime found)`
            : e.message.split('\n')[0]
        llama = await lib.getLlama({ ...base, gpu: 'auto' })
        note = `${choice} is not usable here: ${why}; fell back to ${llama.gpu || 'the CPU'}`
      }
    }
    this.llama = llama
    this.llamaKey = choice
    this.llamaNote = note
    return llama
  }

  load(spec: LoadSpec, onStatus: (message: string) => void = () => {}): Promise<LoadInfo> {
    return this.lock.run(async () => {
      // The same spec again re-uses what is loaded: nothing is loaded twice.
      if (this.loaded && this.state === 'ready' && JSON.stringify(this.loaded.spec) === JSON.stringify(spec)) return this.loaded.info
      const started = Date.now()
      this.setState('loading', spec.modelPath)
      // Disposed again if a later step fails, so that a failed load leaves nothing behind.
      let partial: { model?: LlamaModel; context?: LlamaContext } = {}
      try {
        await this.unload()
        const llama = await this.getLlama(spec.gpu)
        const lib = this.lib!
        onStatus(`Loading ${spec.modelPath}`)
        const model = await llama.loadModel({
          modelPath: spec.modelPath,
          gpuLayers: spec.gpuLayers,
          onLoadProgress: (p) => onStatus(`Loading model ${Math.round(p * 100)}%`)
        })
        partial = { model }
        const threads = spec.threads ?? Math.max(1, llama.cpuMathCores)
        const context = await model.createContext({
          contextSize: spec.contextSize,
          sequences: spec.sequences,
          threads,
          ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
          ...(spec.adapters.length
            ? { lora: { adapters: spec.adapters.map((a) => ({ filePath: a.path, scale: a.scale })) } }
            : {})
        })
        partial = { model, context }
        const sequences = Array.from({ length: spec.sequences }, () => context.getSequence())
        const labels = askedLabels(spec.labelSet)
        const grammar = await llama.createGrammarForJsonSchema(
          answerSchema(spec.task, labels, spec.limits) as Parameters<Llama['createGrammarForJsonSchema']>[0]
        )
        const chatWrapper = lib.resolveChatWrapper(model)
        const rendered = renderPrompt(spec.template, spec.task, spec.labelSet)
        const prefix = promptPrefix(rendered)
        const loaded: Loaded = {
          spec,
          model,
          context,
          sequences,
          completions: sequences.map((s) => new lib.LlamaCompletion({ contextSequence: s, autoDisposeSequence: false })),
          grammar,
          chatWrapper,
          prefix,
          userPrefix: rendered.userPrefix,
          info: {
            gpu: llama.gpu,
            gpuNote: this.llamaNote,
            gpuLayers: model.gpuLayers,
            threads,
            contextSize: context.contextSize,
            batchSize: context.batchSize,
            sequences: spec.sequences,
            llamaCpp: llama.llamaCppRelease.release,
            nodeLlamaCpp: (await lib.getModuleVersion?.()) ?? 'unknown',
            chatWrapper: chatWrapper.wrapperName,
            prefixTokens: 0,
            loadMs: 0
          }
        }
        this.loaded = loaded
        partial = {}
        const a = this.promptTokens(loaded, 'a')
        const b = this.promptTokens(loaded, 'b')
        let common = 0
        while (common < a.length && a[common] === b[common]) common++
        loaded.info.prefixTokens = common
        loaded.info.loadMs = Date.now() - started
        this.error = null
        this.setState('ready')
        return loaded.info
      } catch (err) {
        await partial.context?.dispose().catch(() => {})
        await partial.model?.dispose().catch(() => {})
        this.error = (err as Error).message
        this.setState('failed', this.error)
        throw err
      }
    })
  }

  /** The full prompt of one report, as tokens. */
  private promptTokens(loaded: Loaded, text: string): Token[] {
    const history = reportHistory(loaded.prefix, loaded.userPrefix, text)
    const { contextText } = loaded.chatWrapper.generateContextState({ chatHistory: history })
    return contextText.tokenize(loaded.model.tokenizer)
  }

  /** Labels a batch: every report gets a result (parsed answer or per-report error), in order. */
  label(batch: LabelItem[], signal?: AbortSignal): Promise<EngineResult[]> {
    return this.lock.run(async () => {
      const loaded = this.loaded
      if (!loaded || this.state !== 'ready') {
        throw new Error(`The LLM engine is not ready (state: ${this.state}${this.error ? `: ${this.error}` : ''}).`)
      }
      this.setState('busy')
      try {
        const results: EngineResult[] = new Array(batch.length)
        let next = 0
        const worker = async (slot: number): Promise<void> => {
          while (next < batch.length) {
            if (signal?.aborted) throw signal.reason ?? new Error('aborted')
            const index = next++
            results[index] = await this.labelOne(loaded, slot, batch[index]!, signal)
          }
        }
        await Promise.all(loaded.sequences.map((_, slot) => worker(slot)))
        return results
      } finally {
        this.setState(this.loaded ? 'ready' : 'idle')
      }
    })
  }

  private async labelOne(
    loaded: Loaded,
    slot: number,
    item: LabelItem,
    signal?: AbortSignal
  ): Promise<EngineResult> {
    const { spec } = loaded
    const sequence = loaded.sequences[slot]!
    const completion = loaded.completions[slot]!
    const tokens = this.promptTokens(loaded, item.text)
    const room = loaded.info.contextSize - spec.maxTokens
    if (tokens.length > room) {
      return {
        reportId: item.id,
        ok: false,
        error:
          `The prompt of this report is ${tokens.length} tokens; with ${spec.maxTokens} tokens for the answer it does ` +
          `not fit the context of ${loaded.info.contextSize} tokens per sequence. Raise the context size or shorten the prompt template.`
      }
    }
    if (!spec.reusePrefix) await sequence.clearHistory()
    let completionTokens = 0
    const started = Date.now()
    let raw = ''
    let stopReason: string | undefined
    try {
      const res = await completion.generateCompletionWithMeta(tokens, {
        grammar: loaded.grammar,
        maxTokens: spec.maxTokens,
        temperature: 0,
        signal,
        onToken: (t) => {
          completionTokens += t.length
        }
      })
      raw = res.response
      stopReason = res.metadata.stopReason
    } catch (err) {
      if (signal?.aborted) throw err
      return { reportId: item.id, ok: false, error: `Generation failed: ${(err as Error).message}`, raw }
    }
    this.stats.reports++
    this.stats.promptTokens += tokens.length
    this.stats.completionTokens += completionTokens
    this.stats.generationMs += Date.now() - started
    return resultFromAnswer(
      item.id,
      raw,
      { task: spec.task, labelSet: spec.labelSet, text: item.text, stopReason, maxTokens: spec.maxTokens },
      { promptTokens: tokens.length, completionTokens }
    )
  }

  private async unload(): Promise<void> {
    const loaded = this.loaded
    this.loaded = null
    if (!loaded) return
    for (const c of loaded.completions) c.dispose({ disposeSequence: false })
    await loaded.context.dispose()
    await loaded.model.dispose()
  }

  /** Disposes model, context and binding; the runtime can load again afterwards. */
  dispose(): Promise<void> {
    return this.lock.run(async () => {
      await this.unload()
      if (this.llama) await this.llama.dispose()
      this.llama = null
      this.llamaKey = ''
      this.setState('idle')
    })
  }

  get info(): LoadInfo | null {
    return this.loaded?.info ?? null
  }
}
