// Import benchmark: N synthetic CSV reports of about 1 KB through the import job (JobManager, chunked
// transactions, a file workspace) exactly as the app runs it. Prints reports/s (wall clock and per CPU
// second), peak RSS, the longest event-loop block during the import, and RSS over the run (flat = bounded).
//
//   npx tsx scripts/bench/import.ts                 # 100,000 reports (targets: >= 20,000/s, < 300 MB, < 100 ms)
//   npx tsx scripts/bench/import.ts --size 1000000  # flat memory on 1,000,000 reports
//   npx tsx scripts/bench/import.ts --runs 3        # median of 3 runs
//   npx tsx scripts/bench/import.ts --in-process    # import on the main thread instead of the worker thread
// Also imports ../shared/data/iu-xray/dev.csv (sections + labels) when present, and says so when absent.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { IMPORT_JOB_KIND, runImportJob, type ImportJobParams, type ImportJobResult } from '../../src/node/import/job'
import { importReferenceLabels } from '../../src/node/import/labels'
import { JobManager } from '../../src/node/jobs/jobManager'
import { openWorkspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'

const args = process.argv.slice(2)
const arg = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 && args[i + 1] ? args[i + 1] : def
}
const SIZE = Number(arg('size', '100000'))
const RUNS = Number(arg('runs', '1'))
// --in-process: import on the main thread instead of the import worker thread, to compare.
if (args.includes('--in-process')) process.env.RADLABEL_IMPORT_THREAD = '0'
const MODE = process.env.RADLABEL_IMPORT_THREAD === '0' ? 'in-process' : 'import worker thread'

const WORDS = (
  'heart size normal lungs clear no pleural effusion mild bibasilar atelectasis right lower lobe opacity stable ' +
  'since prior study pneumothorax is not seen cardiomediastinal silhouette within limits degenerative changes of ' +
  'the thoracic spine small left-sided "calcified" granuloma unchanged, there is'
).split(' ')

