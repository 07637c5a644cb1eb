// `radlabel train prepare`: a self-contained training kit from a workspace's labels. Train and validation
// JSONL of the seed paper's two tasks (open-ended detection, classification) with the prompt and chat
// format the llm engine uses at inference, split by patient (else by report) so that no patient straddles
// the split; a data card (where every label came from, counts per label and state, versions); train.py,
// config.json (the paper's recipe), requirements.txt, README.md; SHA256SUMS over every file.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError } from '../../common/errors'
import type { Evidence, LabelState } from '../../common/types'
import { askedLabels, DEFAULT_TEMPLATE, renderPrompt, templateId, type RenderedPrompt } from '../engines/llm/prompts'
import { REPORT_TEXT_WARNING } from '../export/dataset-jsonl'
import { sourcePages } from '../export/source-pages'
import { yieldToEventLoop } from '../jobs/jobManager'
import type { Db } from '../store/db'
import { getLabelSet } from '../store/repos/labelSets'
import { findSource, type SourceInfo } from '../store/repos/sources'
import { APP_VERSION } from '../version'
import { openChatFormat, type ChatFormatInfo } from './chat-format'

export const KIT_FORMAT = 'radlabel-training-kit'
export const KIT_VERSION = 1

/** The paper's recipe (Alpaca-LoRA style): written as the kit's config.json. */
export const PAPER_DEFAULTS = {
  lora: { r: 8, alpha: 16, dropout: 0.05, target_modules: ['q_proj', 'v_proj'] },
  learning_rate: 3e-4,
  epochs: 1,
  micro_batch_size: 2,
  gradient_accumulation_steps: 64,
  bf16: 'auto' as const,
  warmup_steps: 0,
  weight_decay: 0,
  max_grad_norm: 1,
  max_length: 4096,
  train_on_prompt: false,
  gradient_checkpointing: false,
  eval_every_steps: 0,
  max_eval_examples: 512,
  seed: 42,
  decoding: 'greedy (temperature 0), as the llm engine decodes at inference'
}

/** Pinned packages of the kit (for a CUDA GPU server; torch's CUDA build comes from PyTorch's index). */
export const KIT_REQUIREMENTS = [
  'torch==2.13.0',
  'transformers==5.17.0',
  'peft==0.21.0',
  'accelerate==1.15.0',
  'safetensors==0.8.0',
  'tokenizers==0.23.2',
  'huggingface-hub==1.33.0',
  'sentencepiece==0.2.2',
  'numpy==2.4.6',
  'pyyaml==6.0.3'
]

export interface PrepareOptions {
  /** Source whose labels are the classification targets (weak labels of a teacher, or curated ones). */
  source: string | number
  /** Source whose stored findings are the open-ended targets (default: `source`). */
  openSource?: string | number
  /** Hugging Face folder of the base model (what train.py fine-tunes). */
  baseModel: string
  /** The base model's GGUF (what inference runs): its chat template decides the chat format. */
  baseGguf?: string
  out: string
  validationFraction?: number
  splitSalt?: string
  overwrite?: boolean
  /** Overrides of the paper's recipe. */
  settings?: Partial<Pick<typeof PAPER_DEFAULTS, 'learning_rate' | 'epochs' | 'micro_batch_size' | 'gradient_accumulation_steps' | 'max_length' | 'seed'>> & {
    loraR?: number
    loraAlpha?: number
  }
}

export type Provenance = 'rules' | 'llm' | 'engine' | 'imported' | 'curated' | 'adjudicated'

