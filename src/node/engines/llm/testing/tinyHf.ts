// Writes the tiny test model as a Hugging Face folder (config.json, model.safetensors, tokenizer.json,
// tokenizer_config.json, special_tokens_map.json) with exactly the weights of the GGUF that the same
// options and seed give. So a LoRA adapter trained with Transformers + PEFT on this folder fits the GGUF
// base after llama.cpp's convert_lora_to_gguf.py: the training end-to-end test needs both halves.
//
// Two layout facts link the formats: a GGUF weight with dims [in, out] is stored row-major as
// [out][in], which is PyTorch's [out, in] Linear layout; and llama.cpp permutes the rows of q and k
// (convert_hf_to_gguf.py's `permute`, for its rotary embedding layout), so the folder gets them
// un-permuted. F16 weights are rounded the same way in both files.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeSafetensors, type SafetensorsTensor } from './safetensors-writer'
import { toHalf } from './gguf-writer'
import { buildTinyModelParts, CONTROL_TOKENS, TINY_CHAT_TEMPLATE, type TinyModelOptions } from './tinyModel'

/** The Llama 3 pre-tokenizer split (llama.cpp's "llama-bpe"). */
export const LLAMA3_SPLIT_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

/** binary16 bits -> float. */
function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exp = (h >>> 10) & 0x1f
  const mant = h & 0x3ff
  if (exp === 0) return sign * mant * 2 ** -24
  if (exp === 0x1f) return mant ? NaN : sign * Infinity
  return sign * (1 + mant / 1024) * 2 ** (exp - 15)
}

/** Inverse of convert_hf_to_gguf.py's permute(): GGUF q/k rows back to Hugging Face order. */
export function unpermuteRows(gguf: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const headDim = rows / heads
  const half = headDim / 2
  const out = new Float32Array(gguf.length)
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const hfRow = h * headDim + j * half + i
        const ggufRow = h * headDim + i * 2 + j
        out.set(gguf.subarray(ggufRow * cols, (ggufRow + 1) * cols), hfRow * cols)
      }
    }
  }
  return out
}

export interface TinyHfInfo {
  dir: string
  files: string[]
  tensors: number
}

export function writeTinyHf(dir: string, options: TinyModelOptions = {}): TinyHfInfo {
  const parts = buildTinyModelParts(options)
  const { dim, layers, heads, headsKv, ff, contextLength, vocab } = parts.shape
  const byName = new Map(parts.tensors.map((t) => [t.name, t]))
  const values = (name: string): Float32Array => {
    const t = byName.get(name)
    if (!t) throw new Error(`tiny model has no tensor ${name}`)
    return t.type === 'F16' ? t.data.map((v) => fromHalf(toHalf(v))) : Float32Array.from(t.data)
  }
  const out: SafetensorsTensor[] = []
  const linear = (hf: string, gguf: string, permuteHeads?: number): void => {
    const t = byName.get(gguf)!
    const [cols, rows] = t.dims as [number, number]
    const v = values(gguf)
    out.push({ name: hf, shape: [rows, cols], data: permuteHeads ? unpermuteRows(v, rows, cols, permuteHeads) : v })
  }
  const vector = (hf: string, gguf: string): void => {
    out.push({ name: hf, shape: [dim], data: values(gguf) })
  }
  linear('model.embed_tokens.weight', 'token_embd.weight')
  for (let l = 0; l < layers; l++) {
    const p = `model.layers.${l}`
    vector(`${p}.input_layernorm.weight`, `blk.${l}.attn_norm.weight`)
    linear(`${p}.self_attn.q_proj.weight`, `blk.${l}.attn_q.weight`, heads)
    linear(`${p}.self_attn.k_proj.weight`, `blk.${l}.attn_k.weight`, headsKv)
    linear(`${p}.self_attn.v_proj.weight`, `blk.${l}.attn_v.weight`)
    linear(`${p}.self_attn.o_proj.weight`, `blk.${l}.attn_output.weight`)
    vector(`${p}.post_attention_layernorm.weight`, `blk.${l}.ffn_norm.weight`)
    linear(`${p}.mlp.gate_proj.weight`, `blk.${l}.ffn_gate.weight`)
    linear(`${p}.mlp.up_proj.weight`, `blk.${l}.ffn_up.weight`)
    linear(`${p}.mlp.down_proj.weight`, `blk.${l}.ffn_down.weight`)
  }
  vector('model.norm.weight', 'output_norm.weight')
  linear('lm_head.weight', 'output.weight')

  const normalTokens = parts.tokens.length - CONTROL_TOKENS.length
  const idOf = (t: string): number => parts.tokens.indexOf(t)
  const bos = '<|begin_of_text|>'
  const eos = '<|eot_id|>'
  const config = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: dim,
    intermediate_size: ff,
    num_hidden_layers: layers,
    num_attention_heads: heads,
    num_key_value_heads: headsKv,
    head_dim: dim / heads,
    max_position_embeddings: contextLength,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    vocab_size: vocab,
    hidden_act: 'silu',
    tie_word_embeddings: false,
    attention_bias: false,
    mlp_bias: false,
    bos_token_id: idOf(bos),
    eos_token_id: idOf(eos),
    torch_dtype: 'float32'
  }
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: CONTROL_TOKENS.map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true
    })),
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: LLAMA3_SPLIT_REGEX }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }
      ]
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: true,
      vocab: Object.fromEntries(parts.tokens.slice(0, normalTokens).map((t, i) => [t, i])),
      merges: parts.merges
    }
  }
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: bos,
    eos_token: eos,
    pad_token: eos,
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: contextLength,
    chat_template: TINY_CHAT_TEMPLATE,
    model_input_names: ['input_ids', 'attention_mask']
  }
  mkdirSync(dir, { recursive: true })
  const files: Record<string, string | Buffer> = {
    'config.json': JSON.stringify(config, null, 2),
    'model.safetensors': writeSafetensors(out),
    'tokenizer.json': JSON.stringify(tokenizer),
    'tokenizer_config.json': JSON.stringify(tokenizerConfig, null, 2),
    'special_tokens_map.json': JSON.stringify({ bos_token: bos, eos_token: eos, pad_token: eos }, null, 2),
    'generation_config.json': JSON.stringify({ bos_token_id: idOf(bos), eos_token_id: idOf(eos), do_sample: false }, null, 2)
  }
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data)
  return { dir, files: Object.keys(files), tensors: out.length }
}
