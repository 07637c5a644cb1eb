// Failed attempts do not look like results (no empty source, no "(2)" names, no "completed 0/0" import),
// `jobs resume` shows progress and the reason of a failure, and the CLI speaks its own words.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRun } from '../../src/node/engines/run'
import { loadEngines } from '../../src/node/engines/all'
import { openWorkspace } from '../../src/node/store/db'
import { seedSynthetic } from '../../src/node/review/synthetic'
import { runCli } from '../support/cli'
import { tempWorkspace } from '../support/workspace'

const ws = tempWorkspace()
const notAModel = join(ws.dir, 'not-a-model.gguf')
beforeAll(() => {
  seedSynthetic(ws.db, 30, 3)
  ws.close()
  writeFileSync(notAModel, 'this is not a GGUF file')
})
afterAll(() => ws.cleanup())

const sourceNames = (): string[] =>
  (JSON.parse(runCli(['sources', '--db', ws.path, '--json']).stdout) as { sources: { name: string }[] }).sources.map((s) => s.name)

/** A job left 'interrupted' (its process died) for the run of `config`. */
async function interruptedRunJob(name: string, engine: string, config: Record<string, unknown>): Promise<number> {
  await loadEngines()
  const w = openWorkspace(ws.path)
  try {
    const run = createRun(w.db, { engine, labelSet: 'chexpert14', config, name })
    const now = new Date().toISOString()
    return Number(
      w.db
        .prepare(`INSERT INTO jobs (kind, title, status, params_json, created_at, updated_at) VALUES ('detect', ?, 'interrupted', ?, ?, ?)`)
        .run(`detect ${name}`, JSON.stringify({ sourceId: run.sourceId }), now, now).lastInsertRowid
    )
  } finally {
    w.close()
  }
}

describe('failed attempts', () => {
  it('a run whose engine cannot start leaves no source, and its name is free for the next attempt', () => {
    const failed = runCli(['detect', '--db', ws.path, '--label-set', 'chexpert14', '--engine', 'llm', '--model', notAModel, '--run-name', 'first try'])
    expect(failed.code).toBe(1)
    expect(failed.stderr).toMatch(/no report was labelled, so the empty run was removed/)
    expect(sourceNames()).not.toContain('first try')
    const jobs = runCli(['jobs', 'list', '--db', ws.path])
    expect(jobs.stdout).toMatch(/failed .*first try .*\(.+\)/) // the job keeps the failure and its reason
    const ok = runCli(['detect', '--db', ws.path, '--label-set', 'chexpert14', '--run-name', 'first try', '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(JSON.parse(ok.stdout).run.name).toBe('first try')
  })

  it('a model path that does not exist is refused in the command line\'s words, before any run exists', () => {
    const r = runCli(['detect', '--db', ws.path, '--label-set', 'chexpert14', '--engine', 'llm', '--model', join(ws.dir, 'missing.gguf')])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/--model: there is no model file .*missing\.gguf/)
    expect(r.stderr).toMatch(/radlabel models add/)
    expect(r.stderr).not.toMatch(/choose the file again/)
  })

  it('an import whose every file is refused is a failed job with the reason, not "completed 0/0"', () => {
    const png = join(ws.dir, 'scan.png')
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))
    const r = runCli(['import', png, '--db', ws.path, '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 0, refused: 1 })
    const jobs = JSON.parse(runCli(['jobs', 'list', '--db', ws.path, '--json']).stdout) as { jobs: { kind: string; status: string; error: string | null }[] }
    const imp = jobs.jobs.find((j) => j.kind === 'import')!
    expect(imp.status).toBe('failed')
    expect(imp.error).toMatch(/PNG image, not a report file/)
  })
})

describe('radlabel jobs resume', () => {
  it('shows progress like other jobs and ends with what was done', async () => {
    const id = await interruptedRunJob('resumed run', 'rules', {})
    const r = runCli(['jobs', 'resume', String(id), '--db', ws.path])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/detect resumed run: 30\/30 reports/)
    expect(r.stdout).toMatch(new RegExp(`Job ${id} completed: 30/30 reports`))
  })

  it('says why when the job fails again', async () => {
    const id = await interruptedRunJob('doomed run', 'llm', { model: join(ws.dir, 'gone.gguf') })
    const r = runCli(['jobs', 'resume', String(id), '--db', ws.path])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`job ${id} \\(detect doomed run\\) failed: .*gone\\.gguf does not exist`))
  })
})
