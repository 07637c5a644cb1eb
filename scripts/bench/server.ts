// Benchmark of the server engine against in-process llama.cpp: the same reports and the same generated
// model (default 512-dim, 4 layers, ~13M parameters, as scripts/bench/llm.ts) through
//  - the `llm` engine (node-llama-cpp in its host process) with 1 and 4 parallel sequences, and
//  - the `server` engine on llama.cpp's llama-server (npm run build:llama-server) with 1 and 4 slots
//    (concurrency = slots),
// configurations interleaved, --runs passes each; prints medians of reports/s and tokens/s, ratios, and
// RadLabel's own overhead on the server path: the pass's wall time against the time llama-server says
// it spent (`timings`: prompt_ms + predicted_ms; meaningful at 1 slot, where requests do not overlap).
// Run: npx tsx scripts/bench/server.ts [--reports 200] [--runs 3] [--threads 2] [--dim 512] [--layers 4]
//      [--max-tokens 256]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { llmEngine, type LlmSession } from '../../src/node/engines/llm/engine'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { serverEngine, type ServerSession } from '../../src/node/engines/server/engine'
import { ensureLlamaServer, startLlamaServer, type RunningLlamaServer } from '../../src/node/engines/server/testing/llamaServer'
import type { EngineReport } from '../../src/node/engines/types'
import { benchReports, median } from './synthetic-reports'

const { values } = parseArgs({
  options: {
    dim: { type: 'string', default: '512' },
    layers: { type: 'string', default: '4' },
    reports: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
    'max-tokens': { type: 'string', default: '256' }
  }
})
const num = (v: string | undefined): number => Number(v)
const RUNS = num(values.runs)
const THREADS = num(values.threads)
const MAX_TOKENS = num(values['max-tokens'])
const CONTEXT = 4096

const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-server-'))
const modelPath = join(dir, 'bench.gguf')
const info = writeTinyModel(modelPath, { dim: num(values.dim), layers: num(values.layers), seed: 5 })
console.log(`model: generated ${info.dim}-dim, ${info.layers} layers, ${(info.parameters / 1e6).toFixed(1)}M parameters; ${values.reports} reports; ${RUNS} runs; ${THREADS} threads`)

// The same synthetic reports as scripts/bench/llm.ts.
const reports: EngineReport[] = benchReports(num(values.reports))
const labelSet = { ...CHEXPERT14, version: 1 }

interface PassResult {
  wall: number
  tokens: number
  failed: number
  /** server path: llama-server's own prompt + generation time (s) and the client's summed round trips (s). */
  serverSeconds?: number
  requestSeconds?: number
}
interface Config {
  name: string
  pass(): Promise<PassResult>
  close(): Promise<void>
}

async function labelInChunks(session: { label: (b: EngineReport[], s: AbortSignal) => Promise<{ ok: boolean }[]> }, chunk: number): Promise<number> {
  let failed = 0
  for (let i = 0; i < reports.length; i += chunk) {
    const results = await session.label(reports.slice(i, i + chunk), new AbortController().signal)
    failed += results.filter((r) => !r.ok).length
  }
  return failed
}

async function llmConfig(sequences: number): Promise<Config> {
  const session = (await llmEngine.open({ model: modelPath, gpu: 'cpu', threads: THREADS, contextSize: CONTEXT, maxTokens: MAX_TOKENS, sequences }, labelSet)) as LlmSession
  const chunk = llmEngine.batchSize!({ sequences, model: modelPath })
  return {
    name: `llm ${sequences} seq`,
    async pass() {
      const before = (await session.stats()).completionTokens
      const t0 = performance.now()
      const failed = await labelInChunks(session, chunk)
      return { wall: (performance.now() - t0) / 1000, tokens: (await session.stats()).completionTokens - before, failed }
    },
    close: () => session.close()
  }
}

