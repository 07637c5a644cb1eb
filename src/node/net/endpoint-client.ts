// The one module through which RadLabel connects to anything: an inference server's endpoint that a user
// configured (workspace endpoint or --endpoint). Nothing else in src/ opens outgoing connections (a test
// scans for it). Every request must stay on the endpoint's origin (no redirects are followed); plain
// http only to loopback, or to a private-network host after an explicit acknowledgement; https may
// name a CA file (hospital PKI). The API key is read from its file when the client is made, kept in
// memory only, and never appears in errors, logs or provenance.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import { isIP } from 'node:net'
import { AppError } from '../../common/errors'

export interface EndpointTarget {
  /** Base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1. */
  url: string
  caFile?: string | null
  allowPrivateHttp?: boolean
  apiKeyFile?: string | null
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}

/** RFC 1918, link-local, CGNAT and IPv6 unique-local / link-local addresses. */
export function isPrivateAddress(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number]
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)
  }
  if (isIP(h) === 6) return /^f[cd]/.test(h) || /^fe[89ab]/.test(h)
  return false
}

/** The endpoint's base URL, checked against the network stance; throws an actionable AppError. */
export function checkEndpointUrl(raw: string, allowPrivateHttp = false): URL {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new AppError('invalid_input', `"${raw}" is not a URL.`, 'Give the base URL of the OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 or https://gpu01.hospital.local:8000/v1.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_input', `The endpoint ${url.protocol}// is not supported.`, 'Use http:// (loopback or an acknowledged private network) or https://.')
  }
  if (url.username || url.password) {
    throw new AppError('invalid_input', 'The endpoint URL must not contain a user name or password.', 'Put the API key in a file and pass it with --api-key-file.')
  }
  if (url.search || url.hash) throw new AppError('invalid_input', 'The endpoint URL must not have a query or fragment.', 'Give only the base URL, e.g. http://gpu01:8000/v1.')
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    if (!allowPrivateHttp) {
      throw new AppError(
        'forbidden',
        `Plain http to ${url.host} would send reports unencrypted over the network.`,
        'Use https://, or, if the server is on a private hospital network and unencrypted traffic there is acceptable, acknowledge it with --allow-private-http (Models page: "private network, plain http").'
      )
    }
    if (isIP(url.hostname.replace(/^\[|\]$/g, '')) && !isPrivateAddress(url.hostname)) {
      throw new AppError('forbidden', `${url.hostname} is a public address: plain http to it is refused even on a private-network acknowledgement.`, 'Use https://.')
    }
  }
  url.pathname = url.pathname.replace(/\/+$/, '')
  return url
}

export interface HttpAnswer {
  status: number
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown
  text: string
  latencyMs: number
  headers: http.IncomingHttpHeaders
}

/** A request that did not get an HTTP answer (refused, reset, timed out) or got a retryable status. */
export class EndpointRequestError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout' | 'status' | 'aborted',
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'EndpointRequestError'
  }
}

export interface RequestOptions {
  body?: unknown
  signal?: AbortSignal
  timeoutMs?: number
}

const MAX_BODY_BYTES = 32 * 1024 * 1024

export class EndpointClient {
  readonly base: URL
  readonly origin: string
  private readonly agent: http.Agent
  private readonly apiKey: string | null

  constructor(target: EndpointTarget, options: { maxSockets?: number } = {}) {
    this.base = checkEndpointUrl(target.url, target.allowPrivateHttp)
    this.origin = this.base.origin
    let ca: Buffer | undefined
    if (target.caFile) {
      if (this.base.protocol !== 'https:') throw new AppError('invalid_input', 'A CA file only applies to https:// endpoints.')
      try {
        ca = readFileSync(target.caFile)
      } catch {
        throw new AppError('not_found', `The CA file ${target.caFile} cannot be read.`, 'Give the PEM file of the CA that signed the server\'s certificate.')
      }
    }
    if (target.apiKeyFile) {
      let key: string
      try {
        key = readFileSync(target.apiKeyFile, 'utf8').trim()
      } catch {
        throw new AppError('not_found', `The API key file ${target.apiKeyFile} cannot be read.`, 'Check the path and its permissions.')
      }
      if (!key || /\s/.test(key)) throw new AppError('invalid_input', `The API key file ${target.apiKeyFile} must hold one key on one line.`)
      this.apiKey = key
    } else this.apiKey = null
    const maxSockets = Math.max(1, options.maxSockets ?? 8)
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets, ...(ca ? { ca } : {}) })
        : new http.Agent({ keepAlive: true, maxSockets })
  }

  /** The URL of `path`: relative paths ('models') under the base URL, absolute ones ('/props') on the origin. */
  resolve(path: string): URL {
    const url = path.startsWith('/') ? new URL(path, this.origin) : new URL(`${this.base.pathname}/${path}`, this.origin)
    // The one place that enforces "only configured origins".
    if (url.origin !== this.origin) throw new AppError('forbidden', `Refused a request to ${url.origin}: only ${this.origin} is configured.`)
    return url
  }

  request(method: 'GET' | 'POST', path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const url = this.resolve(path)
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body))
    const headers: Record<string, string> = { accept: 'application/json' }
    if (payload) {
      headers['content-type'] = 'application/json'
      headers['content-length'] = String(payload.length)
    }
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`
    const lib = url.protocol === 'https:' ? https : http
    const started = performance.now()
    return new Promise<HttpAnswer>((resolvePromise, reject) => {
      if (options.signal?.aborted) return reject(new EndpointRequestError('The request was cancelled.', 'aborted', false))
      let settled = false
      const finish = (fn: () => void): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        fn()
      }
      const req = lib.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > MAX_BODY_BYTES) {
            req.destroy()
            finish(() => reject(new EndpointRequestError(`The answer of ${url.pathname} is larger than ${MAX_BODY_BYTES} bytes.`, 'network', false)))
            return
          }
          chunks.push(c)
        })
        res.on('error', (err) => finish(() => reject(new EndpointRequestError(`The connection to ${this.origin} broke: ${err.message}`, 'network', true))))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = text ? JSON.parse(text) : undefined
          } catch {
            json = undefined
          }
          finish(() => resolvePromise({ status: res.statusCode ?? 0, json, text, latencyMs: performance.now() - started, headers: res.headers }))
        })
      })
      const onAbort = (): void => {
        req.destroy()
        finish(() => reject(new EndpointRequestError('The request was cancelled.', 'aborted', false)))
      }
      const timeoutMs = options.timeoutMs ?? 300_000
      const timer = setTimeout(() => {
        req.destroy()
        finish(() => reject(new EndpointRequestError(`${this.origin} did not answer ${url.pathname} within ${Math.round(timeoutMs / 1000)} s.`, 'timeout', true)))
      }, timeoutMs)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      req.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ? ` (${err.code})` : ''
        const hint = err.code === 'ECONNREFUSED' ? ': nothing is listening there — is the server running?' : `: ${err.message}`
        finish(() => reject(new EndpointRequestError(`Could not reach ${this.origin}${code}${hint}`, 'network', true)))
      })
      if (payload) req.write(payload)
      req.end()
    })
  }

  close(): void {
    this.agent.destroy()
  }
}
