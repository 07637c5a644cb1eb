// The context rules, as data. Written for this project from general radiology reporting language.
// Windows are in tokens (punctuation counts); every scope also ends at the sentence end, at ";" and at
// terminators. Longest trigger wins at a position, so "no change" (pseudo) hides "no" and
// "cannot be excluded" (uncertainty) hides negation words inside it.
import type { ContextCategory, ContextDirection, ContextRule } from './types'

function rules(
  category: ContextCategory,
  direction: ContextDirection,
  window: number,
  prefix: string,
  phrases: string[],
  strength?: ContextRule['strength']
): ContextRule[] {
  return phrases.map((phrase) => ({
    id: `${prefix}.${phrase.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase()}`,
    phrase,
    category,
    direction,
    window,
    ...(strength ? { strength } : {})
  }))
}

function anatomy(list: ContextRule[]): ContextRule[] {
  return list.map((r) => ({ ...r, target: 'anatomy' as const }))
}

/** Negation before the mention: "no", "without", "no evidence of" ... Wide window for lists. */
const NEGATION_FORWARD = rules('negation', 'forward', 14, 'neg', [
  'no',
  'not',
  'without',
  'negative for',
  'free of',
  'absence of',
  'absent',
  'no evidence of',
  'no evidence for',
  'no radiographic evidence of',
  'no sign of',
  'no signs of',
  'no findings of',
  'no findings to suggest',
  'no findings suggestive of',
  'nothing to suggest',
  'no evidence to suggest',
  'there is no',
  'there are no',
  'no longer',
  'neither',
  'nor',
  'denies',
  'rather than',
  'instead of',
  'ruled out',
  'fails to demonstrate',
  'fails to reveal',
  'resolution of',
  'resolved',
  'interval resolution of',
  'clearing of',
  'interval clearing of',
  'removal of',
  'interval removal of',
  'clear of',
  'unlikely',
  'less likely',
  'not likely'
])

/** Negation after the mention: "pneumothorax is not seen", "effusion has resolved". */
const NEGATION_BACKWARD = rules('negation', 'backward', 6, 'neg.post', [
  'not seen',
  'not identified',
  'not present',
  'not visualized',
  'not visualised',
  'not appreciated',
  'not evident',
  'not demonstrated',
  'not detected',
  'not noted',
  'not apparent',
  'not definitely seen',
  'no longer seen',
  'no longer visualized',
  'no longer present',
  'no longer identified',
  'no longer evident',
  'no longer apparent',
  'is absent',
  'are absent',
  'absent',
  'has resolved',
  'have resolved',
  'resolved',
  'has cleared',
  'have cleared',
  'cleared',
  'has been removed',
  'have been removed',
  'removed',
  'ruled out',
  'is excluded',
  'are excluded',
  'unlikely',
  'none'
])

/**
 * Hedges, in two strengths (after the ACR-style certainty scale radiologists use): "probable" hedges
 * (likely, probably, suspected, borderline, versus) say the finding is more likely present than not;
 * "possible" hedges (may, could, possible, cannot exclude, differential) only raise it. Both give
 * "uncertain" by default; the engine's `hedging: 'probable'` option reports only probable hedges as
 * uncertain and leaves merely possible findings unasserted (see labelReport).
 */
const UNCERTAINTY_FORWARD = [
  // differentials list several findings: a wider window
  ...rules(
    'uncertainty',
    'forward',
    16,
    'unc.possible',
    [
      'differential diagnosis includes',
      'differential diagnosis include',
      'differential includes',
      'differential considerations include',
      'differential considerations includes',
      'differential',
      'considerations include'
    ],
    'possible'
  ),
  ...rules('uncertainty', 'forward', 8, 'unc', [
    'probable',
    'probably',
    'likely',
    'most likely',
    'more likely',
    'strongly suggestive of',
    'highly suggestive of',
    'most suggestive of',
    'strongly suggests',
    'highly suspicious for',
    'presumably',
    'presumed',
    'suspected',
    'suspect',
    'suspicious for',
    'suspicious of',
    'borderline',
    'favor',
    'favored',
    'versus',
    'vs',
    'and / or',
    'questioned'
  ]),
  ...rules(
    'uncertainty',
    'forward',
    8,
    'unc.possible',
    [
      'possible',
      'possibly',
      'or possibly',
      'concerning for',
      'concern for',
      'worrisome for',
      'question of',
      'question',
      'questionable',
      'equivocal',
      'indeterminate',
      'may represent',
      'may reflect',
      'may be',
      'could represent',
      'could reflect',
      'could be',
      'might represent',
      'might be',
      'may',
      'could',
      'might',
      'suggest',
      'suggests',
      'suggesting',
      'suggestive of',
      'suggestion of',
      'raises the possibility of',
      'possibility of',
      'consider',
      'cannot exclude',
      'can not exclude',
      'cannot rule out',
      'can not rule out',
      'difficult to exclude',
      'not excluded',
      'not entirely excluded',
      'not ruled out',
      'cannot be excluded',
      'rule out',
      'r / o',
      'to exclude',
      'evaluate for',
      'evaluation for',
      'assess for',
      'not well seen',
      'not well visualized'
    ],
    'possible'
  )
]

