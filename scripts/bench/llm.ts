// Benchmark of the llm engine on a generated random-weight model (default 512-dim, 4 layers):
//  1. pipeline overhead: tokens/s of the full engine (host process, prompts, grammar, parsing) against a
//     bare node-llama-cpp loop running the same prompts with the same model and settings (goal: < 10%);
//  2. the gain from parallel sequences (1 vs N);
//  3. the gain from re-using the evaluated shared prompt prefix (on vs off).
// Prints medians over --runs repetitions. Reports are synthetic (written here), CheXpert-14 classification.
// Run: npx tsx scripts/bench/llm.ts [--dim 512] [--layers 4] [--reports 8] [--runs 3] [--threads 1]
//      [--sequences 4] [--max-tokens 256] [--model existing.gguf]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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
import { benchReports, median } from './synthetic-reports'

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
const reports: EngineReport[] = benchReports(num(values.reports))
const labelSet = { ...CHEXPERT14, version: 1 }


/** One pass over the reports: completion tokens, wall seconds and CPU seconds (all processes doing the work). */
interface PassResult {
  tokens: number
  wall: number
  cpu: number
}
type Pass = () => Promise<PassResult>

/** CPU seconds (user + system, all threads) of this process and, when given, of the engine host. */
function cpuSeconds(hostPid?: number): number {
  const own = process.cpuUsage()
  let host = 0
  if (hostPid) {
    try {
      // /proc/PID/stat fields 14 and 15 (utime, stime) in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${hostPid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      host = (Number(fields[11]) + Number(fields[12])) / 100
    } catch {
      host = NaN // not Linux: CPU time of the host is unknown
    }
  }
  return (own.user + own.system) / 1e6 + host
}

async function timed(hostPid: number | undefined, work: () => Promise<number>): Promise<PassResult> {
  const cpu0 = cpuSeconds(hostPid)
  const t0 = performance.now()
  const tokens = await work()
  return { tokens, wall: (performance.now() - t0) / 1000, cpu: cpuSeconds(hostPid) - cpu0 }
}

/** The same prompts through node-llama-cpp directly: one sequence, sequential, prefix re-used naturally. */
async function bareLoop(): Promise<{ pass: Pass; close(): Promise<void> }> {
  const lib = await import('node-llama-cpp')
  const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error, maxThreads: 0 })
  const model = await llama.loadModel({ modelPath })
  const context = await model.createContext({ contextSize: CONTEXT, sequences: 1, threads: THREADS })
  const completion = new lib.LlamaCompletion({ contextSequence: context.getSequence() })
  const grammar = await llama.createGrammarForJsonSchema(answerSchema('classify', askedLabels(labelSet), DEFAULT_LIMITS) as never)
  const wrapper = lib.resolveChatWrapper(model)
  const rendered = renderPrompt(DEFAULT_TEMPLATE, 'classify', labelSet)
  const history = [
    { type: 'system' as const, text: rendered.system },
    ...rendered.examples.map((t) => (t.role === 'user' ? { type: 'user' as const, text: t.text } : { type: 'model' as const, response: [t.text] }))
  ]
  return {
    pass: () =>
      timed(undefined, async () => {
      let tokens = 0
      for (const r of reports) {
        const prompt = wrapper
          .generateContextState({ chatHistory: [...history, { type: 'user', text: rendered.userPrefix + r.text }, { type: 'model', response: [] }] })
          .contextText.tokenize(model.tokenizer)
        await completion.generateCompletion(prompt, { grammar, maxTokens: MAX_TOKENS, temperature: 0, onToken: (t) => (tokens += t.length) })
      }
      return tokens
      }),
    close: async () => {
      await context.dispose()
      await model.dispose()
      await llama.dispose()
    }
  }
}

/** The engine as a run uses it; a pass times `label` only (loading is a one-off per run). */
async function pipeline(extra: Record<string, unknown>): Promise<{ pass: Pass; close(): Promise<void> }> {
  const session = (await llmEngine.open(
    { model: modelPath, gpu: 'cpu', threads: THREADS, contextSize: CONTEXT, maxTokens: MAX_TOKENS, ...extra },
    labelSet
  )) as LlmSession
  return {
    pass: () =>
      timed(session.hostPid, async () => {
        const before = (await session.stats()).completionTokens
        await session.label(reports, new AbortController().signal)
        return (await session.stats()).completionTokens - before
      }),
    close: () => session.close()
  }
}

const fmt = (x: number): string => x.toFixed(1)
console.log(`${reports.length} reports x ${RUNS} runs, threads ${THREADS}, max tokens ${MAX_TOKENS}, CheXpert-14 classify`)
console.log('Configurations are measured interleaved (one pass of each per round) so machine load affects all alike.\n')

const configs: Array<[string, () => Promise<{ pass: Pass; close(): Promise<void> }>]> = [
  ['bare node-llama-cpp loop', bareLoop],
  ['pipeline, host process, 1 seq', () => pipeline({})],
  ['pipeline, in-process, 1 seq', () => pipeline({ isolation: 'in-process' })],
  [`pipeline, host process, ${SEQUENCES} seq`, () => pipeline({ sequences: SEQUENCES })],
  ['pipeline, 1 seq, no prefix re-use', () => pipeline({ reusePrefix: false })]
]
const opened: Array<{ name: string; pass: Pass; close(): Promise<void>; wall: number[]; cpu: number[] }> = []
for (const [name, open] of configs) opened.push({ name, ...(await open()), wall: [] as number[], cpu: [] as number[] })
for (let round = 0; round <= RUNS; round++) {
  for (const c of opened) {
    const r = await c.pass()
    // round 0 warms up (and evaluates each sequence's shared prefix once)
    if (round > 0) {
      c.wall.push(r.tokens / r.wall)
      c.cpu.push(r.tokens / r.cpu)
    }
  }
  if (round > 0) console.log(`round ${round}: ${opened.map((c) => `${fmt(c.wall.at(-1)!)} (${fmt(c.cpu.at(-1)!)}/cpu-s)`).join(' | ')}`)
}
for (const c of opened) await c.close()
const wall = opened.map((c) => median(c.wall))
const cpu = opened.map((c) => median(c.cpu))
console.log('\nmedians: tokens per wall second, and tokens per CPU second (robust to other load on the machine)')
const line = (i: number, note: string): void =>
  console.log(`${opened[i]!.name.padEnd(36)} ${fmt(wall[i]!).padStart(7)} tok/s  ${fmt(cpu[i]!).padStart(7)} tok/cpu-s   ${note}`)
const pct = (a: number, b: number): string => `${fmt((1 - a / b) * 100)}%`
line(0, '')
line(1, `overhead vs bare: wall ${pct(wall[1]!, wall[0]!)}, cpu ${pct(cpu[1]!, cpu[0]!)}`)
line(2, `overhead vs bare: wall ${pct(wall[2]!, wall[0]!)}, cpu ${pct(cpu[2]!, cpu[0]!)}`)
line(3, `parallel sequences vs 1: wall x${(wall[3]! / wall[1]!).toFixed(2)}, cpu x${(cpu[3]! / cpu[1]!).toFixed(2)}`)
line(4, `prefix re-use gain (1 seq with vs without): wall x${(wall[1]! / wall[4]!).toFixed(2)}, cpu x${(cpu[1]! / cpu[4]!).toFixed(2)}`)

rmSync(dir, { recursive: true, force: true })
