// Worker thread that runs one file's import against its own connection to the workspace file: reading,
// parsing, mapping and the SQLite transactions all happen here, so the main process's event loop only
// relays progress (the app stays responsive however busy the machine is).
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../common/errors'
import { BUSY_TIMEOUT_MS } from '../store/db'
import { isStorageFailure, storageError } from '../store/errors'
import { importFile, type ImportFileParams } from './pipeline'

export interface ImportWorkerData {
  dbPath: string
  nativeBinding?: string
  params: ImportFileParams & { resumeBatchId?: number }
}

async function main(): Promise<void> {
  const port = parentPort
  if (!port) return
  const data = workerData as ImportWorkerData
  const controller = new AbortController()
  port.on('message', (m) => {
    if (m === 'cancel') controller.abort('cancel')
  })
  let db: Database.Database | undefined
  try {
    // The same connection settings as openWorkspace, without its open-time steps (migrations, marking
    // other running work interrupted): the main process has done those.
    db = new Database(data.dbPath, { fileMustExist: true, nativeBinding: data.nativeBinding })
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    port.postMessage({ type: 'started' })
    const result = await importFile(db, data.params, {
      signal: controller.signal,
      onProgress: (progress) => port.postMessage({ type: 'progress', progress }),
      onTransaction: (ms, rows) => port.postMessage({ type: 'tx', ms, rows })
    })
    port.postMessage({ type: 'done', result })
  } catch (err) {
    port.postMessage({ type: 'error', error: ((isStorageFailure(err) && storageError(err, data.dbPath)) || AppError.from(err)).toData() })
  } finally {
    db?.close()
    port.close()
  }
}

void main()
