// Offline batch files: `radlabel batch export` writes OpenAI batch requests; this test replays them
// through a real llama-server (built by `npm run build:llama-server`, serving the generated tiny model
// with 2 slots), writes the OpenAI batch output format, and `radlabel batch import` stores the answers
// as a run. Malformed, failed and duplicate result lines are reported with line numbers, and a
// re-import changes nothing. The replay test skips only where no C++ compiler exists, saying so.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { ensureLlamaServer, startLlamaServer, type RunningLlamaServer } from '../../src/node/engines/server/testing/llamaServer'
import { openWorkspace } from '../../src/node/store/db'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const REPORTS = [
  'FINDINGS: The heart is enlarged. Small left pleural effusion.',
  'FINDINGS: Lungs are clear. No pneumothorax.',
  'IMPRESSION: Possible early pneumonia in the right lower lobe.',
  'FINDINGS: Endotracheal tube in place. No acute process.',
  'FINDINGS: Mild pulmonary edema. Stable cardiomegaly.',
  'IMPRESSION: No acute cardiopulmonary abnormality.'
]

const hasCompiler = spawnSync('c++', ['--version'], { stdio: 'ignore' }).status === 0 && spawnSync('cmake', ['--version'], { stdio: 'ignore' }).status === 0

function workspaceWithReports(dir: string): string {
  const csv = join(dir, 'reports.csv')
  writeFileSync(csv, `id,report\n${REPORTS.map((r, i) => `R${i + 1},"${r}"`).join('\n')}\n`)
  const db = join(dir, 'site.db')
  expect(runCli(['init', '--db', db]).code).toBe(0)
  const imported = runCli(['import', csv, '--db', db, '--id-column', 'id', '--text-column', 'report'])
  expect(imported.code, imported.stderr).toBe(0)
  return db
}

function exportRequests(db: string, out: string, extra: string[] = []) {
  const r = runCli(['batch', 'export', '--db', db, '--label-set', 'chexpert14', '--out', out, '--max-tokens', '400', '--json', ...extra])
  expect(r.code, r.stderr).toBe(0)
  return readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { custom_id: string; method: string; url: string; body: Record<string, unknown> })
}

/** An OpenAI batch output line for a request, with a hand-written answer body. */
function resultLine(customId: string, content: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: `batch_req_${customId}`,
    custom_id: customId,
    response: {
      status_code: 200,
      request_id: `req_${customId}`,
      body: { id: 'x', object: 'chat.completion', model: 'hand-written', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } }
    },
    error: null,
    ...extra
  })
}

describe('batch export', () => {
  it('writes OpenAI batch requests: custom_id = report key, the chat request with its schema, temperature 0; scope flags apply', () => {
    const t = tempDir()
    try {
      const db = workspaceWithReports(t.dir)
      const lines = exportRequests(db, join(t.dir, 'requests.jsonl'), ['--limit', '4'])
      expect(lines.map((l) => l.custom_id)).toEqual(['R1', 'R2', 'R3', 'R4'])
      for (const l of lines) {
        expect(l).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: { temperature: 0, max_tokens: 400 } })
        const rf = l.body.response_format as { type: string; json_schema: { schema: { properties: Record<string, unknown> } } }
        expect(rf.type).toBe('json_schema')
        expect(rf.json_schema.schema.properties).toHaveProperty('labels')
      }
      // the shared prefix comes first and is identical in every request
      const prefix = (l: (typeof lines)[number]) => JSON.stringify((l.body.messages as unknown[]).slice(0, -1))
      expect(new Set(lines.map(prefix)).size).toBe(1)
      const manifest = JSON.parse(readFileSync(join(t.dir, 'requests.jsonl.radlabel.json'), 'utf8'))
      expect(manifest).toMatchObject({ kind: 'radlabel-batch', requests: 4, labelSet: { slug: 'chexpert14' }, task: 'classify', maxTokens: 400 })
      const again = runCli(['batch', 'export', '--db', db, '--label-set', 'chexpert14', '--out', join(t.dir, 'requests.jsonl')])
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('already exists')
    } finally {
      t.cleanup()
    }
  }, 60_000)
})