async function serverConfig(binary: string, slots: number): Promise<Config & { server: RunningLlamaServer }> {
  const server = await startLlamaServer({ binary, model: modelPath, slots, contextPerSlot: CONTEXT, threads: THREADS, extraArgs: ['--log-disable'] })
  const config = { endpoint: server.url, serverModel: server.modelName, concurrency: slots, maxTokens: MAX_TOKENS }
  const session = (await serverEngine.open(config, labelSet)) as ServerSession
  const chunk = serverEngine.batchSize!(config)
  return {
    name: `server ${slots} slot${slots > 1 ? 's' : ''}`,
    server,
    async pass() {
      const before = session.stats()
      const t0 = performance.now()
      const failed = await labelInChunks(session, chunk)
      const wall = (performance.now() - t0) / 1000
      const after = session.stats()
      return {
        wall,
        tokens: after.completionTokens - before.completionTokens,
        failed,
        serverSeconds: (after.serverMs - before.serverMs) / 1000,
        requestSeconds: (after.requestMs - before.requestMs) / 1000
      }
    },
    async close() {
      await session.close()
      await server.stop()
    }
  }
}

const binary = ensureLlamaServer()
const configs: Config[] = [await llmConfig(1), await serverConfig(binary, 1), await llmConfig(4), await serverConfig(binary, 4)]
const results = new Map<string, PassResult[]>(configs.map((c) => [c.name, []]))
try {
  // One warm-up pass of two reports each (model pages, prefix caches), not timed.
  for (const c of configs) {
    const saved = reports.splice(2)
    await c.pass()
    reports.push(...saved)
  }
  for (let run = 0; run < RUNS; run++) {
    for (const c of configs) {
      const r = await c.pass()
      results.get(c.name)!.push(r)
      console.log(`run ${run + 1} ${c.name.padEnd(15)} ${r.wall.toFixed(1)} s  ${(reports.length / r.wall).toFixed(2)} reports/s  ${(r.tokens / r.wall).toFixed(1)} tokens/s  failed ${r.failed}` + (r.serverSeconds !== undefined ? `  server timings ${r.serverSeconds.toFixed(1)} s` : ''))
    }
  }
} finally {
  for (const c of configs) await c.close().catch(() => {})
  rmSync(dir, { recursive: true, force: true })
}

const med = (name: string, f: (r: PassResult) => number): number => median(results.get(name)!.map(f))
const rps = (name: string): number => med(name, (r) => reports.length / r.wall)
const tps = (name: string): number => med(name, (r) => r.tokens / r.wall)
console.log('\nmedians:')
for (const c of configs) console.log(`  ${c.name.padEnd(15)} ${rps(c.name).toFixed(2)} reports/s  ${tps(c.name).toFixed(1)} tokens/s`)
console.log('ratios (reports/s):')
console.log(`  server 1 slot  / llm 1 seq : ${(rps('server 1 slot') / rps('llm 1 seq')).toFixed(2)}`)
console.log(`  server 4 slots / llm 4 seq : ${(rps('server 4 slots') / rps('llm 4 seq')).toFixed(2)}`)
console.log(`  server 4 slots / 1 slot    : ${(rps('server 4 slots') / rps('server 1 slot')).toFixed(2)}  (throughput growth with slots)`)
console.log(`  llm 4 seq / 1 seq          : ${(rps('llm 4 seq') / rps('llm 1 seq')).toFixed(2)}`)
const overhead = med('server 1 slot', (r) => (r.wall - r.serverSeconds!) / r.wall)
const http = med('server 1 slot', (r) => (r.requestSeconds! - r.serverSeconds!) / r.requestSeconds!)
console.log(`RadLabel overhead on the server path at 1 slot (wall vs llama-server timings): ${(overhead * 100).toFixed(1)}% (goal within 5%)`)
console.log(`  of which HTTP + server-side templating/JSON (round trips vs timings): ${(http * 100).toFixed(1)}%`)
