// The `rules` engine: the common rules labeler (lexicon + context rules) behind the engine contract.
// Compiles the label set once per session; labelling is synchronous and fast, so a batch is large.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { BUILTIN_LABEL_CONCEPTS, CONCEPTS } from '../../../common/lexicon'
import { DEFAULT_CONTEXT_RULES, compileLabelSet, labelReport } from '../../../common/rules'
import { TEXT_SCOPES } from '../../../common/types'
import type { Engine, EngineReport, EngineResult, EngineSession, VersionedLabelSet } from '../types'

export const rulesConfigSchema = z
  .object({
    /** Which sections to read (see TextScope). */
    scope: z.enum(TEXT_SCOPES).default('findings_impression'),
    /**
     * 'probable' (default): only probable hedges ("likely", "suspected") make a finding uncertain;
     * merely possible findings ("may represent", "cannot exclude") stay unasserted. 'all': every hedge
     * gives uncertain (the CheXpert labeler's convention).
     */
    hedging: z.enum(['all', 'probable']).default('probable')
  })
  .strict()
export type RulesConfig = z.infer<typeof rulesConfigSchema>

/** A fingerprint of the lexicon and context rules, recorded on every run. */
export function rulesFingerprint(): string {
  return createHash('sha256')
    .update(JSON.stringify([CONCEPTS, BUILTIN_LABEL_CONCEPTS, DEFAULT_CONTEXT_RULES]))
    .digest('hex')
    .slice(0, 16)
}

export const rulesEngine: Engine = {
  name: 'rules',
  configSchema: rulesConfigSchema,
  batchSize: () => 500,
  async open(config: unknown, labelSet: VersionedLabelSet): Promise<EngineSession> {
    const cfg = rulesConfigSchema.parse(config ?? {})
    const compiled = compileLabelSet(labelSet, { version: labelSet.version })
    return {
      provenance: {
        engine: 'rules',
        lexiconAndRules: rulesFingerprint(),
        labelSet: `${labelSet.slug}@${labelSet.version}`,
        terms: compiled.terms.length,
        contextRules: compiled.rules.length,
        scope: cfg.scope,
        hedging: cfg.hedging
      },
      // A batch of 500 takes milliseconds: it always completes (one result per report); the driver
      // checks cancellation between batches.
      async label(batch: EngineReport[]): Promise<EngineResult[]> {
        const out: EngineResult[] = []
        for (const r of batch) {
          try {
            out.push({ reportId: r.id, ok: true, decisions: labelReport(r.text, r.sections, compiled, cfg.scope, cfg) })
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
