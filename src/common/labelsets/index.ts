// Built-in label sets, name matching and custom-set validation.
import type { LabelSetDefinition } from '../types'
import { CHESTXRAY14 } from './chestxray14'
import { CHEXPERT14 } from './chexpert14'

export { CHEXPERT14, NO_FINDING_IGNORES } from './chexpert14'
export { CHESTXRAY14 } from './chestxray14'
export * from './names'
export * from './validate'
export * from './noFinding'

export const BUILTIN_LABEL_SETS: readonly LabelSetDefinition[] = [CHEXPERT14, CHESTXRAY14]

export function getBuiltinLabelSet(slug: string): LabelSetDefinition | undefined {
  return BUILTIN_LABEL_SETS.find((s) => s.slug === slug)
}
