// The rules engine: finds lexicon mentions sentence by sentence, decides each mention's context
// (negated, uncertain, historical) from the context rules in scope, and resolves one state per label
// per report (positive > uncertain > negative > not mentioned), with evidence and the deciding rule.
import type { Evidence, LabelDecision, LabelState, Section, Span, TextScope } from '../types'
import { splitSentences } from '../text/sentences'
import { deriveNoFinding } from '../labelsets/noFinding'
import { MAX_GAP, TermKind, WordFlag, type CompiledLabelSet } from './compile'
import { tokenize, type Tokens } from './tokenize'
import type { ContextRule } from './types'

/** Mention outcome, ordered so that a larger value wins within a label. */
const enum Outcome {
  /** Historical, or only possibly present under `hedging: 'probable'`: not asserted. */
  Unasserted = 0,
  Negative = 1,
  Uncertain = 2,
  Positive = 3
}

interface Trigger {
  start: number
  end: number
  rules: number[]
}

interface Mention {
  entry: number
  concept: number
  start: number
  end: number
}

interface LabelAcc {
  outcome: number
  evidence: Evidence[]
  rule: string | undefined
}

const MAX_EVIDENCE = 6

const ADDENDUM_HEADER = /^\s*(\d{1,2}[.)]\s*)?addend(um|a)\b/i

/** The parts of the text a scope selects (see TextScope); no sections = the whole text. */
export function selectScope(text: string, sections: readonly Section[], scope: TextScope): Span[] {
  if (scope === 'whole' || sections.length === 0) return [{ start: 0, end: text.length }]
  const pick = (names: string[]): Span[] =>
    sections.filter((s) => names.includes(s.name)).map((s) => ({ start: s.start, end: s.end }))
  // An ADDENDUM revises the findings and impression: both scopes read it.
  const names = scope === 'impression' ? ['impression'] : ['findings', 'impression']
  const wanted = sections
    .filter((s) => names.includes(s.name) || (s.name === 'other' && s.header !== undefined && ADDENDUM_HEADER.test(s.header)))
    .map((s) => ({ start: s.start, end: s.end }))
  // A report without the wanted headers (free text, or unknown headers) is labelled as written.
  return wanted.length ? wanted : pick(['whole', 'other'])
}

function findTriggers(c: CompiledLabelSet, trie: CompiledLabelSet['findingTrie'], tok: Tokens, out: Trigger[]): void {
  out.length = 0
  const norm = tok.norm
  const n = norm.length
  for (let i = 0; i < n; ) {
    let node = trie.next?.get(norm[i])
    if (!node) {
      i++
      continue
    }
    let bestEnd = -1
    let bestOut: number[] | null = null
    for (let j = i; ; ) {
      if (node.out) {
        bestEnd = j + 1
        bestOut = node.out
      }
      j++
      if (j >= n || !node.next) break
      const nx = node.next.get(norm[j])
      if (!nx) break
      node = nx
    }
    if (bestOut) {
      out.push({ start: i, end: bestEnd, rules: bestOut })
      i = bestEnd
    } else i++
  }
  void c
}

/** The first end of `tail` within MAX_GAP tokens after `from`, in the same clause; -1 if none. */
function findTail(norm: readonly string[], from: number, tail: readonly string[]): number {
  const n = norm.length
  const last = Math.min(n - tail.length, from + MAX_GAP)
  for (let k = from; k <= last; k++) {
    const t = norm[k]
    // ":" may sit inside: "heart size: enlarged" (field style)
    if (t === ';' || t === '.' || t === ',') return -1
    let ok = true
    for (let m = 0; m < tail.length; m++) {
      if (norm[k + m] !== tail[m]) {
        ok = false
        break
      }
    }
    if (ok) return k + tail.length
  }
  return -1
}

