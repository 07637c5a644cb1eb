// The workspace's inference-server endpoints. Adding one makes no connection; `endpoints.test` does.
import { AppError } from '../../../common/errors'
import type { EndpointCheck, EndpointEntry } from '../../../common/ipc/calls/servers'
import { checkEndpointUrl } from '../../net/endpoint-client'
import type { Db } from '../db'
import { nowIso } from '../db'
import { audit } from './audit'

interface EndpointRow {
  id: number
  name: string
  url: string
  ca_file: string | null
  allow_private_http: number
  api_key_file: string | null
  added_at: string
  last_check_json: string | null
}

const toEntry = (r: EndpointRow): EndpointEntry => ({
  id: r.id,
  name: r.name,
  url: r.url,
  caFile: r.ca_file,
  allowPrivateHttp: r.allow_private_http === 1,
  apiKeyFile: r.api_key_file,
  addedAt: r.added_at,
  lastCheck: r.last_check_json ? (JSON.parse(r.last_check_json) as EndpointCheck) : null
})

export function listEndpoints(db: Db): EndpointEntry[] {
  return (db.prepare('SELECT * FROM endpoints ORDER BY name').all() as EndpointRow[]).map(toEntry)
}

export function getEndpoint(db: Db, id: number): EndpointEntry {
  const row = db.prepare('SELECT * FROM endpoints WHERE id = ?').get(id) as EndpointRow | undefined
  if (!row) throw new AppError('not_found', `There is no endpoint ${id}.`, 'List endpoints on the Models page or with `radlabel endpoints list`.')
  return toEntry(row)
}

/** An endpoint by name or id; undefined when there is none. */
export function findEndpoint(db: Db, ref: string): EndpointEntry | undefined {
  const row = (db.prepare('SELECT * FROM endpoints WHERE name = ?').get(ref) ??
    (/^\d+$/.test(ref) ? db.prepare('SELECT * FROM endpoints WHERE id = ?').get(Number(ref)) : undefined)) as EndpointRow | undefined
  return row ? toEntry(row) : undefined
}

export interface EndpointInput {
  name: string
  url: string
  caFile?: string
  allowPrivateHttp?: boolean
  apiKeyFile?: string
}

export function addEndpoint(db: Db, input: EndpointInput, actor = 'user'): EndpointEntry {
  const url = checkEndpointUrl(input.url, input.allowPrivateHttp).toString().replace(/\/+$/, '')
  if (input.caFile && !url.startsWith('https:')) throw new AppError('invalid_input', 'A CA file only applies to https:// endpoints.')
  if (db.prepare('SELECT 1 FROM endpoints WHERE name = ?').get(input.name)) {
    throw new AppError('conflict', `There is already an endpoint named "${input.name}".`, 'Choose another name, or remove the old endpoint first.')
  }
  const id = db.transaction(() => {
    const info = db
      .prepare('INSERT INTO endpoints (name, url, ca_file, allow_private_http, api_key_file, added_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(input.name, url, input.caFile ?? null, input.allowPrivateHttp ? 1 : 0, input.apiKeyFile ?? null, nowIso())
    audit(db, { actor, action: 'endpoint.add', entity: 'endpoint', entityId: Number(info.lastInsertRowid), details: { name: input.name, url, allowPrivateHttp: !!input.allowPrivateHttp } })
    return Number(info.lastInsertRowid)
  })()
  return getEndpoint(db, id)
}

export function removeEndpoint(db: Db, id: number, actor = 'user'): { removed: boolean } {
  const entry = getEndpoint(db, id)
  db.transaction(() => {
    db.prepare('DELETE FROM endpoints WHERE id = ?').run(id)
    audit(db, { actor, action: 'endpoint.remove', entity: 'endpoint', entityId: id, details: { name: entry.name, url: entry.url } })
  })()
  return { removed: true }
}

export function recordCheck(db: Db, id: number, check: EndpointCheck): void {
  db.prepare('UPDATE endpoints SET last_check_json = ? WHERE id = ?').run(JSON.stringify(check), id)
}
