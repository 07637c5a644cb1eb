// `radlabel train prepare` (a training kit from a workspace's labels) and `radlabel train run` (the kit's
// train.py as a job: progress, Ctrl-C cancels and kills it). See docs/training.md.
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import { prepareKit } from '../../training/prepare'
import { TRAIN_DEVICES, TRAIN_JOB_KIND, type TrainDevice, type TrainJobParams, type TrainJobResult } from '../../training/run-job'
import { printJson, printLines } from '../output'
import { runJobInForeground, withSession } from '../session'
import { requireWorkspace } from './eval'

const num = (name: string, v: string | undefined, int = false): number | undefined => {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n <= 0 || (int && !Number.isInteger(n))) {
    throw new AppError('invalid_input', `${name} must be a positive ${int ? 'whole ' : ''}number, got "${v}".`)
  }
  return n
}

interface PrepareCli {
  db: string
  source: string
  openSource?: string
  baseModel: string
  baseGguf?: string
  out: string
  validationFraction: string
  splitSalt?: string
  lr?: string
  epochs?: string
  microBatch?: string
  gradAccum?: string
  loraR?: string
  loraAlpha?: string
  maxLength?: string
  force?: boolean
  json?: boolean
}

interface RunCli {
  db: string
  device: string
  maxSteps?: string
  python?: string
  json?: boolean
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('Fine-tune a LoRA student on the workspace\'s labels (training kit, training run).')
  train
    .command('prepare')
    .description('Write a self-contained training kit: train/validation JSONL, data card, train.py, config, requirements, README, checksums.')
    .requiredOption('--db <path>', 'workspace database file')
    .requiredOption('--source <name>', 'label source whose labels are the classification targets (e.g. the teacher run, or curated labels)')
    .option('--open-source <name>', 'source whose stored findings are the open-ended targets (default: --source)')
    .requiredOption('--base-model <dir>', 'Hugging Face folder of the base model (config.json, tokenizer, safetensors)')
    .option('--base-gguf <file>', 'the base model\'s GGUF used at inference: its chat template decides the chat format (default: the folder\'s chat template)')
    .requiredOption('--out <dir>', 'kit folder to create')
    .option('--validation-fraction <f>', 'share of patients (reports without one) in validation', '0.1')
    .option('--split-salt <s>', 'changes which patients land in validation; same salt, same split')
    .option('--lr <f>', 'learning rate (paper: 3e-4)')
    .option('--epochs <n>', 'epochs (paper: 1)')
    .option('--micro-batch <n>', 'micro batch size (paper: 2)')
    .option('--grad-accum <n>', 'gradient accumulation steps (paper: 64)')
    .option('--lora-r <n>', 'LoRA rank (paper: 8)')
    .option('--lora-alpha <n>', 'LoRA alpha (paper: 16)')
    .option('--max-length <n>', 'longest example in tokens (longer ones are skipped)')
    .option('--force', 'replace an existing kit folder')
    .option('--json', 'print one JSON object')
    .action(async (opts: PrepareCli) => {
      requireWorkspace(opts.db)
      const fraction = Number(opts.validationFraction)
      await withSession(opts.db, async (session) => {
        const result = await prepareKit(
          session.ctx.workspace.db,
          {
            source: opts.source,
            openSource: opts.openSource,
            baseModel: opts.baseModel,
            baseGguf: opts.baseGguf,
            out: opts.out,
            validationFraction: fraction,
            splitSalt: opts.splitSalt,
            overwrite: opts.force,
            settings: {
              learning_rate: num('--lr', opts.lr),
              epochs: num('--epochs', opts.epochs),
              micro_batch_size: num('--micro-batch', opts.microBatch, true),
              gradient_accumulation_steps: num('--grad-accum', opts.gradAccum, true),
              max_length: num('--max-length', opts.maxLength, true),
              loraR: num('--lora-r', opts.loraR, true),
              loraAlpha: num('--lora-alpha', opts.loraAlpha)
            }
          },
          (s) => process.stderr.write(`${s}\n`)
        )
        if (opts.json) return printJson(result)
        const c = result.dataCard
        printLines([
          `Training kit written to ${result.dir} (kit checksum ${result.kitChecksum.slice(0, 16)}…)`,
          `Source "${c.source.name}" (${c.source.kind}), label set ${c.labelSet.slug}@${c.labelSet.version}, template ${c.promptTemplate.id}, chat format ${c.chatFormat.wrapper}.`,
          `Split by ${c.split.by}: ${c.split.reports.train} train / ${c.split.reports.validation} validation reports; ${c.split.examples.train} / ${c.split.examples.validation} examples.`,
          `Files: ${result.files.join(', ')}`,
          c.warning,
          `Next: radlabel train run ${result.dir} --db ${opts.db}   (or carry the kit to a GPU server: see its README.md)`
        ])
      })
    })

  train
    .command('run <kit>')
    .description('Run the kit\'s train.py as a job (progress: step, loss, tokens/s, ETA); the PEFT adapter goes into KIT/adapter.')
    .requiredOption('--db <path>', 'workspace database file (the job is recorded there)')
    .option('--device <d>', `${TRAIN_DEVICES.join(' | ')}`, 'auto')
    .option('--max-steps <n>', 'stop after N optimizer steps')
    .option('--python <path>', 'Python interpreter (default: $RADLABEL_PYTHON, else the venv of npm run setup:train, else python3)')
    .option('--json', 'print one JSON object')
    .action(async (kit: string, opts: RunCli) => {
      requireWorkspace(opts.db)
      if (!TRAIN_DEVICES.includes(opts.device as TrainDevice)) {
        throw new AppError('invalid_input', `Unknown --device "${opts.device}".`, `Use one of ${TRAIN_DEVICES.join(', ')}.`)
      }
      await withSession(opts.db, async (session) => {
        const params: TrainJobParams = {
          kitDir: kit,
          device: opts.device as TrainDevice,
          maxSteps: num('--max-steps', opts.maxSteps, true),
          python: opts.python
        }
        const final = await runJobInForeground(session, TRAIN_JOB_KIND, `train ${kit}`, params)
        const r = final.result as TrainJobResult
        if (opts.json) return printJson(r)
        printLines([
          `Adapter written to ${r.adapterDir}`,
          `${r.steps} steps on ${r.device} in ${r.wallSeconds.toFixed(1)} s (${r.stepsPerSecond.toFixed(2)} steps/s); final train loss ${r.finalTrainLoss?.toFixed(4) ?? '-'}, validation loss ${r.finalValLoss?.toFixed(4) ?? '-'}.`,
          ...(r.changedFiles.length ? [`Note: kit files changed since prepare: ${r.changedFiles.join(', ')} (recorded in the lineage).`] : []),
          `Next: radlabel models import-adapter ${r.adapterDir} --base BASE_MODEL --db ${opts.db}`
        ])
      })
    })
}
