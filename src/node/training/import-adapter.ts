// `radlabel models import-adapter`: a PEFT adapter folder -> GGUF LoRA (llama.cpp's own
// convert_lora_to_gguf.py from the source node-llama-cpp ships) -> checked by loading it on the registered
// base GGUF -> registered in the workspace with its lineage (kit checksum, dataset, label sources, base
// model sha256, training settings, final losses).
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { AppError } from '../../common/errors'
import type { AdapterLineage, ModelEntry } from '../../common/ipc/calls/models'
import { inspectGguf } from '../models/inspect'
import { addModel, findModelRow, getModel, hashModel, modelsDir } from '../models/registry'
import type { Workspace } from '../store/db'
import { nowIso } from '../store/db'
import { ensureLlamaCppSource } from './llama-cpp-source'
import { checkPython, choosePython } from './python'

const run = promisify(execFile)

export interface ImportAdapterOptions {
  adapterDir: string
  /** Registered base model: id, name or path. */
  base: string
  name?: string
  /** Hugging Face folder of the base model (default: the one training used). */
  baseHf?: string
  /** The kit the adapter was trained from (default: found from training_summary.json or the adapter's parent). */
  kitDir?: string
  python?: string
  outType?: 'f32' | 'f16' | 'bf16' | 'q8_0'
}

export interface ImportAdapterResult {
  model: ModelEntry
  ggufPath: string
  lineage: AdapterLineage
  seconds: { convert: number; verify: number; total: number }
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}

/** Loads base + adapter with llama.cpp (CPU, small context): llama.cpp checks every tensor's shape. */
export async function verifyAdapterLoads(basePath: string, adapterPath: string): Promise<void> {
  const lib = await import('node-llama-cpp')
  const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: lib.LlamaLogLevel.error })
  try {
    const model = await llama.loadModel({ modelPath: basePath, gpuLayers: 0 })
    try {
      const context = await model.createContext({ contextSize: 256, threads: 1, lora: { adapters: [{ filePath: adapterPath, scale: 1 }] } })
      await context.dispose()
    } finally {
      await model.dispose()
    }
  } finally {
    await llama.dispose()
  }
}

