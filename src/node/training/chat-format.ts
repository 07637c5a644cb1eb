// Training text in the llm engine's chat format. The chat wrapper is resolved the way the engine
// resolves it at inference (node-llama-cpp's resolveChatWrapper): from the base model's GGUF when one is
// given (loaded vocabulary-only, seconds even for an 8B model), else from the Hugging Face folder's chat
// template and architecture. Special tokens are written as their text (e.g. <|eot_id|>), which the
// Hugging Face tokenizer parses back into the same special tokens.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatWrapper, LlamaText } from 'node-llama-cpp'
import { AppError } from '../../common/errors'
import { promptPrefix, reportHistory } from '../engines/llm/chat-history'
import type { RenderedPrompt } from '../engines/llm/prompts'

export interface ChatFormatInfo {
  /** node-llama-cpp's chat wrapper name, e.g. "Llama 3.1" or "JinjaTemplate". */
  wrapper: string
  resolvedFrom: 'gguf' | 'hf-chat-template'
  bos: string | null
  eos: string | null
  eot: string | null
}

export interface ChatFormatter {
  info: ChatFormatInfo
  /** The prompt exactly as the engine builds it for `reportText`, and the answer the model should give. */
  example(rendered: RenderedPrompt, reportText: string, answer: string): { prompt: string; completion: string }
  close(): Promise<void>
}

function tokenText(t: unknown): string {
  if (typeof t === 'string') return t
  const value = (t as { value?: unknown }).value
  return typeof value === 'string' ? value : String(t)
}

function hfTokens(hfDir: string): { config: Record<string, unknown>; tokenizerConfig: Record<string, unknown> } {
  const read = (name: string): Record<string, unknown> => {
    try {
      return JSON.parse(readFileSync(join(hfDir, name), 'utf8')) as Record<string, unknown>
    } catch (err) {
      throw new AppError(
        'invalid_input',
        `${join(hfDir, name)} cannot be read: ${(err as Error).message}`,
        'Pass --base-model the Hugging Face folder of the base model (config.json, tokenizer files, weights).'
      )
    }
  }
  return { config: read('config.json'), tokenizerConfig: read('tokenizer_config.json') }
}

const special = (v: unknown): string | null => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as { content?: unknown }).content ?? '') || null : null)

export async function openChatFormat(opts: { hfDir: string; baseGguf?: string }): Promise<ChatFormatter> {
  const lib = await import('node-llama-cpp')
  const { config, tokenizerConfig } = hfTokens(opts.hfDir)
  let wrapper: ChatWrapper
  let info: ChatFormatInfo
  let dispose = async (): Promise<void> => {}
  if (opts.baseGguf) {
    const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error })
    const model = await llama.loadModel({ modelPath: opts.baseGguf, vocabOnly: true })
    wrapper = lib.resolveChatWrapper(model)
    info = {
      wrapper: wrapper.wrapperName,
      resolvedFrom: 'gguf',
      bos: model.tokens.bosString,
      eos: model.tokens.eosString,
      eot: model.tokens.eotString
    }
    dispose = async () => {
      await model.dispose()
      await llama.dispose()
    }
  } else {
    const template = typeof tokenizerConfig.chat_template === 'string' ? tokenizerConfig.chat_template : undefined
    if (!template) {
      throw new AppError(
        'invalid_input',
        `${join(opts.hfDir, 'tokenizer_config.json')} has no chat_template, so the chat format of inference cannot be reproduced.`,
        'Give --base-gguf (the registered base model), whose chat template the engine uses at inference.'
      )
    }
    const bos = special(tokenizerConfig.bos_token)
    const eos = special(tokenizerConfig.eos_token)
    const resolved = lib.resolveChatWrapper({
      bosString: bos,
      architecture: String(config.model_type ?? 'llama') as never,
      fileInfo: {
        metadata: {
          general: { architecture: String(config.model_type ?? 'llama'), name: String(tokenizerConfig.name_or_path ?? '') },
          tokenizer: { chat_template: template }
        }
      } as never,
      warningLogs: false
    })
    if (!resolved) throw new AppError('unsupported', 'node-llama-cpp could not resolve a chat wrapper for this model.')
    wrapper = resolved
    info = { wrapper: wrapper.wrapperName, resolvedFrom: 'hf-chat-template', bos, eos, eot: eos }
  }
  const asText = (text: LlamaText): string =>
    text.values
      .map((v) => {
        if (typeof v === 'string') return v
        if (v instanceof lib.SpecialTokensText) return v.value
        const name = tokenText(v)
        const mapped = name === 'BOS' ? info.bos : name === 'EOS' ? info.eos : name === 'EOT' ? (info.eot ?? info.eos) : name === 'NL' ? '\n' : null
        if (mapped == null) throw new AppError('unsupported', `The chat format uses the special token ${name}, which this model does not define.`)
        return mapped
      })
      .join('')
  const end = info.eot ?? info.eos ?? ''
  return {
    info,
    example(rendered, reportText, answer) {
      const prefix = promptPrefix(rendered)
      const { contextText } = wrapper.generateContextState({ chatHistory: reportHistory(prefix, rendered.userPrefix, reportText) })
      const prompt = asText(contextText)
      return { prompt, completion: answer + end }
    },
    close: () => dispose()
  }
}
