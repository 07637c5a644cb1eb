// Words for a run's scope (which reports it labels), shared by the CLI summaries and the Detect page.
import type { StoredRunScope } from './ipc/calls/detect'

/** One line saying what a scope holds, for summaries and the UI. */
export function describeScope(scope: StoredRunScope, total: number): string {
  const parts: string[] = []
  if (scope.batchIds?.length) parts.push(`import batch${scope.batchIds.length > 1 ? 'es' : ''} ${scope.batchIds.join(', ')}`)
  if (scope.reviewSet !== undefined) parts.push(`review set "${scope.reviewSetName ?? scope.reviewSet}"`)
  if (scope.unlabelledBy !== undefined) parts.push(`not labelled by "${scope.unlabelledByName ?? scope.unlabelledBy}"`)
  if (scope.reportKeysGiven || scope.reportIdsGiven) parts.push(`${(scope.reportKeysGiven ?? 0) + (scope.reportIdsGiven ?? 0)} listed report ids`)
  const filter = parts.length ? parts.join(', ') : 'all reports'
  if (scope.limit) return `first ${total} of ${filter}`
  if (scope.sample) return `random sample of ${total} (seed ${scope.sample.seed}) of ${filter}`
  return `${filter} (${total})`
}
