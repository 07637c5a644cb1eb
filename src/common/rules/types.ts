// Context rules as data (ConText family: Chapman et al.; pyConText, medspaCy, FastContext).

export const CONTEXT_CATEGORIES = ['negation', 'uncertainty', 'historical', 'pseudo', 'terminator'] as const
export type ContextCategory = (typeof CONTEXT_CATEGORIES)[number]

export type ContextDirection = 'forward' | 'backward' | 'both'

export interface ContextRule {
  /** Stable identifier shown as the deciding rule, e.g. "neg.no-evidence-of". */
  id: string
  /** Trigger phrase, tokenised like report text (case, hyphens and spacing do not matter). */
  phrase: string
  category: ContextCategory
  /** forward: applies to mentions after the trigger; backward: before it; both. Unused by pseudo/terminator. */
  direction: ContextDirection
  /** Uncertainty only: 'possible' hedges (may, could, cannot exclude) are weaker than probable ones. */
  strength?: 'probable' | 'possible'
  /** Scope window in tokens between trigger and mention (punctuation counts). */
  window: number
  /**
   * 'anatomy' rules ("normal", "within normal limits", "clear") apply only to anatomy mentions
   * ("heart size is normal" -> no cardiomegaly) and never to finding terms; default 'finding'.
   */
  target?: 'finding' | 'anatomy'
}
