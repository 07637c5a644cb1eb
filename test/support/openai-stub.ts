// A small loopback stand-in for an OpenAI-compatible server, for the fault cases a real server will not
// produce on demand (503, garbage, slow, cut-off answers, redirects). It answers /v1/models, llama-server's
// /props and /lora-adapters, and /v1/chat/completions with an answer that satisfies the request's schema
// (every label "not_mentioned", or "positive" for Cardiomegaly when the report says "enlarged").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StubRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown> | null
  /** The report text of a chat request (last user message without "Report:\n"). */
  report?: string
}

export type StubAction =
  | { kind: 'answer' }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'garbage' }
  | { kind: 'truncated' }
  | { kind: 'slow'; ms: number }
  | { kind: 'hang' }
  | { kind: 'redirect'; to: string }

export interface Stub {
  url: string
  port: number
  requests: StubRequest[]
  /** Sockets closed by the client while a request was still unanswered. */
  abandoned: number
  /** Decides what a chat request gets; default: a valid answer. */
  plan: (req: StubRequest, index: number) => StubAction
  ownedBy: string
  close(): Promise<void>
}

function answerFor(body: Record<string, unknown>, report: string): string {
  const schema = (body.json_schema ?? (body.response_format as { json_schema?: { schema?: unknown } } | undefined)?.json_schema?.schema ??
    (body.structured_outputs as { json?: unknown } | undefined)?.json ?? body.guided_json) as { properties?: Record<string, { required?: string[] }> } | undefined
  const labels = schema?.properties?.labels?.required ?? []
  const enlarged = /enlarged/i.test(report)
  const states = Object.fromEntries(labels.map((l) => [l, l === 'Cardiomegaly' && enlarged ? 'positive' : 'not_mentioned']))
  const evidence = enlarged && labels.includes('Cardiomegaly') ? [{ label: 'Cardiomegaly', quote: 'enlarged' }] : []
  const answer: Record<string, unknown> = {}
  if (schema?.properties?.findings) answer.findings = enlarged ? [{ phrase: 'cardiomegaly', quote: 'enlarged' }] : []
  if (schema?.properties?.labels) Object.assign(answer, { labels: states, evidence })
  return JSON.stringify(answer)
}

export async function startStub(options: { ownedBy?: string; plan?: Stub['plan'] } = {}): Promise<Stub> {
  const stub = { requests: [] as StubRequest[], abandoned: 0, plan: options.plan ?? (() => ({ kind: 'answer' as const })), ownedBy: options.ownedBy ?? 'llamacpp' } as Stub
  let chatIndex = 0
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!
      let body: Record<string, unknown> | null = null
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null
      } catch {
        body = null
      }
      const messages = (body?.messages ?? []) as { role: string; content: string }[]
      const last = messages.at(-1)?.content
      const entry: StubRequest = { method: req.method ?? '', path, headers: req.headers, body, ...(last ? { report: last.replace(/^Report:\n/, '') } : {}) }
      stub.requests.push(entry)
      const json = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(value))
      }
      if (path === '/v1/models') return json(200, { object: 'list', data: [{ id: 'stub-model', object: 'model', owned_by: stub.ownedBy }] })
      if (path === '/props' && stub.ownedBy === 'llamacpp') return json(200, { build_info: 'b0-stub', total_slots: 2, default_generation_settings: {} })
      if (path === '/lora-adapters' && stub.ownedBy === 'llamacpp') return json(200, [])
      if (path === '/version' && stub.ownedBy === 'vllm') return json(200, { version: '0.11.0' })
      if (path !== '/v1/chat/completions' || !body) return json(404, { error: { message: `no ${path}` } })
      const action = stub.plan(entry, chatIndex++)
      let answered = false
      res.on('finish', () => (answered = true))
      res.on('close', () => {
        if (!answered) stub.abandoned++
      })
      const completion = (content: string, finish: string): void =>
        json(200, {
          id: 'x',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
          usage: { prompt_tokens: 100, completion_tokens: Math.ceil(content.length / 4) },
          timings: { prompt_ms: 1, predicted_ms: 2 }
        })
      switch (action.kind) {
        case 'answer':
          return completion(answerFor(body, entry.report ?? ''), 'stop')
        case 'status':
          res.writeHead(action.status, { 'content-type': 'text/plain', ...(action.retryAfter ? { 'retry-after': action.retryAfter } : {}) })
          return res.end(action.body ?? 'busy')
        case 'garbage':
          res.writeHead(200, { 'content-type': 'text/html' })
          return res.end('<html>proxy error</html>')
        case 'truncated':
          return completion(answerFor(body, entry.report ?? '').slice(0, 20), 'length')
        case 'slow':
          return void setTimeout(() => completion(answerFor(body!, entry.report ?? ''), 'stop'), action.ms)
        case 'hang':
          return
        case 'redirect':
          res.writeHead(307, { location: action.to })
          return res.end()
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  stub.port = port
  stub.url = `http://127.0.0.1:${port}/v1`
  stub.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
  return stub
}
