// Two real processes sharing one workspace: a job running in one is not marked interrupted by the other
// opening the workspace, cannot be resumed there while alive, can be stopped from there, and becomes
// resumable once its process dies. A second import of the same file never continues the first's live batch.
import Database from 'better-sqlite3'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { JobManager } from '../../src/node/jobs/jobManager'
import { openWorkspace } from '../../src/node/store/db'
import { HEARTBEAT_MS, ownerAlive } from '../../src/node/store/owners'
import { CLI, runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const CHILD = resolve(import.meta.dirname, '../support/job-owner-child.ts')
const HOLD = 'test-hold'
const dir = tempDir('radlabel-owners-')
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  dir.cleanup()
})

/** Starts the child; resolves with it and the job id once its job is running. */
async function holdInChild(db: string, release: string, resumeId?: number): Promise<{ child: ChildProcess; jobId: number; lines: string[]; ended: Promise<string> }> {
  const args = ['--import', 'tsx', CHILD, db, release, ...(resumeId ? ['resume', String(resumeId)] : [])]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  const lines: string[] = []
  let onStarted: (id: number) => void = () => {}
  const started = new Promise<number>((r) => (onStarted = r))
  const ended = new Promise<string>((r) => child.once('exit', () => r(lines.at(-1) ?? '')))
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line)
    const m = /^started (\d+)$/.exec(line)
    if (m) onStarted(Number(m[1]))
  })
  const jobId = await Promise.race([started, ended.then((l) => Promise.reject(new Error(`child exited: ${l}`)))])
  return { child, jobId, lines, ended }
}

function holdManager(ws: ReturnType<typeof openWorkspace>): JobManager {
  const jobs = new JobManager(ws)
  jobs.register(HOLD, async (_p, ctx) => ({ resumed: ctx.resumed, pid: process.pid, aborted: ctx.signal.aborted }))
  return jobs
}

describe('jobs shared by two processes', () => {
  it('a live job elsewhere stays running, cannot be resumed here, and stops when asked from here', async () => {
    const db = join(dir.dir, 'a.db')
    openWorkspace(db).close()
    const { child, jobId, ended } = await holdInChild(db, join(dir.dir, 'never'))

    const ws = openWorkspace(db) // this open must not mark the child's job interrupted
    const jobs = holdManager(ws)
    expect(jobs.get(jobId).status).toBe('running')
    expect(jobs.list().find((j) => j.id === jobId)?.status).toBe('running')
    expect(() => jobs.resume(jobId)).toThrow(new RegExp(`Job ${jobId} is running in another RadLabel process \\(pid ${child.pid} on host`))
    // The CLI in a third process says the same, and lists the job as running.
    const resume = runCli(['jobs', 'resume', String(jobId), '--db', db])
    expect(resume.code).toBe(1)
    expect(resume.stderr).toContain(`Job ${jobId} is running in another RadLabel process (pid ${child.pid}`)
    const list = runCli(['jobs', '--db', db])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(new RegExp(`${jobId}\\s+running`))

    // Cancel from here: the owner sees the request at its next heartbeat and stops the job itself.
    jobs.cancel(jobId)
    expect(await ended).toBe('ended cancelled')
    expect(jobs.get(jobId).status).toBe('cancelled')
    ws.close()
  }, 30_000)

  it('a job whose process was killed becomes interrupted, on open or on a later look, and resumes here', async () => {
    const db = join(dir.dir, 'b.db')
    openWorkspace(db).close()
    const first = await holdInChild(db, join(dir.dir, 'never'))
    const ws = openWorkspace(db)
    const jobs = holdManager(ws)
    expect(jobs.get(first.jobId).status).toBe('running')
    first.child.kill('SIGKILL')
    await first.ended
    // The workspace was already open here when the owner died: the next look at the jobs notices.
    expect(jobs.list().find((j) => j.id === first.jobId)?.status).toBe('interrupted')
    const resumed = jobs.resume(first.jobId)
    expect(resumed.status).toBe('running')
    const done = await jobs.wait(first.jobId)
    expect(done).toMatchObject({ status: 'completed', result: { resumed: true, pid: process.pid } })

    // And on open: a killed owner's job is interrupted by the next process to open the workspace.
    const second = await holdInChild(db, join(dir.dir, 'never'))
    second.child.kill('SIGKILL')
    await second.ended
    ws.close()
    const again = openWorkspace(db)
    expect(again.db.prepare('SELECT status FROM jobs WHERE id = ?').pluck().get(second.jobId)).toBe('interrupted')
    again.close()
  }, 30_000)

  it('of two processes resuming the same job, only one runs it', async () => {
    const db = join(dir.dir, 'c.db')
    const release = join(dir.dir, 'release-c')
    openWorkspace(db).close()
    const first = await holdInChild(db, release)
    first.child.kill('SIGKILL')
    await first.ended
    // The child resumes it (and holds it); this process then may not.
    const taker = await holdInChild(db, release, first.jobId)
    const ws = openWorkspace(db)
    const jobs = holdManager(ws)
    expect(() => jobs.resume(first.jobId)).toThrow(/running in another RadLabel process/)
    writeFileSync(release, '')
    expect(await taker.ended).toBe('ended completed')
    const row = ws.db.prepare('SELECT status, result_json FROM jobs WHERE id = ?').get(first.jobId) as { status: string; result_json: string }
    expect(row.status).toBe('completed')
    expect(JSON.parse(row.result_json)).toMatchObject({ resumed: true, pid: taker.child.pid })
    ws.close()
  }, 30_000)

  it('treats a stale heartbeat as dead even when the pid is alive (pid reuse), and legacy rows as dead', () => {
    const now = Date.now()
    const alive = { owner_id: 'x', owner_pid: process.pid, owner_host: 'elsewhere', heartbeat_at: new Date(now - HEARTBEAT_MS).toISOString() }
    expect(ownerAlive(alive, now)).toBe(true)
    expect(ownerAlive({ ...alive, heartbeat_at: new Date(now - 10 * 60_000).toISOString() }, now)).toBe(false)
    expect(ownerAlive({ owner_id: null, owner_pid: null, owner_host: null, heartbeat_at: null }, now)).toBe(false)
  })
})

