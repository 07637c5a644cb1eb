// Offline batch files, export side: one OpenAI batch-format request line per report of a scope
// (`custom_id` = report key, POST /v1/chat/completions, the same chat request the `server` engine
// sends: prompt prefix first, temperature 0, the answer's JSON schema). Sites without a live link to
// their GPU server carry the file there, run it (`vllm run-batch`, OpenAI's Batch API, or any replay),
// and carry the results back to `radlabel batch import`.
//
// Next to the requests file goes a small manifest (<out>.radlabel.json): label set, task, template,
// limits and a digest of the requests, so that import parses answers exactly as they were asked.
import { createHash, randomUUID } from 'node:crypto'
import { AppError } from '../../common/errors'
import type { RunScope } from '../../common/ipc/calls/detect'
import type { LlmTask, PromptTemplate } from '../../common/ipc/calls/models'
import { emptyScopeError } from '../engines/run'
import { resolveScope, scopeClause } from '../engines/scope'
import { answerRequestBuilder, batchRequestLine, type ServerDialect } from '../engines/openai/request'
import { askedLabels } from '../engines/llm/prompts'
import type { SchemaLimits } from '../engines/llm/schema'
import { templateProvenance } from '../engines/llm/template-choice'
import { SafeFileWriter } from '../export/write-file'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'
import { findLabelSet, getLabelSet } from '../store/repos/labelSets'
import { APP_VERSION } from '../version'

export const MANIFEST_SUFFIX = '.radlabel.json'

/** What import needs to parse the answers exactly as they were asked. */
export interface BatchManifest {
  kind: 'radlabel-batch'
  version: 1
  /** Identifies this export; import stores the answers of one export in one run. */
  batchId: string
  createdAt: string
  radlabel: string
  labelSet: { id: number; slug: string; version: number }
  task: LlmTask
  template: PromptTemplate
  templateProvenance: { name: string; version: number; custom: boolean }
  limits: SchemaLimits
  maxTokens: number
  model: string
  dialect: ServerDialect
  scope: unknown
  requests: number
  /** sha256 of the requests file. */
  sha256: string
}

export interface BatchExportInput {
  labelSet: string | number
  task: LlmTask
  template: PromptTemplate
  model: string
  maxTokens: number
  limits: SchemaLimits
  dialect: ServerDialect
  scope?: RunScope
  out: string
  overwrite?: boolean
  actor?: string
}

export async function exportBatch(db: Db, input: BatchExportInput, yieldFn: () => Promise<void> = async () => {}): Promise<BatchManifest> {
  const ls = getLabelSet(db, findLabelSet(db, input.labelSet).id)
  const labelSet = { ...ls.definition, version: ls.version }
  if (askedLabels(labelSet).length === 0) throw new AppError('invalid_input', `The label set ${ls.slug} has no labels the model could be asked about.`)
  const scope = resolveScope(db, input.scope)
  if (scope.total === 0) throw emptyScopeError(db, scope)
  const builder = answerRequestBuilder({
    task: input.task,
    labelSet,
    template: input.template,
    model: input.model,
    maxTokens: input.maxTokens,
    limits: input.limits,
    dialect: input.dialect
  })
  // pages of 1000 reports: other work may use the database while this one yields
  const byIds = db.prepare('SELECT r.id, r.report_key AS key, r.text FROM reports r WHERE r.id IN (SELECT value FROM json_each(?)) ORDER BY r.id')
  const where = scopeClause(scope.stored, 0)
  const byScope = db.prepare(`SELECT r.id, r.report_key AS key, r.text FROM reports r WHERE ${where.sql} AND r.id > ? ORDER BY r.id LIMIT 1000`)
  let cursor = 0
  const nextPage = (): { id: number; key: string; text: string }[] => {
    if (scope.ids) {
      const slice = scope.ids.slice(cursor, cursor + 1000)
      cursor += slice.length
      return slice.length ? (byIds.all(JSON.stringify(slice)) as { id: number; key: string; text: string }[]) : []
    }
    const rows = byScope.all(...where.args, cursor) as { id: number; key: string; text: string }[]
    if (rows.length) cursor = rows[rows.length - 1]!.id
    return rows
  }
  const hash = createHash('sha256')
  const writer = new SafeFileWriter(input.out, input.overwrite ?? false)
  const manifestWriter = new SafeFileWriter(`${input.out}${MANIFEST_SUFFIX}`, input.overwrite ?? false)
  let requests = 0
  try {
    for (;;) {
      const rows = nextPage()
      if (rows.length === 0) break
      for (const row of rows) {
        const line = `${batchRequestLine(row.key, builder.body(row.text))}\n`
        hash.update(line)
        writer.write(line)
        requests++
      }
      await yieldFn()
    }
  } catch (err) {
    writer.abort()
    manifestWriter.abort()
    throw err
  }
  const manifest: BatchManifest = {
    kind: 'radlabel-batch',
    version: 1,
    batchId: randomUUID(),
    createdAt: nowIso(),
    radlabel: APP_VERSION,
    labelSet: { id: ls.id, slug: ls.slug, version: ls.version },
    task: input.task,
    template: input.template,
    templateProvenance: templateProvenance(input.template),
    limits: input.limits,
    maxTokens: input.maxTokens,
    model: input.model,
    dialect: input.dialect,
    scope: scope.stored,
    requests,
    sha256: hash.digest('hex')
  }
  manifestWriter.write(`${JSON.stringify(manifest, null, 2)}\n`)
  writer.commit()
  manifestWriter.commit()
  audit(db, { actor: input.actor ?? 'system', action: 'batch.export', entity: 'batch', entityId: manifest.batchId, details: { out: input.out, requests, labelSet: `${ls.slug}@${ls.version}`, task: input.task, model: input.model } })
  return manifest
}
