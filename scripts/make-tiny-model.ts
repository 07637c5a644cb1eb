// Writes a tiny random-weight llama GGUF model for tests and benchmarks:
//   npm run make:tiny-model -- OUT.gguf [--dim 64] [--layers 2] [--heads N] [--heads-kv N] [--ff N]
//                                       [--context N] [--seed N] [--type f16|f32]
//   npm run make:tiny-model -- OUT.gguf --hf DIR [same options]
//     also writes the same weights as a Hugging Face folder (config.json, model.safetensors, tokenizer)
//   npm run make:tiny-model -- OUT.gguf --lora [--rank 4] [--dim/--layers/--heads as the base model]
//     writes a LoRA adapter for a tiny model of that shape instead
import { parseArgs } from 'node:util'
import { writeTinyHf } from '../src/node/engines/llm/testing/tinyHf'
import { writeTinyLora, writeTinyModel, type TinyModelOptions } from '../src/node/engines/llm/testing/tinyModel'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dim: { type: 'string' },
    layers: { type: 'string' },
    heads: { type: 'string' },
    'heads-kv': { type: 'string' },
    ff: { type: 'string' },
    context: { type: 'string' },
    seed: { type: 'string' },
    type: { type: 'string' },
    lora: { type: 'boolean' },
    rank: { type: 'string' },
    hf: { type: 'string' }
  }
})

const out = positionals[0]
if (!out) {
  console.error('usage: npm run make:tiny-model -- OUT.gguf [--hf DIR] [--dim 64 --layers 2 --heads N --ff N --seed N --type f16|f32]')
  process.exit(2)
}
const int = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got "${v}"`)
    process.exit(2)
  }
  return n
}
if (values.lora) {
  writeTinyLora(out, {
    dim: int('dim', values.dim),
    layers: int('layers', values.layers),
    heads: int('heads', values.heads),
    headsKv: int('heads-kv', values['heads-kv']),
    rank: int('rank', values.rank),
    seed: values.seed === undefined ? undefined : Number(values.seed)
  })
  console.log(`wrote LoRA adapter ${out}`)
  process.exit(0)
}
const type = (values.type ?? 'f16').toUpperCase()
if (type !== 'F16' && type !== 'F32') {
  console.error(`--type must be f16 or f32, got "${values.type}"`)
  process.exit(2)
}
const modelOptions: TinyModelOptions = {
  dim: int('dim', values.dim),
  layers: int('layers', values.layers),
  heads: int('heads', values.heads),
  headsKv: int('heads-kv', values['heads-kv']),
  ff: int('ff', values.ff),
  contextLength: int('context', values.context),
  seed: values.seed === undefined ? undefined : Number(values.seed),
  tensorType: type
}
const info = writeTinyModel(out, modelOptions)
if (values.hf) {
  const hf = writeTinyHf(values.hf, modelOptions)
  console.log(`wrote Hugging Face folder ${hf.dir}: ${hf.files.join(', ')} (the same weights as ${out})`)
}
console.log(
  `wrote ${out}: ${info.dim}-dim, ${info.layers} layers, vocab ${info.vocabSize}, ` +
    `${info.parameters} parameters, ${(info.bytes / 1024).toFixed(0)} KiB`
)