/** Deterministic synthetic reports of ~1 KB with sections, quotes, commas and line breaks. */
async function generate(path: string, n: number): Promise<void> {
  const out = createWriteStream(path)
  out.write('report_id,study_date,modality,patient_id,report_text\n')
  let seed = 42
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const words = (len: number) => {
    let t = ''
    while (t.length < len) t += WORDS[Math.floor(rnd() * WORDS.length)] + (rnd() < 0.08 ? '.\n' : ' ')
    return t
  }
  for (let i = 0; i < n; i++) {
    const text = `EXAMINATION: CHEST PA AND LATERAL\nINDICATION: ${words(60)}\nCOMPARISON: None.\n\nFINDINGS: ${words(620)}\n\nIMPRESSION: ${words(160)}`
    const line = `RPT${String(i).padStart(8, '0')},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},CR,P${i % 50000},"${text.replace(/"/g, '""')}"\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
}

interface RunStats {
  seconds: number
  cpuSeconds: number
  records: number
  peakRssMb: number
  maxBlockMs: number
  p99BlockMs: number
  maxTxMs: number
  transactions: number
  idleMaxMs: number
  idleP99Ms: number
  rssTimeline: Array<{ records: number; rssMb: number }>
  result: ImportJobResult
}

/**
 * A baseline on a shared machine: an idle Node process measuring its own event-loop delay during the run.
 * Whatever it sees is the machine's scheduling noise, not the import's doing.
 */
function idleBaseline(): { stop(): Promise<{ max: number; p99: number }> } {
  const code = `const h = require('node:perf_hooks').monitorEventLoopDelay({ resolution: 10 }); h.enable();
    process.on('message', () => { h.disable(); process.send({ max: h.max / 1e6, p99: h.percentile(99) / 1e6 }); process.exit(0) })`
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { max: number; p99: number }))
        child.send('stop')
      })
  }
}

async function runOnce(csv: string, dbPath: string): Promise<RunStats> {
  for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true })
  const ws = openWorkspace(dbPath)
  const jobs = new JobManager(ws)
  // The app's runner, plus a probe of each transaction (the longest synchronous step of the import).
  let maxTx = 0
  let txCount = 0
  jobs.register<ImportJobParams>(IMPORT_JOB_KIND, (params, ctx) =>
    runImportJob({ ...params, onTransaction: (ms) => ((maxTx = Math.max(maxTx, ms)), txCount++) }, ctx)
  )
  let peak = 0
  const timeline: Array<{ records: number; rssMb: number }> = []
  let lastRecords = 0
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss
    peak = Math.max(peak, rss)
  }, 20)
  const h = monitorEventLoopDelay({ resolution: 10 })
  const baseline = idleBaseline()
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  h.enable()
  const job = jobs.start(IMPORT_JOB_KIND, 'bench', {
    files: [{ path: csv, mapping: { idField: 'report_id', textField: 'report_text', meta: { studyDate: 'study_date', modality: 'modality', patientId: 'patient_id' } } }]
  } satisfies ImportJobParams)
  const probe = setInterval(() => {
    const done = jobs.get(job.id).progress.done
    if (done - lastRecords >= SIZE / 20 || timeline.length === 0) {
      timeline.push({ records: done, rssMb: Math.round(process.memoryUsage().rss / 1e6) })
      lastRecords = done
    }
  }, 100)
  const final = await jobs.wait(job.id)
  const seconds = (performance.now() - t0) / 1000
  h.disable()
  const cpu = process.cpuUsage(cpu0)
  clearInterval(sampler)
  clearInterval(probe)
  const idle = await baseline.stop()
  peak = Math.max(peak, process.memoryUsage().rss)
  ws.close()
  if (final.status !== 'completed') throw new Error(`import ${final.status}: ${final.error}`)
  const result = final.result as ImportJobResult
  timeline.push({ records: result.records, rssMb: Math.round(process.memoryUsage().rss / 1e6) })
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    records: result.records,
    peakRssMb: Math.round(peak / 1e6),
    maxBlockMs: h.max / 1e6,
    p99BlockMs: h.percentile(99) / 1e6,
    idleMaxMs: idle.max,
    idleP99Ms: idle.p99,
    maxTxMs: maxTx,
    transactions: txCount,
    rssTimeline: timeline,
    result
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function realData(dir: string): Promise<void> {
  const dev = resolve(process.cwd(), '../shared/data/iu-xray/dev.csv')
  if (!existsSync(dev)) {
    console.log(`\nreal data: skipped (${dev} not found; the synthetic numbers above stand alone)`)
    return
  }
  const ws = openWorkspace(join(dir, 'iu.db'))
  prepareWorkspace(ws)
  const jobs = new JobManager(ws)
  jobs.register<ImportJobParams>(IMPORT_JOB_KIND, runImportJob)
  const t0 = performance.now()
  const job = jobs.start(IMPORT_JOB_KIND, 'iu', {
    files: [{ path: dev, mapping: { idField: 'uid', sectionFields: { indication: 'indication', comparison: 'comparison', findings: 'findings', impression: 'impression' } } }]
  } satisfies ImportJobParams)
  const final = await jobs.wait(job.id)
  const r = final.result as ImportJobResult
  const ms = performance.now() - t0
  const labels = await importReferenceLabels(ws.db, { path: dev, sourceName: 'iu dev', labelSet: 'chestxray14', idColumn: 'uid', zeroAs: 'not_mentioned' })
  ws.close()
  console.log(
    `\nreal data (IU X-ray dev.csv, sections mapped): ${r.records} records in ${ms.toFixed(0)} ms: added ${r.added}, ` +
      `duplicates ${r.duplicates}, conflicts ${r.conflicts}, rejected ${r.rejected}; labels: ${labels.reportsLabelled} reports, ` +
      `${labels.matched.length} columns matched, unknown columns: ${labels.unknownColumns.join(', ') || 'none'}`
  )
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-import-'))
  try {
    const csv = join(dir, 'reports.csv')
    const g0 = performance.now()
    await generate(csv, SIZE)
    const size = statSync(csv).size
    console.log(
      `generated ${SIZE.toLocaleString('en')} reports, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / SIZE)} bytes/report) ` +
        `in ${((performance.now() - g0) / 1000).toFixed(1)} s; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`
    )
    const runs: RunStats[] = []
    for (let i = 0; i < RUNS; i++) {
      const s = await runOnce(csv, join(dir, 'bench.db'))
      runs.push(s)
      console.log(
        `run ${i + 1}: ${s.records} records in ${s.seconds.toFixed(2)} s = ${Math.round(s.records / s.seconds)} reports/s ` +
          `(${Math.round(s.records / s.cpuSeconds)} per CPU-second), peak RSS ${s.peakRssMb} MB, ` +
          `max event-loop block ${s.maxBlockMs.toFixed(1)} ms (p99 ${s.p99BlockMs.toFixed(1)} ms), ` +
          `idle process alongside: max ${s.idleMaxMs.toFixed(1)} ms (p99 ${s.idleP99Ms.toFixed(1)} ms); ` +
          `longest transaction ${s.maxTxMs.toFixed(1)} ms of ${s.transactions} (${MODE}); ` +
          `added ${s.result.added}, rejected ${s.result.rejected}`
      )
    }
    const last = runs[runs.length - 1]
    console.log(`RSS during the last run (records -> MB): ${last.rssTimeline.map((t) => `${t.records}:${t.rssMb}`).join(' ')}`)
    const rate = median(runs.map((r) => r.records / r.seconds))
    const cpuRate = median(runs.map((r) => r.records / r.cpuSeconds))
    const peak = Math.max(...runs.map((r) => r.peakRssMb))
    const block = median(runs.map((r) => r.maxBlockMs))
    console.log(
      `\nMEDIAN over ${RUNS} run(s), ${SIZE} reports (${MODE}): ${Math.round(rate)} reports/s wall (target >= 20000), ` +
        `${Math.round(cpuRate)} reports per CPU-second, peak RSS ${peak} MB (target < 300), ` +
        `max event-loop block ${block.toFixed(1)} ms (target < 100); load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')}`
    )
    await realData(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
