// Handlers of the endpoints calls (src/common/ipc/calls/servers.ts). Connections happen here, in the
// main process, through the one endpoint client; the renderer only sees the answers.
import type { EndpointCheck } from '../../common/ipc/calls/servers'
import { detectServer } from '../engines/server/detect'
import { EndpointClient } from '../net/endpoint-client'
import { addEndpoint, getEndpoint, listEndpoints, recordCheck, removeEndpoint } from '../store/repos/endpoints'
import type { Db } from '../store/db'
import { handlers } from './handler'

/** Connects to a stored endpoint, detects kind, version and models, and records the check. */
export async function testEndpoint(db: Db, id: number): Promise<EndpointCheck> {
  const entry = getEndpoint(db, id)
  const client = new EndpointClient({ url: entry.url, caFile: entry.caFile, allowPrivateHttp: entry.allowPrivateHttp, apiKeyFile: entry.apiKeyFile }, { maxSockets: 1 })
  try {
    const check = await detectServer(client)
    recordCheck(db, id, check)
    return check
  } finally {
    client.close()
  }
}

export const serversHandlers = handlers({
  'endpoints.list': (_input, ctx) => listEndpoints(ctx.workspace.db),
  'endpoints.add': (input, ctx) => addEndpoint(ctx.workspace.db, input),
  'endpoints.remove': (input, ctx) => removeEndpoint(ctx.workspace.db, input.id),
  'endpoints.test': (input, ctx) => testEndpoint(ctx.workspace.db, input.id),
  'endpoints.models': async (input, ctx) => {
    const entry = getEndpoint(ctx.workspace.db, input.id)
    const check = input.refresh || !entry.lastCheck ? await testEndpoint(ctx.workspace.db, input.id) : entry.lastCheck
    return { models: check.models, kind: check.kind, adapters: check.adapters ?? [] }
  }
})
