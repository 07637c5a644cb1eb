// Explains the rules engine's decisions for one report: a stored run's report (with that run's label-set
// version, scope and hedging), a workspace report under a chosen label set, or text given directly.
// The explanation comes from labelReport's own trace (src/common/rules/explain.ts).
import { AppError } from '../../../common/errors'
import { getBuiltinLabelSet } from '../../../common/labelsets'
import type { ExplainResult } from '../../../common/ipc/calls/explain'
import { compileLabelSet, explainReport } from '../../../common/rules'
import { splitSections } from '../../../common/text/sections'
import type { Section, TextScope } from '../../../common/types'
import type { Db } from '../../store/db'
import { findLabelSet, getLabelSet } from '../../store/repos/labelSets'
import { getReport } from '../../store/repos/reports'
import { getRun } from '../run'
import { defaultHedging, rulesConfigSchema, rulesFingerprint } from './engine'
import type { VersionedLabelSet } from '../types'

export type { ExplainResult }

export interface ExplainRequest {
  /** Explain a report as this stored rules run labelled it (its label-set version, scope, hedging). */
  sourceId?: number
  reportId?: number
  /** Label set: slug (newest), slug@version or id; without a workspace only the built-ins. */
  labelSet?: string | number
  text?: string
  hedging?: 'all' | 'probable'
  scope?: TextScope
}


function labelSetFor(db: Db | null, ref: string | number): VersionedLabelSet {
  if (db) {
    const s = findLabelSet(db, ref)
    return { ...s.definition, version: s.version }
  }
  const [slug, version] = String(ref).split('@')
  const builtin = getBuiltinLabelSet(slug)
  if (!builtin || (version && version !== '1')) {
    throw new AppError(
      'not_found',
      `There is no built-in label set "${ref}".`,
      'Use chexpert14 or chestxray14, or give --db PATH to explain with a custom label set of that workspace.'
    )
  }
  return { ...builtin, version: 1 }
}

export function explainRequest(db: Db | null, req: ExplainRequest): ExplainResult {
  let set: VersionedLabelSet
  let scope: TextScope | undefined = req.scope
  let hedging = req.hedging
  let sourceId: number | null = null
  if (req.sourceId !== undefined) {
    if (!db) throw new AppError('invalid_input', 'Explaining a stored run needs a workspace (--db PATH).')
    const run = getRun(db, req.sourceId)
    if (run.engine !== 'rules') {
      throw new AppError(
        'invalid_input',
        `Run "${run.name}" used the ${run.engine} engine; explanations are for the rules engine.`,
        'Choose a rules run, or explain the report with a label set (no run) to see what the rules would decide.'
      )
    }
    const stored = getLabelSet(db, run.labelSetId)
    set = { ...stored.definition, version: stored.version }
    const cfg = rulesConfigSchema.safeParse(run.config)
    const prov = run.provenance as { scope?: TextScope; hedging?: 'all' | 'probable' }
    scope ??= prov.scope ?? (cfg.success ? cfg.data.scope : undefined)
    hedging ??= prov.hedging ?? (cfg.success ? cfg.data.hedging : undefined)
    sourceId = run.sourceId
  } else if (req.labelSet !== undefined) {
    set = labelSetFor(db, req.labelSet)
  } else {
    throw new AppError('invalid_input', 'Say which label set to explain with (--label-set ID), or which run (sourceId).')
  }
  let text: string
  let sections: Section[]
  let reportId: number | null = null
  let reportKey: string | null = null
  if (req.reportId !== undefined) {
    if (!db) throw new AppError('invalid_input', 'Explaining a stored report needs a workspace (--db PATH).')
    const r = getReport(db, req.reportId)
    text = r.text
    sections = r.sections
    reportId = r.id
    reportKey = r.reportKey
  } else if (req.text !== undefined) {
    if (!req.text.trim()) throw new AppError('invalid_input', 'The report text is empty.', 'Give the report text to explain in quotes.')
    text = req.text
    sections = splitSections(text)
  } else {
    throw new AppError('invalid_input', 'Give the report text, or a report id (--report ID with --db PATH).')
  }
  const compiled = compileLabelSet(set, { version: set.version })
  const explanation = explainReport(text, sections, compiled, scope ?? 'findings_impression', hedging ?? defaultHedging(set))
  return { ...explanation, text, sections, reportId, reportKey, sourceId, rules: rulesFingerprint(set) }
}
