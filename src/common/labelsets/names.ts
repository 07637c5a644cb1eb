// Label-name matching across label sets and files: "Pleural_Thickening", "pleural thickening" and
// "Pleural-Thickening" are the same label; Effusion and Pleural Effusion are the same finding.
import type { LabelSetDefinition } from '../types'

/** Canonical form of a label name: lower case without spaces, underscores or hyphens. */
export function normaliseLabelName(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, '')
}

/**
 * Names that mean the same finding in different label sets. Each group lists equivalent names;
 * matching is by `normaliseLabelName`, so spelling variants need not be listed.
 */
export const LABEL_SYNONYMS: readonly (readonly string[])[] = [
  ['Pleural Effusion', 'Effusion'],
  ['Pleural Thickening', 'Pleural_Thickening'],
  ['Infiltration', 'Infiltrate', 'Infiltrates'],
  ['Hernia', 'Hiatal Hernia'],
  ['Fracture', 'Fractures'],
  ['Nodule', 'Nodules', 'Lung Nodule'],
  ['Mass', 'Lung Mass'],
  ['Support Devices', 'Support Device', 'Devices'],
  ['No Finding', 'Normal', 'No_Finding']
]

const synonymIndex = new Map<string, number>()
LABEL_SYNONYMS.forEach((group, i) => group.forEach((n) => synonymIndex.set(normaliseLabelName(n), i)))

/** True when two label names denote the same finding (same normalised name or synonyms). */
export function sameLabel(a: string, b: string): boolean {
  const na = normaliseLabelName(a)
  const nb = normaliseLabelName(b)
  if (na === nb) return true
  const ga = synonymIndex.get(na)
  return ga !== undefined && ga === synonymIndex.get(nb)
}

/** The label of `set` that `name` denotes (exact normalised match first, then synonyms), or undefined. */
export function findLabel(set: Pick<LabelSetDefinition, 'labels'>, name: string): string | undefined {
  const n = normaliseLabelName(name)
  const exact = set.labels.find((l) => normaliseLabelName(l.name) === n)
  if (exact) return exact.name
  return set.labels.find((l) => sameLabel(l.name, name))?.name
}

/**
 * Label-name mapping from one label set to another, for comparing sources that use different sets:
 * `{ 'Effusion': 'Pleural Effusion', ... }`; labels without a counterpart are left out.
 */
export function mapLabelSets(
  from: Pick<LabelSetDefinition, 'labels'>,
  to: Pick<LabelSetDefinition, 'labels'>
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const l of from.labels) {
    const target = findLabel(to, l.name)
    if (target) out[l.name] = target
  }
  return out
}
