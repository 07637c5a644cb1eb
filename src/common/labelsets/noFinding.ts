// CheXpert's "No Finding" aggregation, shared by every engine so that all of them derive it the same
// way: positive when no other label except Support Devices is positive or uncertain; otherwise
// negative, with the first such label's evidence and a rule naming it.
import type { LabelDecision, LabelSetDefinition } from '../types'
import { normaliseLabelName } from './names'

/** Labels (normalised names) that do not prevent "No Finding". */
const NO_FINDING_IGNORED = new Set(['supportdevices', 'supportdevice'])

/** Index of the "No Finding" label in a label set with CheXpert aggregation, else -1. */
export function noFindingIndexOf(set: Pick<LabelSetDefinition, 'labels' | 'aggregation'>): number {
  return set.aggregation === 'chexpert' ? set.labels.findIndex((l) => normaliseLabelName(l.name) === 'nofinding') : -1
}

/** True for labels that do not prevent "No Finding" (Support Devices). */
export function ignoredByNoFinding(label: string): boolean {
  return NO_FINDING_IGNORED.has(normaliseLabelName(label))
}

/**
 * The "No Finding" decision from the decisions on the other labels (a decision on "No Finding" itself
 * in `decisions` is ignored).
 */
export function deriveNoFinding(noFindingLabel: string, decisions: readonly LabelDecision[]): LabelDecision {
  const blocking = decisions.find(
    (d) => d.label !== noFindingLabel && !ignoredByNoFinding(d.label) && (d.state === 'positive' || d.state === 'uncertain')
  )
  return blocking
    ? {
        label: noFindingLabel,
        state: 'negative',
        evidence: blocking.evidence.slice(0, 2),
        rule: `aggregation:chexpert (${blocking.label} is ${blocking.state})`
      }
    : { label: noFindingLabel, state: 'positive', evidence: [], rule: 'aggregation:chexpert (no finding other than support devices)' }
}