function findMentions(
  c: CompiledLabelSet,
  tok: Tokens,
  out: Mention[],
  coveredUntil: Int32Array,
  excluded: Mention[] | null
): void {
  out.length = 0
  coveredUntil.fill(0)
  const norm = tok.norm
  const n = norm.length
  const terms = c.terms
  // per start position: best (longest) entry per concept; few concepts match at one position
  const bestEntry: number[] = []
  const bestEnd: number[] = []
  for (let i = 0; i < n; i++) {
    let node = c.termTrie.next?.get(norm[i])
    if (!node) continue
    bestEntry.length = 0
    bestEnd.length = 0
    for (let j = i; ; ) {
      if (node.out) {
        for (const e of node.out) {
          const entry = terms[e]
          let end = j + 1
          if (entry.tail) {
            end = findTail(norm, j + 1, entry.tail)
            if (end < 0) continue
          }
          // longest per concept; exclusions win ties so "hernia repair" beats "hernia"
          let k = 0
          while (k < bestEntry.length && terms[bestEntry[k]].concept !== entry.concept) k++
          if (k === bestEntry.length) {
            bestEntry.push(e)
            bestEnd.push(end)
          } else if (end > bestEnd[k] || (end === bestEnd[k] && entry.kind === TermKind.Exclusion)) {
            bestEntry[k] = e
            bestEnd[k] = end
          }
        }
      }
      j++
      if (j >= n || !node.next) break
      const nx = node.next.get(norm[j])
      if (!nx) break
      node = nx
    }
    for (let k = 0; k < bestEntry.length; k++) {
      const entry = terms[bestEntry[k]]
      const concept = entry.concept
      const end = bestEnd[k]
      if (entry.kind === TermKind.Exclusion) {
        if (excluded) excluded.push({ entry: bestEntry[k], concept, start: i, end })
        // drop this concept's mentions overlapping the exclusion, block it until the exclusion ends
        for (let m = out.length - 1; m >= 0; m--) {
          if (out[m].concept === concept && out[m].end > i) out.splice(m, 1)
        }
        coveredUntil[concept] = Math.max(coveredUntil[concept], end)
        continue
      }
      if (i < coveredUntil[concept]) continue
      out.push({ entry: bestEntry[k], concept, start: i, end })
      coveredUntil[concept] = end
    }
  }
}

/** Per-sentence scope boundaries as prefix counts over token positions (see fillScopePrefixes). */
interface ScopeArrays {
  /** Terminators starting before token k. */
  block: Int32Array
  /** Commas before token k. */
  comma: Int32Array
  /** Clause-starting commas before token k ("no pneumothorax, the heart is enlarged"). */
  clause: Int32Array
}

/** How the deciding trigger reached the mention. */
const enum Reach {
  Window = 0,
  /** Beyond the window, over a coordinated list ("no A, B, C, ... or Z"). */
  List = 1,
  Inside = 2
}

interface Decision {
  outcome: Outcome
  /** Index into triggers of the deciding trigger, or -1. */
  trigger: number
  rule: number
  dist: number
  reach: Reach
  /** Set when a negation won over a hedge it governs ("no opacity to suggest pneumonia"): the hedge's trigger. */
  governedHedge: number
  /** Set when stacked hedges were resolved to the weakest: the closer, stronger hedge's trigger. */
  strongerHedge: number
}

/** List breaks between tokens a and b (see fillListPrefix), computed on first need per sentence. */
function listBreaks(c: CompiledLabelSet, sc: Scratch, a: number, b: number): number {
  if (!sc.listReady) fillListPrefix(c, sc, sc.findingTriggers)
  return sc.list[b] - sc.list[a]
}

/**
 * Decides one mention's context. Closest trigger in scope wins; a negation that governs a following
 * hedge ("no opacity to suggest pneumonia", "no definite ...") wins over the hedge unless a comma
 * separates them (a new list item); of several hedges in scope the weakest decides. A forward trigger
 * stops at a terminator and at a comma that starts a new clause; a forward negation reaches past its
 * window over a coordinated list of any length ("no A, B, C, D, E, F or G").
 */
