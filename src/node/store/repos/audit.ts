// The append-only audit log (triggers in the schema refuse updates and deletes).
import type { Db } from '../db'
import { nowIso } from '../db'

export interface AuditEntry {
  actor: string
  action: string
  entity: string
  entityId?: string | number | null
  details?: unknown
}

export function audit(db: Db, entry: AuditEntry): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, entity, entity_id, details_json) VALUES (?, ?, ?, ?, ?, ?)').run(
    nowIso(),
    entry.actor,
    entry.action,
    entry.entity,
    entry.entityId == null ? null : String(entry.entityId),
    entry.details === undefined ? null : JSON.stringify(entry.details)
  )
}

export interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entityId: string | null
  details: unknown
}

export function listAudit(db: Db, limit = 200, entity?: string): AuditRow[] {
  const rows = db
    .prepare(
      `SELECT id, at, actor, action, entity, entity_id, details_json FROM audit_log
       ${entity ? 'WHERE entity = ?' : ''} ORDER BY id DESC LIMIT ?`
    )
    .all(...(entity ? [entity, limit] : [limit])) as {
    id: number
    at: string
    actor: string
    action: string
    entity: string
    entity_id: string | null
    details_json: string | null
  }[]
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    details: r.details_json ? JSON.parse(r.details_json) : null
  }))
}
