// The caller's side of the engine host: spawns the host process, sends typed requests, and turns the
// host's death (native crash, out of memory, kill) into a clear error for whatever was in flight. The
// caller itself keeps running. Spawning is injectable: the CLI and tests fork a Node child, the Electron
// main process passes a spawner built on utilityProcess (same host-entry module, different port).
import { fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { AppError } from '../../../common/errors'
import type { FitEstimate, HardwareInfo } from './hardware'
import type { FitSettings, HostMessage, HostReplies, HostRequest } from './protocol'
import type { HostState, LabelItem, LoadInfo, LoadSpec, RuntimeStats } from './runtime'
import type { EngineResult } from '../types'

export interface HostExit {
  code: number | null
  signal: string | null
}

export interface HostChannel {
  pid?: number
  send(message: HostRequest): void
  onMessage(handler: (message: HostMessage) => void): void
  onExit(handler: (exit: HostExit) => void): void
  kill(): void
}

export type HostSpawner = () => HostChannel

/** The host entry module next to this file (.ts in development and tests, .js when built). */
export function hostEntryPath(): string {
  const ts = fileURLToPath(new URL('./host-entry.ts', import.meta.url))
  return existsSync(ts) ? ts : fileURLToPath(new URL('./host-entry.js', import.meta.url))
}

/** Forks the host as a Node child process; TypeScript sources run through tsx's loader. */
export const forkHost: HostSpawner = () => {
  const entry = hostEntryPath()
  const execArgv = entry.endsWith('.ts')
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : []
  const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' })
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m)
    },
    onMessage: (h) => child.on('message', (m) => h(m as HostMessage)),
    onExit: (h) => child.on('exit', (code, signal) => h({ code, signal })),
    kill: () => child.kill('SIGKILL')
  }
}

interface Pending {
  resolve(value: unknown): void
  reject(err: unknown): void
  what: string
}

export function describeExit(exit: HostExit, what: string): AppError {
  const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`
  return new AppError(
    'engine_failed',
    `The LLM engine process ${how} while ${what}.`,
    'This usually means llama.cpp ran out of memory or crashed. Reports finished before this are saved; ' +
      'resume the run to continue, and if it happens again try fewer GPU layers, a smaller context size or fewer ' +
      'parallel sequences. RadLabel itself is not affected.'
  )
}

/** One host process; `state` mirrors the host's state machine. */
export class HostClient {
  state: HostState | 'starting' | 'exited' = 'starting'
  pid?: number
  private channel: HostChannel
  private nextId = 1
  private pending = new Map<number, Pending>()
  private exited: HostExit | null = null
  private readonly ready: Promise<void>

  constructor(
    spawn: HostSpawner = forkHost,
    private readonly onStatus: (message: string) => void = () => {},
    private readonly onState: (state: HostState) => void = () => {}
  ) {
    this.channel = spawn()
    this.pid = this.channel.pid
    let hello!: () => void
    let fail!: (e: unknown) => void
    this.ready = new Promise<void>((resolve, reject) => {
      hello = resolve
      fail = reject
    })
    this.ready.catch(() => {})
    this.channel.onMessage((m) => {
      if (m.kind === 'hello') hello()
      else if (m.kind === 'state') {
        this.state = m.state
        this.onState(m.state)
      } else if (m.kind === 'status') this.onStatus(m.message)
      else if (m.kind === 'reply') {
        const p = this.pending.get(m.id)
        if (!p) return
        this.pending.delete(m.id)
        if (m.ok) p.resolve(m.value)
        else p.reject(new AppError(m.error.code, m.error.message, m.error.hint, m.error.details))
      }
    })
    this.channel.onExit((exit) => {
      this.exited = exit
      this.state = 'exited'
      fail(describeExit(exit, 'starting'))
      for (const [, p] of this.pending) p.reject(describeExit(exit, p.what))
      this.pending.clear()
    })
  }

  private async request<K extends HostRequest['kind']>(
    kind: K,
    body: Omit<Extract<HostRequest, { kind: K }>, 'kind' | 'id'>,
    what: string,
    onId?: (id: number) => void
  ): Promise<HostReplies[K]> {
    await this.ready
    if (this.exited) throw describeExit(this.exited, what)
    const id = this.nextId++
    onId?.(id)
    return new Promise<HostReplies[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, what })
      this.channel.send({ kind, id, ...body } as HostRequest)
    })
  }

  load(spec: LoadSpec): Promise<LoadInfo> {
    return this.request('load', { spec }, `loading the model ${spec.modelPath}`)
  }

  async label(batch: LabelItem[], signal?: AbortSignal): Promise<EngineResult[]> {
    signal?.throwIfAborted()
    const first = batch[0]?.id
    const last = batch[batch.length - 1]?.id
    const what = `labelling reports ${first}${last !== first ? `–${last}` : ''} (${batch.length} in this batch)`
    let id = 0
    const onAbort = (): void => {
      if (id) this.request('cancel', { target: id }, 'cancelling').catch(() => {})
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      return await this.request('label', { batch }, what, (assigned) => {
        id = assigned
        if (signal?.aborted) onAbort()
      })
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }

  stats(): Promise<RuntimeStats> {
    return this.request('stats', {}, 'reading statistics')
  }

  hardware(): Promise<HardwareInfo> {
    return this.request('hardware', {}, 'detecting GPU backends')
  }

  fit(path: string, settings: FitSettings): Promise<FitEstimate> {
    return this.request('fit', { path, settings }, `estimating whether ${path} fits`)
  }

  /** Disposes the model in the host and ends the process. */
  async close(): Promise<void> {
    if (this.exited) return
    const gone = new Promise<void>((resolve) => this.channel.onExit(() => resolve()))
    await Promise.race([this.request('dispose', {}, 'closing').catch(() => {}), delay(10_000)])
    this.channel.kill()
    await Promise.race([gone, delay(5_000)])
  }

  /** Ends the host at once (used by tests to simulate a crash, and on hard cancel). */
  kill(): void {
    this.channel.kill()
  }
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref())

/** Runs one query in a short-lived host process (hardware detection, fit estimates). */
export async function withHost<T>(fn: (client: HostClient) => Promise<T>, spawn: HostSpawner = forkHost): Promise<T> {
  const client = new HostClient(spawn)
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

/** The parts of Electron's UtilityProcess the spawner uses (typed here so this module needs no electron). */
interface UtilityProcessLike {
  pid?: number
  postMessage(message: unknown): void
  on(event: 'message', listener: (message: unknown) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  kill(): boolean
}

/**
 * A spawner for the Electron main process: `setHostSpawner(utilityProcessSpawner(utilityProcess, entry))`
 * with `entry` the built host-entry.js. The host module is the same; only the port differs.
 */
export function utilityProcessSpawner(
  utility: { fork(modulePath: string, args?: string[], options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' }): UtilityProcessLike },
  entry: string
): HostSpawner {
  return () => {
    const child = utility.fork(entry, [], { serviceName: 'RadLabel LLM engine', stdio: 'inherit' })
    let exited = false
    return {
      pid: child.pid,
      send: (m) => {
        if (!exited) child.postMessage(m)
      },
      onMessage: (h) => child.on('message', (m) => h(m as HostMessage)),
      // A utility process reports only an exit code; a crash or kill shows as a non-zero code.
      onExit: (h) =>
        child.on('exit', (code) => {
          exited = true
          h({ code, signal: null })
        }),
      kill: () => {
        child.kill()
      }
    }
  }
}