function decide(c: CompiledLabelSet, sc: Scratch, triggers: Trigger[], sa: ScopeArrays, m: Mention): Decision {
  const rules = c.rules
  const maxWindow = c.maxWindow
  const { block, comma, clause } = sa

  let best = -1
  let bestRule = -1
  let bestDist = 1 << 30
  let bestCat = 0
  let bestReach = Reach.Window
  let negFwd = -1
  let negFwdRule = -1
  let negFwdDist = 0
  let negFwdReach = Reach.Window
  let possible = -1
  let possibleRule = -1
  let possibleDist = 1 << 30
  // triggers are in text order; only those within the widest window can apply (keeps long sentences linear)
  const from = m.start - maxWindow
  const to = m.end + maxWindow
  let lo = 0
  let hi = triggers.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (triggers[mid].end < from) lo = mid + 1
    else hi = mid
  }
  for (let t = lo; t < triggers.length && triggers[t].start <= to; t++) {
    const tr = triggers[t]
    for (const ri of tr.rules) {
      const r = rules[ri]
      const cat = r.category
      if (cat === 'pseudo' || cat === 'terminator') continue
      let dist: number
      let reach = Reach.Window
      if (tr.end <= m.start) {
        if (r.direction === 'backward') continue
        dist = m.start - tr.end
        if (block[m.start] - block[tr.end] > 0 || clause[m.start] - clause[tr.end] > 0) continue
        if (dist > r.window) {
          if (cat !== 'negation' || r.target === 'anatomy' || listBreaks(c, sc, tr.end, m.start) > 0) continue
          reach = Reach.List
        }
        if (cat === 'negation') {
          negFwd = t
          negFwdRule = ri
          negFwdDist = dist
          negFwdReach = reach
        }
      } else if (tr.start >= m.end) {
        if (r.direction === 'forward') continue
        dist = tr.start - m.end
        if (dist > r.window || block[tr.start] - block[m.end] > 0) continue
      } else if (tr.start >= m.start && tr.end <= m.end) {
        // inside the mention: "heart is not enlarged", "borderline heart size"
        if (cat !== 'negation' && cat !== 'uncertainty') continue
        dist = 0
        reach = Reach.Inside
      } else continue
      if (cat === 'uncertainty' && r.strength === 'possible' && dist < possibleDist) {
        possible = t
        possibleRule = ri
        possibleDist = dist
      }
      const rank = cat === 'negation' ? 3 : cat === 'uncertainty' ? 2 : 1
      if (dist < bestDist || (dist === bestDist && rank > bestCat)) {
        best = t
        bestRule = ri
        bestDist = dist
        bestCat = rank
        bestReach = reach
      }
    }
  }
  // a negation further back still covers the mention when a coordinated list joins them
  if (negFwd < 0 && lo > 0) {
    for (let t = lo - 1; t >= 0; t--) {
      const tr = triggers[t]
      if (tr.end > m.start) continue
      if (block[m.start] - block[tr.end] > 0 || clause[m.start] - clause[tr.end] > 0) break
      let found = -1
      for (const ri of tr.rules) {
        const r = rules[ri]
        if (r.category === 'negation' && r.direction !== 'backward' && r.target !== 'anatomy') found = ri
      }
      if (found < 0) continue
      if (listBreaks(c, sc, tr.end, m.start) > 0) break
      negFwd = t
      negFwdRule = found
      negFwdDist = m.start - tr.end
      negFwdReach = Reach.List
      if (best < 0) {
        best = t
        bestRule = found
        bestDist = negFwdDist
        bestReach = Reach.List
      }
      break
    }
  }
  const out = sc.decision
  out.governedHedge = -1
  out.strongerHedge = -1
  if (best < 0) return setDecision(out, Outcome.Positive, -1, -1, 0, Reach.Window)
  const cat = rules[bestRule].category
  if (cat === 'uncertainty' && negFwd >= 0 && negFwd !== best) {
    const neg = triggers[negFwd]
    const unc = triggers[best]
    if (neg.end <= unc.start && comma[unc.start] - comma[neg.end] === 0) {
      out.governedHedge = best
      return setDecision(out, Outcome.Negative, negFwd, negFwdRule, negFwdDist, negFwdReach)
    }
  }
  // stacked hedges take the weakest: "could be effusion versus scarring" is only possible
  if (cat === 'uncertainty' && possible >= 0) {
    if (possible !== best) out.strongerHedge = best
    return setDecision(out, Outcome.Uncertain, possible, possibleRule, possibleDist, Reach.Window)
  }
  const outcome = cat === 'negation' ? Outcome.Negative : cat === 'uncertainty' ? Outcome.Uncertain : Outcome.Unasserted
  return setDecision(out, outcome, best, bestRule, bestDist, bestReach)
}

