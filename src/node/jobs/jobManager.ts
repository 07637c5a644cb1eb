// The one mechanism for long work (import, detection, evaluation): a job row in the workspace,
// progress published as events, cancel and pause through an AbortSignal, resume by running the same
// kind again with the same params (runners are written to skip what is already done), failures recorded.
import { AppError } from '../../common/errors'
import type { JobProgress, JobSnapshot, JobStatus } from '../../common/types'
import type { Workspace } from '../store/db'
import { nowIso } from '../store/db'

export interface JobContext {
  jobId: number
  /** The workspace the job started in. */
  workspace: Workspace
  /** Aborted with reason 'cancel' or 'pause'. */
  signal: AbortSignal
  /** Merge progress; events are throttled, the last one always goes out. */
  report(progress: Partial<JobProgress>): void
  /** True when this run continues an earlier interrupted, cancelled or paused one. */
  resumed: boolean
}

export type JobRunner<P = unknown> = (params: P, ctx: JobContext) => Promise<unknown>

/** Why a job's signal was aborted. */
type StopReason = 'cancel' | 'pause'

interface ActiveJob {
  controller: AbortController
  stop?: StopReason
  progress: JobProgress
  done: Promise<JobSnapshot>
}

interface JobRow {
  id: number
  kind: string
  title: string
  status: JobStatus
  params_json: string
  progress_json: string
  result_json: string | null
  error: string | null
  created_at: string
  updated_at: string
}

const EVENT_INTERVAL_MS = 250

export class JobManager {
  private readonly runners = new Map<string, JobRunner<never>>()
  private readonly active = new Map<number, ActiveJob>()

  constructor(
    private workspace: Workspace,
    private readonly onUpdate: (job: JobSnapshot) => void = () => {}
  ) {}

  register<P>(kind: string, runner: JobRunner<P>): void {
    this.runners.set(kind, runner as JobRunner<never>)
  }

  /** Jobs keep running against the workspace they started in; switching waits for none. */
  setWorkspace(workspace: Workspace): void {
    this.workspace = workspace
  }

  start<P>(kind: string, title: string, params: P): JobSnapshot {
    this.runnerFor(kind)
    const now = nowIso()
    const info = this.workspace.db
      .prepare(
        `INSERT INTO jobs (kind, title, status, params_json, progress_json, created_at, updated_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?)`
      )
      .run(kind, title, JSON.stringify(params ?? {}), JSON.stringify(emptyProgress()), now, now)
    const id = Number(info.lastInsertRowid)
    this.launch(id, false)
    return this.get(id)
  }

  /** Resolves when the job stops, whatever its final status. */
  async wait(id: number): Promise<JobSnapshot> {
    const job = this.active.get(id)
    return job ? job.done : this.get(id)
  }

  get(id: number): JobSnapshot {
    const row = this.workspace.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    if (!row) throw new AppError('not_found', `There is no job ${id}.`)
    return toSnapshot(row, this.active.get(id)?.progress)
  }

  list(limit = 50): JobSnapshot[] {
    const rows = this.workspace.db.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(limit) as JobRow[]
    return rows.map((row) => toSnapshot(row, this.active.get(row.id)?.progress))
  }

  cancel(id: number): JobSnapshot {
    return this.stop(id, 'cancel')
  }

  pause(id: number): JobSnapshot {
    return this.stop(id, 'pause')
  }

  resume(id: number): JobSnapshot {
    const job = this.get(id)
    if (this.active.has(id)) return job
    if (!['interrupted', 'cancelled', 'paused', 'failed'].includes(job.status)) {
      throw new AppError('conflict', `Job ${id} is ${job.status}; only stopped jobs can be resumed.`)
    }
    this.launch(id, true)
    return this.get(id)
  }

  /** Cancels every running job and waits for them to stop (app quit, CLI Ctrl-C). */
  async shutdown(): Promise<void> {
    const pending = [...this.active.entries()].map(([id, job]) => {
      job.stop = 'pause'
      job.controller.abort('pause')
      return job.done.catch(() => this.get(id))
    })
    await Promise.all(pending)
  }

