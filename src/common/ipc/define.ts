// Building blocks of the typed IPC contract: a call is an input schema (validated at the boundary)
// and a result type (trusted, produced by our own handlers).
import { z } from 'zod'

export interface CallSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I
  /** Phantom: carries the result type only. */
  readonly output?: O
}

/** `call<Result>()(inputSchema)`: the result type is given, the input type is inferred. */
export function call<O>() {
  return <I extends z.ZodType>(input: I): CallSpec<I, O> => ({ input })
}

export const noInput = z.object({}).strict().optional().default({})
export const id = z.number().int().positive()
/** A file system path typed by a user or chosen in a dialog. */
export const filePath = z.string().trim().min(1, 'a path is required').max(4096)