function setDecision(d: Decision, outcome: Outcome, trigger: number, rule: number, dist: number, reach: Reach): Decision {
  d.outcome = outcome
  d.trigger = trigger
  d.rule = rule
  d.dist = dist
  d.reach = reach
  return d
}

/** Reusable scratch buffers (labelReport is called millions of times; avoid per-call allocation). */
class Scratch {
  tok: Tokens = { norm: [], start: [], end: [] }
  findingTriggers: Trigger[] = []
  anatomyTriggers: Trigger[] = []
  mentions: Mention[] = []
  coveredUntil: Int32Array
  blockF = new Int32Array(256)
  blockA = new Int32Array(256)
  comma = new Int32Array(256)
  clause = new Int32Array(256)
  list = new Int32Array(256)
  resetAt = new Int32Array(256)
  stamp = 0
  listReady = false
  /** decide()'s answer, reused (read before the next call). */
  decision: Decision = { outcome: 0, trigger: -1, rule: -1, dist: 0, reach: 0, governedHedge: -1, strongerHedge: -1 }
  constructor(concepts: number) {
    this.coveredUntil = new Int32Array(Math.max(1, concepts))
  }
  ensure(n: number): void {
    if (this.blockF.length <= n) {
      const size = Math.max(n + 1, this.blockF.length * 2)
      this.blockF = new Int32Array(size)
      this.blockA = new Int32Array(size)
      this.comma = new Int32Array(size)
      this.clause = new Int32Array(size)
      this.list = new Int32Array(size)
      this.resetAt = new Int32Array(size)
      this.stamp = 0
    }
  }
}
const scratchByCompiled = new WeakMap<CompiledLabelSet, Scratch>()

function fillBlockPrefix(rules: ContextRule[], triggers: Trigger[], n: number, out: Int32Array): void {
  // out[k] = number of scope blockers (terminators) starting before token k
  let t = 0
  let count = 0
  for (let k = 0; k <= n; k++) {
    out[k] = count
    while (t < triggers.length && triggers[t].start === k) {
      if (triggers[t].rules.some((ri) => rules[ri].category === 'terminator')) count++
      t++
    }
    while (t < triggers.length && triggers[t].start < k) t++
  }
}

/**
 * Commas and clause-starting separators as prefix counts (see ScopeArrays). A comma (or "and") starts a
 * clause when the item after it holds a field separator or a verb of its own that is not followed by a
 * passive ("..., the heart is enlarged" starts a clause; "..., or effusion is seen" does not).
 */
function fillClausePrefixes(c: CompiledLabelSet, sc: Scratch, n: number): void {
  const norm = sc.tok.norm
  const flags = c.wordFlags
  const seps = c.clauseSeparators
  let commas = 0
  let clauses = 0
  for (let k = 0; k <= n; k++) {
    sc.comma[k] = commas
    sc.clause[k] = clauses
    if (k === n) break
    const tok = norm[k]
    if (tok === ',') commas++
    if (tok === ',' || seps.includes(tok)) {
      for (let j = k + 1; j < n; j++) {
        const w = norm[j]
        if (w === ';' || w === '.') break
        const f = flags.get(w)
        if (f === undefined) continue
        if (f & WordFlag.ClauseSeparator) break
        if (f & WordFlag.FieldSeparator || (f & WordFlag.ClauseVerb && !((flags.get(norm[j + 1]) ?? 0) & WordFlag.Passive))) {
          clauses++
          break
        }
      }
    }
  }
  sc.listReady = false
}

/**
 * List breaks as prefix counts, computed only when a negation is looked for beyond its window: a break
 * at each token that makes its list item longer than maxListItem (items restart after list separators
 * and after negation triggers).
 */
function fillListPrefix(c: CompiledLabelSet, sc: Scratch, triggers: Trigger[]): void {
  const norm = sc.tok.norm
  const n = norm.length
  const stamp = ++sc.stamp
  for (const tr of triggers) {
    for (const ri of tr.rules) {
      if (c.rules[ri].category === 'negation') {
        sc.resetAt[tr.end] = stamp
        break
      }
    }
  }
  const flags = c.wordFlags
  let breaks = 0
  let run = 0
  for (let k = 0; k <= n; k++) {
    sc.list[k] = breaks
    if (k === n) break
    if (sc.resetAt[k] === stamp) run = 0
    if ((flags.get(norm[k]) ?? 0) & WordFlag.ListSeparator) run = 0
    else if (++run > c.maxListItem) breaks++
  }
  sc.listReady = true
}

