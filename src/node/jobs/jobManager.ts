// The one mechanism for long work (import, detection, evaluation): a job row in the workspace,
// progress published as events, cancel and pause through an AbortSignal, resume by running the same
// kind again with the same params (runners are written to skip what is already done), failures recorded.
import { AppError } from '../../common/errors'
import type { JobProgress, JobSnapshot, JobStatus } from '../../common/types'
import type { Workspace } from '../store/db'
import { nowIso } from '../store/db'
import { isStorageFailure, storageError } from '../store/errors'
import { describeOwner, HEARTBEAT_MS, markInterruptedWork, ownerAlive, thisProcess, type OwnerColumns, type WorkOwner } from '../store/owners'

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
  workspace: Workspace
  controller: AbortController
  stop?: StopReason
  /** Another process took this job over (it thought us dead): never write its row again. */
  lost?: boolean
  progress: JobProgress
  done: Promise<JobSnapshot>
}

interface JobRow extends OwnerColumns {
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
  stop_request: StopReason | null
}

const EVENT_INTERVAL_MS = 250

export class JobManager {
  private readonly runners = new Map<string, JobRunner<never>>()
  private readonly active = new Map<number, ActiveJob>()
  private heartbeat: ReturnType<typeof setInterval> | undefined

  constructor(
    private workspace: Workspace,
    private readonly onUpdate: (job: JobSnapshot) => void = () => {},
    /** Who this manager's jobs belong to (one per process; tests may pass their own). */
    private readonly owner: WorkOwner = thisProcess()
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
    const o = this.owner
    const info = this.workspace.db
      .prepare(
        `INSERT INTO jobs (kind, title, status, params_json, progress_json, created_at, updated_at, owner_id, owner_pid, owner_host, heartbeat_at)
         VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(kind, title, JSON.stringify(params ?? {}), JSON.stringify(emptyProgress()), now, now, o.id, o.pid, o.host, now)
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
    this.reapDeadOwners()
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
    const row = this.row(id)
    if (['running', 'queued'].includes(row.status)) {
      if (ownerAlive(row)) {
        throw new AppError(
          'conflict',
          `Job ${id} is running in another RadLabel process (${describeOwner(row)}).`,
          'Let it finish there, or cancel or pause it there (or with "radlabel jobs cancel"); resume it once it has stopped.'
        )
      }
      // Its owner died after this workspace was opened: it is interrupted, so it may be resumed.
      this.reapDeadOwners()
    }
    const stopped = this.row(id).status
    if (!['interrupted', 'cancelled', 'paused', 'failed'].includes(stopped)) {
      throw new AppError('conflict', `Job ${id} is ${stopped}; only stopped jobs can be resumed.`)
    }
    // Claim it atomically: of two processes resuming the same job at once, exactly one wins.
    const o = this.owner
    const now = nowIso()
    const claimed = this.workspace.db
      .prepare(
        `UPDATE jobs SET status = 'running', owner_id = ?, owner_pid = ?, owner_host = ?, heartbeat_at = ?, stop_request = NULL,
           updated_at = ? WHERE id = ? AND status = ?`
      )
      .run(o.id, o.pid, o.host, now, now, id, stopped).changes
    if (claimed !== 1) {
      throw new AppError('conflict', `Job ${id} was just resumed by another RadLabel process.`, 'Follow it there, or in the jobs list.')
    }
    this.launch(id, true)
    return this.get(id)
  }

  /** Marks interrupted the running jobs (and their runs and import batches) whose owner has died. */
  reapDeadOwners(): number[] {
    try {
      if (this.workspace.db.readonly) return []
      const { jobs } = markInterruptedWork(this.workspace.db)
      for (const id of jobs) this.onUpdate(this.get(id))
      return jobs
    } catch {
      return [] // Busy or closed: the next look will do it.
    }
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
      const row = this.row(id)
      if (['running', 'queued'].includes(row.status) && ownerAlive(row)) {
        // Running in another process: ask its owner, which acts on it at its next heartbeat.
        this.workspace.db.prepare('UPDATE jobs SET stop_request = ? WHERE id = ? AND status IN (\'running\',\'queued\')').run(reason, id)
        return this.get(id)
      }
      if (['running', 'queued'].includes(row.status)) this.reapDeadOwners()
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
    const job: ActiveJob = { workspace, controller, progress, done: Promise.resolve(undefined as never) }
    this.active.set(id, job)
    this.setStatus(id, 'running', null)
    this.startHeartbeat()

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
          const appError = (isStorageFailure(err) && storageError(err, workspace.path)) || AppError.from(err)
          error = appError.hint ? `${appError.message} ${appError.hint}` : appError.message
        }
      } finally {
        this.active.delete(id)
        if (this.active.size === 0) this.stopHeartbeat()
      }
      this.saveProgress(id, progress, workspace)
      const unsaved = this.setStatus(id, status, error, result, workspace)
      const final = this.getIn(workspace, id)
      if (unsaved === null) return final
      // The outcome could not be written (disk full, say): say so rather than report a job still running.
      const why = (isStorageFailure(unsaved) && storageError(unsaved, workspace.path)) || AppError.from(unsaved)
      const saveError = `Its outcome could not be saved: ${why.message}${why.hint ? ` ${why.hint}` : ''}`
      return { ...final, status: status === 'completed' ? 'failed' : status, error: error ? `${error} ${saveError}` : saveError, result: result ?? final.result }
    })()
  }

  private row(id: number, workspace = this.workspace): JobRow {
    const row = workspace.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    if (!row) throw new AppError('not_found', `There is no job ${id}.`)
    return row
  }

  private getIn(workspace: Workspace, id: number): JobSnapshot {
    try {
      return toSnapshot(this.row(id, workspace), this.active.get(id)?.progress)
    } catch {
      return this.get(id)
    }
  }

  /**
   * While this process runs jobs, it says so every few seconds. The same write tells it when another
   * process asked for a stop, or took the job over (its owner is no longer us): then it stops here.
   */
  private startHeartbeat(): void {
    if (this.heartbeat) return
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat)
    this.heartbeat = undefined
  }

  private beat(): void {
    const now = nowIso()
    for (const [id, job] of this.active) {
      try {
        const row = job.workspace.db
          .prepare('UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND owner_id = ? RETURNING stop_request')
          .get(now, id, this.owner.id) as { stop_request: StopReason | null } | undefined
        if (!row) {
          // Another process declared us dead and took the job: stop without touching its row again.
          job.lost = true
          job.stop = 'pause'
          job.controller.abort('pause')
        } else if (row.stop_request && !job.controller.signal.aborted) {
          this.stop(id, row.stop_request)
        }
      } catch {
        // Busy (another process is writing) or closed: the next beat tries again.
      }
    }
  }

  private saveProgress(id: number, progress: JobProgress, workspace = this.active.get(id)?.workspace ?? this.workspace): void {
    try {
      workspace.db
        .prepare('UPDATE jobs SET progress_json = ?, updated_at = ?, heartbeat_at = ? WHERE id = ? AND (owner_id IS NULL OR owner_id = ?)')
        .run(JSON.stringify(progress), nowIso(), nowIso(), id, this.owner.id)
      this.onUpdate(this.getIn(workspace, id))
    } catch {
      // The workspace may have been closed under a finishing job; progress is advisory.
    }
  }

  private setStatus(
    id: number,
    status: JobStatus,
    error: string | null,
    result?: unknown,
    workspace = this.active.get(id)?.workspace ?? this.workspace
  ): unknown {
    try {
      // Only the owner writes a job's status (a job taken over by another process is not ours to end).
      const stopped = !['running', 'queued'].includes(status)
      workspace.db
        .prepare(
          `UPDATE jobs SET status = ?, error = ?, result_json = coalesce(?, result_json), updated_at = ?,
             stop_request = CASE WHEN ? THEN NULL ELSE stop_request END
           WHERE id = ? AND (owner_id IS NULL OR owner_id = ?)`
        )
        .run(status, error, result === undefined ? null : JSON.stringify(result), nowIso(), stopped ? 1 : 0, id, this.owner.id)
      this.onUpdate(this.getIn(workspace, id))
      return null
    } catch (err) {
      // The workspace may be closed under a finishing job, or its disk full: the caller says so.
      return err
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
