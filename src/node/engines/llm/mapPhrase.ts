// Maps an open-ended finding phrase ("small left pleural effusion") onto labels of a label set.
// Uses the label names (and their synonyms) and each label's own mention terms; an empty result means
// the phrase stays unmapped (kept with label null).
import { findLabel, normaliseLabelName } from '../../../common/labelsets'
import type { LabelSetDefinition } from '../../../common/types'

const words = (s: string): string => ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `

export function mapPhrase(phrase: string, labelSet: LabelSetDefinition): string[] {
  const direct = findLabel(labelSet, phrase)
  if (direct) return [direct]
  const p = words(phrase)
  const out: string[] = []
  for (const label of labelSet.labels) {
    const terms = [label.name, ...(label.terms ?? [])]
    const excluded = (label.exclusions ?? []).some((x) => p.includes(words(x)))
    if (excluded) continue
    if (terms.some((t) => normaliseLabelName(t) && p.includes(words(t)))) out.push(label.name)
  }
  return out
}
