// Runs one file's import in a worker thread (import-worker.ts) and relays its progress. When no worker can
// start (a build without the worker entry, a native module that cannot load in a thread), it says so with
// WorkerUnavailable before anything was written, and the caller imports in-process instead.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { AppError, type AppErrorData } from '../../common/errors'
import type { FileResult } from '../../common/import/dto'
import type { ImportWorkerData } from './import-worker'
import type { ImportProgress } from './pipeline'

/** The worker's code: the .mjs bootstrap beside the sources, or the bundled entry beside the main bundle. */
export function workerEntry(): URL | undefined {
  const here = import.meta.url
  const candidates = here.endsWith('.ts')
    ? [new URL('./import-worker-boot.mjs', here)]
    : [new URL('./importWorker.js', here), new URL('../importWorker.js', here)]
  return candidates.find((u) => u.protocol === 'file:' && existsSync(fileURLToPath(u)))
}

export class WorkerUnavailable extends Error {}

type Message =
  | { type: 'started' }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'tx'; ms: number; rows: number }
  | { type: 'done'; result: FileResult }
  | { type: 'error'; error: AppErrorData }

export function importFileInWorker(
  data: ImportWorkerData,
  run: { signal?: AbortSignal; onProgress?: (p: ImportProgress) => void; onTransaction?: (ms: number, rows: number) => void }
): Promise<FileResult> {
  const entry = workerEntry()
  if (!entry) return Promise.reject(new WorkerUnavailable('no import worker entry'))
  return new Promise<FileResult>((resolve, reject) => {
    let started = false
    let settled = false
    let worker: Worker
    try {
      worker = new Worker(entry, { workerData: data })
    } catch (err) {
      reject(new WorkerUnavailable((err as Error).message))
      return
    }
    const finish = (fn: () => void) => {
      if (settled) return
      settled = true
      run.signal?.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = () => worker.postMessage('cancel')
    run.signal?.addEventListener('abort', onAbort)
    if (run.signal?.aborted) onAbort()
    worker.on('message', (m: Message) => {
      if (m.type === 'started') started = true
      else if (m.type === 'progress') run.onProgress?.(m.progress)
      else if (m.type === 'tx') run.onTransaction?.(m.ms, m.rows)
      else if (m.type === 'done') finish(() => resolve(m.result))
      else if (m.type === 'error') {
        // Failing to open the database in the thread (e.g. a native binding for another ABI) is "unavailable".
        finish(() => reject(started ? new AppError(m.error.code, m.error.message, m.error.hint) : new WorkerUnavailable(m.error.message)))
      }
    })
    worker.on('error', (err) =>
      finish(() =>
        reject(started ? new AppError('internal', `The import worker failed: ${err.message}`, 'Resume the import to continue.') : new WorkerUnavailable(err.message))
      )
    )
    worker.on('exit', (code) =>
      finish(() =>
        reject(started ? new AppError('internal', `The import worker stopped (exit code ${code}).`, 'Resume the import to continue.') : new WorkerUnavailable(`exit code ${code}`))
      )
    )
  })
}
