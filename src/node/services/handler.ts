// Types that tie each handler to its call in the contract, so input and result types cannot drift.
import type { CallName, CallParsed, CallResult } from '../../common/ipc/contract'
import type { ServiceContext } from './context'

export type Handler<N extends CallName> = (
  input: CallParsed<N>,
  ctx: ServiceContext
) => CallResult<N> | Promise<CallResult<N>>

export type HandlerTable = { [N in CallName]: Handler<N> }

/** Declares a feature's handlers with full type inference: `handlers({ 'import.preview': async (input, ctx) => ... })`. */
export function handlers<K extends CallName>(table: { [N in K]: Handler<N> }): { [N in K]: Handler<N> } {
  return table
}
