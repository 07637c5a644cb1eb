// What the Evaluate form proposes before the user chooses, and the sample size below which its figures
// are shown greyed out. Pure, so the renderer and the tests share it.

/**
 * Below this many reports in common, precision/recall/F1 and their intervals move by a large step with
 * every single report, and paired p-values are not worth printing: the screen greys the figures out
 * and says why.
 */
export const MIN_REPORTS_FOR_STATISTICS = 30

export interface DefaultableSource {
  id: number
  kind: 'run' | 'imported' | 'curated'
  reportCount: number
  createdAt: string
  /** A labeler run's status; null for imported and curated sources. */
  runStatus?: string | null
  /** False while an import or run is still writing the source, or when it stopped part-way. */
  complete?: boolean
}

/**
 * The reference: curated review labels when they cover at least the minimum, else the imported labels
 * covering the most reports, if they reach it; never a run, never a handful of reports (the user still
 * may choose one). The prediction: the newest run that completed.
 */
export function defaultEvaluationSources(sources: readonly DefaultableSource[], min = MIN_REPORTS_FOR_STATISTICS): { ref: number | null; preds: number[] } {
  const big = (s: DefaultableSource): boolean => s.reportCount >= min && s.complete !== false
  const bySize = (a: DefaultableSource, b: DefaultableSource): number => b.reportCount - a.reportCount || b.id - a.id
  const curated = sources.filter((s) => s.kind === 'curated' && big(s)).sort(bySize)
  const imported = sources.filter((s) => s.kind === 'imported' && big(s)).sort(bySize)
  const ref = curated[0] ?? imported[0] ?? null
  const runs = sources
    .filter((s) => s.kind === 'run' && s.id !== ref?.id && (s.runStatus ?? 'completed') === 'completed' && s.complete !== false && s.reportCount > 0)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id)
  return { ref: ref?.id ?? null, preds: runs[0] ? [runs[0].id] : [] }
}
