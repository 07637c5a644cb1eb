// `radlabel batch export|import`: offline batch files in the OpenAI batch format, for sites whose GPU
// server has no live link to the workstation (vllm run-batch, OpenAI's Batch API, any replay).
import { Option, type Command } from 'commander'
import { AppError } from '../../../common/errors'
import { LLM_TASKS, type LlmTask } from '../../../common/ipc/calls/models'
import { exportBatch, MANIFEST_SUFFIX } from '../../batch/export'
import { importBatch } from '../../batch/import'
import { describeScope } from '../../engines/scope'
import { SERVER_DIALECTS, type ServerDialect } from '../../engines/openai/request'
import { resolveTemplate } from '../../engines/llm/template-choice'
import { DEFAULT_LIMITS } from '../../engines/llm/schema'
import { getTemplate } from '../../models/templates'
import { printJson, printLines } from '../output'
import { withSession } from '../session'
import { requireWorkspace } from './eval'
import { addScopeFlags, scopeFromFlags, type ScopeFlags } from './scope-flags'

interface ExportOptions extends ScopeFlags {
  db: string
  labelSet: string
  task: LlmTask
  promptTemplate: string
  serverModel: string
  maxTokens: string
  dialect: ServerDialect
  out: string
  force?: boolean
  json?: boolean
}

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r))

export function registerBatch(program: Command): void {
  const batch = program.command('batch').description('Offline batch files (OpenAI batch format): export requests, import the results as a run.')

  addScopeFlags(
    batch
      .command('export')
      .description(`Write one chat request per report (custom_id = report id) to a JSONL file, and a manifest next to it (${MANIFEST_SUFFIX}).`)
      .requiredOption('--db <path>', 'workspace database file')
      .requiredOption('--label-set <id>', 'label set: slug, slug@version or id')
      .requiredOption('--out <file>', 'requests file to write (.jsonl)')
      .addOption(new Option('--task <task>', 'classify | open | both').choices([...LLM_TASKS]).default('classify'))
      .option('--prompt-template <name>', 'prompt template (built-in, saved in the workspace, or a .json file)', 'radlabel-default')
      .option('--server-model <name>', 'the "model" of each request: the served model name (vLLM checks it)', 'default')
      .option('--max-tokens <n>', 'most tokens one answer may have', '1024')
      .addOption(new Option('--dialect <dialect>', 'how the answer schema is asked for').choices([...SERVER_DIALECTS]).default('openai'))
      .option('--force', 'overwrite existing files')
      .option('--json', 'print one JSON object')
  ).action(async (opts: ExportOptions) => {
    requireWorkspace(opts.db)
    const scope = scopeFromFlags(opts)
    const maxTokens = Number(opts.maxTokens)
    if (!Number.isInteger(maxTokens) || maxTokens < 1 || maxTokens > 32_768) throw new AppError('invalid_input', `--max-tokens needs a whole number from 1 to 32768, not "${opts.maxTokens}".`)
    await withSession(opts.db, async (session) => {
      const { db } = session.ctx.workspace
      const stored = /\.json$/i.test(opts.promptTemplate) ? undefined : getTemplate(db, opts.promptTemplate)
      const template = resolveTemplate({ promptTemplate: opts.promptTemplate, template: stored })
      const manifest = await exportBatch(
        db,
        { labelSet: opts.labelSet, task: opts.task, template, model: opts.serverModel, maxTokens, limits: DEFAULT_LIMITS, dialect: opts.dialect, scope, out: opts.out, overwrite: opts.force, actor: 'cli' },
        yieldNow
      )
      if (opts.json) printJson({ out: opts.out, manifest: `${opts.out}${MANIFEST_SUFFIX}`, requests: manifest.requests, batchId: manifest.batchId })
      else
        printLines([
          `Wrote ${manifest.requests} requests (${describeScope(manifest.scope as never, manifest.requests)}) to ${opts.out}, and ${opts.out}${MANIFEST_SUFFIX}.`,
          `Run them on the server (e.g. vllm run-batch -i ${opts.out} -o results.jsonl --model ${opts.serverModel}), then: radlabel batch import results.jsonl --requests ${opts.out} --db ${opts.db}`
        ])
    })
  })

  batch
    .command('import <results>')
    .description('Store the answers of an OpenAI batch output file as a run (failed requests as per-report errors; re-importing changes nothing).')
    .requiredOption('--requests <file>', 'the requests file the results answer (its manifest must be next to it)')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--run-name <name>', 'name of the run (default: batch, model, label set and batch id)')
    .option('--json', 'print one JSON object')
    .action(async (results: string, opts: { requests: string; db: string; runName?: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const r = await importBatch(session.ctx.workspace.db, { results, requests: opts.requests, runName: opts.runName, actor: 'cli' }, yieldNow)
        for (const i of r.issues.slice(0, 50)) process.stderr.write(`radlabel: ${i.file} line ${i.line}: ${i.message}\n`)
        if (r.issues.length > 50) process.stderr.write(`radlabel: … and ${r.issues.length - 50} more bad lines.\n`)
        if (opts.json) printJson(r)
        else
          printLines([
            `Run "${r.run.name}" (source ${r.run.sourceId}): ${r.run.status}; ${r.run.reportsDone}/${r.run.reportsTotal} reports labelled, ${r.run.reportsFailed} failed.`,
            `This import: ${r.lines} result lines, ${r.labelled} labelled, ${r.failed} failed, ${r.issues.length} bad lines${r.unanswered ? `, ${r.unanswered} requests still without an answer` : ''}.`
          ])
        if (r.issues.length || r.failed) process.exitCode = 2
      })
    })
}
