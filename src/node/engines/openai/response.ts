// Reading an OpenAI-compatible chat completion: the answer text, why generation stopped, token usage
// and (llama-server) its own timings. Shared by the `server` engine and batch-file import.
export interface ChatAnswer {
  /** The assistant message's content ('' when there is none). */
  content: string
  /** 'stop', 'length', ... as the server says; undefined when missing. */
  finishReason?: string
  promptTokens?: number
  completionTokens?: number
  /** llama-server's `timings` (prompt_ms, predicted_ms, ...), when present. */
  timings?: Record<string, number>
}

export class ChatResponseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChatResponseError'
  }
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** The answer in a /v1/chat/completions response body; throws ChatResponseError when it is not one. */
export function readChatAnswer(body: unknown): ChatAnswer {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ChatResponseError('The server\'s reply is not a JSON object.')
  const b = body as Record<string, unknown>
  if (b.error) {
    const e = b.error as Record<string, unknown>
    throw new ChatResponseError(`The server answered with an error: ${typeof e === 'object' && e ? String(e.message ?? JSON.stringify(e)) : String(e)}`)
  }
  const choices = b.choices
  if (!Array.isArray(choices) || choices.length === 0) throw new ChatResponseError('The server\'s reply has no "choices".')
  const choice = choices[0] as Record<string, unknown>
  const message = (choice?.message ?? {}) as Record<string, unknown>
  const content = typeof message.content === 'string' ? message.content : typeof choice?.text === 'string' ? (choice.text as string) : ''
  const usage = (b.usage ?? {}) as Record<string, unknown>
  const timings = b.timings && typeof b.timings === 'object' ? (b.timings as Record<string, number>) : undefined
  return {
    content,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined,
    promptTokens: num(usage.prompt_tokens),
    completionTokens: num(usage.completion_tokens),
    ...(timings ? { timings } : {})
  }
}
