// Handlers of the labelsets calls (src/common/ipc/calls/labelsets.ts).
import { readFile } from 'node:fs/promises'
import { AppError } from '../../common/errors'
import type { LabelSetDetail, LabelSetSummary } from '../../common/ipc/calls/labelsets'
import { getBuiltinLabelSet, parseLabelSetDefinition, parseLabelSetJson } from '../../common/labelsets'
import type { LabelSetDefinition } from '../../common/types'
import type { Db } from '../store/db'
import { findLabelSet, listLabelSets, saveLabelSetVersion, type StoredLabelSet } from '../store/repos/labelSets'
import { handlers } from './handler'

function sourceCounts(db: Db): Map<number, number> {
  const rows = db.prepare('SELECT label_set_id AS id, count(*) AS n FROM sources GROUP BY label_set_id').all() as {
    id: number
    n: number
  }[]
  return new Map(rows.map((r) => [r.id, r.n]))
}

function summary(s: StoredLabelSet, latest: boolean, sources: Map<number, number>): LabelSetSummary {
  return {
    id: s.id,
    slug: s.slug,
    version: s.version,
    name: s.name,
    description: s.description,
    builtin: s.builtin,
    labelCount: s.labels.length,
    latest,
    createdAt: s.createdAt,
    sourceCount: sources.get(s.id) ?? 0
  }
}

export function listLabelSetSummaries(db: Db, allVersions = false): LabelSetSummary[] {
  const all = listLabelSets(db) // newest first within a slug
  const sources = sourceCounts(db)
  const out: LabelSetSummary[] = []
  let prevSlug = ''
  for (const s of all) {
    const latest = s.slug !== prevSlug
    prevSlug = s.slug
    if (latest || allVersions) out.push(summary(s, latest, sources))
  }
  // built-ins first, then custom sets by name
  return out.sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.slug.localeCompare(b.slug) || b.version - a.version)
}

export function labelSetDetail(db: Db, ref: string | number): LabelSetDetail {
  const s = findLabelSet(db, ref)
  const versions = listLabelSets(db)
    .filter((v) => v.slug === s.slug)
    .map((v) => ({ id: v.id, version: v.version, createdAt: v.createdAt }))
  return {
    ...summary(s, versions[0]?.id === s.id, sourceCounts(db)),
    definition: s.definition,
    labels: s.labels.map((l) => ({ id: l.id, name: l.name, description: l.description })),
    versions
  }
}

/** Saves a custom label set as a new version (or returns the unchanged newest version). */
export function saveCustomLabelSet(db: Db, input: unknown, source = 'label set'): LabelSetDetail {
  const def: LabelSetDefinition = parseLabelSetDefinition(input, source)
  if (getBuiltinLabelSet(def.slug)) {
    throw new AppError(
      'conflict',
      `"${def.slug}" is a built-in label set and cannot be changed.`,
      'Give your label set another id (slug), e.g. "site-' + def.slug + '".'
    )
  }
  const saved = saveLabelSetVersion(db, def, false)
  return labelSetDetail(db, saved.id)
}

export async function importLabelSetFile(db: Db, path: string): Promise<LabelSetDetail> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new AppError(
      'io',
      `Cannot read label set file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}.`,
      'Check the path; the file must be a JSON label set.'
    )
  })
  return saveCustomLabelSet(db, parseLabelSetJson(text.replace(/^\uFEFF/, ''), `label set file ${path}`), `label set file ${path}`)
}

export const labelsetsHandlers = handlers({
  'labelsets.list': (input, ctx) => listLabelSetSummaries(ctx.workspace.db, input.allVersions),
  'labelsets.get': (input, ctx) => labelSetDetail(ctx.workspace.db, input.ref),
  'labelsets.save': (input, ctx) => saveCustomLabelSet(ctx.workspace.db, input.definition),
  'labelsets.importFile': (input, ctx) => importLabelSetFile(ctx.workspace.db, input.path)
})
