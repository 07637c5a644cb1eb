// `radlabel models add|list|import-adapter`: the Models page's registry on the command line.
import type { Command } from 'commander'
import type { ModelEntry } from '../../../common/ipc/calls/models'
import { formatBytes } from '../../../common/format'
import { addModel, hashModel, listModels } from '../../models/registry'
import { importAdapter } from '../../training/import-adapter'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'

function modelLine(m: ModelEntry): string {
  const l = m.lineage
  return (
    `${String(m.id).padStart(3)}  ${m.kind.padEnd(4)}  ${m.name}  ${formatBytes(m.sizeBytes)}  ${m.sha256 ? m.sha256.slice(0, 12) : 'sha256 pending'}  ${m.path}` +
    (m.available ? '' : `  [${m.problem}]`) +
    (l ? `\n       trained on "${l.dataset.source?.name ?? '?'}" (${l.dataset.labelSet ? `${l.dataset.labelSet.slug}@${l.dataset.labelSet.version}` : '?'}), base sha256 ${l.baseSha256.slice(0, 12)}, loss train ${l.finalTrainLoss?.toFixed(4) ?? '-'} / val ${l.finalValLoss?.toFixed(4) ?? '-'}` : '')
  )
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('The workspace\'s model registry: GGUF base models and LoRA adapters.')
  models
    .command('add <file>')
    .description('Register a GGUF base model or LoRA adapter (referenced in place) and compute its sha256.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--name <name>', 'display name (default: from the file)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { db: string; name?: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const { db, path } = session.ctx.workspace
        const added = await addModel(db, path, { path: file, mode: 'reference', name: opts.name })
        await hashModel(db, added.id)
        const model = (await listModels(db)).find((m) => m.id === added.id)!
        if (opts.json) printJson(model)
        else printLines([`Registered model ${model.id}:`, modelLine(model)])
      })
    })
  models
    .command('list')
    .description('List registered models and adapters (with an adapter\'s training lineage).')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const list = await listModels(session.ctx.workspace.db)
        if (opts.json) printJson(list)
        else printLines(list.length ? list.map(modelLine) : ['No models registered. Add one: radlabel models add FILE.gguf --db WORKSPACE'])
      })
    })
  models
    .command('import-adapter <adapterDir>')
    .description('Convert a PEFT LoRA adapter to GGUF (llama.cpp\'s convert_lora_to_gguf.py), check it loads on the base model, register it with its lineage. Prints the adapter GGUF path.')
    .requiredOption('--base <model>', 'registered base model: id, name or path')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--name <name>', 'name of the adapter (default: from the folder)')
    .option('--base-hf <dir>', 'Hugging Face folder the adapter was trained on (default: from training_summary.json)')
    .option('--kit <dir>', 'training kit the adapter came from (default: found next to the adapter)')
    .option('--python <path>', 'Python interpreter (default: $RADLABEL_PYTHON, else the venv of npm run setup:train, else python3)')
    .option('--json', 'print one JSON object')
    .action(async (adapterDir: string, opts: { base: string; db: string; name?: string; baseHf?: string; kit?: string; python?: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const result = await importAdapter(
          session.ctx.workspace,
          { adapterDir, base: opts.base, name: opts.name, baseHf: opts.baseHf, kitDir: opts.kit, python: opts.python },
          (s) => process.stderr.write(`${s}\n`)
        )
        if (opts.json) printJson(result)
        else {
          process.stderr.write(
            `Registered adapter ${result.model.id} "${result.model.name}" (converted in ${result.seconds.convert.toFixed(1)} s, load check ${result.seconds.verify.toFixed(1)} s)\n`
          )
          printLines([result.ggufPath])
        }
      })
    })
}
