// Sections a site can teach: per batch, the headers its reports use (how often, recognised as which
// section, or not at all); a site's header -> section map, saved versioned with an import preset; and the
// re-split of a batch's stored reports after the map changes, without importing again.
import { AppError } from '../../common/errors'
import type { HeaderReport, ReportVersion, SectionMapVersion } from '../../common/import/dto'
import type { FieldMapping } from '../../common/import/mapping'
import { headersIn, normalisePhrase, splitSections, type SectionHeaderMap } from '../../common/text/sections'
import type { Section } from '../../common/types'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'

const MAX_HEADERS = 300
const CHUNK = 500

/** Let timers and IPC run between chunks of a long loop over a batch. */
const breathe = () => new Promise<void>((r) => setImmediate(r))

interface StoredBatchMapping {
  mapping?: FieldMapping
  options?: unknown
}

function batchMapping(db: Db, batchId: number): { stored: StoredBatchMapping; name: string } {
  const row = db.prepare('SELECT name, mapping_json FROM import_batches WHERE id = ?').get(batchId) as { name: string; mapping_json: string } | undefined
  if (!row) throw new AppError('not_found', `There is no import batch ${batchId}.`, 'List the batches to see their ids.')
  return { stored: JSON.parse(row.mapping_json) as StoredBatchMapping, name: row.name }
}

/** Clean a site map: phrases normalised (as the splitter compares them), empty ones dropped. */
export function cleanHeaderMap(map: SectionHeaderMap): SectionHeaderMap {
  const out: SectionHeaderMap = {}
  for (const [phrase, section] of Object.entries(map)) {
    const p = normalisePhrase(phrase.replace(/[:\s-]+$/, ''))
    if (p) out[p] = section
  }
  return out
}

const hasBody = (s: Section) => (s.name === 'findings' || s.name === 'impression') && s.end > s.start

/** The headers of a batch's reports, counted, with the section each opens under the batch's map. */
export async function batchHeaderReport(db: Db, batchId: number): Promise<HeaderReport> {
  const { stored } = batchMapping(db, batchId)
  const headers = stored.mapping?.sectionHeaders ?? {}
  const opts = { headers }
  const counts = new Map<string, { phrase: string; section: HeaderReport['headers'][number]['section']; count: number; reports: number }>()
  const page = db.prepare('SELECT id, text, sections_json FROM reports WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?')
  let last = 0
  let reports = 0
  let withoutBody = 0
  for (;;) {
    const rows = page.all(batchId, last, CHUNK) as Array<{ id: number; text: string; sections_json: string }>
    if (rows.length === 0) break
    for (const r of rows) {
      last = r.id
      reports++
      const seen = new Set<string>()
      for (const h of headersIn(r.text, opts)) {
        const key = `${h.phrase}\u0000${h.section ?? ''}`
        let c = counts.get(key)
        if (!c) counts.set(key, (c = { phrase: h.phrase, section: h.section, count: 0, reports: 0 }))
        c.count++
        if (!seen.has(key)) {
          seen.add(key)
          c.reports++
        }
      }
      if (!(JSON.parse(r.sections_json) as Section[]).some(hasBody)) withoutBody++
    }
    await breathe()
  }
  const list = [...counts.values()].sort((a, b) => b.reports - a.reports || a.phrase.localeCompare(b.phrase))
  return {
    batchId,
    reports,
    withoutFindingsOrImpression: withoutBody,
    headers: list.slice(0, MAX_HEADERS),
    moreHeaders: Math.max(0, list.length - MAX_HEADERS),
    sectionHeaders: headers
  }
}

/**
 * Re-split every stored report of a batch with a new header map and keep the map with the batch.
 * The texts are not touched; only their sections. Runs in chunks so the event loop stays free.
 */
