// Worker thread of a large import: reads, decodes, parses, maps, sections and hashes records, and posts
// them to the main thread in batches, which only writes them. Flow control: at most MAX_IN_FLIGHT
// unacknowledged batches, so memory stays bounded however fast the reader is.
import { parentPort, workerData } from 'node:worker_threads'
import { AppError } from '../../common/errors'
import type { FieldMapping } from '../../common/import/mapping'
import { makePreparer } from './prepare'
import { openSource } from './read'
import type { ReadOptions } from './types'

export interface PrepareWorkerData {
  path: string
  readOptions: ReadOptions
  mapping: FieldMapping
  batchId: number
  now: string
}

const MAX_IN_FLIGHT = 8

async function main(): Promise<void> {
  const port = parentPort
  if (!port) return
  const data = workerData as PrepareWorkerData
  let credits = MAX_IN_FLIGHT
  let wake: (() => void) | undefined
  port.on('message', (m) => {
    if (m === 'ack') {
      credits++
      wake?.()
    }
  })
  try {
    const source = await openSource(data.path, data.readOptions)
    const prepare = makePreparer(data.mapping, data.batchId, data.now)
    for await (const batch of source.batches()) {
      const rows = batch.map(prepare)
      while (credits <= 0) await new Promise<void>((r) => (wake = r))
      credits--
      port.postMessage({ type: 'rows', rows, bytesRead: source.bytesRead() })
    }
    port.postMessage({ type: 'end', bytesRead: source.bytesRead() })
  } catch (err) {
    const e = AppError.from(err)
    port.postMessage({ type: 'error', error: e.toData() })
  }
  port.close()
}

void main()
