// Run scope from CLI flags (`radlabel detect`, `radlabel batch export`): which reports of the
// workspace to label. The run driver resolves and validates the scope (src/node/engines/scope.ts).
import { existsSync, readFileSync } from 'node:fs'
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { RunScope } from '../../../common/ipc/calls/detect'

export interface ScopeFlags {
  batch?: string[]
  limit?: string
  sample?: string
  seed?: string
  reviewSet?: string
  unlabelledBy?: string
  ids?: string
}

export function addScopeFlags(cmd: Command): Command {
  return cmd
    .option('--batch <id...>', 'scope: only the reports of these import batches')
    .option('--limit <n>', 'scope: only the first N reports (by import order)')
    .option('--sample <n>', 'scope: a random sample of N reports (reproducible with --seed)')
    .option('--seed <s>', 'scope: seed of --sample (default 1)')
    .option('--review-set <name>', 'scope: only the reports of this review set (name or id)')
    .option('--unlabelled-by <source>', 'scope: only reports this source (run, imported or curated labels; name or id) has not labelled')
    .option('--ids <file|a,b,c>', 'scope: only these report ids: a file with one id per line, or ids separated by commas')
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new AppError('invalid_input', `${flag} needs a positive whole number, not "${value}".`)
  }
  return Number(value)
}

/** Report ids from `--ids`: a file (one per line; blank lines and # comments skipped) or a comma list. */
export function readIdList(value: string): string[] {
  const fromFile = existsSync(value)
  const text = fromFile ? readFileSync(value, 'utf8') : value
  const ids = (fromFile ? text.split(/\r?\n/) : text.split(','))
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'))
  if (ids.length === 0) {
    throw new AppError('invalid_input', fromFile ? `${value} lists no report ids.` : '--ids lists no report ids.', 'Give a file with one id per line, or ids separated by commas.')
  }
  return ids
}

export function scopeFromFlags(flags: ScopeFlags): RunScope {
  const scope: RunScope = {}
  const batchIds = (flags.batch ?? []).map((b) => positiveInt('--batch', b))
  if (batchIds.length) scope.batchIds = batchIds
  if (flags.limit !== undefined && flags.sample !== undefined) {
    throw new AppError('invalid_input', '--limit and --sample cannot be combined.', 'Use --limit N for the first N reports, or --sample N --seed S for a random sample.')
  }
  if (flags.seed !== undefined && flags.sample === undefined) throw new AppError('invalid_input', '--seed applies to --sample only.')
  if (flags.limit !== undefined) scope.limit = positiveInt('--limit', flags.limit)
  if (flags.sample !== undefined) {
    scope.sample = { size: positiveInt('--sample', flags.sample), seed: flags.seed === undefined ? 1 : Number(flags.seed) }
    if (!Number.isInteger(scope.sample.seed) || scope.sample.seed < 0) throw new AppError('invalid_input', `--seed needs a whole number ≥ 0, not "${flags.seed}".`)
  }
  if (flags.reviewSet !== undefined) scope.reviewSet = flags.reviewSet
  if (flags.unlabelledBy !== undefined) scope.unlabelledBy = flags.unlabelledBy
  if (flags.ids !== undefined) scope.reportKeys = readIdList(flags.ids)
  return scope
}
