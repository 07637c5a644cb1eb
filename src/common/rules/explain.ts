// Why the rules engine decided what it did, per label: every mention found, the trigger that governed
// it (category, direction, window), how its scope applied, and the decision. Built from the trace that
// labelReport records in the same pass that decides (no second implementation of the matcher).
import type { LabelDecision, Section, Span, TextScope } from '../types'
import type { CompiledLabelSet } from './compile'
import { labelReport, type ExclusionTrace, type MentionTrace, type ReportTrace } from './label-report'

export interface LabelExplanation {
  label: string
  decision: LabelDecision
  /** Mentions feeding this label, in text order. */
  mentions: MentionTrace[]
  /** Terms the lexicon excludes for this label that were found ("bullous emphysema" is not Emphysema). */
  exclusions: ExclusionTrace[]
  /** The decision in one or two sentences. */
  summary: string
}

export interface ReportExplanation {
  labelSet: string
  hedging: 'all' | 'probable'
  scope: TextScope
  /** The parts of the text that were read. */
  spans: Span[]
  labels: LabelExplanation[]
}

const STATE_WORDS: Record<string, string> = {
  positive: 'positive',
  uncertain: 'uncertain',
  negative: 'negative',
  not_mentioned: 'not mentioned'
}

function summarise(d: LabelDecision, mentions: MentionTrace[], exclusions: ExclusionTrace[], hedging: 'all' | 'probable'): string {
  if (d.rule?.startsWith('aggregation:')) return `Derived: ${STATE_WORDS[d.state]} (${d.rule.slice('aggregation:'.length)}).`
  const counts = (o: MentionTrace['outcome']): number => mentions.filter((m) => m.outcome === o).length
  const parts: string[] = []
  if (mentions.length === 0) {
    parts.push('No mention of this label in the text that was read.')
  } else {
    const winner = mentions.find((m) => (m.outcome === 'not_asserted' ? 'not_mentioned' : m.outcome) === d.state)
    const n = mentions.length
    parts.push(
      `${n} mention${n === 1 ? '' : 's'} (${['positive', 'uncertain', 'negative', 'not_asserted', 'ignored']
        .map((o) => [o, counts(o as MentionTrace['outcome'])] as const)
        .filter(([, k]) => k > 0)
        .map(([o, k]) => `${k} ${o.replace('_', ' ')}`)
        .join(', ')}); the strongest decides (positive > uncertain > negative > not mentioned).`
    )
    if (winner && d.state !== 'not_mentioned') parts.push(`Deciding mention "${winner.mention.text}": ${winner.reason}.`)
    const kept = mentions.filter((m) => m.outcome === 'not_asserted' && m.trigger?.category === 'uncertainty')
    if (d.state === 'not_mentioned' && kept.length) {
      parts.push(
        `The hedge "${kept[0].trigger?.text}" is kept as evidence but not asserted: under hedging "${hedging}" only probable hedges ("likely", "suspected") make a finding uncertain; "${kept[0].trigger?.text}" is a possible hedge. With hedging "all" (CheXpert convention) this label would be uncertain.`
      )
    } else if (d.state === 'not_mentioned' && mentions.some((m) => m.outcome === 'not_asserted' && m.suggestive)) {
      parts.push(`The term only suggests the finding; under hedging "${hedging}" it is not asserted (uncertain under "all").`)
    } else if (d.state === 'not_mentioned' && mentions.some((m) => m.trigger?.category === 'historical')) {
      parts.push('Historical mentions do not make a finding current.')
    }
  }
  if (exclusions.length) {
    const x = exclusions[0]
    parts.push(`Excluded term${exclusions.length > 1 ? 's' : ''}: "${x.text}" (${x.rule}) is not this finding, so it was not counted${exclusions.length > 1 ? ` (and ${exclusions.length - 1} more)` : ''}.`)
  }
  const state = STATE_WORDS[d.state]
  return `${state[0].toUpperCase()}${state.slice(1)}. ${parts.join(' ')}`
}

/**
 * Labels one report exactly as labelReport does and explains each label. `hedging` is the engine's
 * convention (see defaultHedging in the rules engine).
 */
export function explainReport(
  text: string,
  sections: readonly Section[],
  c: CompiledLabelSet,
  scope: TextScope,
  hedging: 'all' | 'probable'
): ReportExplanation {
  const trace: ReportTrace = { spans: [], mentions: [], exclusions: [] }
  const decisions = labelReport(text, sections, c, scope, { hedging, trace })
  return {
    labelSet: `${c.slug}@${c.version}`,
    hedging,
    scope,
    spans: trace.spans,
    labels: decisions.map((d) => {
      const mentions = trace.mentions.filter((m) => m.labels.includes(d.label))
      const exclusions = trace.exclusions.filter((x) => x.labels.includes(d.label))
      return { label: d.label, decision: d, mentions, exclusions, summary: summarise(d, mentions, exclusions, hedging) }
    })
  }
}

/** Plain-text rendering for the CLI: one block per label (only `labels` when given). */
export function formatExplanation(e: ReportExplanation, text: string, labels?: readonly string[]): string {
  const lines: string[] = [`label set ${e.labelSet} · hedging ${e.hedging} · scope ${e.scope} (${e.spans.map((s) => `chars ${s.start}-${s.end}`).join(', ')})`]
  for (const l of e.labels) {
    if (labels && !labels.some((x) => x.toLowerCase() === l.label.toLowerCase())) continue
    lines.push('', `${l.label}: ${STATE_WORDS[l.decision.state]}${l.decision.rule ? `  [rule ${l.decision.rule}]` : ''}`)
    lines.push(`  ${l.summary}`)
    for (const m of l.mentions) {
      lines.push(`  - mention "${m.mention.text}" at ${m.mention.start}-${m.mention.end} (${m.mention.rule}) -> ${m.outcome.replace('_', ' ')}`)
      lines.push(`      sentence: "${text.slice(m.sentence.start, m.sentence.end)}"`)
      if (m.trigger) {
        const t = m.trigger
        lines.push(
          `      trigger: "${t.text}" ${t.category}${t.strength ? ` (${t.strength})` : ''}, ${t.direction}, window ${t.window}, ${t.side} the mention at distance ${t.distance}${t.reach === 'list' ? ' (over a coordinated list)' : ''} [${t.rule}${t.site ? ', site rule' : ''}]`
        )
      } else lines.push('      trigger: none in scope')
      lines.push(`      why: ${m.reason}`)
    }
    for (const x of l.exclusions) lines.push(`  - excluded "${x.text}" at ${x.start}-${x.end} (${x.rule}): not counted for this label`)
  }
  return lines.join('\n')
}