export async function resplitBatch(db: Db, batchId: number, map: SectionHeaderMap): Promise<{ reports: number; changed: number }> {
  const { stored } = batchMapping(db, batchId)
  const headers = cleanHeaderMap(map)
  const mapping: FieldMapping = { ...(stored.mapping ?? {}), sectionHeaders: headers }
  if (Object.keys(headers).length === 0) delete mapping.sectionHeaders
  const opts = { headers }
  const page = db.prepare('SELECT id, text, sections_json, version FROM reports WHERE batch_id = ? AND id > ? ORDER BY id LIMIT ?')
  const update = db.prepare('UPDATE reports SET sections_json = ? WHERE id = ?')
  const updateVersions = db.prepare('UPDATE report_versions SET sections_json = ? WHERE report_id = ? AND content_hash = ?')
  const versionsOf = db.prepare('SELECT text, content_hash FROM report_versions WHERE report_id = ?')
  // Reports composed from section fields carry their sections in the text's own headers: same result.
  let last = 0
  let reports = 0
  let changed = 0
  for (;;) {
    const rows = page.all(batchId, last, CHUNK) as Array<{ id: number; text: string; sections_json: string; version: number }>
    if (rows.length === 0) break
    db.transaction(() => {
      for (const r of rows) {
        last = r.id
        reports++
        const next = JSON.stringify(splitSections(r.text, opts))
        if (next !== r.sections_json) {
          update.run(next, r.id)
          changed++
        }
        if (r.version > 1) {
          for (const v of versionsOf.all(r.id) as Array<{ text: string; content_hash: string }>) {
            updateVersions.run(JSON.stringify(splitSections(v.text, opts)), r.id, v.content_hash)
          }
        }
      }
    })()
    await breathe()
  }
  db.prepare('UPDATE import_batches SET mapping_json = ? WHERE id = ?').run(JSON.stringify({ ...stored, mapping }), batchId)
  return { reports, changed }
}

/**
 * Save a header map as the next version of a preset's section map, and make it the preset's current
 * one (so the next import with that preset splits with it). The preset must exist.
 */
export function saveSectionMap(db: Db, preset: string, map: SectionHeaderMap): SectionMapVersion {
  const row = db.prepare('SELECT mapping_json FROM import_presets WHERE name = ?').get(preset) as { mapping_json: string } | undefined
  if (!row) throw new AppError('not_found', `There is no import preset "${preset}".`, 'Save the mapping as a preset first (the wizard or --save-preset).')
  const headers = cleanHeaderMap(map)
  const version = ((db.prepare('SELECT max(version) FROM section_maps WHERE preset = ?').pluck().get(preset) as number | null) ?? 0) + 1
  const createdAt = nowIso()
  db.transaction(() => {
    db.prepare('INSERT INTO section_maps (preset, version, headers_json, created_at) VALUES (?, ?, ?, ?)').run(preset, version, JSON.stringify(headers), createdAt)
    const mapping = JSON.parse(row.mapping_json) as FieldMapping
    mapping.sectionHeaders = headers
    if (Object.keys(headers).length === 0) delete mapping.sectionHeaders
    db.prepare('UPDATE import_presets SET mapping_json = ?, updated_at = ? WHERE name = ?').run(JSON.stringify(mapping), createdAt, preset)
  })()
  return { preset, version, headers, createdAt }
}

export function listSectionMaps(db: Db, preset: string): SectionMapVersion[] {
  return (
    db.prepare('SELECT preset, version, headers_json, created_at FROM section_maps WHERE preset = ? ORDER BY version DESC').all(preset) as Array<{
      preset: string
      version: number
      headers_json: string
      created_at: string
    }>
  ).map((r) => ({ preset: r.preset, version: r.version, headers: JSON.parse(r.headers_json) as SectionHeaderMap, createdAt: r.created_at }))
}

/** Every version of a report, oldest first; a report never revised has just its current text (version 1). */
export function reportVersions(db: Db, reportId: number): ReportVersion[] {
  const rows = db
    .prepare(
      `SELECT v.version, v.kind, v.text, v.sections_json, v.batch_id, v.source_location, v.source_status, v.created_at, r.version AS current
       FROM report_versions v JOIN reports r ON r.id = v.report_id WHERE v.report_id = ? ORDER BY v.version`
    )
    .all(reportId) as Array<{
    version: number
    kind: ReportVersion['kind']
    text: string
    sections_json: string
    batch_id: number | null
    source_location: string | null
    source_status: string | null
    created_at: string
    current: number
  }>
  if (rows.length === 0) {
    const r = db.prepare('SELECT text, sections_json, batch_id, source_location, created_at FROM reports WHERE id = ?').get(reportId) as
      | { text: string; sections_json: string; batch_id: number | null; source_location: string | null; created_at: string }
      | undefined
    if (!r) throw new AppError('not_found', `There is no report ${reportId} in this workspace.`)
    return [
      {
        version: 1,
        kind: 'original',
        text: r.text,
        sections: JSON.parse(r.sections_json) as Section[],
        batchId: r.batch_id,
        sourceLocation: r.source_location,
        sourceStatus: null,
        createdAt: r.created_at,
        current: true
      }
    ]
  }
  return rows.map((r) => ({
    version: r.version,
    kind: r.kind,
    text: r.text,
    sections: JSON.parse(r.sections_json) as Section[],
    batchId: r.batch_id,
    sourceLocation: r.source_location,
    sourceStatus: r.source_status,
    createdAt: r.created_at,
    current: r.version === r.current
  }))
}
