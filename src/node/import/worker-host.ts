// Runs the prepare step of an import in a worker thread and streams its batches back. Falls back to the
// caller's in-process path when no worker can be started (e.g. a build without the worker entry).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { AppError, type AppErrorData } from '../../common/errors'
import type { Prepared } from './prepare'
import type { PrepareWorkerData } from './prepare-worker'

export interface PreparedBatch {
  rows: Prepared[]
  bytesRead: number
}

/** Where the worker's code is: the .mjs bootstrap beside the sources, or the bundled entry beside main. */
export function workerEntry(): URL | undefined {
  const here = import.meta.url
  const candidates = here.endsWith('.ts')
    ? [new URL('./prepare-worker-boot.mjs', here)]
    : [new URL('./importWorker.js', here), new URL('../importWorker.js', here)]
  return candidates.find((u) => u.protocol === 'file:' && existsSync(fileURLToPath(u)))
}

export class WorkerUnavailable extends Error {}

type Message =
  | { type: 'rows'; rows: Prepared[]; bytesRead: number }
  | { type: 'end'; bytesRead: number }
  | { type: 'error'; error: AppErrorData }

/**
 * Batches prepared in a worker. Throws WorkerUnavailable (before yielding anything) when the worker
 * cannot start; the caller then prepares in-process. Stopping the iteration terminates the worker.
 */
export async function* preparedInWorker(data: PrepareWorkerData): AsyncGenerator<PreparedBatch> {
  const entry = workerEntry()
  if (!entry) throw new WorkerUnavailable('no import worker entry')
  let worker: Worker
  try {
    worker = new Worker(entry, { workerData: data })
  } catch (err) {
    throw new WorkerUnavailable((err as Error).message)
  }
  const queue: Array<Message | { type: 'crash'; error: Error }> = []
  let notify: (() => void) | undefined
  const push = (m: Message | { type: 'crash'; error: Error }) => {
    queue.push(m)
    notify?.()
  }
  worker.on('message', (m: Message) => push(m))
  worker.on('error', (error) => push({ type: 'crash', error }))
  worker.on('exit', (code) => push({ type: 'crash', error: new Error(`import worker exited with code ${code}`) }))
  let received = false
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (notify = r))
      const m = queue.shift()!
      if (m.type === 'rows') {
        received = true
        worker.postMessage('ack')
        yield { rows: m.rows, bytesRead: m.bytesRead }
      } else if (m.type === 'end') {
        if (!received) yield { rows: [], bytesRead: m.bytesRead }
        return
      } else if (m.type === 'error') {
        throw new AppError(m.error.code, m.error.message, m.error.hint)
      } else {
        // A crash before the first batch means the worker could not start: let the caller do the work.
        if (!received) throw new WorkerUnavailable(m.error.message)
        throw new AppError('internal', `The import worker stopped: ${m.error.message}`, 'Resume the import to continue.')
      }
    }
  } finally {
    worker.removeAllListeners('exit')
    void worker.terminate()
  }
}
