// Compiles a label set (lexicon concepts + the label set's own terms) and the context rules into token
// tries, once per label-set version. Matching then costs a few map look-ups per token.
import { conceptsForLabel } from '../lexicon/label-concepts'
import type { LexiconTerm } from '../lexicon/types'
import { normaliseLabelName } from '../labelsets/names'
import type { LabelSetDefinition, SiteContextRule } from '../types'
import {
  CLAUSE_SEPARATORS,
  CLAUSE_VERB_PASSIVES,
  CLAUSE_VERBS,
  DEFAULT_CONTEXT_RULES,
  FIELD_SEPARATORS,
  LIST_SEPARATORS,
  MAX_LIST_ITEM
} from './context-rules'
import { tokenizePhrase } from './tokenize'
import { newTrieNode, trieInsert, type TrieNode } from './trie'
import type { ContextRule } from './types'

/** Largest number of tokens between the two parts of a gap term ("heart ... enlarged"). */
export const MAX_GAP = 6

export const enum TermKind {
  Term = 0,
  Exclusion = 1,
  Anatomy = 2
}

export interface TermEntry {
  /** Shown as the rule of a mention, e.g. 'lexicon:pleural_effusion "pleural effusion"'. */
  id: string
  concept: number
  kind: TermKind
  uncertain: boolean
  /** Head length in tokens. */
  length: number
  /** Tail tokens of a gap term, else null. */
  tail: string[] | null
}

export interface CompiledConcept {
  id: string
  /** Indices into `labels` that this concept feeds. */
  labels: number[]
}

export interface CompiledLabelSet {
  slug: string
  version: number
  labels: string[]
  /** Index of the "No Finding" label when the set uses CheXpert aggregation, else -1. */
  noFindingIndex: number
  /** Labels that do not prevent "No Finding" (CheXpert: Support Devices). */
  noFindingIgnores: boolean[]
  concepts: CompiledConcept[]
  terms: TermEntry[]
  termTrie: TrieNode
  rules: ContextRule[]
  /** The widest scope window of any rule (bounds the triggers looked at per mention). */
  maxWindow: number
  /** Triggers for finding mentions (finding rules, pseudo, terminators). */
  findingTrie: TrieNode
  /** Triggers for anatomy mentions (normal statements, pseudo, terminators). */
  anatomyTrie: TrieNode
  /** Coordinated-list and clause vocabulary (see context-rules.ts) as WordFlag bits per token. */
  wordFlags: Map<string, number>
  /** CLAUSE_SEPARATORS (a short list: compared directly, faster than a map look-up per token). */
  clauseSeparators: string[]
  maxListItem: number
  /** How many of `rules` came from the label set's own site rules (they are last). */
  siteRules: number
}

/** Bits of CompiledLabelSet.wordFlags. */
export const enum WordFlag {
  ListSeparator = 1,
  ClauseVerb = 2,
  Passive = 4,
  FieldSeparator = 8,
  ClauseSeparator = 16
}

function wordFlags(): Map<string, number> {
  const flags = new Map<string, number>()
  const add = (words: readonly string[], bit: number): void => {
    for (const w of words) flags.set(w, (flags.get(w) ?? 0) | bit)
  }
  add(LIST_SEPARATORS, WordFlag.ListSeparator)
  add(CLAUSE_VERBS, WordFlag.ClauseVerb)
  add(CLAUSE_VERB_PASSIVES, WordFlag.Passive)
  add(FIELD_SEPARATORS, WordFlag.FieldSeparator)
  add(CLAUSE_SEPARATORS, WordFlag.ClauseSeparator)
  return flags
}

/** A site rule as the engine runs it (defaults filled in, id given). */
export function siteRuleToContextRule(r: SiteContextRule, index: number): ContextRule {
  const slug = r.phrase
    .replace(/\?/g, ' qmark ')
    .replace(/:/g, ' colon ')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
  return {
    id: r.id?.trim() || `site.${slug || index + 1}`,
    phrase: r.phrase,
    category: r.category,
    direction: r.direction ?? (r.category === 'pseudo' || r.category === 'terminator' ? 'both' : 'forward'),
    window: r.window ?? 6,
    ...(r.category === 'uncertainty' ? { strength: r.strength ?? 'possible' } : {})
  }
}

/** The rules a label set runs with: built-ins (or `base`), with the set's site rules replacing same-phrase ones. */
export function effectiveRules(set: LabelSetDefinition, base: readonly ContextRule[] = DEFAULT_CONTEXT_RULES): ContextRule[] {
  const site = (set.contextRules ?? []).map(siteRuleToContextRule)
  if (site.length === 0) return [...base]
  const key = (phrase: string): string => tokenizePhrase(phrase).join(' ')
  const replaced = new Set(site.map((r) => key(r.phrase)))
  return [...base.filter((r) => !replaced.has(key(r.phrase))), ...site]
}