/** Stores where a registered adapter came from (one row per adapter model). */
export function recordLineage(db: Workspace['db'], modelId: number, l: Omit<AdapterLineage, 'createdAt'>): void {
  db.prepare(
    `INSERT INTO adapter_lineage (model_id, base_model_id, base_sha256, adapter_dir, kit_dir, kit_checksum, dataset_json,
       training_json, final_train_loss, final_val_loss, conversion_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  ).run(
    modelId,
    l.baseModelId,
    l.baseSha256,
    l.adapterDir,
    l.kitDir,
    l.kitChecksum,
    JSON.stringify(l.dataset),
    JSON.stringify(l.training),
    l.finalTrainLoss,
    l.finalValLoss,
    JSON.stringify(l.conversion),
    nowIso()
  )
}

export async function getLineage(db: Workspace['db'], modelId: number): Promise<AdapterLineage | undefined> {
  return (await getModel(db, modelId)).lineage
}

export async function importAdapter(
  workspace: Workspace,
  opts: ImportAdapterOptions,
  onStatus: (s: string) => void = () => {}
): Promise<ImportAdapterResult> {
  const started = Date.now()
  const { db } = workspace
  const adapterDir = resolve(opts.adapterDir)
  const adapterConfig = readJson(join(adapterDir, 'adapter_config.json'))
  if (!adapterConfig || !existsSync(join(adapterDir, 'adapter_model.safetensors'))) {
    throw new AppError(
      'invalid_input',
      `${adapterDir} is not a PEFT adapter folder (it needs adapter_config.json and adapter_model.safetensors).`,
      'Pass the adapter folder that train.py wrote (KIT/adapter).'
    )
  }
  if (String(adapterConfig.peft_type ?? 'LORA').toUpperCase() !== 'LORA') {
    throw new AppError('unsupported', `${adapterDir} holds a ${String(adapterConfig.peft_type)} adapter; only LoRA adapters convert to GGUF.`)
  }
  const baseId = findModelRow(db, opts.base)
  if (!baseId) throw new AppError('not_found', `There is no registered model "${opts.base}".`, 'Register the base GGUF first: radlabel models add FILE.gguf --db WORKSPACE.')
  const base = await getModel(db, baseId)
  if (base.kind !== 'base') throw new AppError('invalid_input', `${base.name} is a LoRA adapter, not a base model.`, 'Pass --base the registered base model.')
  if (!base.available) throw new AppError('not_found', base.problem ?? `The base model ${base.name} is not available.`)
  const baseSha = base.sha256 ?? (onStatus(`Computing sha256 of ${base.header.fileName}`), await hashModel(db, base.id))

  const summary = readJson(join(adapterDir, 'training_summary.json')) ?? {}
  const baseHf = resolve(opts.baseHf ?? String(summary.base_model ?? adapterConfig.base_model_name_or_path ?? ''))
  if (!existsSync(join(baseHf, 'config.json'))) {
    throw new AppError(
      'invalid_input',
      `The base model's Hugging Face folder ${baseHf} is missing (the converter reads its config.json).`,
      'Pass --base-hf DIR, the folder the adapter was trained on.'
    )
  }
  const kitDir = [opts.kitDir, summary.kit_dir as string | undefined, dirname(adapterDir)]
    .filter((d): d is string => !!d)
    .map((d) => resolve(d))
    .find((d) => existsSync(join(d, 'data_card.json')))
  const card = kitDir ? readJson(join(kitDir, 'data_card.json')) : null

  const python = choosePython(opts.python)
  await checkPython(python, ['torch', 'numpy', 'safetensors', 'transformers', 'yaml'])
  const source = await ensureLlamaCppSource(onStatus)
  const name = opts.name?.trim() || `${basename(dirname(adapterDir))}-${basename(adapterDir)}`.replace(/[^A-Za-z0-9._-]+/g, '-')
  const outDir = workspace.path === ':memory:' ? adapterDir : modelsDir(workspace.path)
  await mkdir(outDir, { recursive: true })
  const outFile = join(outDir, `${name}.gguf`)
  if (existsSync(outFile)) {
    throw new AppError('conflict', `${outFile} already exists.`, 'Choose another --name, or remove the older adapter first.')
  }
  const outType = opts.outType ?? 'f32'
  onStatus(`Converting ${adapterDir} with llama.cpp ${source.tag}'s convert_lora_to_gguf.py`)
  const convertStart = Date.now()
  try {
    await run(
      python.path,
      [join(source.dir, 'convert_lora_to_gguf.py'), adapterDir, '--base', baseHf, '--outfile', outFile, '--outtype', outType],
      { cwd: source.dir, maxBuffer: 1 << 26, env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' } }
    )
  } catch (err) {
    await rm(outFile, { force: true })
    const e = err as Error & { stderr?: string }
    const tail = (e.stderr ?? e.message).trim().split('\n').slice(-4).join(' | ')
    throw new AppError('engine_failed', `convert_lora_to_gguf.py failed: ${tail}`, 'Check that the adapter was trained on this base model (--base-hf).')
  }
  const convertSeconds = (Date.now() - convertStart) / 1000
  const verifyStart = Date.now()
  try {
    const header = await inspectGguf(outFile)
    if (header.kind !== 'lora') throw new AppError('internal', `${outFile} is not a LoRA GGUF after conversion.`)
    if (header.architecture !== base.header.architecture) {
      throw new AppError('invalid_input', `The adapter is for ${header.architecture}, the base model ${base.name} is ${base.header.architecture}.`, 'Pass the base model the adapter was trained on.')
    }
    onStatus(`Loading ${base.header.fileName} with the adapter to check that it fits`)
    await verifyAdapterLoads(base.path, outFile)
  } catch (err) {
    await rm(outFile, { force: true })
    const e = AppError.from(err)
    throw new AppError(e.code === 'internal' ? 'invalid_input' : e.code, `The converted adapter does not fit ${base.name}: ${e.message}`, e.hint ?? 'Pass the base model the adapter was trained on (same architecture, dimensions and tensor names).')
  }
  const verifySeconds = (Date.now() - verifyStart) / 1000

  const cfg = (summary.config ?? {}) as Record<string, unknown>
  const training: Record<string, unknown> = {
    lora: cfg.lora ?? { r: adapterConfig.r, alpha: adapterConfig.lora_alpha, target_modules: adapterConfig.target_modules },
    learningRate: cfg.learning_rate,
    epochs: cfg.epochs,
    microBatchSize: cfg.micro_batch_size,
    gradientAccumulationSteps: cfg.gradient_accumulation_steps,
    steps: summary.steps,
    maxSteps: summary.max_steps,
    device: summary.device,
    dtype: summary.dtype,
    trainExamples: summary.train_examples,
    validationExamples: summary.validation_examples,
    wallSeconds: summary.wall_s,
    stepsPerSecond: summary.steps_per_s,
    versions: summary.versions,
    finishedAt: summary.finished_at
  }
  const dataset: AdapterLineage['dataset'] = card
    ? {
        source: card.source as AdapterLineage['dataset']['source'],
        openSource: card.openSource as AdapterLineage['dataset']['openSource'],
        labelSet: card.labelSet as AdapterLineage['dataset']['labelSet'],
        promptTemplate: (card.promptTemplate as { id?: string } | undefined)?.id,
        chatFormat: (card.chatFormat as { wrapper?: string } | undefined)?.wrapper,
        split: card.split as AdapterLineage['dataset']['split'],
        provenanceTotals: card.provenanceTotals as Record<string, number>
      }
    : {}
  const conversion: AdapterLineage['conversion'] = {
    llamaCpp: source.tag,
    commit: source.commit,
    script: 'convert_lora_to_gguf.py',
    outType,
    seconds: Number(convertSeconds.toFixed(2))
  }
  const kitChecksum = (summary.kit_checksum as string | null | undefined) ?? null
  const entry = await addModel(db, workspace.path, { path: outFile, mode: 'reference', name })
  try {
    await hashModel(db, entry.id)
    recordLineage(db, entry.id, {
      baseModelId: base.id,
      baseSha256: baseSha,
      adapterDir,
      kitDir: kitDir ?? null,
      kitChecksum,
      dataset,
      training,
      finalTrainLoss: typeof summary.final_train_loss === 'number' ? summary.final_train_loss : null,
      finalValLoss: typeof summary.final_val_loss === 'number' ? summary.final_val_loss : null,
      conversion
    })
  } catch (err) {
    db.prepare('DELETE FROM models WHERE id = ?').run(entry.id)
    throw err
  }
  const final = await getModel(db, entry.id)
  const lineage = final.lineage!
  return {
    model: final,
    ggufPath: outFile,
    lineage,
    seconds: { convert: convertSeconds, verify: verifySeconds, total: (Date.now() - started) / 1000 }
  }
}
