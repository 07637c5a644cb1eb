// Offline batch files, import side: reads an OpenAI batch output file (one line per request:
// `custom_id`, `response: {status_code, body}` or `error`) and stores the answers as a run. Answers are
// parsed exactly as the live engines parse them (same label set, task, template limits, quote checks);
// a failed request or a bad answer becomes that report's error; a malformed line is reported with its
// line number and the rest goes on. Importing the same results again changes nothing (one run per
// export, results upserted by report), and results that arrive in parts can be imported part by part.
import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { basename, resolve } from 'node:path'
import { AppError } from '../../common/errors'
import { readChatAnswer, ChatResponseError } from '../engines/openai/response'
import { resultFromAnswer } from '../engines/llm/parse'
import { commitResults, getRun, type RunInfo } from '../engines/run'
import { storeScopeIds } from '../engines/scope'
import type { EngineResult } from '../engines/types'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'
import { audit } from '../store/repos/audit'
import { getLabelSet } from '../store/repos/labelSets'
import { createSource } from '../store/repos/sources'
import { APP_VERSION } from '../version'
import { MANIFEST_SUFFIX, type BatchManifest } from './export'

export interface BatchImportInput {
  results: string
  requests: string
  runName?: string
  actor?: string
}

export interface BatchLineIssue {
  file: string
  line: number
  message: string
}

export interface BatchImportResult {
  run: RunInfo
  /** Result lines read (blank lines not counted). */
  lines: number
  /** Reports answered with valid labels by this import. */
  labelled: number
  /** Reports whose request failed or whose answer could not be used (stored as per-report errors). */
  failed: number
  /** Lines that could not be used at all, with line numbers. */
  issues: BatchLineIssue[]
  /** Requests that have no answer yet (in this or an earlier import). */
  unanswered: number
}

const COMMIT_EVERY = 500

async function* linesOf(path: string): AsyncGenerator<{ line: number; text: string }> {
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  let line = 0
  for await (const text of rl) {
    line++
    if (text.trim()) yield { line, text }
  }
}

function readManifest(requests: string): BatchManifest {
  const path = `${requests}${MANIFEST_SUFFIX}`
  if (!existsSync(path)) {
    throw new AppError(
      'not_found',
      `${path} is missing: radlabel batch export writes it next to the requests file, and import needs it to read the answers.`,
      'Keep the .radlabel.json file next to the requests file it was exported with.'
    )
  }
  let manifest: BatchManifest
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as BatchManifest
  } catch (err) {
    throw new AppError('invalid_input', `${path} is not valid JSON: ${(err as Error).message}`)
  }
  if (manifest?.kind !== 'radlabel-batch' || manifest.version !== 1) throw new AppError('invalid_input', `${path} is not a RadLabel batch manifest.`)
  return manifest
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** The run that holds one export's answers: found by name (re-import), else created. */
function runFor(db: Db, manifest: BatchManifest, input: BatchImportInput, reportIds: number[]): number {
  const name = input.runName?.trim() || `batch · ${manifest.model} · ${manifest.labelSet.slug} v${manifest.labelSet.version} · ${manifest.batchId.slice(0, 8)}`
  const existing = db
    .prepare("SELECT s.id, r.engine, r.config_json FROM sources s LEFT JOIN runs r ON r.source_id = s.id WHERE s.name = ? AND s.deleting_since IS NULL")
    .get(name) as { id: number; engine: string | null; config_json: string | null } | undefined
  if (existing) {
    const config = existing.config_json ? (JSON.parse(existing.config_json) as { batchId?: string }) : {}
    if (existing.engine !== 'batch' || config.batchId !== manifest.batchId) {
      throw new AppError('conflict', `A source named "${name}" already exists and holds other labels.`, 'Choose another --run-name, or leave it out for the default name of this batch.')
    }
    return existing.id
  }
  return db.transaction(() => {
    const id = createSource(db, { name, kind: 'run', labelSetId: manifest.labelSet.id })
    const config = {
      batchId: manifest.batchId,
      model: manifest.model,
      dialect: manifest.dialect,
      task: manifest.task,
      promptTemplate: manifest.template.name,
      maxTokens: manifest.maxTokens,
      requests: manifest.requests
    }
    db.prepare(
      `INSERT INTO runs (source_id, engine, config_json, scope_json, status, reports_total, started_at) VALUES (?, 'batch', ?, ?, 'running', ?, ?)`
    ).run(id, JSON.stringify(config), JSON.stringify({ ...(manifest.scope as object), frozen: true, chosen: reportIds.length }), reportIds.length, nowIso())
    storeScopeIds(db, id, [...new Set(reportIds)].sort((a, b) => a - b))
    audit(db, { actor: input.actor ?? 'system', action: 'run.create', entity: 'run', entityId: id, details: { engine: 'batch', batchId: manifest.batchId } })
    return id
  })()
}

