// The context rules, as data. Written for this project from general radiology reporting language.
// Windows are in tokens (punctuation counts); every scope also ends at the sentence end, at ";" and at
// terminators. Longest trigger wins at a position, so "no change" (pseudo) hides "no" and
// "cannot be excluded" (uncertainty) hides negation words inside it.
import type { ContextCategory, ContextDirection, ContextRule } from './types'

/** Rule id suffix from a phrase; punctuation triggers get names (":" colon, "-" dash, "?" qmark). */
function slug(phrase: string): string {
  return phrase
    .replace(/\?/g, ' qmark ')
    .replace(/:/g, ' colon ')
    .replace(/(^|\s)-(?=\s|$)/g, ' dash ')
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
}

function rules(
  category: ContextCategory,
  direction: ContextDirection,
  window: number,
  prefix: string,
  phrases: string[],
  strength?: ContextRule['strength']
): ContextRule[] {
  return phrases.map((phrase) => ({
    id: `${prefix}.${slug(phrase)}`,
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
  'none',
  'no longer visible',
  'negative',
  'no longer visualised',
  'no longer demonstrated',
  'no longer appreciated',
  'not visible'
])

/**
 * Resolution stated after the finding, across a comma or a relative clause that refers back to it:
 * "pneumothorax, now resolved", "effusion, which has since cleared", "edema ... has now resolved".
 * Written as whole phrases so they win over the terminators inside them ("now", "which").
 */
const RESOLVED_AFTER = rules(
  'negation',
  'backward',
  8,
  'neg.resolved',
  ['now', 'since', 'now completely', 'has', 'have', 'has now', 'have now', 'has since', 'have since', 'has completely',
    'which has', 'which have', 'which has now', 'which has since', 'that has', 'that has since', 'is now', 'are now',
    'it has', 'it has since', 'this has', 'this has since']
    .flatMap((p) => ['resolved', 'cleared', 'gone', 'disappeared', 'been removed', 'absent'].map((v) => `${p} ${v}`))
    .filter((phrase) => !/^(has|have|has since|have since|which has|which have|that has|it has|this has|which has since|that has since|it has since|this has since|has now|have now|which has now) (gone|absent)$/.test(phrase))
    .concat(['which is no longer seen', 'which is no longer visible', 'now no longer seen', 'now no longer visible'])
)

/**
 * Field-style answers in structured and templated reports: "Pleural effusion: No", "Pneumothorax: none",
 * "Effusion - absent" (a spaced dash is a token). Backward, right after the label.
 */
const FIELD_ANSWERS = [
  ...rules(
    'negation',
    'backward',
    3,
    'neg.field',
    [':', '-'].flatMap((sep) =>
      ['no', 'none', 'negative', 'absent', 'nil', 'not seen', 'not present', 'not identified', 'not detected', 'no evidence', 'not applicable',
        'excluded', 'ruled out', 'resolved', 'removed', 'not visualized', 'not appreciated', 'normal']
        .map((v) => `${sep} ${v}`)
    )
  ),
  ...rules(
    'uncertainty',
    'backward',
    3,
    'unc.field.possible',
    [':', '-'].flatMap((sep) => ['possible', 'possibly', 'equivocal', 'indeterminate', 'uncertain', 'cannot exclude', '?'].map((v) => `${sep} ${v}`)),
    'possible'
  ),
  ...rules(
    'uncertainty',
    'backward',
    3,
    'unc.field',
    [':', '-'].flatMap((sep) => ['likely', 'probable', 'suspected'].map((v) => `${sep} ${v}`))
  )
]

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
      'not well visualized',
      'can t exclude',
      'can t rule out',
      'unable to exclude',
      'unable to rule out',
      'not able to exclude',
      'cannot entirely exclude',
      'cannot completely exclude',
      'not unlikely',
      'query',
      'queried',
      '?'
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
      'can t be excluded',
      'can t be ruled out',
      'could not be excluded',
      'not unlikely',
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
      'queried',
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
  'not yet resolved',
  'not yet cleared',
  'has not cleared',
  'have not cleared',
  'partially resolved',
  'partly resolved',
  'partially cleared',
  'not completely cleared',
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
  ...RESOLVED_AFTER,
  ...FIELD_ANSWERS,
  ...UNCERTAINTY_FORWARD,
  ...UNCERTAINTY_BACKWARD,
  ...HISTORICAL,
  ...PSEUDO,
  // "Cardiomegaly: no change" is not a field answer "no"
  // "resolved" only in part, or "not seen" only before: the finding is present now
  ...rules('pseudo', 'both', 0, 'pseudo.partly', ['largely', 'mostly', 'nearly', 'almost', 'almost completely', 'nearly completely', 'not completely', 'not entirely']
    .flatMap((q) => [`${q} resolved`, `${q} cleared`])),
  ...rules('pseudo', 'both', 0, 'pseudo.new',
    ['seen', 'present', 'visible', 'identified', 'visualized', 'noted', 'evident', 'demonstrated'].flatMap((v) => [
      ...['on the prior', 'on prior', 'on the previous', 'on the comparison', 'previously', 'before'].map((w) => `not ${v} ${w}`),
      `not previously ${v}`
    ])),
  ...rules('pseudo', 'both', 0, 'pseudo.field', PSEUDO.filter((r) => /^no /.test(r.phrase)).flatMap((r) => [`: ${r.phrase}`, `- ${r.phrase}`])),
  ...TERMINATORS,
  ...ANATOMY_NORMAL
]

/**
 * How far one negation reaches over a coordinated list ("no A, B, C, ... or Z"): list items are
 * separated by these tokens, and the negation covers the whole list however long, as long as no item
 * is longer than MAX_LIST_ITEM tokens and no clause boundary intervenes.
 */
export const LIST_SEPARATORS: readonly string[] = [',', 'or', 'and', 'nor', '/', '-']
/** Separators after which an item with a verb of its own starts a new clause (see CLAUSE_VERBS). */
export const CLAUSE_SEPARATORS: readonly string[] = [',', 'and']
export const MAX_LIST_ITEM = 6

/**
 * A comma starts a new clause (and ends the scope of a forward trigger) when the item after it has a
 * verb of its own ("no pneumothorax, the heart is enlarged") or is a field ("..., cardiomegaly: yes").
 * A verb followed by one of CLAUSE_VERB_PASSIVES ("... or effusion is seen") continues the list.
 */
export const CLAUSE_VERBS: readonly string[] = [
  'is', 'are', 'was', 'were', 'appears', 'appear', 'remains', 'remain', 'measures', 'measure', 'demonstrates',
  'shows', 'show', 'has', 'have', 'had', 'projects', 'project', 'overlies', 'extends', 'persist', 'seems'
]
export const CLAUSE_VERB_PASSIVES: readonly string[] = [
  'seen', 'identified', 'present', 'noted', 'visualized', 'visualised', 'demonstrated', 'evident', 'appreciated',
  'detected', 'not', 'no', 'excluded', 'visible', 'apparent', 'been', 'resolved', 'cleared', 'observed', 'shown', 'definitely'
]
/** Field separators: an item holding one is a new "label: value" field. */
export const FIELD_SEPARATORS: readonly string[] = [':']
