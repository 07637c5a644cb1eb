// Benchmark of the llm engine on a generated random-weight model (default 512-dim, 4 layers):
//  1. pipeline overhead: tokens/s of the full engine (host process, prompts, grammar, parsing) against a
//     bare node-llama-cpp loop running the same prompts with the same model and settings (goal: < 10%);
//  2. the gain from parallel sequences (1 vs N);
//  3. the gain from re-using the evaluated shared prompt prefix (on vs off).
// Prints medians over --runs repetitions. Reports are synthetic (written here), CheXpert-14 classification.
// Run: npx tsx scripts/bench/llm.ts [--dim 512] [--layers 4] [--reports 8] [--runs 3] [--threads 1]
//      [--sequences 4] [--max-tokens 256] [--model existing.gguf]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { llmEngine, type LlmSession } from '../../src/node/engines/llm/engine'
import { askedLabels, DEFAULT_TEMPLATE, renderPrompt } from '../../src/node/engines/llm/prompts'
import { answerSchema, DEFAULT_LIMITS } from '../../src/node/engines/llm/schema'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import type { EngineReport } from '../../src/node/engines/types'

const { values } = parseArgs({
  options: {
    dim: { type: 'string', default: '512' },
    layers: { type: 'string', default: '4' },
    reports: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    sequences: { type: 'string', default: '4' },
    'max-tokens': { type: 'string', default: '256' },
    model: { type: 'string' }
  }
})
const num = (v: string | undefined): number => Number(v)
const RUNS = num(values.runs)
const THREADS = num(values.threads)
const SEQUENCES = num(values.sequences)
const MAX_TOKENS = num(values['max-tokens'])
const CONTEXT = 4096

const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-llm-'))
const modelPath = values.model ?? join(dir, 'bench.gguf')
if (!values.model) {
  const info = writeTinyModel(modelPath, { dim: num(values.dim), layers: num(values.layers), seed: 5 })
  console.log(`model: generated ${info.dim}-dim, ${info.layers} layers, ${(info.parameters / 1e6).toFixed(1)}M parameters`)
}

// Synthetic reports of varied length and content.
const parts = [
  'The heart size is normal.',
  'Mild cardiomegaly.',
  'No pleural effusion or pneumothorax.',
  'Small left pleural effusion.',
  'Bibasilar atelectasis.',
  'Right lower lobe opacity may represent pneumonia.',
  'Lungs are clear.',
  'Endotracheal tube in good position.',
  'No acute osseous abnormality.',
  'Mild pulmonary vascular congestion.'
]
const reports: EngineReport[] = Array.from({ length: num(values.reports) }, (_, i) => {
  const findings = [parts[i % parts.length], parts[(i * 3 + 1) % parts.length], parts[(i * 7 + 2) % parts.length]].join(' ')
  return { id: i + 1, text: `FINDINGS: ${findings}\nIMPRESSION: ${parts[(i * 5 + 3) % parts.length]}`, sections: [] }
})
const labelSet = { ...CHEXPERT14, version: 1 }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The same prompts through node-llama-cpp directly: one sequence, sequential, prefix re-used naturally. */
async function bareLoop(): Promise<number[]> {
  const lib = await import('node-llama-cpp')
  const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error, maxThreads: 0 })
  const model = await llama.loadModel({ modelPath })
  const context = await model.createContext({ contextSize: CONTEXT, sequences: 1, threads: THREADS })
  const sequence = context.getSequence()
  const completion = new lib.LlamaCompletion({ contextSequence: sequence })
  const grammar = await llama.createGrammarForJsonSchema(answerSchema('classify', askedLabels(labelSet), DEFAULT_LIMITS) as never)
  const wrapper = lib.resolveChatWrapper(model)
  const rendered = renderPrompt(DEFAULT_TEMPLATE, 'classify', labelSet)
  const history = [
    { type: 'system' as const, text: rendered.system },
    ...rendered.examples.map((t) => (t.role === 'user' ? { type: 'user' as const, text: t.text } : { type: 'model' as const, response: [t.text] }))
  ]
  const rates: number[] = []
  for (let run = 0; run < RUNS + 1; run++) {
    await sequence.clearHistory()
    let tokens = 0
    const t0 = performance.now()
    for (const r of reports) {
      const prompt = wrapper
        .generateContextState({ chatHistory: [...history, { type: 'user', text: rendered.userPrefix + r.text }, { type: 'model', response: [] }] })
        .contextText.tokenize(model.tokenizer)
      await completion.generateCompletion(prompt, { grammar, maxTokens: MAX_TOKENS, temperature: 0, onToken: (t) => (tokens += t.length) })
    }
    const rate = tokens / ((performance.now() - t0) / 1000)
    if (run > 0) rates.push(rate) // run 0 warms up
  }
  await context.dispose()
  await model.dispose()
  await llama.dispose()
  return rates
}

/** The engine as a run uses it; times `label` only (loading is a one-off per run). */
async function pipeline(extra: Record<string, unknown>): Promise<number[]> {
  const session = (await llmEngine.open(
    { model: modelPath, gpu: 'cpu', threads: THREADS, contextSize: CONTEXT, maxTokens: MAX_TOKENS, ...extra },
    labelSet
  )) as LlmSession
  const rates: number[] = []
  try {
    for (let run = 0; run < RUNS + 1; run++) {
      const before = (await session.stats()).completionTokens
      const t0 = performance.now()
      await session.label(reports, new AbortController().signal)
      const seconds = (performance.now() - t0) / 1000
      const rate = ((await session.stats()).completionTokens - before) / seconds
      if (run > 0) rates.push(rate)
    }
  } finally {
    await session.close()
  }
  return rates
}

const fmt = (x: number): string => x.toFixed(1)
console.log(`${reports.length} reports x ${RUNS} runs, threads ${THREADS}, max tokens ${MAX_TOKENS}, CheXpert-14 classify\n`)

const bare = median(await bareLoop())
console.log(`bare node-llama-cpp loop            ${fmt(bare)} tok/s`)
const processRate = median(await pipeline({}))
console.log(`pipeline (host process, 1 seq)      ${fmt(processRate)} tok/s   overhead ${fmt((1 - processRate / bare) * 100)}%`)
const inProcess = median(await pipeline({ isolation: 'in-process' }))
console.log(`pipeline (in-process, 1 seq)        ${fmt(inProcess)} tok/s   overhead ${fmt((1 - inProcess / bare) * 100)}%`)
const parallel = median(await pipeline({ sequences: SEQUENCES }))
console.log(`pipeline (host process, ${SEQUENCES} seq)      ${fmt(parallel)} tok/s   gain x${(parallel / processRate).toFixed(2)}`)
const noReuse = median(await pipeline({ reusePrefix: false }))
console.log(`pipeline (1 seq, no prefix re-use)  ${fmt(noReuse)} tok/s   prefix re-use gain x${(processRate / noReuse).toFixed(2)}`)

rmSync(dir, { recursive: true, force: true })
