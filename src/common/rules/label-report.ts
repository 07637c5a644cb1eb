// The rules engine: finds lexicon mentions sentence by sentence, decides each mention's context
// (negated, uncertain, historical) from the context rules in scope, and resolves one state per label
// per report (positive > uncertain > negative > not mentioned), with evidence and the deciding rule.
import type { Evidence, LabelDecision, LabelState, Section, Span, TextScope } from '../types'
import { splitSentences } from '../text/sentences'
import { deriveNoFinding } from '../labelsets/noFinding'
import { MAX_GAP, TermKind, type CompiledLabelSet } from './compile'
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

/** The parts of the text a scope selects (see TextScope); no sections = the whole text. */
export function selectScope(text: string, sections: readonly Section[], scope: TextScope): Span[] {
  if (scope === 'whole' || sections.length === 0) return [{ start: 0, end: text.length }]
  const pick = (names: string[]): Span[] =>
    sections.filter((s) => names.includes(s.name)).map((s) => ({ start: s.start, end: s.end }))
  const wanted = pick(scope === 'impression' ? ['impression'] : ['findings', 'impression'])
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
    if (t === ';' || t === '.' || t === ':' || t === ',') return -1
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

function findMentions(c: CompiledLabelSet, tok: Tokens, out: Mention[], coveredUntil: Int32Array): void {
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

/**
 * Decides one mention's context. Returns the outcome and the trigger that decided it (or -1).
 * Closest trigger in scope wins; a negation that governs a following hedge ("no opacity to suggest
 * pneumonia", "no definite ...") wins over the hedge unless a comma separates them (a new list item);
 * of several hedges in scope the weakest decides.
 */
function decide(
  rules: ContextRule[],
  triggers: Trigger[],
  blockPrefix: Int32Array,
  commaPrefix: Int32Array,
  m: Mention,
  maxWindow: number
): { outcome: Outcome; trigger: number; rule: number } {
  let best = -1
  let bestRule = -1
  let bestDist = 1 << 30
  let bestCat = 0
  let negFwd = -1
  let negFwdRule = -1
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
      if (tr.end <= m.start) {
        if (r.direction === 'backward') continue
        dist = m.start - tr.end
        if (dist > r.window || blockPrefix[m.start] - blockPrefix[tr.end] > 0) continue
        if (cat === 'negation') {
          negFwd = t
          negFwdRule = ri
        }
      } else if (tr.start >= m.end) {
        if (r.direction === 'forward') continue
        dist = tr.start - m.end
        if (dist > r.window || blockPrefix[tr.start] - blockPrefix[m.end] > 0) continue
      } else if (tr.start >= m.start && tr.end <= m.end) {
        // inside the mention: "heart is not enlarged", "borderline heart size"
        if (cat !== 'negation' && cat !== 'uncertainty') continue
        dist = 0
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
      }
    }
  }
  if (best < 0) return { outcome: Outcome.Positive, trigger: -1, rule: -1 }
  const cat = rules[bestRule].category
  if (cat === 'uncertainty' && negFwd >= 0 && negFwd !== best) {
    const neg = triggers[negFwd]
    const unc = triggers[best]
    if (neg.end <= unc.start && commaPrefix[unc.start] - commaPrefix[neg.end] === 0) {
      return { outcome: Outcome.Negative, trigger: negFwd, rule: negFwdRule }
    }
  }
  // stacked hedges take the weakest: "could be effusion versus scarring" is only possible
  if (cat === 'uncertainty' && possible >= 0) return { outcome: Outcome.Uncertain, trigger: possible, rule: possibleRule }
  return {
    outcome: cat === 'negation' ? Outcome.Negative : cat === 'uncertainty' ? Outcome.Uncertain : Outcome.Unasserted,
    trigger: best,
    rule: bestRule
  }
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
  constructor(concepts: number) {
    this.coveredUntil = new Int32Array(Math.max(1, concepts))
  }
  ensure(n: number): void {
    if (this.blockF.length <= n) {
      const size = Math.max(n + 1, this.blockF.length * 2)
      this.blockF = new Int32Array(size)
      this.blockA = new Int32Array(size)
      this.comma = new Int32Array(size)
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

export interface LabelReportOptions {
  /**
   * 'all' (default, CheXpert convention): any hedge makes a finding uncertain. 'probable': only
   * probable hedges ("likely", "suspected", "borderline", "versus") do; findings that are merely
   * possible ("may represent", "cannot exclude", "differential includes") are left unasserted
   * (not_mentioned, the hedge kept as evidence) - closer to how human coders assign labels.
   */
  hedging?: 'all' | 'probable'
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
  let sc = scratchByCompiled.get(c)
  if (!sc) {
    sc = new Scratch(c.concepts.length)
    scratchByCompiled.set(c, sc)
  }
  const acc: LabelAcc[] = c.labels.map(() => ({ outcome: -1, evidence: [], rule: undefined }))
  const rules = c.rules
  for (const span of selectScope(text, sections, scope)) {
    for (const sent of splitSentences(text, span.start, span.end)) {
      const tok = tokenize(text, sent.start, sent.end, sc.tok)
      const n = tok.norm.length
      if (n === 0) continue
      findMentions(c, tok, sc.mentions, sc.coveredUntil)
      if (sc.mentions.length === 0) continue
      sc.ensure(n)
      findTriggers(c, c.findingTrie, tok, sc.findingTriggers)
      fillBlockPrefix(rules, sc.findingTriggers, n, sc.blockF)
      let anatomyReady = false
      let commaCount = 0
      for (let k = 0; k <= n; k++) {
        sc.comma[k] = commaCount
        if (k < n && tok.norm[k] === ',') commaCount++
      }
      for (const m of sc.mentions) {
        const entry = c.terms[m.entry]
        const isAnatomy = entry.kind === TermKind.Anatomy
        let triggers = sc.findingTriggers
        let block = sc.blockF
        if (isAnatomy) {
          if (!anatomyReady) {
            findTriggers(c, c.anatomyTrie, tok, sc.anatomyTriggers)
            fillBlockPrefix(rules, sc.anatomyTriggers, n, sc.blockA)
            anatomyReady = true
          }
          triggers = sc.anatomyTriggers
          block = sc.blockA
        }
        const d = decide(rules, triggers, block, sc.comma, m, c.maxWindow)
        let outcome = d.outcome
        if (probableOnly && outcome === Outcome.Uncertain && rules[d.rule].strength === 'possible') {
          outcome = Outcome.Unasserted
        }
        if (isAnatomy) {
          if (outcome !== Outcome.Negative) continue // anatomy only ever says "normal"
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
