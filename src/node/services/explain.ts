// Handler of the explain call (src/common/ipc/calls/explain.ts).
import { explainRequest } from '../engines/rules/explain'
import { handlers } from './handler'

export const explainHandlers = handlers({
  'rules.explain': (input, ctx) => explainRequest(ctx.workspace.db, input)
})
