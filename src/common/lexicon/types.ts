// The lexicon's data shapes. Phrase syntax (tokenised like report text, so case, hyphens and spacing
// do not matter):
//   "pleural effusion[s]"    optional suffix: "pleural effusion" and "pleural effusions"
//   "heart ... enlarged"     gap: the second part within a few tokens in the same clause
//                            ("heart is mildly enlarged"); context words inside the gap apply too

/** A mention term; a plain string is a term asserting the finding. */
export interface LexiconTermSpec {
  phrase: string
  /**
   * The term itself only suggests the finding ("blunting of the costophrenic angle" for effusion): a
   * possible-strength hedge (see ContextRule.strength).
   */
  state?: 'uncertain'
}
export type LexiconTerm = string | LexiconTermSpec

export interface LexiconConcept {
  /** Stable identifier, e.g. 'pleural_effusion'. */
  id: string
  /** Label names (any label set) that mean this concept; compared with normaliseLabelName. */
  names: string[]
  description: string
  /** Phrases that mention the finding. */
  terms: LexiconTerm[]
  /** Phrases that contain a term but are not a mention of this finding ("pericardial effusion"). */
  exclusions?: string[]
  /**
   * The anatomy whose normal description negates the finding ("heart size is normal" -> no
   * cardiomegaly). These phrases only ever produce a negative, never a positive.
   */
  anatomy?: string[]
}
