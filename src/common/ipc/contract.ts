// The one IPC contract: every call the renderer may make and every event main may send.
// Each feature declares its calls in calls/<feature>.ts; this module assembles them.
import type { z } from 'zod'
import type { JobSnapshot } from '../types'
import { appCalls } from './calls/app'
import { detectCalls } from './calls/detect'
import { evaluateCalls } from './calls/evaluate'
import { explainCalls } from './calls/explain'
import { exportCalls } from './calls/export'
import { importCalls } from './calls/import'
import { labelsetsCalls } from './calls/labelsets'
import { modelsCalls } from './calls/models'
import { reportCalls } from './calls/reports'
import { reviewCalls } from './calls/review'
import { sourcesCalls } from './calls/sources'
import { serversCalls } from './calls/servers'
import { trainingCalls } from './calls/training'
import type { CallSpec } from './define'

export const calls = {
  ...appCalls,
  ...reportCalls,
  ...importCalls,
  ...labelsetsCalls,
  ...detectCalls,
  ...explainCalls,
  ...modelsCalls,
  ...reviewCalls,
  ...evaluateCalls,
  ...exportCalls,
  ...sourcesCalls,
  ...serversCalls,
  ...trainingCalls
}

export type Calls = typeof calls
export type CallName = keyof Calls
/** What a caller passes (before defaults are applied). */
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
/** What a handler receives (after validation and defaults). */
export type CallParsed<N extends CallName> = z.output<Calls[N]['input']>
export type CallResult<N extends CallName> = Calls[N] extends CallSpec<z.ZodType, infer O> ? O : never

export const callNames = Object.keys(calls) as CallName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name)
}

/** Events pushed from main to the renderer. */
export interface Events {
  'job.updated': JobSnapshot
  'workspace.changed': { path: string }
}
export type EventName = keyof Events

/** The wire shape of every call's answer. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: import('../errors').AppErrorData }

/** Channel names used by preload and main. */
export const IPC_CALL_CHANNEL = 'radlabel:call'
export const IPC_EVENT_CHANNEL = 'radlabel:event'