/** Hedges after the mention: "atelectasis is likely", "pneumonia cannot be excluded". */
const UNCERTAINTY_BACKWARD = [
  ...rules('uncertainty', 'backward', 6, 'unc.post', [
    'is likely',
    'is suspected',
    'are suspected',
    'is questioned',
    'versus',
    'vs',
    'and / or',
    'favored',
    'suspected',
    'likely',
    'probably'
  ]),
  ...rules(
    'uncertainty',
    'backward',
    6,
    'unc.post.possible',
    [
      'cannot be excluded',
      'can not be excluded',
      'cannot be ruled out',
      'can not be ruled out',
      'not excluded',
      'not entirely excluded',
      'not ruled out',
      'is not excluded',
      'not completely excluded',
      'is possible',
      'are possible',
      'is questionable',
      'is not entirely excluded',
      'cannot be entirely excluded',
      'can not be entirely excluded',
      'difficult to exclude',
      'difficult to entirely exclude',
      'not well excluded',
      'may be present',
      'could be present',
      'may',
      'could',
      'might',
      'or possibly',
      'possible',
      'questionable',
      '?'
    ],
    'possible'
  )
]

/** Historical / hypothetical: not a current finding. */
const HISTORICAL = rules('historical', 'forward', 6, 'hist', [
  'history of',
  'hx of',
  'hx',
  'h / o',
  'prior history of',
  'past history of',
  'known history of',
  'past medical history',
  'remote history of',
  'in case of'
])

/**
 * Pseudo-triggers: contain a trigger word but do not negate or hedge ("no change", "not only").
 * Matching them consumes the tokens, hiding the shorter trigger inside.
 */
const PSEUDO = rules('pseudo', 'both', 0, 'pseudo', [
  'no change',
  'no changes',
  'no interval change',
  'no significant change',
  'no significant interval change',
  'no substantial change',
  'no appreciable change',
  'no definite change',
  'no increase',
  'no significant increase',
  'no decrease',
  'no significant decrease',
  'no interval increase',
  'no interval decrease',
  'not changed',
  'not significantly changed',
  'not only',
  'without change',
  'without interval change',
  'without significant change',
  'not necessarily',
  'no further',
  'gram negative',
  'not been removed',
  'has not resolved',
  'have not resolved',
  'not resolved',
  'not completely resolved',
  'not fully resolved',
  'not cleared',
  'incompletely resolved',
  'no longer than',
  'to suggest',
  'no lateral',
  'no pa'
])

/** Terminators end any scope: a new clause about something else begins. */
const TERMINATORS = rules('terminator', 'both', 0, 'term', [
  'but',
  'however',
  'although',
  'though',
  'yet',
  'except',
  'except for',
  'aside from',
  'apart from',
  'other than',
  'besides',
  'with the exception of',
  'which',
  'whereas',
  'while',
  'there is',
  'there are',
  'there has been',
  'there have been',
  'there was',
  'is seen',
  'are seen',
  'is noted',
  'are noted',
  'is present',
  'are present',
  'otherwise',
  'now',
  'again',
  'persistent',
  'persists',
  'stable',
  'unchanged',
  ';'
])

/**
 * Normal statements about anatomy ("heart size is normal", "normal cardiomediastinal silhouette",
 * "costophrenic angles are sharp"): they negate the finding of that structure. They never apply to
 * finding terms ("normal heart size, mild atelectasis" leaves atelectasis alone).
 */
const ANATOMY_NORMAL = anatomy(
  rules(
    'negation',
    'both',
    6,
    'normal',
    [
      'normal',
      'normal in size',
      'normal size',
      'normal sized',
      'normal in appearance',
      'within normal limits',
      'within normal limit',
      'wnl',
      'unremarkable',
      'grossly normal',
      'grossly unremarkable',
      'stable and normal',
      'normal in caliber',
      'normal in contour',
      'are clear',
      'is clear',
      'clear',
      'sharp',
      'sharply defined',
      'preserved',
      'maintained',
      'within normal',
      'appear normal',
      'not enlarged',
      'is not enlarged',
      'are not enlarged',
      'not widened',
      'not blunted',
      'upper limits of normal',
      'upper limit of normal',
      'upper normal',
      'high normal',
      'top normal',
      'top of normal',
      'top normal limits',
      'upper range of normal',
      'normal limits'
    ]
  )
)

export const DEFAULT_CONTEXT_RULES: readonly ContextRule[] = [
  ...NEGATION_FORWARD,
  ...NEGATION_BACKWARD,
  ...UNCERTAINTY_FORWARD,
  ...UNCERTAINTY_BACKWARD,
  ...HISTORICAL,
  ...PSEUDO,
  ...TERMINATORS,
  ...ANATOMY_NORMAL
]
