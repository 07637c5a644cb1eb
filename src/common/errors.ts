// The one error shape that crosses process and IPC boundaries: what went wrong and where (message),
// and what the user can do about it (hint).

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unsupported'
  | 'io'
  | 'schema_too_new'
  | 'cancelled'
  | 'engine_failed'
  | 'forbidden'
  | 'internal'

export interface AppErrorData {
  code: ErrorCode
  message: string
  hint?: string
  details?: unknown
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly hint?: string
  readonly details?: unknown

  constructor(code: ErrorCode, message: string, hint?: string, details?: unknown) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.hint = hint
    this.details = details
  }

  toData(): AppErrorData {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details }
  }

  static from(err: unknown): AppError {
    if (err instanceof AppError) return err
    if (isAppErrorData(err)) return new AppError(err.code, err.message, err.hint, err.details)
    const message = err instanceof Error ? err.message : String(err)
    return new AppError('internal', message)
  }
}

export function isAppErrorData(value: unknown): value is AppErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppErrorData).code === 'string' &&
    typeof (value as AppErrorData).message === 'string'
  )
}

/** One line for a terminal or a banner: "message (hint)". */
export function formatError(err: AppErrorData | Error): string {
  const data = err instanceof AppError ? err.toData() : isAppErrorData(err) ? err : undefined
  if (!data) return (err as Error).message
  return data.hint ? `${data.message} ${data.hint}` : data.message
}