describe('batch import', () => {
  it('stores answers as a run, failed lines as per-report errors, reports bad lines by number, and is idempotent', () => {
    const t = tempDir()
    try {
      const db = workspaceWithReports(t.dir)
      const requests = join(t.dir, 'requests.jsonl')
      exportRequests(db, requests)
      const results = join(t.dir, 'results.jsonl')
      writeFileSync(
        results,
        [
          resultLine('R1', JSON.stringify({ labels: { Cardiomegaly: 'positive', 'Pleural Effusion': 'positive' }, evidence: [{ label: 'Cardiomegaly', quote: 'The heart is enlarged' }] })),
          resultLine('R2', JSON.stringify({ labels: { Pneumothorax: 'negative' }, evidence: [] })),
          '{"custom_id": "R3", "response": null, "error": {"code": "server_error", "message": "model crashed"}}',
          'this is not json',
          resultLine('R4', '{"labels": {"Support Devices": "pos'), // cut off: a per-report error
          JSON.stringify({ custom_id: 'R5', response: { status_code: 500, body: { error: { message: 'out of memory' } } }, error: null }),
          resultLine('R9', '{}'), // not an exported request
          resultLine('R1', '{}'), // a second answer for R1
          '',
          '{"response": {}}'
        ].join('\n') + '\n'
      )
      const first = runCli(['batch', 'import', results, '--requests', requests, '--db', db, '--json'])
      expect(first.code, first.stderr).toBe(2) // stored, with failures and bad lines to look at
      const r = JSON.parse(first.stdout)
      expect(r).toMatchObject({ lines: 9, labelled: 2, failed: 3, unanswered: 1, run: { engine: 'batch', status: 'paused', reportsTotal: 6, reportsDone: 2, reportsFailed: 3 } })
      expect(r.issues.map((i: { line: number }) => i.line)).toEqual([4, 7, 8, 10])
      expect(first.stderr).toContain('results.jsonl line 4: not a JSON result line')
      expect(first.stderr).toContain('results.jsonl line 8: a second result for "R1" (first on line 1)')
      expect(r.run.provenance).toMatchObject({ engine: 'batch', model: { names: ['hand-written'] }, promptTemplate: { name: 'radlabel-default' }, labelSet: { slug: 'chexpert14' }, task: 'classify' })

      const ws = openWorkspace(db)
      try {
        const rows = ws.db
          .prepare('SELECT r.report_key AS key, rr.status, rr.error FROM run_reports rr JOIN reports r ON r.id = rr.report_id WHERE rr.source_id = ? ORDER BY r.report_key')
          .all(r.run.sourceId) as { key: string; status: string; error: string | null }[]
        expect(rows.map((x) => [x.key, x.status])).toEqual([['R1', 'done'], ['R2', 'done'], ['R3', 'failed'], ['R4', 'failed'], ['R5', 'failed']])
        expect(rows.find((x) => x.key === 'R3')!.error).toContain('server_error: model crashed')
        expect(rows.find((x) => x.key === 'R5')!.error).toContain('HTTP 500: out of memory')
        const state = (key: string, label: string) =>
          ws.db
            .prepare('SELECT sl.state FROM source_labels sl JOIN reports r ON r.id = sl.report_id JOIN labels l ON l.id = sl.label_id WHERE sl.source_id = ? AND r.report_key = ? AND l.name = ?')
            .pluck()
            .get(r.run.sourceId, key, label)
        expect(state('R1', 'Cardiomegaly')).toBe('positive')
        expect(state('R1', 'No Finding')).toBe('negative')
        expect(state('R2', 'No Finding')).toBe('positive')
      } finally {
        ws.close()
      }

      // re-import: same run, same rows
      const second = runCli(['batch', 'import', results, '--requests', requests, '--db', db, '--json'])
      const r2 = JSON.parse(second.stdout)
      expect(r2.run.sourceId).toBe(r.run.sourceId)
      expect(r2.run).toMatchObject({ reportsDone: 2, reportsFailed: 3, promptTokens: r.run.promptTokens })
      // the missing answer arrives later: the run completes
      const late = join(t.dir, 'late.jsonl')
      writeFileSync(late, resultLine('R6', JSON.stringify({ labels: {}, evidence: [] })) + '\n')
      const third = JSON.parse(runCli(['batch', 'import', late, '--requests', requests, '--db', db, '--json']).stdout)
      expect(third.run).toMatchObject({ sourceId: r.run.sourceId, status: 'completed', reportsDone: 3, reportsFailed: 3 })
      // a requests file that is not the exported one is refused
      writeFileSync(requests, readFileSync(requests, 'utf8').replace('R1', 'R1x'))
      const tampered = runCli(['batch', 'import', results, '--requests', requests, '--db', db])
      expect(tampered.code).toBe(1)
      expect(tampered.stderr).toContain('sha256 differs')
    } finally {
      t.cleanup()
    }
  }, 90_000)
})


