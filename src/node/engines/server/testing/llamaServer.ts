// Test and benchmark helper: the llama-server binary built by `npm run build:llama-server` (cached per
// machine; built here on first use where a C++ compiler and cmake exist), started on a free loopback
// port with N slots, serving a GGUF file under a given model name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

const BUILD_SCRIPT = resolve(import.meta.dirname, '../../../../../scripts/build-llama-server.mjs')

/** Why llama-server cannot be had on this machine, or null when it can (a C++ compiler and cmake exist). */
export function llamaServerUnavailable(): string | null {
  const has = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0
  if (!has('c++') && !has('g++') && !has('clang++')) return 'no C++ compiler on this machine: llama-server cannot be built'
  if (!has('cmake')) return 'cmake is not installed: llama-server cannot be built'
  return null
}

/** The cached llama-server binary, building it first when needed (minutes, once per machine). */
export function ensureLlamaServer(): string {
  const r = spawnSync(process.execPath, [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 60 * 60 * 1000 })
  const last = r.stdout.trim().split('\n').pop() ?? ''
  if (r.status !== 0 || !last.startsWith('/')) throw new Error(`npm run build:llama-server failed (exit ${r.status}): ${r.stdout.slice(-2000)}`)
  return last
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer()
    s.once('error', rej)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => res(port))
    })
  })
}

export interface RunningLlamaServer {
  url: string
  port: number
  modelName: string
  process: ChildProcess
  /** Output so far (for error messages). */
  log(): string
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export interface LlamaServerOptions {
  binary: string
  model: string
  modelName?: string
  slots?: number
  /** Context tokens per slot. */
  contextPerSlot?: number
  threads?: number
  port?: number
  extraArgs?: string[]
}

export async function startLlamaServer(options: LlamaServerOptions): Promise<RunningLlamaServer> {
  const port = options.port ?? (await freePort())
  const slots = options.slots ?? 2
  const modelName = options.modelName ?? 'radlabel-tiny'
  const args = [
    '--model', options.model,
    '--alias', modelName,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--parallel', String(slots),
    '--ctx-size', String((options.contextPerSlot ?? 4096) * slots),
    '--threads', String(options.threads ?? 2),
    '--threads-http', '2',
    '--no-webui',
    '--jinja',
    ...(options.extraArgs ?? [])
  ]
  const child = spawn(options.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (c: Buffer): void => {
    output = (output + c.toString('utf8')).slice(-20_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exited = false
  const exitedPromise = new Promise<void>((r) => child.once('exit', () => ((exited = true), r())))
  const url = `http://127.0.0.1:${port}/v1`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (exited) throw new Error(`llama-server exited before it was ready:\n${output.slice(-3000)}`)
    try {
      const res = await fetchHealth(port)
      if (res === 200) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`llama-server did not become ready in 120 s:\n${output.slice(-3000)}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const stopWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (exited) return
    child.kill(signal)
    await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 5000))])
    if (!exited) child.kill('SIGKILL')
    await exitedPromise
  }
  return { url, port, modelName, process: child, log: () => output, kill: () => stopWith('SIGKILL'), stop: () => stopWith('SIGTERM') }
}

/** GET /health through a one-off loopback client (this helper is test tooling, not app code). */
async function fetchHealth(port: number): Promise<number> {
  const { EndpointClient } = await import('../../../net/endpoint-client')
  const client = new EndpointClient({ url: `http://127.0.0.1:${port}/v1` }, { maxSockets: 1 })
  try {
    return (await client.request('GET', '/health', { timeoutMs: 2000 })).status
  } finally {
    client.close()
  }
}
