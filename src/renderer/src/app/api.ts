// The renderer's only way to the back end: the preload bridge in Electron, loopback HTTP in the
// browser harness. Both speak the same typed contract.
import { type AppErrorData, formatError } from '../../../common/errors'
import type { CallInput, CallName, CallOutcome, CallResult, EventName, Events } from '../../../common/ipc/contract'

export interface RadlabelBridge {
  calls: Record<string, (input: unknown) => Promise<CallOutcome<unknown>>>
  onEvent(listener: (event: string, payload: unknown) => void): () => void
  /** Electron only: the file system path of a file dropped on the window. */
  pathForFile?(file: File): string
}

declare global {
  interface Window {
    radlabel?: RadlabelBridge
  }
}

export class ApiError extends Error {
  constructor(readonly data: AppErrorData) {
    super(formatError(data))
    this.name = 'ApiError'
  }
}

type Listener = (event: string, payload: unknown) => void

const TOKEN_KEY = 'radlabel.harnessToken'

/**
 * The loopback harness answers only requests that carry its per-launch token. The printed URL brings it
 * as ?token=; the tab keeps it (sessionStorage is per tab and per origin) and it leaves the address bar.
 */
function harnessToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function httpBridge(): RadlabelBridge {
  const token = harnessToken()
  const listeners = new Set<Listener>()
  let source: EventSource | null = null
  const connect = (): void => {
    if (source) return
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
    source.onmessage = (message) => {
      const { event, payload } = JSON.parse(message.data as string) as { event: string; payload: unknown }
      for (const l of listeners) l(event, payload)
    }
  }
  const invoke = async (name: string, input: unknown): Promise<CallOutcome<unknown>> => {
    const res = await fetch('/api/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-radlabel-token': token },
      body: JSON.stringify({ name, input })
    })
    if (res.headers.get('content-type')?.startsWith('application/json')) return (await res.json()) as CallOutcome<unknown>
    const message = res.status === 401 ? 'This page has no valid harness token. Open the URL the harness printed.' : `The harness answered ${res.status}: ${await res.text()}`
    return { ok: false, error: { code: res.status === 401 ? 'forbidden' : 'internal', message } }
  }
  return {
    calls: new Proxy({}, { get: (_t, name: string) => (input: unknown) => invoke(name, input) }),
    onEvent(listener) {
      connect()
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

const bridge: RadlabelBridge = window.radlabel ?? httpBridge()

export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  const fn = bridge.calls[name]
  if (!fn) throw new ApiError({ code: 'internal', message: `The app does not offer the call ${name}.` })
  const outcome = await fn(input)
  if (!outcome.ok) throw new ApiError(outcome.error)
  return outcome.value as CallResult<N>
}

/** Paths of dropped files, where the app can know them (the desktop app; a plain browser hides them). */
export function droppedPaths(files: FileList): string[] | null {
  if (!bridge.pathForFile) return null
  return [...files].map((f) => bridge.pathForFile!(f)).filter(Boolean)
}

export function onEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  return bridge.onEvent((name, payload) => {
    if (name === event) listener(payload as Events[E])
  })
}