/** A failed request line (`error`, or a non-200 response) as a per-report error message. */
function requestError(obj: Record<string, unknown>): string | null {
  const err = obj.error as Record<string, unknown> | null | undefined
  if (err) return `The batch reports an error for this request: ${[err.code, err.message].filter(Boolean).join(': ') || JSON.stringify(err)}`
  const response = obj.response as Record<string, unknown> | null | undefined
  if (!response || typeof response !== 'object') return 'The result line has neither "response" nor "error".'
  const status = response.status_code
  if (status !== 200) {
    const body = response.body as Record<string, unknown> | undefined
    const message = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>).message : undefined
    return `The server answered HTTP ${String(status)}${message ? `: ${String(message)}` : ''}.`
  }
  return null
}

export async function importBatch(db: Db, input: BatchImportInput, yieldFn: () => Promise<void> = async () => {}): Promise<BatchImportResult> {
  for (const [what, path] of [['results', input.results], ['requests', input.requests]] as const) {
    if (!existsSync(path)) throw new AppError('not_found', `The ${what} file ${path} does not exist.`)
  }
  const manifest = readManifest(input.requests)
  if (sha256File(input.requests) !== manifest.sha256) {
    throw new AppError('invalid_input', `${input.requests} is not the file that was exported with its manifest (its sha256 differs).`, 'Import with the requests file exactly as batch export wrote it.')
  }
  const stored = getLabelSet(db, manifest.labelSet.id)
  const labelSet = { ...stored.definition, version: stored.version }
  const labelIds = new Map(stored.labels.map((l) => [l.name, l.id]))
  const issues: BatchLineIssue[] = []
  const reqFile = basename(input.requests)
  const resFile = basename(input.results)

  // custom_id -> report, from the requests (they are ours, but the workspace may have changed since)
  const byKey = db.prepare('SELECT id, text FROM reports WHERE report_key = ?')
  const requests = new Map<string, { reportId: number; userText: string }>()
  for await (const { line, text } of linesOf(input.requests)) {
    try {
      const req = JSON.parse(text) as { custom_id?: unknown; body?: { messages?: { role: string; content: string }[] } }
      const key = String(req.custom_id)
      const report = byKey.get(key) as { id: number; text: string } | undefined
      if (!report) {
        issues.push({ file: reqFile, line, message: `report "${key}" is no longer in this workspace` })
        continue
      }
      const user = req.body?.messages?.at(-1)?.content ?? ''
      requests.set(key, { reportId: report.id, userText: user })
    } catch (err) {
      issues.push({ file: reqFile, line, message: `not a request line: ${(err as Error).message}` })
    }
  }
  const sourceId = runFor(db, manifest, input, [...requests.values()].map((r) => r.reportId))
  const reportText = db.prepare('SELECT text FROM reports WHERE id = ?').pluck()

  const models = new Set<string>()
  const fingerprints = new Set<string>()
  const seen = new Map<string, number>()
  let pending: EngineResult[] = []
  let lines = 0
  let labelled = 0
  let failed = 0
  const flush = (): void => {
    if (pending.length) commitResults(db, sourceId, pending, labelIds)
    pending = []
  }
  for await (const { line, text } of linesOf(input.results)) {
    lines++
    let obj: Record<string, unknown>
    try {
      obj = JSON.parse(text) as Record<string, unknown>
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not a JSON object')
    } catch (err) {
      issues.push({ file: resFile, line, message: `not a JSON result line (${(err as Error).message})` })
      continue
    }
    const key = typeof obj.custom_id === 'string' ? obj.custom_id : undefined
    if (!key) {
      issues.push({ file: resFile, line, message: 'has no "custom_id"' })
      continue
    }
    const request = requests.get(key)
    if (!request) {
      issues.push({ file: resFile, line, message: `custom_id "${key}" is not one of the exported requests` })
      continue
    }
    if (seen.has(key)) {
      issues.push({ file: resFile, line, message: `a second result for "${key}" (first on line ${seen.get(key)}); the first is kept` })
      continue
    }
    seen.set(key, line)
    const error = requestError(obj)
    let result: EngineResult
    if (error) {
      result = { reportId: request.reportId, ok: false, error }
    } else {
      const body = (obj.response as { body: unknown }).body
      const text = reportText.get(request.reportId) as string
      if (!request.userText.endsWith(text)) {
        result = { reportId: request.reportId, ok: false, error: 'The report text changed after the batch was exported; export it again.' }
      } else {
        try {
          const answer = readChatAnswer(body)
          const b = body as Record<string, unknown>
          if (typeof b.model === 'string') models.add(b.model)
          if (typeof b.system_fingerprint === 'string') fingerprints.add(b.system_fingerprint)
          result = resultFromAnswer(
            request.reportId,
            answer.content,
            { task: manifest.task, labelSet, text, maxTokens: manifest.maxTokens, ...(answer.finishReason === 'length' ? { stopReason: 'maxTokens' } : {}) },
            { promptTokens: answer.promptTokens, completionTokens: answer.completionTokens }
          )
        } catch (err) {
          if (!(err instanceof ChatResponseError)) throw err
          result = { reportId: request.reportId, ok: false, error: err.message }
        }
      }
    }
    if (result.ok) labelled++
    else failed++
    pending.push(result)
    if (pending.length >= COMMIT_EVERY) {
      flush()
      await yieldFn()
    }
  }
  flush()

  const counts = db
    .prepare(
      `SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed,
              coalesce(sum(prompt_tokens), 0) AS prompt, coalesce(sum(completion_tokens), 0) AS completion
       FROM run_reports WHERE source_id = ?`
    )
    .get(sourceId) as { done: number; failed: number; prompt: number; completion: number }
  const total = getRun(db, sourceId).reportsTotal
  const unanswered = total - counts.done - counts.failed
  const before = getRun(db, sourceId).provenance as { model?: { names?: string[] }; batch?: { imports?: number } }
  const provenance = {
    engine: 'batch',
    batch: {
      batchId: manifest.batchId,
      requestsFile: resolve(input.requests),
      requestsSha256: manifest.sha256,
      resultsFile: resolve(input.results),
      exportedAt: manifest.createdAt,
      exportedBy: manifest.radlabel,
      dialect: manifest.dialect,
      imports: (before.batch?.imports ?? 0) + 1
    },
    model: { requested: manifest.model, names: [...new Set([...(before.model?.names ?? []), ...models])].sort(), ...(fingerprints.size ? { systemFingerprints: [...fingerprints] } : {}) },
    promptTemplate: manifest.templateProvenance,
    labelSet: { slug: manifest.labelSet.slug, version: manifest.labelSet.version },
    task: manifest.task,
    decoding: { temperature: 0, maxTokens: manifest.maxTokens, schema: 'json-schema', limits: manifest.limits },
    radlabel: APP_VERSION
  }
  db.prepare(
    `UPDATE runs SET status = ?, error = ?, reports_done = ?, reports_failed = ?, prompt_tokens = ?, completion_tokens = ?,
       provenance_json = ?, finished_at = ? WHERE source_id = ?`
  ).run(
    unanswered ? 'paused' : 'completed',
    unanswered ? `${unanswered} of ${total} requests have no answer yet; import their results into the same run when they are back.` : null,
    counts.done,
    counts.failed,
    counts.prompt,
    counts.completion,
    JSON.stringify(provenance),
    nowIso(),
    sourceId
  )
  audit(db, {
    actor: input.actor ?? 'system',
    action: 'batch.import',
    entity: 'run',
    entityId: sourceId,
    details: { results: resolve(input.results), lines, labelled, failed, issues: issues.length }
  })
  return { run: getRun(db, sourceId), lines, labelled, failed, issues, unanswered }
}