export interface DataCard {
  format: 'radlabel-data-card'
  createdAt: string
  radlabelVersion: string
  source: { id: number; name: string; kind: string; engine: string | null }
  openSource: { id: number; name: string; kind: string; engine: string | null } | null
  labelSet: { slug: string; version: number; labels: string[] }
  promptTemplate: { id: string; name: string; version: number }
  chatFormat: ChatFormatInfo
  split: {
    by: 'patient' | 'report' | 'patient (report where missing)'
    validationFraction: number
    salt: string
    reportsWithPatientId: number
    reportsWithoutPatientId: number
    patients: { train: number; validation: number }
    reports: { train: number; validation: number }
    examples: { train: number; validation: number }
  }
  tasks: { open: { train: number; validation: number; fromFindings: number; fromPositiveLabels: number }; classify: { train: number; validation: number } }
  /** Label -> state -> provenance -> count, over the classification targets. */
  labelCounts: Record<string, Record<LabelState, Partial<Record<Provenance, number>>>>
  provenanceTotals: Partial<Record<Provenance, number>>
  warning: string
}

export interface PrepareResult {
  dir: string
  files: string[]
  /** sha256 of SHA256SUMS: one checksum that names the whole kit. */
  kitChecksum: string
  dataCard: DataCard
}

/** The split key of a report: its patient when known, so all of a patient's studies land together. */
export function splitKey(patientId: string | null, reportKey: string): string {
  return patientId && patientId.trim() ? `patient:${patientId.trim()}` : `report:${reportKey}`
}

export function isValidationKey(key: string, fraction: number, salt: string): boolean {
  const h = createHash('sha256').update(`${salt}\u0000${key}`).digest()
  return h.readUInt32BE(0) / 4294967296 < fraction
}

function engineOf(db: Db, sourceId: number): string | null {
  return (db.prepare('SELECT engine FROM runs WHERE source_id = ?').pluck().get(sourceId) as string | undefined) ?? null
}

function provenanceOf(src: SourceInfo, engine: string | null): Provenance {
  if (src.kind === 'imported') return 'imported'
  if (src.kind === 'curated') return 'curated'
  if (engine === 'rules') return 'rules'
  if (engine === 'llm' || engine === 'server' || engine === 'openai') return 'llm'
  return 'engine'
}

/**
 * The template file of train.py: next to this module in the source tree, or, from a bundle (out/cli,
 * out/main), found by walking up to the checkout or installed package that holds src/node/training/kit.
 */
export function trainPyTemplate(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, 'kit', 'train.py')]
  for (let dir = here; ; dir = dirname(dir)) {
    candidates.push(join(dir, 'src', 'node', 'training', 'kit', 'train.py'))
    if (dirname(dir) === dir) break
  }
  candidates.push(resolve(process.cwd(), 'src/node/training/kit/train.py'))
  const found = candidates.find((p) => existsSync(p))
  if (!found) throw new AppError('internal', `train.py's template is missing (looked next to ${here} and in the folders above it).`)
  return readFileSync(found, 'utf8')
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function kitReadme(card: DataCard, config: Record<string, unknown>): string {
  return `# RadLabel training kit

${card.warning}

This folder fine-tunes a LoRA adapter ("student") on labels from the RadLabel workspace, with the recipe of
the seed paper (LoRA r 8, alpha 16 on q_proj/v_proj, learning rate 3e-4, one epoch, effective batch 128 =
2 x 64 gradient accumulation, bf16 where supported). Everything here was written by \`radlabel train prepare\`
(RadLabel ${card.radlabelVersion}, ${card.createdAt}).

| file | what |
|---|---|
| train.jsonl, validation.jsonl | one example per line: \`prompt\` (the exact text RadLabel's llm engine sends at inference, chat format included), \`completion\` (the answer), \`task\`, \`report\` |
| config.json | training settings (edit here; train.py reads it) |
| train.py | the trainer: Transformers + PEFT, JSON progress lines on stdout |
| requirements.txt | pinned Python packages |
| data_card.json, DATA_CARD.md | where the labels came from, counts per label and state, split, versions |
| SHA256SUMS | checksums of every file above (\`sha256sum -c SHA256SUMS\`) |

Source of the classification targets: **${card.source.name}** (${card.source.kind}${card.source.engine ? `, engine ${card.source.engine}` : ''}).
Label set ${card.labelSet.slug}@${card.labelSet.version}; prompt template ${card.promptTemplate.id}; chat format ${card.chatFormat.wrapper}.
Split by ${card.split.by}: ${card.split.reports.train} train / ${card.split.reports.validation} validation reports.

## On this machine

    radlabel train run KIT_DIR [--device cpu|cuda|mps] [--max-steps N]

runs train.py as a job (progress, cancel) with the Python of \`npm run setup:train\` (or --python / RADLABEL_PYTHON).

## On an air-gapped GPU server

1. On a machine with internet access and the server's OS, Python version and CPU architecture, download the
   wheels (the CUDA build of torch comes from PyTorch's index; pick the CUDA version of the server's driver):

       python3 -m pip download -d wheels -r requirements.txt --extra-index-url https://download.pytorch.org/whl/cu124

2. Carry this folder, the \`wheels\` folder and the base model's Hugging Face folder (config.json, tokenizer
   files, *.safetensors) to the server, e.g. on an encrypted drive. Check the kit: \`sha256sum -c SHA256SUMS\`.
3. On the server:

       python3 -m venv .venv && . .venv/bin/activate
       pip install --no-index --find-links wheels -r requirements.txt
       python train.py --device cuda --base-model /path/to/base-model-hf

   The base model folder given at prepare time was \`${String(config.base_model)}\`; pass --base-model when it
   lives elsewhere on the server. Progress is one JSON object per line (\`{"event": "step", "loss": ...}\`).
   A 8B model in bf16 with LoRA needs a GPU with about 24 GB or more; set \`"gradient_checkpointing": true\`
   in config.json if memory is short.
4. Bring back the \`adapter\` folder (adapter_config.json, adapter_model.safetensors, training_summary.json)
   and register it in RadLabel:

       radlabel models import-adapter adapter --base BASE_MODEL_GGUF --db WORKSPACE

   which converts it with llama.cpp's convert_lora_to_gguf.py, checks it loads on the base model, and records its lineage.

The adapter and the report texts in this folder are patient data: delete the kit on the server after training.
`
}

