// Handlers of the label-source calls (src/common/ipc/calls/sources.ts).
import { yieldToEventLoop } from '../jobs/jobManager'
import { deleteSource, deletionPlan } from '../sources/delete'
import { handlers } from './handler'

export const sourcesHandlers = handlers({
  'sources.deletionPlan': (input, ctx) => deletionPlan(ctx.workspace.db, input.id),
  'sources.delete': (input, ctx) => deleteSource(ctx.workspace.db, input.id, { actor: 'user', between: yieldToEventLoop })
})
