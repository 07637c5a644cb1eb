// The one handler table. Electron's ipcMain, the loopback harness and tests all dispatch through it.
import { AppError } from '../../common/errors'
import { type CallName, type CallOutcome, calls, isCallName } from '../../common/ipc/contract'
import { formatZodError, zodIssueDetails } from '../../common/ipc/validation'
import { assertSafeCallPaths } from '../security/paths'
import { isStorageFailure, storageError } from '../store/errors'
import { appHandlers } from './app'
import type { ServiceContext } from './context'
import { detectHandlers } from './detect'
import { evaluateHandlers } from './evaluate'
import { explainHandlers } from './explain'
import { exportHandlers } from './export'
import type { Handler, HandlerTable } from './handler'
import { importHandlers } from './import'
import { labelsetsHandlers } from './labelsets'
import { modelsHandlers } from './models'
import { reportHandlers } from './reports'
import { reviewHandlers } from './review'
import { sourcesHandlers } from './sources'
import { serversHandlers } from './servers'
import { trainingHandlers } from './training'

export const handlerTable: HandlerTable = {
  ...appHandlers,
  ...reportHandlers,
  ...importHandlers,
  ...labelsetsHandlers,
  ...detectHandlers,
  ...explainHandlers,
  ...modelsHandlers,
  ...reviewHandlers,
  ...evaluateHandlers,
  ...exportHandlers,
  ...sourcesHandlers,
  ...serversHandlers,
  ...trainingHandlers
}

/** Validates and runs one call. Never throws: failures come back as `{ ok: false, error }`. */
export async function dispatch(name: unknown, rawInput: unknown, ctx: ServiceContext): Promise<CallOutcome<unknown>> {
  try {
    if (!isCallName(name)) {
      throw new AppError('invalid_input', `Unknown call ${JSON.stringify(name)}.`, 'This is a bug in the caller.')
    }
    const parsed = calls[name].input.safeParse(rawInput ?? {})
    if (!parsed.success) {
      throw new AppError('invalid_input', formatZodError(parsed.error), undefined, { call: name, ...zodIssueDetails(parsed.error) })
    }
    // Every path a call names must be an ordinary file or folder: no devices, FIFOs or /proc.
    assertSafeCallPaths(parsed.data, name)
    const handler = handlerTable[name] as Handler<CallName>
    const value = await handler(parsed.data as never, ctx)
    return { ok: true, value }
  } catch (err) {
    // SQLite's own words ("database or disk is full") become what happened, where, and what to do.
    const error = (isStorageFailure(err) && storageError(err, ctx.workspace.path)) || AppError.from(err)
    if (error.code === 'internal') console.error(`[radlabel] ${String(name)} failed:`, err)
    return { ok: false, error: error.toData() }
  }
}
