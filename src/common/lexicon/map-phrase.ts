// Maps an open-ended finding phrase (e.g. from the LLM: "small left pleural effusion") onto the labels
// of a label set with the same lexicon and context rules as the rules engine.
import { compiledFor, type CompiledLabelSet } from '../rules/compile'
import { labelReport } from '../rules/label-report'
import type { LabelSetDefinition } from '../types'

function isCompiled(x: LabelSetDefinition | CompiledLabelSet): x is CompiledLabelSet {
  return (x as CompiledLabelSet).termTrie !== undefined
}

/**
 * Labels of `labelSet` that `phrase` asserts (positive or hedged), in label-set order; [] when the
 * phrase names nothing in the set or negates it ("no effusion"). Derived labels such as CheXpert's
 * "No Finding" are never returned.
 */
export function mapPhraseToLabels(phrase: string, labelSet: LabelSetDefinition | CompiledLabelSet): string[] {
  const compiled = isCompiled(labelSet) ? labelSet : compiledFor(labelSet)
  return labelReport(phrase, [], compiled, 'whole')
    .filter((d, i) => i !== compiled.noFindingIndex && (d.state === 'positive' || d.state === 'uncertain'))
    .map((d) => d.label)
}