function dataCardMarkdown(card: DataCard): string {
  const provs = Object.keys(card.provenanceTotals) as Provenance[]
  const lines = [
    '# Data card',
    '',
    card.warning,
    '',
    `- Created ${card.createdAt} by RadLabel ${card.radlabelVersion}`,
    `- Classification targets: source "${card.source.name}" (${card.source.kind}${card.source.engine ? `, engine ${card.source.engine}` : ''})`,
    `- Open-ended targets: ${card.openSource ? `source "${card.openSource.name}" (${card.openSource.kind})` : 'the same source'}; ${card.tasks.open.fromFindings} reports from stored findings, ${card.tasks.open.fromPositiveLabels} from positive labels`,
    `- Label set ${card.labelSet.slug} version ${card.labelSet.version}; prompt template ${card.promptTemplate.id}; chat format ${card.chatFormat.wrapper} (from ${card.chatFormat.resolvedFrom})`,
    `- Split by ${card.split.by} (validation fraction ${card.split.validationFraction}, salt "${card.split.salt}"): ` +
      `${card.split.reports.train} train / ${card.split.reports.validation} validation reports, ` +
      `${card.split.patients.train} / ${card.split.patients.validation} patients; ${card.split.reportsWithoutPatientId} reports without a patient id were split by report`,
    `- Examples: ${card.split.examples.train} train, ${card.split.examples.validation} validation`,
    '',
    '## Labels per state and provenance',
    '',
    `| label | state | ${provs.join(' | ')} |`,
    `|---|---|${provs.map(() => '---:').join('|')}|`
  ]
  for (const [label, states] of Object.entries(card.labelCounts)) {
    for (const [state, byProv] of Object.entries(states)) {
      if (!Object.values(byProv).some((n) => n)) continue
      lines.push(`| ${label} | ${state} | ${provs.map((p) => byProv[p] ?? 0).join(' | ')} |`)
    }
  }
  lines.push('')
  return lines.join('\n')
}