export interface LabelReportOptions {
  /**
   * 'all' (default, CheXpert convention): any hedge makes a finding uncertain. 'probable': only
   * probable hedges ("likely", "suspected", "borderline", "versus") do; findings that are merely
   * possible ("may represent", "cannot exclude", "differential includes") are left unasserted
   * (not_mentioned, the hedge kept as evidence) - closer to how human coders assign labels.
   */
  hedging?: 'all' | 'probable'
  /**
   * When given, every mention, its governing trigger and outcome, and every excluded term are recorded
   * here as the report is labelled (the same pass that decides; see explainReport).
   */
  trace?: ReportTrace
}

/** What labelReport records when asked to (options.trace). */
export interface ReportTrace {
  /** The parts of the text that were read (the scope). */
  spans: Span[]
  mentions: MentionTrace[]
  exclusions: ExclusionTrace[]
}

export interface TraceTrigger {
  rule: string
  phrase: string
  category: ContextRule['category']
  direction: ContextRule['direction']
  window: number
  strength?: 'probable' | 'possible'
  /** True for a rule from the label set's own site rules. */
  site: boolean
  text: string
  start: number
  end: number
  /** Tokens between trigger and mention. */
  distance: number
  /** Where the trigger stands relative to the mention. */
  side: 'before' | 'after' | 'inside'
  /** How it reached the mention: within its window, or over a coordinated list beyond it. */
  reach: 'window' | 'list'
}

export interface MentionTrace {
  /** The labels this mention feeds. */
  labels: string[]
  sentence: Span
  /** The mention (rule = the lexicon term). */
  mention: Evidence
  kind: 'term' | 'anatomy'
  /** A term that only suggests the finding (a possible hedge in itself). */
  suggestive: boolean
  trigger?: TraceTrigger
  /** A hedge in scope that a governing negation overrode ("no opacity to suggest pneumonia"). */
  overriddenHedge?: TraceTrigger
  /** A stronger hedge in scope; the weaker one decided. */
  strongerHedge?: TraceTrigger
  /** Mention outcome: what it contributes to its labels. */
  outcome: 'positive' | 'uncertain' | 'negative' | 'not_asserted' | 'ignored'
  /** Why, in words. */
  reason: string
}

export interface ExclusionTrace {
  labels: string[]
  /** The exclusion that matched (e.g. 'exclusion:emphysema "bullous emphysema"'). */
  rule: string
  text: string
  start: number
  end: number
}

const OUTCOME_NAMES = ['not_asserted', 'negative', 'uncertain', 'positive'] as const

function traceTrigger(
  c: CompiledLabelSet,
  text: string,
  tok: Tokens,
  triggers: Trigger[],
  t: number,
  ri: number,
  m: Mention,
  reach: Reach
): TraceTrigger {
  const tr = triggers[t]
  const r = c.rules[ri]
  const side = tr.end <= m.start ? 'before' : tr.start >= m.end ? 'after' : 'inside'
  return {
    rule: r.id,
    phrase: r.phrase,
    category: r.category,
    direction: r.direction,
    window: r.window,
    ...(r.strength ? { strength: r.strength } : {}),
    site: ri >= c.rules.length - c.siteRules,
    text: text.slice(tok.start[tr.start], tok.end[tr.end - 1]),
    start: tok.start[tr.start],
    end: tok.end[tr.end - 1],
    distance: side === 'before' ? m.start - tr.end : side === 'after' ? tr.start - m.end : 0,
    side,
    reach: reach === Reach.List ? 'list' : 'window'
  }
}