describe.skipIf(!hasCompiler)('batch files replayed through a real llama-server', () => {
  let server: RunningLlamaServer | undefined
  let base = ''
  const t = tempDir()

  beforeAll(async () => {
    // the cached binary (built once per machine), serving the generated tiny model with 2 slots, 1 thread
    const model = join(t.dir, 'tiny.gguf')
    writeTinyModel(model, { seed: 5 })
    server = await startLlamaServer({ binary: ensureLlamaServer(), model, slots: 2, threads: 1 })
    base = `http://127.0.0.1:${server.port}`
  }, 45 * 60_000)

  afterAll(async () => {
    await server?.kill()
    t.cleanup()
  })

  it('export → replay through llama-server (2 slots) → import gives valid states for every report', async () => {
    const db = workspaceWithReports(t.dir)
    const requests = join(t.dir, 'requests.jsonl')
    const lines = exportRequests(db, requests, ['--server-model', 'tiny'])
    // replay like a batch runner: 2 requests in flight, output lines in completion order
    const out: string[] = []
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < lines.length) {
        const req = lines[next++]!
        const res = await fetch(`${base}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) })
        out.push(JSON.stringify({ id: `batch_req_${req.custom_id}`, custom_id: req.custom_id, response: { status_code: res.status, body: await res.json() }, error: null }))
      }
    }
    await Promise.all([worker(), worker()])
    const results = join(t.dir, 'results.jsonl')
    writeFileSync(results, out.join('\n') + '\n')
    const imported = runCli(['batch', 'import', results, '--requests', requests, '--db', db, '--run-name', 'gpu01 batch', '--json'])
    const r = JSON.parse(imported.stdout)
    expect(r.issues).toEqual([])
    expect(r.run).toMatchObject({ name: 'gpu01 batch', engine: 'batch', reportsTotal: REPORTS.length, status: 'completed' })
    // a random-weight model gives schema-valid JSON; whatever it says, every report has a result
    expect(r.run.reportsDone + r.run.reportsFailed).toBe(REPORTS.length)
    expect(r.run.completionTokens).toBeGreaterThan(0)
    expect(r.run.provenance.model.names.length).toBe(1)
    const ws = openWorkspace(db)
    try {
      const states = ws.db.prepare('SELECT DISTINCT state FROM source_labels WHERE source_id = ?').pluck().all(r.run.sourceId) as string[]
      expect(states.every((s) => ['positive', 'negative', 'uncertain', 'not_mentioned'].includes(s))).toBe(true)
      if (r.run.reportsDone > 0) {
        const perReport = ws.db.prepare("SELECT count(*) FROM source_labels WHERE source_id = ? GROUP BY report_id").pluck().all(r.run.sourceId) as number[]
        expect(perReport.every((n) => n === 14)).toBe(true)
      }
    } finally {
      ws.close()
    }
    // re-import changes nothing
    const again = JSON.parse(runCli(['batch', 'import', results, '--requests', requests, '--db', db, '--run-name', 'gpu01 batch', '--json']).stdout)
    expect(again.run).toMatchObject({ sourceId: r.run.sourceId, reportsDone: r.run.reportsDone, reportsFailed: r.run.reportsFailed })
  }, 120_000)
})

if (!hasCompiler) console.warn('[batch-files] skipping the llama-server replay: no C++ compiler (c++) or cmake on this machine.')
