// Maps an open-ended finding phrase ("small left pleural effusion") onto labels of a label set: first with
// the shared lexicon and context rules (the rules engine's), then, for what the lexicon does not know,
// by the label names (and their synonyms) and each label's own mention terms. An empty result means the
// phrase stays unmapped (kept with label null).
import { findLabel, normaliseLabelName } from '../../../common/labelsets'
import { mapPhraseToLabels } from '../../../common/lexicon'
import type { LabelSetDefinition } from '../../../common/types'

const words = (s: string): string => ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `

function byNames(phrase: string, labelSet: LabelSetDefinition): string[] {
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

const NEGATED = /\b(no|not|without|negative for|free of|resolved)\b/i

export function mapPhrase(phrase: string, labelSet: LabelSetDefinition): string[] {
  const lexicon = mapPhraseToLabels(phrase, labelSet)
  if (lexicon.length) return lexicon
  // The lexicon also returns nothing for negated phrases; those must not be mapped by name either.
  return NEGATED.test(phrase) ? [] : byNames(phrase, labelSet)
}