  private stop(id: number, reason: StopReason): JobSnapshot {
    const job = this.active.get(id)
    if (!job) {
      const snapshot = this.get(id)
      if (reason === 'cancel' && ['paused', 'interrupted'].includes(snapshot.status)) {
        this.setStatus(id, 'cancelled', null)
        return this.get(id)
      }
      return snapshot
    }
    job.stop = reason
    job.controller.abort(reason)
    return this.get(id)
  }

  private runnerFor(kind: string): JobRunner<never> {
    const runner = this.runners.get(kind)
    if (!runner) throw new AppError('internal', `No runner is registered for jobs of kind "${kind}".`)
    return runner
  }

  private launch(id: number, resumed: boolean): void {
    const workspace = this.workspace
    const row = workspace.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow
    const runner = this.runnerFor(row.kind)
    const params = JSON.parse(row.params_json) as never
    const controller = new AbortController()
    const progress: JobProgress = resumed ? { ...emptyProgress(), ...JSON.parse(row.progress_json) } : emptyProgress()
    let lastEvent = 0
    let lastDone = progress.done
    let lastTime = Date.now()
    const job: ActiveJob = { controller, progress, done: Promise.resolve(undefined as never) }
    this.active.set(id, job)
    this.setStatus(id, 'running', null)

    const report = (update: Partial<JobProgress>): void => {
      Object.assign(progress, update)
      const now = Date.now()
      if (now - lastEvent < EVENT_INTERVAL_MS) return
      if (update.rate === undefined && now > lastTime) {
        progress.rate = ((progress.done - lastDone) * 1000) / (now - lastTime)
        lastDone = progress.done
        lastTime = now
      }
      if (progress.total != null && progress.rate) {
        progress.etaSeconds = Math.max(0, (progress.total - progress.done) / progress.rate)
      }
      lastEvent = now
      this.saveProgress(id, progress)
    }

    job.done = (async () => {
      let status: JobStatus = 'completed'
      let error: string | null = null
      let result: unknown = null
      try {
        result = await runner(params, { jobId: id, workspace, signal: controller.signal, report, resumed })
        if (controller.signal.aborted) status = job.stop === 'pause' ? 'paused' : 'cancelled'
      } catch (err) {
        if (controller.signal.aborted) {
          status = job.stop === 'pause' ? 'paused' : 'cancelled'
        } else {
          status = 'failed'
          const appError = AppError.from(err)
          error = appError.hint ? `${appError.message} ${appError.hint}` : appError.message
        }
      } finally {
        this.active.delete(id)
      }
      this.saveProgress(id, progress)
      this.setStatus(id, status, error, result)
      return this.get(id)
    })()
  }

  private saveProgress(id: number, progress: JobProgress): void {
    try {
      this.workspace.db
        .prepare('UPDATE jobs SET progress_json = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(progress), nowIso(), id)
      this.onUpdate(this.get(id))
    } catch {
      // The workspace may have been closed under a finishing job; progress is advisory.
    }
  }

  private setStatus(id: number, status: JobStatus, error: string | null, result?: unknown): void {
    try {
      this.workspace.db
        .prepare('UPDATE jobs SET status = ?, error = ?, result_json = coalesce(?, result_json), updated_at = ? WHERE id = ?')
        .run(status, error, result === undefined ? null : JSON.stringify(result), nowIso(), id)
      this.onUpdate(this.get(id))
    } catch {
      // See saveProgress.
    }
  }
}

function emptyProgress(): JobProgress {
  return { done: 0, total: null, unit: 'items' }
}

function toSnapshot(row: JobRow, live?: JobProgress): JobSnapshot {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    progress: live ? { ...live } : (JSON.parse(row.progress_json) as JobProgress),
    error: row.error,
    result: row.result_json ? JSON.parse(row.result_json) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}

/** Lets timers, IPC and progress events run between chunks of synchronous SQLite work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
