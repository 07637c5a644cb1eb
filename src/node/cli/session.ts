// Opens a workspace for one command and runs jobs in the foreground with progress and Ctrl-C.
import { AppError } from '../../common/errors'
import type { JobSnapshot } from '../../common/types'
import { createSession, type AppSession } from '../services/session'
import { progressPrinter } from './output'

/** `allowReadOnly`: the command only reads (eval, export, backup), so a read-only workspace is opened read-only. */
export async function withSession<T>(dbPath: string, fn: (session: AppSession) => Promise<T>, options: { allowReadOnly?: boolean } = {}): Promise<T> {
  const printers = new Map<number, (job: JobSnapshot) => void>()
  const session = await createSession({
    dbPath,
    openOptions: { allowReadOnly: options.allowReadOnly },
    platform: { runtime: 'node' },
    emit: (event, payload) => {
      if (event === 'job.updated') printers.get((payload as JobSnapshot).id)?.(payload as JobSnapshot)
    }
  })
  foregroundPrinters = printers
  try {
    return await fn(session)
  } finally {
    await session.close()
  }
}

let foregroundPrinters: Map<number, (job: JobSnapshot) => void> = new Map()

/** Starts a job, prints its progress, cancels it on Ctrl-C, and returns its final snapshot (throws if it failed). */
export async function runJobInForeground<P>(session: AppSession, kind: string, title: string, params: P): Promise<JobSnapshot> {
  const job = session.ctx.jobs.start(kind, title, params)
  const final = await followJob(session, job.id, title)
  if (final.status === 'failed') throw new AppError('engine_failed', `${title} failed: ${final.error ?? 'unknown error'}`)
  if (final.status === 'cancelled') throw new AppError('cancelled', `${title} was cancelled.`)
  if (final.status !== 'completed') {
    throw new AppError('internal', `${title} stopped (${final.status})${final.error ? `: ${final.error}` : ''}.`, `Resume it with "radlabel jobs resume ${final.id}".`)
  }
  return final
}

/** Prints a running job's progress on stderr (Ctrl-C cancels it) until it ends; returns its final snapshot. */
export async function followJob(session: AppSession, jobId: number, title: string): Promise<JobSnapshot> {
  const { jobs } = session.ctx
  const printer = progressPrinter(title)
  let finalPrinted = false
  const print = (job: JobSnapshot): void => {
    if (finalPrinted) return
    finalPrinted = job.status !== 'running' && job.status !== 'queued'
    printer(job)
  }
  foregroundPrinters.set(jobId, print)
  const onSigint = (): void => {
    process.stderr.write('\nCancelling… (progress so far is kept; resume later)\n')
    jobs.cancel(jobId)
  }
  process.once('SIGINT', onSigint)
  try {
    const final = await jobs.wait(jobId)
    if (!finalPrinted) print(final)
    return final
  } finally {
    process.off('SIGINT', onSigint)
    foregroundPrinters.delete(jobId)
  }
}

/** Calls the handler table and unwraps the outcome (the CLI speaks through the same contract as the UI). */
export async function callOrThrow<T>(session: AppSession, name: string, input: unknown): Promise<T> {
  const outcome = await session.call(name, input)
  if (!outcome.ok) throw AppError.from(outcome.error)
  return outcome.value as T
}
