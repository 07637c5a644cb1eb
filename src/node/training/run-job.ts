// `radlabel train run` as a job: runs the kit's train.py with the chosen Python, turns its JSON progress
// lines into job progress (step of total, loss, tokens/s, ETA), kills the process on cancel, and records a
// failure with train.py's own message. Output goes to KIT/train.log; the adapter into KIT/adapter.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { AppError } from '../../common/errors'
import type { JobContext } from '../jobs/jobManager'
import { checkPython, choosePython } from './python'
import { verifyKit } from './prepare'

export const TRAIN_JOB_KIND = 'train'
export const TRAIN_DEVICES = ['auto', 'cpu', 'cuda', 'mps'] as const
export type TrainDevice = (typeof TRAIN_DEVICES)[number]

export interface TrainJobParams {
  kitDir: string
  device?: TrainDevice
  maxSteps?: number
  python?: string
}

export interface TrainJobResult {
  kitDir: string
  adapterDir: string
  kitChecksum: string
  /** Kit files that differ from SHA256SUMS (edited config, for instance). */
  changedFiles: string[]
  steps: number
  finalTrainLoss: number | null
  finalValLoss: number | null
  wallSeconds: number
  stepsPerSecond: number
  device: string
  python: string
  versions: Record<string, string>
}

interface TrainEvent {
  event: 'start' | 'step' | 'eval' | 'done' | 'error'
  [key: string]: unknown
}

export async function runTrainJob(params: TrainJobParams, ctx: JobContext): Promise<TrainJobResult | null> {
  const kitDir = resolve(params.kitDir)
  const kit = verifyKit(kitDir)
  ctx.report({ done: 0, total: params.maxSteps ?? null, unit: 'steps', message: 'Checking Python' })
  const python = choosePython(params.python)
  const versions = await checkPython(python, ['torch', 'transformers', 'peft', 'safetensors'])
  if (ctx.signal.aborted) return null
  const args = [join(kitDir, 'train.py'), '--config', join(kitDir, 'config.json'), '--device', params.device ?? 'auto']
  if (params.maxSteps !== undefined) args.push('--max-steps', String(params.maxSteps))
  const log = createWriteStream(join(kitDir, 'train.log'), { flags: 'a' })
  log.write(`# ${new Date().toISOString()} ${python.path} ${args.join(' ')}\n`)
  const child = spawn(python.path, ['-u', ...args], {
    cwd: kitDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' }
  })
  const onAbort = (): void => {
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  }
  ctx.signal.addEventListener('abort', onAbort, { once: true })
  let errorEvent: TrainEvent | null = null
  let done: TrainEvent | null = null
  let device: string = params.device ?? 'auto'
  const stderrTail: string[] = []
  createInterface({ input: child.stderr }).on('line', (line) => {
    log.write(`${line}\n`)
    stderrTail.push(line)
    if (stderrTail.length > 20) stderrTail.shift()
  })
  const lines = createInterface({ input: child.stdout })
  lines.on('line', (line) => {
    log.write(`${line}\n`)
    let ev: TrainEvent
    try {
      ev = JSON.parse(line) as TrainEvent
    } catch {
      return
    }
    if (ev.event === 'start') {
      device = String(ev.device)
      ctx.report({ done: 0, total: Number(ev.total_steps), unit: 'steps', message: `Training on ${ev.device} (${ev.train_examples} examples)` })
    } else if (ev.event === 'step') {
      const step = Number(ev.step)
      const elapsed = Number(ev.elapsed_s)
      ctx.report({
        done: step,
        total: Number(ev.total_steps),
        rate: elapsed > 0 ? step / elapsed : undefined,
        etaSeconds: Number(ev.eta_s),
        message: `loss ${Number(ev.loss).toFixed(4)} · ${Math.round(Number(ev.tokens_per_s))} tokens/s`,
        counters: { loss: Number(ev.loss), tokensPerSecond: Number(ev.tokens_per_s) }
      })
    } else if (ev.event === 'eval') {
      ctx.report({ message: `validation loss ${Number(ev.val_loss).toFixed(4)}`, counters: { valLoss: Number(ev.val_loss) } })
    } else if (ev.event === 'done') done = ev
    else if (ev.event === 'error') errorEvent = ev
  })
  const exit = await new Promise<{ code: number | null; signal: string | null }>((resolveExit, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolveExit({ code, signal }))
  }).finally(() => {
    ctx.signal.removeEventListener('abort', onAbort)
    log.end()
  })
  if (ctx.signal.aborted) return null
  if (exit.code !== 0 || !done) {
    const ev = errorEvent as TrainEvent | null
    const why = ev ? String(ev.message) : stderrTail.filter((l) => l.trim()).slice(-3).join(' | ') || `exit ${exit.code ?? exit.signal}`
    throw new AppError(
      'engine_failed',
      `train.py failed: ${why}`,
      ev?.hint ? String(ev.hint) : `The full output is in ${join(kitDir, 'train.log')}.`
    )
  }
  const adapterDir = String((done as TrainEvent).adapter_dir)
  const summaryPath = join(adapterDir, 'training_summary.json')
  const summary = existsSync(summaryPath) ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>) : {}
  return {
    kitDir,
    adapterDir,
    kitChecksum: kit.kitChecksum,
    changedFiles: kit.changed,
    steps: Number((done as TrainEvent).steps),
    finalTrainLoss: ((done as TrainEvent).final_train_loss as number | null) ?? null,
    finalValLoss: ((done as TrainEvent).final_val_loss as number | null) ?? null,
    wallSeconds: Number((done as TrainEvent).wall_s),
    stepsPerSecond: Number(summary.steps_per_s ?? 0),
    device,
    python: python.path,
    versions
  }
}