function reasonFor(mt: MentionTrace, decided: Outcome, probableOnly: boolean): string {
  const tr = mt.trigger
  if (mt.kind === 'anatomy') {
    return mt.outcome === 'negative'
      ? `a normal statement about this structure ("${tr?.text}") rules the finding out`
      : 'anatomy is only used when a normal statement applies; none did'
  }
  if (!tr) {
    if (mt.suggestive) {
      return probableOnly
        ? 'the term itself only suggests the finding (a possible hedge); under hedging "probable" it is not asserted (it would be uncertain under "all")'
        : 'the term itself only suggests the finding: uncertain'
    }
    return 'no negation, hedge or history trigger in scope: asserted'
  }
  const where =
    tr.side === 'inside'
      ? 'inside the mention'
      : `${tr.distance} token(s) ${tr.side} the mention, ${tr.reach === 'list' ? `beyond its ${tr.window}-token window over a coordinated list` : `within its ${tr.window}-token window`}`
  const rule = `${tr.site ? 'site ' : ''}${tr.category}${tr.strength ? ` (${tr.strength})` : ''} trigger "${tr.text}" (${tr.rule}, ${tr.direction})`
  let why = `${rule}, ${where}`
  if (mt.overriddenHedge) why += `; it governs the hedge "${mt.overriddenHedge.text}" after it`
  if (mt.strongerHedge) why += `; of stacked hedges the weakest decides (also "${mt.strongerHedge.text}")`
  if (tr.category === 'historical') return `${why}: historical, not a current finding`
  if (decided === Outcome.Uncertain && mt.outcome === 'not_asserted') {
    return `${why}: a merely possible finding; under hedging "probable" it is not asserted and the hedge is kept as evidence (it would be uncertain under "all")`
  }
  return `${why}: ${mt.outcome}`
}

/**
 * Labels one report. `sections` come from the section splitter (empty = one section, the whole text);
 * `scope` picks the sections to read. Returns one decision per label of the set, in label order.
 * Pure and deterministic: the same input gives the same output.
 */
