// Label sets are versioned: saving a changed definition makes a new version, and runs, reviews and
// imported sources point at the exact version they used.
import { AppError } from '../../../common/errors'
import type { LabelSetDefinition } from '../../../common/types'
import type { Db } from '../db'
import { nowIso } from '../db'

export interface StoredLabel {
  id: number
  ord: number
  name: string
  description: string | null
}

export interface StoredLabelSet {
  id: number
  slug: string
  version: number
  name: string
  description: string | null
  builtin: boolean
  definition: LabelSetDefinition
  labels: StoredLabel[]
  createdAt: string
}

interface LabelSetRow {
  id: number
  slug: string
  version: number
  name: string
  description: string | null
  builtin: number
  definition_json: string
  created_at: string
}

function load(db: Db, row: LabelSetRow): StoredLabelSet {
  const labels = db
    .prepare('SELECT id, ord, name, description FROM labels WHERE label_set_id = ? ORDER BY ord')
    .all(row.id) as StoredLabel[]
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    name: row.name,
    description: row.description,
    builtin: row.builtin === 1,
    definition: JSON.parse(row.definition_json) as LabelSetDefinition,
    labels,
    createdAt: row.created_at
  }
}

function latestRow(db: Db, slug: string): LabelSetRow | undefined {
  return db.prepare('SELECT * FROM label_sets WHERE slug = ? ORDER BY version DESC LIMIT 1').get(slug) as
    | LabelSetRow
    | undefined
}

/** Stores `def` as the newest version of its slug unless the newest version already equals it. */
export function saveLabelSetVersion(db: Db, def: LabelSetDefinition, builtin = false): StoredLabelSet {
  const json = JSON.stringify(def)
  return db.transaction(() => {
    const latest = latestRow(db, def.slug)
    if (latest && latest.definition_json === json) return load(db, latest)
    if (latest && latest.builtin === 1 && !builtin) {
      throw new AppError(
        'conflict',
        `"${def.slug}" is a built-in label set and cannot be edited.`,
        'Save your changes under a new id (slug) to make a custom label set.'
      )
    }
    const version = (latest?.version ?? 0) + 1
    const info = db
      .prepare(
        `INSERT INTO label_sets (slug, version, name, description, builtin, definition_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`
      )
      .run(def.slug, version, def.name, def.description ?? null, builtin ? 1 : 0, json, nowIso())
    const setId = Number(info.lastInsertRowid)
    const insertLabel = db.prepare('INSERT INTO labels (label_set_id, ord, name, description) VALUES (?, ?, ?, ?)')
    def.labels.forEach((label, ord) => insertLabel.run(setId, ord, label.name, label.description ?? null))
    return getLabelSet(db, setId)
  })()
}

export function getLabelSet(db: Db, id: number): StoredLabelSet {
  const row = db.prepare('SELECT * FROM label_sets WHERE id = ?').get(id) as LabelSetRow | undefined
  if (!row) throw new AppError('not_found', `There is no label set with id ${id}.`)
  return load(db, row)
}

/** Finds a label set by numeric id, by slug (newest version) or by "slug@version". */
export function findLabelSet(db: Db, ref: string | number): StoredLabelSet {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) return getLabelSet(db, Number(ref))
  const [slug, version] = ref.split('@')
  const row = version
    ? (db.prepare('SELECT * FROM label_sets WHERE slug = ? AND version = ?').get(slug, Number(version)) as
        | LabelSetRow
        | undefined)
    : latestRow(db, slug)
  if (!row) {
    const known = (db.prepare('SELECT DISTINCT slug FROM label_sets ORDER BY slug').pluck().all() as string[]).join(', ')
    throw new AppError(
      'not_found',
      `There is no label set "${ref}".`,
      known ? `Known label sets: ${known}.` : 'This workspace has no label sets yet.'
    )
  }
  return load(db, row)
}

/** Every version of every label set, newest first within a slug. */
export function listLabelSets(db: Db): StoredLabelSet[] {
  const rows = db.prepare('SELECT * FROM label_sets ORDER BY slug, version DESC').all() as LabelSetRow[]
  return rows.map((row) => load(db, row))
}
