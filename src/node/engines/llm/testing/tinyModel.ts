// Generates a tiny llama-architecture GGUF model with seeded random weights and a working GPT-2 style
// byte-level BPE tokenizer (Llama 3 control tokens, Llama 3 style chat template). Its answers are
// meaningless, but it exercises every step of the LLM path: loading, tokenising, chat templating,
// grammar-constrained generation, parallel sequences, LoRA-free inference, GGUF inspection.
import { writeFileSync } from 'node:fs'
import { writeGguf, type GgufTensor, type GgufValue, type TensorType } from './gguf-writer'

export interface TinyModelOptions {
  /** Embedding width (multiple of `heads`). */
  dim?: number
  layers?: number
  heads?: number
  headsKv?: number
  /** Feed-forward width; default 2 * dim + dim / 2 rounded to a multiple of 32. */
  ff?: number
  contextLength?: number
  seed?: number
  /** Weight matrices' type; norms are always F32. */
  tensorType?: TensorType
  /** Model name written to general.name. */
  name?: string
}

export const CONTROL_TOKENS = [
  '<|begin_of_text|>',
  '<|end_of_text|>',
  '<|start_header_id|>',
  '<|end_header_id|>',
  '<|eot_id|>'
] as const

/**
 * Llama 3 style chat template: every message is `<|start_header_id|>ROLE<|end_header_id|>\n\n` + trimmed
 * content + `<|eot_id|>`, the first one preceded by the BOS token.
 */
export const TINY_CHAT_TEMPLATE =
  '{{- bos_token }}' +
  '{%- for message in messages %}' +
  "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}" +
  '{%- endfor %}' +
  "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"

/** GPT-2's reversible byte -> printable character table. */
export function byteToUnicode(): string[] {
  const printable: number[] = []
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b)
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b)
  for (let b = 0xae; b <= 0xff; b++) printable.push(b)
  const table: string[] = new Array(256)
  const isPrintable = new Set(printable)
  let extra = 0
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(isPrintable.has(b) ? b : 256 + extra++)
  }
  return table
}

// Words that get whole-word tokens (with and without a leading space) so that reports and JSON
// tokenise into fewer pieces, as they would with a real vocabulary.
const WORDS = (
  'the a an of and or in on to with without is are was were no not any there this that as at by for from ' +
  'be been has have seen noted evidence normal abnormal acute chronic stable unchanged new mild moderate ' +
  'severe small large left right bilateral lung lungs heart cardiac size silhouette mediastinum pleural ' +
  'effusion effusions pneumothorax pneumonia consolidation atelectasis edema opacity opacities ' +
  'cardiomegaly fracture nodule mass lesion device tube line catheter clear findings impression ' +
  'comparison indication technique chest view views process disease possible likely may represent ' +
  'suggest suggests suggestive concerning cannot excluded exclude positive negative uncertain ' +
  'not_mentioned label labels state findings phrase evidence quote report radiology'
)
  .split(/\s+/)
  .filter(Boolean)

// Punctuation runs that JSON output and prompts use a lot.
const PUNCT = ['{"', '":', '",', '"}', '":"', '","', '"]', '["', '[]', '{}', '},', '}]', '":[', '":{', '.\n', ':\n']

/** Merge chains that build each word left to right; every merge result is itself a token. */
function buildMerges(bytes: string[]): { merges: string[]; tokens: string[] } {
  const merges: string[] = []
  const tokens: string[] = []
  const known = new Set<string>(bytes)
  const addWord = (word: string): void => {
    const chars = Array.from(Buffer.from(word, 'utf8')).map((b) => bytes[b]!)
    let left = chars[0]!
    for (let i = 1; i < chars.length; i++) {
      const right = chars[i]!
      const merged = left + right
      if (!known.has(merged)) {
        known.add(merged)
        merges.push(`${left} ${right}`)
        tokens.push(merged)
      }
      left = merged
    }
  }
  for (const w of WORDS) {
    addWord(w)
    addWord(' ' + w)
  }
  for (const p of PUNCT) addWord(p)
  return { merges, tokens }
}

/** Deterministic PRNG (mulberry32) so a seed always gives the same weights. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface TinyModelInfo {
  vocabSize: number
  dim: number
  layers: number
  parameters: number
  bytes: number
}

/** Everything a tiny model is made of, before it is written as GGUF or as a Hugging Face folder. */
export interface TinyModelParts {
  tensors: GgufTensor[]
  metadata: Array<[string, GgufValue]>
  tokens: string[]
  merges: string[]
  shape: { dim: number; layers: number; heads: number; headsKv: number; ff: number; contextLength: number; vocab: number }
  parameters: number
  tensorType: TensorType
}

/** Build the GGUF bytes of a tiny model. */
export function buildTinyModel(options: TinyModelOptions = {}): { data: Buffer; info: TinyModelInfo } {
  const parts = buildTinyModelParts(options)
  const data = writeGguf(parts.metadata, parts.tensors)
  const { dim, layers, vocab } = parts.shape
  return { data, info: { vocabSize: vocab, dim, layers, parameters: parts.parameters, bytes: data.length } }
}

