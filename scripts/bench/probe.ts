// How good is the probe's estimate? Probes P reports of a scope of N, then runs the whole scope with the
// same settings, and prints estimate, actual and their ratio, for the llm engine on a generated
// random-weight model and for the rules engine. Synthetic reports (written here) of varied length.
// Run: npx tsx scripts/bench/probe.ts [--reports 60] [--probe 5] [--dim 256] [--layers 2] [--sequences 1] [--max-tokens 256]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { loadEngines } from '../../src/node/engines/all'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { probeRun } from '../../src/node/engines/probe'
import { createRun, getRun, RUN_JOB_KIND } from '../../src/node/engines/run'
import { JobManager } from '../../src/node/jobs/jobManager'
import { registerJobKinds } from '../../src/node/services/job-kinds'
import { openWorkspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'
import { insertReport } from '../../src/node/store/repos/reports'
import { BENCH_SENTENCES } from './synthetic-reports'

const { values } = parseArgs({
  options: {
    reports: { type: 'string', default: '60' },
    probe: { type: 'string', default: '5' },
    dim: { type: 'string', default: '256' },
    layers: { type: 'string', default: '2' },
    sequences: { type: 'string', default: '1' },
    'max-tokens': { type: 'string', default: '256' }
  }
})
const N = Number(values.reports)
const P = Number(values.probe)


const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-probe-'))
try {
  await loadEngines()
  const ws = openWorkspace(join(dir, 'bench.db'))
  prepareWorkspace(ws)
  for (let i = 0; i < N; i++) {
    const sentences = 2 + (i % 5) * 2 // 2 to 10 sentences: report length varies over the scope
    const text = `FINDINGS: ${Array.from({ length: sentences }, (_, k) => BENCH_SENTENCES[(i * 7 + k * 3) % BENCH_SENTENCES.length]).join(' ')}\nIMPRESSION: ${BENCH_SENTENCES[(i * 5 + 3) % BENCH_SENTENCES.length]}`
    insertReport(ws.db, { reportKey: `B${i}`, externalId: null, batchId: null, text, contentHash: `h${i}`, sections: [] })
  }
  const model = join(dir, 'bench.gguf')
  const info = writeTinyModel(model, { dim: Number(values.dim), layers: Number(values.layers), seed: 5 })
  console.log(`${N} synthetic reports; probe of ${P}; model ${info.dim}-dim, ${info.layers} layers, ${(info.parameters / 1e6).toFixed(1)}M parameters`)
  const jobs = new JobManager(ws, () => {})
  registerJobKinds(jobs)
  const engines: { engine: string; config: Record<string, unknown> }[] = [
    { engine: 'llm', config: { model, threads: 1, gpu: 'cpu', sequences: Number(values.sequences), maxTokens: Number(values['max-tokens']), contextSize: 2048 } },
    { engine: 'rules', config: {} }
  ]
  console.log('engine  probe: load s  per-report s  estimate s  | actual s  actual/estimate')
  for (const { engine, config } of engines) {
    const estimate = await probeRun(ws.db, { engine, labelSet: 'chexpert14', config, scope: {}, reports: P }, { signal: new AbortController().signal })
    const run = createRun(ws.db, { engine, labelSet: 'chexpert14', config, scope: {} })
    const t0 = performance.now()
    const final = await jobs.wait(jobs.start(RUN_JOB_KIND, 'bench', { sourceId: run.sourceId }).id)
    const actual = (performance.now() - t0) / 1000
    const r = getRun(ws.db, run.sourceId)
    if (final.status !== 'completed') throw new Error(`${engine} run ${final.status}: ${final.error}`)
    console.log(
      `${engine.padEnd(6)}  ${estimate.openSeconds.toFixed(2).padStart(12)}  ${(1 / estimate.reportsPerSecond).toFixed(4).padStart(12)}  ${estimate.estimateSeconds.toFixed(2).padStart(10)}  | ` +
        `${actual.toFixed(2).padStart(8)}  ${(actual / estimate.estimateSeconds).toFixed(2).padStart(15)}   (${r.reportsDone} done, ${r.reportsFailed} failed)`
    )
  }
  await jobs.shutdown()
  ws.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