export function labelReport(
  text: string,
  sections: readonly Section[],
  c: CompiledLabelSet,
  scope: TextScope = 'whole',
  options: LabelReportOptions = {}
): LabelDecision[] {
  const probableOnly = options.hedging === 'probable'
  const trace = options.trace
  let sc = scratchByCompiled.get(c)
  if (!sc) {
    sc = new Scratch(c.concepts.length)
    scratchByCompiled.set(c, sc)
  }
  const acc: LabelAcc[] = c.labels.map(() => ({ outcome: -1, evidence: [], rule: undefined }))
  const rules = c.rules
  const excluded: Mention[] | null = trace ? [] : null
  const spans = selectScope(text, sections, scope)
  if (trace) trace.spans = spans
  for (const span of spans) {
    for (const sent of splitSentences(text, span.start, span.end)) {
      const tok = tokenize(text, sent.start, sent.end, sc.tok)
      const n = tok.norm.length
      if (n === 0) continue
      if (excluded) excluded.length = 0
      findMentions(c, tok, sc.mentions, sc.coveredUntil, excluded)
      if (trace && excluded) {
        for (const x of excluded) {
          trace.exclusions.push({
            labels: c.concepts[x.concept].labels.map((li) => c.labels[li]),
            rule: c.terms[x.entry].id,
            text: text.slice(tok.start[x.start], tok.end[x.end - 1]),
            start: tok.start[x.start],
            end: tok.end[x.end - 1]
          })
        }
      }
      if (sc.mentions.length === 0) continue
      sc.ensure(n)
      findTriggers(c, c.findingTrie, tok, sc.findingTriggers)
      fillBlockPrefix(rules, sc.findingTriggers, n, sc.blockF)
      fillClausePrefixes(c, sc, n)
      let anatomyReady = false
      const scopeF: ScopeArrays = { block: sc.blockF, comma: sc.comma, clause: sc.clause }
      let scopeA: ScopeArrays = scopeF
      for (const m of sc.mentions) {
        const entry = c.terms[m.entry]
        const isAnatomy = entry.kind === TermKind.Anatomy
        let triggers = sc.findingTriggers
        let sa = scopeF
        if (isAnatomy) {
          if (!anatomyReady) {
            findTriggers(c, c.anatomyTrie, tok, sc.anatomyTriggers)
            fillBlockPrefix(rules, sc.anatomyTriggers, n, sc.blockA)
            scopeA = { block: sc.blockA, comma: sc.comma, clause: sc.clause }
            anatomyReady = true
          }
          triggers = sc.anatomyTriggers
          sa = scopeA
        }
        const d = decide(c, sc, triggers, sa, m)
        let outcome = d.outcome
        if (probableOnly && outcome === Outcome.Uncertain && rules[d.rule].strength === 'possible') {
          outcome = Outcome.Unasserted
        }
        let ignored = false
        if (isAnatomy) {
          if (outcome !== Outcome.Negative) ignored = true // anatomy only ever says "normal"
        } else if (outcome === Outcome.Positive && entry.uncertain) {
          // a term that only suggests the finding is a possible-strength hedge
          outcome = probableOnly ? Outcome.Unasserted : Outcome.Uncertain
        }
        const mentionEv: Evidence = {
          start: tok.start[m.start],
          end: tok.end[m.end - 1],
          text: text.slice(tok.start[m.start], tok.end[m.end - 1]),
          rule: entry.id
        }
        if (trace) {
          const mt: MentionTrace = {
            labels: c.concepts[m.concept].labels.map((li) => c.labels[li]),
            sentence: { start: sent.start, end: sent.end },
            mention: mentionEv,
            kind: isAnatomy ? 'anatomy' : 'term',
            suggestive: entry.uncertain,
            outcome: ignored ? 'ignored' : OUTCOME_NAMES[outcome],
            reason: ''
          }
          if (d.trigger >= 0) mt.trigger = traceTrigger(c, text, tok, triggers, d.trigger, d.rule, m, d.reach)
          if (d.governedHedge >= 0) {
            const g = triggers[d.governedHedge]
            const ri = g.rules.find((x) => rules[x].category === 'uncertainty') ?? g.rules[0]
            mt.overriddenHedge = traceTrigger(c, text, tok, triggers, d.governedHedge, ri, m, Reach.Window)
          }
          if (d.strongerHedge >= 0) {
            const g = triggers[d.strongerHedge]
            const ri = g.rules.find((x) => rules[x].category === 'uncertainty') ?? g.rules[0]
            mt.strongerHedge = traceTrigger(c, text, tok, triggers, d.strongerHedge, ri, m, Reach.Window)
          }
          mt.reason = reasonFor(mt, d.outcome, probableOnly)
          trace.mentions.push(mt)
        }
        if (ignored) continue
        let triggerEv: Evidence | undefined
        let rule = entry.id
        if (d.trigger >= 0) {
          const tr = triggers[d.trigger]
          rule = rules[d.rule].id
          triggerEv = {
            start: tok.start[tr.start],
            end: tok.end[tr.end - 1],
            text: text.slice(tok.start[tr.start], tok.end[tr.end - 1]),
            rule
          }
        }
        for (const li of c.concepts[m.concept].labels) {
          const a = acc[li]
          if (outcome > a.outcome) {
            a.outcome = outcome
            a.evidence = []
            a.rule = rule
          }
          if (outcome === a.outcome && a.evidence.length < MAX_EVIDENCE) {
            a.evidence.push(mentionEv)
            if (triggerEv) a.evidence.push(triggerEv)
          }
        }
      }
    }
  }

  const decisions: LabelDecision[] = c.labels.map((label, li) => {
    const a = acc[li]
    const state: LabelState =
      a.outcome === Outcome.Positive
        ? 'positive'
        : a.outcome === Outcome.Uncertain
          ? 'uncertain'
          : a.outcome === Outcome.Negative
            ? 'negative'
            : 'not_mentioned'
    const d: LabelDecision = { label, state, evidence: a.evidence }
    if (a.rule) d.rule = a.rule
    return d
  })
  if (c.noFindingIndex >= 0) applyChexpertAggregation(c, decisions)
  return decisions
}

/** CheXpert's "No Finding" (shared with every engine: src/common/labelsets/noFinding.ts). */
function applyChexpertAggregation(c: CompiledLabelSet, decisions: LabelDecision[]): void {
  const others = decisions.filter((_d, i) => i !== c.noFindingIndex && !c.noFindingIgnores[i])
  decisions[c.noFindingIndex] = deriveNoFinding(c.labels[c.noFindingIndex], others)
}