/** Tensors, metadata and tokenizer of a tiny model (seeded: the same options always give the same parts). */
export function buildTinyModelParts(options: TinyModelOptions = {}): TinyModelParts {
  const dim = options.dim ?? 64
  const layers = options.layers ?? 2
  const heads = options.heads ?? Math.max(1, Math.floor(dim / 32))
  const headsKv = options.headsKv ?? heads
  const ff = options.ff ?? Math.ceil((dim * 2.5) / 32) * 32
  const contextLength = options.contextLength ?? 4096
  const tensorType = options.tensorType ?? 'F16'
  if (dim % heads !== 0) throw new Error(`dim ${dim} must be a multiple of heads ${heads}`)
  if (heads % headsKv !== 0) throw new Error(`heads ${heads} must be a multiple of headsKv ${headsKv}`)
  const headDim = dim / heads

  const bytes = byteToUnicode()
  const { merges, tokens: merged } = buildMerges(bytes)
  const tokens = [...bytes, ...merged, ...CONTROL_TOKENS]
  const tokenTypes = tokens.map((_, i) => (i >= bytes.length + merged.length ? 3 : 1))
  const idOf = (t: string): number => tokens.indexOf(t)
  const vocab = tokens.length

  const random = rng(options.seed ?? 42)
  const gaussian = (): number => {
    const u = Math.max(random(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
  }
  const tensors: GgufTensor[] = []
  let parameters = 0
  const matrix = (name: string, inDim: number, outDim: number, type: TensorType = tensorType): void => {
    const data = new Float32Array(inDim * outDim)
    const scale = 1 / Math.sqrt(inDim)
    for (let i = 0; i < data.length; i++) data[i] = gaussian() * scale
    tensors.push({ name, dims: [inDim, outDim], type, data })
    parameters += data.length
  }
  const norm = (name: string): void => {
    tensors.push({ name, dims: [dim], type: 'F32', data: new Float32Array(dim).fill(1) })
    parameters += dim
  }
  matrix('token_embd.weight', dim, vocab)
  for (let l = 0; l < layers; l++) {
    norm(`blk.${l}.attn_norm.weight`)
    matrix(`blk.${l}.attn_q.weight`, dim, dim)
    matrix(`blk.${l}.attn_k.weight`, dim, headDim * headsKv)
    matrix(`blk.${l}.attn_v.weight`, dim, headDim * headsKv)
    matrix(`blk.${l}.attn_output.weight`, dim, dim)
    norm(`blk.${l}.ffn_norm.weight`)
    matrix(`blk.${l}.ffn_gate.weight`, dim, ff)
    matrix(`blk.${l}.ffn_up.weight`, dim, ff)
    matrix(`blk.${l}.ffn_down.weight`, ff, dim)
  }
  norm('output_norm.weight')
  matrix('output.weight', dim, vocab)

  const u32 = (value: number): GgufValue => ({ type: 'u32', value })
  const metadata: Array<[string, GgufValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? `radlabel-tiny-${dim}x${layers}` }],
    ['general.file_type', u32(tensorType === 'F16' ? 1 : 0)],
    ['llama.context_length', u32(contextLength)],
    ['llama.embedding_length', u32(dim)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(ff)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(headsKv)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', u32(vocab)],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'llama-bpe' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: tokenTypes }],
    ['tokenizer.ggml.merges', { type: 'string[]', value: merges }],
    ['tokenizer.ggml.bos_token_id', u32(idOf('<|begin_of_text|>'))],
    ['tokenizer.ggml.eos_token_id', u32(idOf('<|eot_id|>'))],
    ['tokenizer.ggml.eot_token_id', u32(idOf('<|eot_id|>'))],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.chat_template', { type: 'string', value: TINY_CHAT_TEMPLATE }]
  ]
  return {
    tensors,
    metadata,
    tokens,
    merges,
    shape: { dim, layers, heads, headsKv, ff, contextLength, vocab },
    parameters,
    tensorType
  }
}

/** Write a tiny model to `path` and describe it. */
export function writeTinyModel(path: string, options: TinyModelOptions = {}): TinyModelInfo {
  const { data, info } = buildTinyModel(options)
  writeFileSync(path, data)
  return info
}

export interface TinyLoraOptions extends Pick<TinyModelOptions, 'dim' | 'layers' | 'heads' | 'headsKv'> {
  rank?: number
  alpha?: number
  seed?: number
}

/**
 * A LoRA adapter GGUF for a tiny model of the same shape: low-rank A/B pairs for attn_q and attn_v of
 * every block (A: [in, rank], B: [rank, out], as llama.cpp expects), seeded random values.
 */
export function buildTinyLora(options: TinyLoraOptions = {}): Buffer {
  const dim = options.dim ?? 64
  const layers = options.layers ?? 2
  const heads = options.heads ?? Math.max(1, Math.floor(dim / 32))
  const headsKv = options.headsKv ?? heads
  const rank = options.rank ?? 4
  const kvDim = (dim / heads) * headsKv
  const random = rng(options.seed ?? 7)
  const tensors: GgufTensor[] = []
  const pair = (name: string, inDim: number, outDim: number): void => {
    const a = new Float32Array(inDim * rank).map(() => (random() - 0.5) * 0.5)
    const b = new Float32Array(rank * outDim).map(() => (random() - 0.5) * 0.5)
    tensors.push({ name: `${name}.lora_a`, dims: [inDim, rank], type: 'F32', data: a })
    tensors.push({ name: `${name}.lora_b`, dims: [rank, outDim], type: 'F32', data: b })
  }
  for (let l = 0; l < layers; l++) {
    pair(`blk.${l}.attn_q.weight`, dim, dim)
    pair(`blk.${l}.attn_v.weight`, dim, kvDim)
  }
  return writeGguf(
    [
      ['general.architecture', { type: 'string', value: 'llama' }],
      ['general.type', { type: 'string', value: 'adapter' }],
      ['general.name', { type: 'string', value: `radlabel-tiny-lora-r${rank}` }],
      ['adapter.type', { type: 'string', value: 'lora' }],
      ['adapter.lora.alpha', { type: 'f32', value: options.alpha ?? rank }]
    ],
    tensors
  )
}

export function writeTinyLora(path: string, options: TinyLoraOptions = {}): void {
  writeFileSync(path, buildTinyLora(options))
}