/** Expands "effusion[s]" into "effusion" and "effusions" (any number of optional suffixes). */
export function expandPhrase(phrase: string): string[] {
  const m = /^(.*?)\[([^\]]*)\](.*)$/.exec(phrase)
  if (!m) return [phrase]
  return [...expandPhrase(m[1] + m[3]), ...expandPhrase(m[1] + m[2] + m[3])]
}

export interface CompileOptions {
  version?: number
  rules?: readonly ContextRule[]
}

export function compileLabelSet(set: LabelSetDefinition, options: CompileOptions = {}): CompiledLabelSet {
  const labels = set.labels.map((l) => l.name)
  const noFindingIndex =
    set.aggregation === 'chexpert' ? labels.findIndex((l) => normaliseLabelName(l) === 'nofinding') : -1
  const ignores = new Set(['supportdevices', 'supportdevice'])
  const rules = effectiveRules(set, options.rules ?? DEFAULT_CONTEXT_RULES)
  const compiled: CompiledLabelSet = {
    slug: set.slug,
    version: options.version ?? 1,
    labels,
    noFindingIndex,
    noFindingIgnores: labels.map((l) => ignores.has(normaliseLabelName(l))),
    concepts: [],
    terms: [],
    termTrie: newTrieNode(),
    rules,
    maxWindow: Math.max(0, ...rules.map((r) => r.window)),
    findingTrie: newTrieNode(),
    anatomyTrie: newTrieNode(),
    wordFlags: wordFlags(),
    clauseSeparators: [...CLAUSE_SEPARATORS],
    maxListItem: MAX_LIST_ITEM,
    siteRules: set.contextRules?.length ?? 0
  }

  const conceptIndex = new Map<string, number>()
  const addTerm = (concept: number, conceptId: string, term: LexiconTerm, kind: TermKind): void => {
    const phrase = typeof term === 'string' ? term : term.phrase
    const uncertain = typeof term !== 'string' && term.state === 'uncertain'
    for (const variant of expandPhrase(phrase)) {
      const [headText, tailText] = variant.split(/\s*\.\.\.\s*/)
      const head = tokenizePhrase(headText)
      const tail = tailText !== undefined ? tokenizePhrase(tailText) : null
      if (head.length === 0 || (tail && tail.length === 0)) continue
      const entry: TermEntry = {
        id: `${kind === TermKind.Anatomy ? 'anatomy' : kind === TermKind.Exclusion ? 'exclusion' : 'lexicon'}:${conceptId} "${variant}"`,
        concept,
        kind,
        uncertain,
        length: head.length,
        tail
      }
      compiled.terms.push(entry)
      trieInsert(compiled.termTrie, head, compiled.terms.length - 1)
    }
  }
  const conceptFor = (id: string, labelIdx: number): number | undefined => {
    const existing = conceptIndex.get(id)
    if (existing !== undefined) {
      if (!compiled.concepts[existing].labels.includes(labelIdx)) compiled.concepts[existing].labels.push(labelIdx)
      return undefined // terms already added
    }
    compiled.concepts.push({ id, labels: [labelIdx] })
    conceptIndex.set(id, compiled.concepts.length - 1)
    return compiled.concepts.length - 1
  }

  set.labels.forEach((label, li) => {
    if (li === noFindingIndex) return
    for (const concept of conceptsForLabel(set, label)) {
      const ci = conceptFor(concept.id, li)
      if (ci === undefined) continue
      for (const t of concept.terms) addTerm(ci, concept.id, t, TermKind.Term)
      for (const t of concept.exclusions ?? []) addTerm(ci, concept.id, t, TermKind.Exclusion)
      for (const t of concept.anatomy ?? []) addTerm(ci, concept.id, t, TermKind.Anatomy)
    }
    if (label.terms?.length || label.exclusions?.length) {
      const id = `label:${label.name}`
      const ci = conceptFor(id, li)
      if (ci !== undefined) {
        for (const t of label.terms ?? []) addTerm(ci, id, t, TermKind.Term)
        for (const t of label.exclusions ?? []) addTerm(ci, id, t, TermKind.Exclusion)
      }
    }
  })

  compiled.rules.forEach((rule, ri) => {
    const tokens = tokenizePhrase(rule.phrase)
    if (tokens.length === 0) return
    const shared = rule.category === 'pseudo' || rule.category === 'terminator'
    if (shared || rule.target !== 'anatomy') trieInsert(compiled.findingTrie, tokens, ri)
    if (shared || rule.target === 'anatomy') trieInsert(compiled.anatomyTrie, tokens, ri)
  })
  return compiled
}

const cache = new WeakMap<LabelSetDefinition, CompiledLabelSet>()

/** Compiles once per label-set object (a new version is a new object). */
export function compiledFor(set: LabelSetDefinition & { version?: number }): CompiledLabelSet {
  let c = cache.get(set)
  if (!c) {
    c = compileLabelSet(set, { version: set.version })
    cache.set(set, c)
  }
  return c
}
