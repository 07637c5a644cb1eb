// `radlabel detect --engine llm` end to end on the generated tiny model (CPU, one thread): a stored run
// with provenance, raw outputs and token counts; then a host process killed mid-run fails the run with a
// clear message, and resuming completes it with no duplicates and no gaps.
import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeTinyModel } from '../../src/node/engines/llm/testing/tinyModel'
import { sha256File } from '../../src/node/models/sha256'
import { CLI, runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir('radlabel-llm-cli-')
afterAll(() => dir.cleanup())

// Synthetic reports written for this test.
const REPORTS = [
  'FINDINGS: Heart size is normal. No pleural effusion.',
  'IMPRESSION: Mild cardiomegaly. Small right effusion.',
  'The lungs are clear. No pneumothorax.',
  'Stable chest. No acute process.',
  'Right basilar opacity may represent atelectasis.',
  'Endotracheal tube in place. Lungs clear.'
]

const model = join(dir.dir, 'tiny.gguf')
// A small custom label set keeps prompts and answers short (and shows custom sets flow into the engine).
const labelSetFile = join(dir.dir, 'mini.json')
const flags = ['--engine', 'llm', '--model', model, '--threads', '1', '--gpu', 'cpu', '--context-size', '2048']

function setup(name: string, count = REPORTS.length): string {
  const db = join(dir.dir, `${name}.db`)
  const csv = join(dir.dir, `${name}.csv`)
  const rows = Array.from({ length: count }, (_, i) => `A${i},"${REPORTS[i % REPORTS.length]} (${i})"`)
  writeFileSync(csv, 'accession,report\n' + rows.join('\n') + '\n')
  const imported = runCli(['import', csv, '--db', db, '--json'])
  expect(imported.code, imported.stderr).toBe(0)
  const ls = runCli(['labelsets', 'import', labelSetFile, '--db', db])
  expect(ls.code, ls.stderr).toBe(0)
  return db
}

describe('radlabel detect --engine llm', () => {
  writeTinyModel(model, { seed: 21 })
  writeFileSync(
    labelSetFile,
    JSON.stringify({ slug: 'mini', name: 'Mini', labels: [{ name: 'Cardiomegaly' }, { name: 'Pleural Effusion' }, { name: 'Pneumothorax' }] })
  )

  it('labels every report and records provenance, raw output and token counts', async () => {
    const db = setup('full', 3)
    const r = runCli(['detect', '--db', db, '--label-set', 'mini', ...flags, '--json'], { timeoutMs: 300_000 })
    expect([0, 2], r.stderr).toContain(r.code)
    const out = JSON.parse(r.stdout) as { run: { status: string; reportsDone: number; reportsFailed: number; provenance: Record<string, any> } } // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(out.run.status).toBe('completed')
    expect(out.run.reportsDone + out.run.reportsFailed).toBe(3)
    expect(out.run.provenance.model.sha256).toBe(await sha256File(model))
    expect(out.run.provenance.versions.nodeLlamaCpp).toBe('3.21.1')
    expect(out.run.provenance.runtime).toMatchObject({ isolation: 'process', threads: 1, gpu: false })

    const ro = new Database(db, { readonly: true })
    try {
      const rows = ro.prepare('SELECT status, error, raw_output, prompt_tokens, completion_tokens FROM run_reports').all() as {
        status: string
        error: string | null
        raw_output: string | null
        prompt_tokens: number | null
        completion_tokens: number | null
      }[]
      expect(rows).toHaveLength(3)
      for (const row of rows) {
        if (row.status === 'done') {
          expect(() => JSON.parse(row.raw_output!)).not.toThrow()
          expect(row.prompt_tokens).toBeGreaterThan(50)
          expect(row.completion_tokens).toBeGreaterThan(5)
        } else expect(row.error).toMatch(/token limit|JSON/)
      }
      const done = rows.filter((x) => x.status === 'done').length
      expect(ro.prepare('SELECT count(*) FROM source_labels').pluck().get()).toBe(done * 3)
    } finally {
      ro.close()
    }
  }, 300_000)

  it('fails the run clearly when the engine process is killed, and resume completes it without duplicates', async () => {
    const total = 12 // three chunks, so that the run is still going when the first chunk is committed
    const db = setup('kill', total)
    const child = spawn(process.execPath, [CLI, 'detect', '--db', db, '--label-set', 'mini', ...flags, '--run-name', 'k'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' }
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    // Kill the llama host (a grandchild: its command line names host-entry) once one chunk is committed.
    const { execSync } = await import('node:child_process')
    let killed = false
    let finished = false
    void exited.then(() => (finished = true))
    const deadline = Date.now() + 240_000
    while (!killed && !finished && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      let done: number
      try {
        const ro = new Database(db, { readonly: true, fileMustExist: true })
        done = ro.prepare("SELECT count(*) FROM run_reports").pluck().get() as number
        ro.close()
      } catch {
        continue
      }
      if (done === 0) continue
      let pids: string[]
      try {
        pids = execSync(`ps -o pid= --ppid ${child.pid}`, { encoding: 'utf8' }).trim().split(/\s+/).filter(Boolean)
      } catch {
        continue // no child process yet (ps exits 1)
      }
      for (const pid of pids) {
        let cmd: string
        try {
          cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8') // full command line; ps may truncate it
        } catch {
          continue
        }
        if (cmd.includes('host-entry')) {
          process.kill(Number(pid), 'SIGKILL')
          killed = true
        }
      }
    }
    expect(killed).toBe(true)
    expect(await exited).not.toBe(0)
    expect(stderr).toMatch(/LLM engine process was killed \(SIGKILL\) while labelling reports/)

    const ro = new Database(db, { readonly: true })
    const run = ro.prepare("SELECT r.status, r.job_id FROM runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 'k'").get() as { status: string; job_id: number }
    const before = ro.prepare('SELECT count(*) FROM run_reports').pluck().get() as number
    ro.close()
    expect(run.status).toBe('failed')
    expect(before).toBeGreaterThan(0)
    expect(before).toBeLessThan(total)

    const resumed = runCli(['jobs', 'resume', String(run.job_id), '--db', db], { timeoutMs: 300_000 })
    expect([0, 2], resumed.stderr).toContain(resumed.code)
    const final = new Database(db, { readonly: true })
    try {
      const ids = final.prepare('SELECT report_id FROM run_reports ORDER BY report_id').pluck().all() as number[]
      expect(ids).toEqual(final.prepare('SELECT id FROM reports ORDER BY id').pluck().all())
      expect(final.prepare("SELECT status FROM runs").pluck().get()).toBe('completed')
    } finally {
      final.close()
    }
  }, 420_000)
})