describe('imports of the same file by two processes', () => {
  it('a second import of a file being imported starts its own batch, never the first one live batch', async () => {
    const N = 120_000
    const file = join(dir.dir, 'reports.csv')
    let s = 'accession,report\n'
    for (let i = 0; i < N; i++) s += `A${i},"FINDINGS: Synthetic report ${i}.\nIMPRESSION: No acute disease (${i % 97})."\n`
    writeFileSync(file, s)
    const db = join(dir.dir, 'imp.db')
    const first = spawn(process.execPath, [CLI, 'import', file, '--db', db, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RADLABEL_IMPORT_THREAD: '1' }
    })
    children.push(first)
    let firstOut = ''
    first.stdout!.on('data', (d: Buffer) => (firstOut += d.toString()))
    const firstExit = new Promise<number>((r) => first.once('exit', (code) => r(code ?? -1)))
    // Wait until the first import has committed some records.
    const deadline = Date.now() + 60_000
    for (;;) {
      expect(Date.now()).toBeLessThan(deadline)
      await new Promise((r) => setTimeout(r, 20))
      try {
        const ro = new Database(db, { readonly: true, fileMustExist: true })
        try {
          if (((ro.prepare('SELECT coalesce(max(records_done), 0) FROM import_batches').pluck().get() as number) ?? 0) > 0) break
        } finally {
          ro.close()
        }
      } catch {
        // not created yet
      }
    }
    const second = runCli(['import', file, '--db', db, '--json'], { timeoutMs: 120_000 })
    expect(second.code, second.stderr).toBe(0)
    expect(await firstExit).toBe(0)
    expect(JSON.parse(firstOut)).toMatchObject({ rejected: 0 })

    const ro = new Database(db, { readonly: true })
    try {
      const batches = ro.prepare('SELECT id, status, records_done, added, duplicates FROM import_batches ORDER BY id').all() as {
        id: number
        status: string
        records_done: number
        added: number
        duplicates: number
      }[]
      expect(batches).toHaveLength(2)
      for (const b of batches) {
        expect(b.status).toBe('completed')
        expect(b.records_done).toBe(N)
        expect(b.added + b.duplicates).toBe(N)
      }
      expect(ro.prepare('SELECT count(*) FROM reports').pluck().get()).toBe(N)
      expect(batches[0].added + batches[1].added).toBe(N)
      const issues = ro.prepare('SELECT count(*) FROM import_issues WHERE kind != ?').pluck().get('duplicate') as number
      expect(issues).toBe(0)
    } finally {
      ro.close()
    }
  }, 180_000)
})