export async function prepareKit(db: Db, opts: PrepareOptions, onStatus: (s: string) => void = () => {}): Promise<PrepareResult> {
  const fraction = opts.validationFraction ?? 0.1
  if (!(fraction >= 0 && fraction <= 0.5)) {
    throw new AppError('invalid_input', `Validation fraction ${fraction} is out of range.`, 'Use a number from 0 to 0.5, e.g. 0.1.')
  }
  const salt = opts.splitSalt ?? 'radlabel-split-v1'
  const hfDir = resolve(opts.baseModel)
  if (!existsSync(join(hfDir, 'config.json'))) {
    throw new AppError('invalid_input', `${hfDir} is not a Hugging Face model folder (it has no config.json).`, 'Pass --base-model the folder with config.json, tokenizer files and *.safetensors of the base model.')
  }
  const dir = resolve(opts.out)
  if (existsSync(dir) && readdirSync(dir).length > 0 && !opts.overwrite) {
    throw new AppError('conflict', `${dir} exists and is not empty.`, 'Choose a new folder, or pass --force to replace the kit in it.')
  }
  const src = findSource(db, opts.source)
  const openSrc = opts.openSource !== undefined ? findSource(db, opts.openSource) : null
  if (openSrc && openSrc.labelSetId !== src.labelSetId) {
    throw new AppError('invalid_input', `--open-source "${openSrc.name}" uses another label set than --source "${src.name}".`, 'Choose sources of the same label set.')
  }
  const set = getLabelSet(db, src.labelSetId)
  const asked = askedLabels(set.definition)
  const template = DEFAULT_TEMPLATE
  const prompts: Record<'open' | 'classify', RenderedPrompt> = {
    open: renderPrompt(template, 'open', set.definition),
    classify: renderPrompt(template, 'classify', set.definition)
  }
  const engine = engineOf(db, src.id)
  const provenance = provenanceOf(src, engine)
  // Curated sources: labels an adjudicator decided count as adjudicated.
  const adjudicated = db.prepare(
    `SELECT 1 FROM review_decisions d JOIN review_sets s ON s.id = d.set_id
     WHERE s.curated_source_id = ? AND d.report_id = ? AND d.label_id = ? AND d.role = 'adjudicator' LIMIT 1`
  )
  const labelName = new Map(set.labels.map((l) => [l.id, l.name]))
  const labelIdOf = new Map(set.labels.map((l) => [l.name, l.id]))
  const patientStmt = db.prepare('SELECT patient_id FROM reports WHERE id = ?').pluck()
  const findingStmt = db.prepare('SELECT phrase, evidence_json FROM findings WHERE source_id = ? AND report_id = ? ORDER BY id').raw()
  const coversStmt = db.prepare(
    `SELECT 1 FROM run_reports WHERE source_id = ? AND report_id = ? AND status = 'done'
     UNION ALL SELECT 1 FROM source_labels WHERE source_id = ? AND report_id = ? LIMIT 1`
  )

  onStatus('Resolving the chat format of the base model')
  const chat = await openChatFormat({ hfDir, baseGguf: opts.baseGguf ? resolve(opts.baseGguf) : undefined })
  const labelCounts: DataCard['labelCounts'] = Object.fromEntries(
    asked.map((l) => [l, { positive: {}, negative: {}, uncertain: {}, not_mentioned: {} }])
  )
  const provenanceTotals: DataCard['provenanceTotals'] = {}
  const split = {
    reportsWithPatientId: 0,
    reportsWithoutPatientId: 0,
    patients: { train: new Set<string>(), validation: new Set<string>() },
    reports: { train: 0, validation: 0 },
    examples: { train: 0, validation: 0 }
  }
  const tasks = { open: { train: 0, validation: 0, fromFindings: 0, fromPositiveLabels: 0 }, classify: { train: 0, validation: 0 } }
  const lines = { train: [] as string[], validation: [] as string[] }
  try {
    for await (const page of sourcePages(db, src.id, { withText: true, withEvidence: true, pause: yieldToEventLoop })) {
      for (const r of page) {
        const states = new Map<string, LabelState>()
        const evidence = new Map<string, Evidence[]>()
        for (const [labelId, v] of r.labels) {
          const name = labelName.get(labelId)
          if (!name) continue
          states.set(name, v.state)
          if (v.evidence) evidence.set(name, v.evidence)
        }
        const patient = patientStmt.get(r.reportId) as string | null
        const key = splitKey(patient, r.reportKey)
        if (key.startsWith('patient:')) split.reportsWithPatientId++
        else split.reportsWithoutPatientId++
        const part = isValidationKey(key, fraction, salt) ? 'validation' : 'train'
        if (key.startsWith('patient:')) split.patients[part].add(key)
        split.reports[part]++

        // Classification target.
        const labels = Object.fromEntries(asked.map((l) => [l, states.get(l) ?? 'not_mentioned'])) as Record<string, LabelState>
        const quoted = asked
          .filter((l) => labels[l] === 'positive' || labels[l] === 'uncertain')
          .flatMap((l) => (evidence.get(l)?.[0] ? [{ label: l, quote: evidence.get(l)![0]!.text }] : []))
        for (const l of asked) {
          const state = labels[l]!
          const prov: Provenance =
            provenance === 'curated' && states.has(l) && adjudicated.get(src.id, r.reportId, labelIdOf.get(l)) ? 'adjudicated' : provenance
          const byProv = labelCounts[l]![state]
          byProv[prov] = (byProv[prov] ?? 0) + 1
          provenanceTotals[prov] = (provenanceTotals[prov] ?? 0) + 1
        }
        // Open-ended target: stored findings of the open source (or of the source), else positive labels.
        const findingsFrom = openSrc && coversStmt.get(openSrc.id, r.reportId, openSrc.id, r.reportId) ? openSrc.id : src.id
        const stored = findingStmt.all(findingsFrom, r.reportId) as Array<[string, string | null]>
        const findings = stored.length
          ? stored.map(([phrase, ev]) => {
              const quote = ev ? (JSON.parse(ev) as Evidence[])[0]?.text : undefined
              return quote ? { phrase, quote } : { phrase, quote: '' }
            })
          : asked.filter((l) => labels[l] === 'positive').map((l) => ({ phrase: l.toLowerCase(), quote: evidence.get(l)?.[0]?.text ?? '' }))
        if (stored.length) tasks.open.fromFindings++
        else tasks.open.fromPositiveLabels++

        for (const task of ['open', 'classify'] as const) {
          const answer = JSON.stringify(task === 'open' ? { findings } : { labels, evidence: quoted })
          const { prompt, completion } = chat.example(prompts[task], r.text, answer)
          lines[part].push(JSON.stringify({ report: r.reportKey, task, prompt, completion }))
          split.examples[part]++
          tasks[task][part]++
        }
      }
    }
  } finally {
    await chat.close()
  }
  if (split.reports.train + split.reports.validation === 0) {
    throw new AppError('not_found', `Source ${src.name} has no labels to train on.`, 'Run a labeler, import labels or curate a review set first.')
  }
  if (split.reports.train === 0) {
    throw new AppError('invalid_input', `Every report of ${src.name} fell into the validation split.`, 'Lower --validation-fraction or label more reports.')
  }

  const card: DataCard = {
    format: 'radlabel-data-card',
    createdAt: new Date().toISOString(),
    radlabelVersion: APP_VERSION,
    source: { id: src.id, name: src.name, kind: src.kind, engine },
    openSource: openSrc ? { id: openSrc.id, name: openSrc.name, kind: openSrc.kind, engine: engineOf(db, openSrc.id) } : null,
    labelSet: { slug: set.slug, version: set.version, labels: asked },
    promptTemplate: { id: templateId(template), name: template.name, version: template.version },
    chatFormat: chat.info,
    split: {
      by: split.reportsWithoutPatientId === 0 ? 'patient' : split.reportsWithPatientId === 0 ? 'report' : 'patient (report where missing)',
      validationFraction: fraction,
      salt,
      reportsWithPatientId: split.reportsWithPatientId,
      reportsWithoutPatientId: split.reportsWithoutPatientId,
      patients: { train: split.patients.train.size, validation: split.patients.validation.size },
      reports: split.reports,
      examples: split.examples
    },
    tasks,
    labelCounts,
    provenanceTotals,
    warning: REPORT_TEXT_WARNING
  }
  const s = opts.settings ?? {}
  const config = {
    format: KIT_FORMAT,
    version: KIT_VERSION,
    base_model: hfDir,
    train_file: 'train.jsonl',
    validation_file: 'validation.jsonl',
    output_dir: 'adapter',
    ...PAPER_DEFAULTS,
    lora: { ...PAPER_DEFAULTS.lora, r: s.loraR ?? PAPER_DEFAULTS.lora.r, alpha: s.loraAlpha ?? PAPER_DEFAULTS.lora.alpha },
    ...(s.learning_rate !== undefined ? { learning_rate: s.learning_rate } : {}),
    ...(s.epochs !== undefined ? { epochs: s.epochs } : {}),
    ...(s.micro_batch_size !== undefined ? { micro_batch_size: s.micro_batch_size } : {}),
    ...(s.gradient_accumulation_steps !== undefined ? { gradient_accumulation_steps: s.gradient_accumulation_steps } : {}),
    ...(s.max_length !== undefined ? { max_length: s.max_length } : {}),
    ...(s.seed !== undefined ? { seed: s.seed } : {}),
    radlabel: { source: src.name, labelSet: `${set.slug}@${set.version}`, promptTemplate: templateId(template), chatFormat: chat.info.wrapper }
  }
  const files: Record<string, string> = {
    'train.jsonl': lines.train.join('\n') + (lines.train.length ? '\n' : ''),
    'validation.jsonl': lines.validation.join('\n') + (lines.validation.length ? '\n' : ''),
    'config.json': JSON.stringify(config, null, 2) + '\n',
    'train.py': trainPyTemplate(),
    'requirements.txt': `# Pinned packages of the RadLabel training kit (Python >= 3.10).\n# torch: take the CUDA build from PyTorch's index on a GPU server (see README.md).\n${KIT_REQUIREMENTS.join('\n')}\n`,
    'data_card.json': JSON.stringify(card, null, 2) + '\n',
    'DATA_CARD.md': dataCardMarkdown(card),
    'README.md': kitReadme(card, config)
  }
  // Written into a fresh folder, renamed into place: a failed prepare leaves no half kit.
  const partial = `${dir}.partial`
  rmSync(partial, { recursive: true, force: true })
  mkdirSync(partial, { recursive: true })
  const sums: string[] = []
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(partial, name), text)
    sums.push(`${sha256(text)}  ${name}`)
  }
  const sumsText = sums.join('\n') + '\n'
  writeFileSync(join(partial, 'SHA256SUMS'), sumsText)
  mkdirSync(dirname(dir), { recursive: true })
  rmSync(dir, { recursive: true, force: true })
  const { renameSync } = await import('node:fs')
  renameSync(partial, dir)
  return { dir, files: [...Object.keys(files), 'SHA256SUMS'], kitChecksum: sha256(sumsText), dataCard: card }
}

/** Reads a kit's config and checks its files against SHA256SUMS; returns what differs. */
export function verifyKit(dir: string): { config: Record<string, unknown>; kitChecksum: string; changed: string[] } {
  const sumsPath = join(dir, 'SHA256SUMS')
  if (!existsSync(sumsPath) || !existsSync(join(dir, 'config.json'))) {
    throw new AppError('invalid_input', `${dir} is not a RadLabel training kit (no SHA256SUMS or config.json).`, 'Create one with radlabel train prepare.')
  }
  const sumsText = readFileSync(sumsPath, 'utf8')
  const changed: string[] = []
  for (const line of sumsText.split('\n').filter(Boolean)) {
    const [sum, name] = line.split(/\s+/, 2) as [string, string]
    const p = join(dir, name)
    if (!existsSync(p) || sha256(readFileSync(p)) !== sum) changed.push(name)
  }
  return { config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>, kitChecksum: sha256(sumsText), changed }
}
