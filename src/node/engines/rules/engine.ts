// The `rules` engine: the common rules labeler (lexicon + context rules) behind the engine contract.
// Compiles the label set once per session; labelling is synchronous and fast, so a batch is large.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { BUILTIN_LABEL_CONCEPTS, CONCEPTS } from '../../../common/lexicon'
import { DEFAULT_CONTEXT_RULES, compileLabelSet, labelReport } from '../../../common/rules'
import { scopeWarning } from '../../../common/text/scope-check'
import { TEXT_SCOPES } from '../../../common/types'
import type { Engine, EngineReport, EngineResult, EngineSession, VersionedLabelSet } from '../types'

export const rulesConfigSchema = z
  .object({
    /** Which sections to read (see TextScope). */
    scope: z.enum(TEXT_SCOPES).default('findings_impression'),
    /**
     * 'all': every hedge gives uncertain (the CheXpert labeler's convention). 'probable': only probable
     * hedges ("likely", "suspected") do; merely possible findings ("may represent", "cannot exclude")
     * stay unasserted, as human coders label (MeSH-coded ChestX-ray14 labels). Default: the label
     * set's convention - 'all' for sets with CheXpert aggregation, else 'probable'.
     */
    hedging: z.enum(['all', 'probable']).optional()
  })
  .strict()
export type RulesConfig = z.infer<typeof rulesConfigSchema>

/**
 * A fingerprint of the lexicon and context rules, recorded on every run: built-in rules and, given a
 * label set, its site context rules (changing a site rule changes the fingerprint).
 */
export function rulesFingerprint(labelSet?: { contextRules?: unknown[] }): string {
  const parts: unknown[] = [CONCEPTS, BUILTIN_LABEL_CONCEPTS, DEFAULT_CONTEXT_RULES]
  if (labelSet?.contextRules?.length) parts.push(labelSet.contextRules)
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16)
}

/** In words, for run summaries and reports: what a hedging mode does. */
export function describeHedging(hedging: 'all' | 'probable'): string {
  return hedging === 'all'
    ? 'all: every hedge ("may", "cannot exclude", "likely") gives uncertain (CheXpert convention)'
    : 'probable: only probable hedges ("likely", "suspected") give uncertain; possible ones ("may", "cannot exclude", "concerning for") are left not mentioned, the hedge kept as evidence (ChestX-ray14 / MeSH coders\' convention)'
}

/**
 * The hedging convention of a label set: its own `hedging`, else CheXpert-style sets report every hedge
 * as uncertain and others only probable hedges.
 */
export function defaultHedging(labelSet: { aggregation?: string; hedging?: 'all' | 'probable' }): 'all' | 'probable' {
  return labelSet.hedging ?? (labelSet.aggregation === 'chexpert' ? 'all' : 'probable')
}

export const rulesEngine: Engine = {
  name: 'rules',
  configSchema: rulesConfigSchema,
  batchSize: () => 500,
  async open(config: unknown, labelSet: VersionedLabelSet): Promise<EngineSession> {
    const parsed = rulesConfigSchema.parse(config ?? {})
    const cfg = { ...parsed, hedging: parsed.hedging ?? defaultHedging(labelSet) }
    const compiled = compileLabelSet(labelSet, { version: labelSet.version })
    return {
      provenance: {
        engine: 'rules',
        lexiconAndRules: rulesFingerprint(labelSet),
        labelSet: `${labelSet.slug}@${labelSet.version}`,
        terms: compiled.terms.length,
        contextRules: compiled.rules.length,
        siteContextRules: compiled.siteRules,
        scope: cfg.scope,
        hedging: cfg.hedging
      },
      // A batch of 500 takes milliseconds: it always completes (one result per report); the driver
      // checks cancellation between batches.
      async label(batch: EngineReport[]): Promise<EngineResult[]> {
        const out: EngineResult[] = []
        for (const r of batch) {
          try {
            const warning = scopeWarning(r.text, r.sections, cfg.scope)
            out.push({ reportId: r.id, ok: true, decisions: labelReport(r.text, r.sections, compiled, cfg.scope, cfg), ...(warning ? { warning } : {}) })
          } catch (err) {
            out.push({ reportId: r.id, ok: false, error: `rules engine failed: ${(err as Error).message}` })
          }
        }
        return out
      },
      async close(): Promise<void> {}
    }
  }
}
