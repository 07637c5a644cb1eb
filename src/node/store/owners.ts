// Who is running a job. Several processes may share one workspace file (the app, `radlabel` commands, a
// second app window on a network share): each running job records its owner (a random id per process,
// its pid and host) and a heartbeat. Only a dead owner's work becomes 'interrupted'; a live owner's
// work is left alone, and nobody else may resume it.
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Db } from './db'

export interface WorkOwner {
  /** Random per process: pids are reused, ids are not. */
  id: string
  pid: number
  host: string
}

/** How often a process with running jobs writes its heartbeat. */
export const HEARTBEAT_MS = 3_000
/**
 * A heartbeat older than this means the owner is gone (or hung) even if its pid looks alive (pid reuse).
 * Generous: the main thread may be busy in a long SQLite statement for a while.
 */
export const STALE_AFTER_MS = 60_000

let current: WorkOwner | undefined

/** This process's identity as a job owner. */
export function thisProcess(): WorkOwner {
  current ??= { id: randomUUID(), pid: process.pid, host: hostname() }
  return current
}

export interface OwnerColumns {
  owner_id: string | null
  owner_pid: number | null
  owner_host: string | null
  heartbeat_at: string | null
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** True when the owner of a running row is (as far as this machine can tell) still working on it. */
export function ownerAlive(row: OwnerColumns, now = Date.now()): boolean {
  if (!row.owner_id) return false // Written before owners existed, or never started.
  const me = thisProcess()
  if (row.owner_id === me.id) return true
  const beat = row.heartbeat_at ? Date.parse(row.heartbeat_at) : NaN
  if (!Number.isFinite(beat) || now - beat > STALE_AFTER_MS) return false
  // On this host the pid says it at once; on another host (a shared folder) only the heartbeat can.
  if (row.owner_host === me.host && row.owner_pid !== null) return pidAlive(row.owner_pid)
  return true
}

/** "pid 1234 on host ws-07, heartbeat 2 s ago": for messages. */
export function describeOwner(row: OwnerColumns, now = Date.now()): string {
  const age = row.heartbeat_at ? Math.max(0, Math.round((now - Date.parse(row.heartbeat_at)) / 1000)) : null
  return `pid ${row.owner_pid ?? '?'} on host ${row.owner_host ?? '?'}${age === null ? '' : `, heartbeat ${age} s ago`}`
}

/**
 * Work whose owner died cannot still be running: mark it resumable. Jobs whose owner is alive (this
 * process or another) stay as they are, and so do their runs and import batches.
 */
export function markInterruptedWork(db: Db): { jobs: number[] } {
  const now = new Date().toISOString()
  // IMMEDIATE: it reads, then writes. A deferred transaction would fail at once (SQLITE_BUSY, no
  // waiting) if another process committed in between, which a busy shared workspace does all the time.
  return db.transaction(() => {
    const running = db
      .prepare(`SELECT id, owner_id, owner_pid, owner_host, heartbeat_at FROM jobs WHERE status IN ('running','queued')`)
      .all() as (OwnerColumns & { id: number })[]
    const dead = running.filter((row) => !ownerAlive(row)).map((row) => row.id)
    const mark = db.prepare(`UPDATE jobs SET status = 'interrupted', updated_at = ? WHERE id = ? AND status IN ('running','queued')`)
    for (const id of dead) mark.run(now, id)
    const liveJobs = `SELECT id FROM jobs WHERE status IN ('running','queued')`
    db.prepare(
      `UPDATE runs SET status = 'interrupted' WHERE status IN ('running','queued') AND (job_id IS NULL OR job_id NOT IN (${liveJobs}))`
    ).run()
    db.prepare(
      `UPDATE import_batches SET status = 'interrupted' WHERE status = 'running' AND (job_id IS NULL OR job_id NOT IN (${liveJobs}))`
    ).run()
    return { jobs: dead }
  }).immediate()
}
