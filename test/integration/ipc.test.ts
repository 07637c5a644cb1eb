import { afterEach, describe, expect, it } from 'vitest'
import { callNames, calls } from '../../src/common/ipc/contract'
import { createSession, type AppSession } from '../../src/node/services/session'
import { handlerTable } from '../../src/node/services/table'
import { tempDir } from '../support/workspace'
import { join } from 'node:path'

let session: AppSession | undefined
let cleanup: (() => void) | undefined
afterEach(async () => {
  await session?.close()
  cleanup?.()
  session = undefined
})

async function open(): Promise<AppSession> {
  const dir = tempDir()
  cleanup = dir.cleanup
  session = await createSession({ dbPath: join(dir.dir, 'ws.db'), platform: { runtime: 'node' } })
  return session
}

describe('IPC contract and handler table', () => {
  it('has exactly one handler per declared call', () => {
    expect(Object.keys(handlerTable).sort()).toEqual([...callNames].sort())
    for (const name of callNames) expect(typeof calls[name].input.safeParse).toBe('function')
  })

  it('answers a valid call with its value', async () => {
    const s = await open()
    const outcome = await s.call('app.info', {})
    expect(outcome).toMatchObject({ ok: true, value: { runtime: 'node', counts: { reports: 0 } } })
  })

  it('rejects unknown calls and invalid input with readable errors instead of throwing', async () => {
    const s = await open()
    expect(await s.call('fs.readFile', { path: '/etc/passwd' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'invalid_input', message: 'Unknown call "fs.readFile".' })
    })
    const bad = await s.call('reports.list', { limit: 5000 })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.error).toMatchObject({ message: 'The limit must be at most 1000.', details: { call: 'reports.list' } })
    const missing = await s.call('jobs.get', { id: 999 })
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found', message: 'There is no job 999.' } })
  })

  it('tells the caller when a platform ability (native dialog) is missing, with what to do instead', async () => {
    const s = await open()
    expect(await s.call('dialog.openFiles', {})).toMatchObject({ ok: false, error: { code: 'unsupported', hint: /Type or paste/ } })
  })
})
