// Validation of a custom label set (from the UI or a JSON file) with errors a user can act on.
import { z } from 'zod'
import { AppError } from '../errors'
import type { LabelSetDefinition } from '../types'
import { normaliseLabelName } from './names'
import { tokenizePhrase } from '../rules/tokenize'
import { CONTEXT_CATEGORIES } from '../rules/types'

const phrase = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => /[\p{L}\p{N}]/u.test(s), 'must contain at least one letter or digit')

export const labelDefinitionSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'label name must not be empty')
    .max(80, 'label name must be at most 80 characters'),
  description: z.string().max(2000).optional(),
  terms: z.array(phrase).max(500, 'at most 500 terms per label').optional(),
  exclusions: z.array(phrase).max(500, 'at most 500 exclusions per label').optional()
})

/** A site context rule (see SiteContextRule and docs/RULES-ENGINE.md, "Site context rules"). */
export const siteContextRuleSchema = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'id must be 1-64 letters, digits, ".", "_" or "-"')
      .optional(),
    phrase: z
      .string()
      .trim()
      .min(1, 'phrase must not be empty')
      .max(120, 'phrase must be at most 120 characters')
      .refine((p) => tokenizePhrase(p).length > 0, 'phrase must contain a word or one of , ; : ( ) / ? . ! or a free-standing "-"'),
    category: z.enum(CONTEXT_CATEGORIES, {
      error: () => `category must be one of ${CONTEXT_CATEGORIES.join(', ')}`
    }),
    direction: z.enum(['forward', 'backward', 'both'], { error: () => 'direction must be forward, backward or both' }).optional(),
    window: z
      .number({ error: () => 'window must be a whole number of tokens from 0 to 30' })
      .int('window must be a whole number of tokens from 0 to 30')
      .min(0, 'window must be a whole number of tokens from 0 to 30')
      .max(30, 'window must be a whole number of tokens from 0 to 30')
      .optional(),
    strength: z.enum(['probable', 'possible'], { error: () => 'strength must be probable or possible' }).optional(),
    note: z.string().max(500, 'note must be at most 500 characters').optional()
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.strength && r.category !== 'uncertainty') {
      ctx.addIssue({ code: 'custom', path: ['strength'], message: `strength applies to uncertainty rules only, not ${r.category}` })
    }
  })

export const labelSetDefinitionSchema = z
  .object({
    slug: z
      .string()
      .trim()
      .regex(
        /^[a-z0-9][a-z0-9_-]{1,47}$/,
        'slug must be 2-48 characters: lower-case letters, digits, "-" or "_", starting with a letter or digit'
      ),
    name: z.string().trim().min(1, 'name must not be empty').max(120),
    description: z.string().max(4000).optional(),
    labels: z.array(labelDefinitionSchema).min(1, 'a label set needs at least one label').max(200),
    aggregation: z.enum(['chexpert', 'none']).optional(),
    hedging: z.enum(['all', 'probable'], { error: () => 'hedging must be "all" or "probable"' }).optional(),
    contextRules: z.array(siteContextRuleSchema).max(500, 'at most 500 site context rules').optional()
  })
  .superRefine((set, ctx) => {
    const phrases = new Map<string, number>()
    set.contextRules?.forEach((r, i) => {
      const key = tokenizePhrase(r.phrase).join(' ')
      const prev = phrases.get(key)
      if (prev !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['contextRules', i, 'phrase'],
          message: `"${r.phrase}" repeats context rule ${prev + 1}; one rule per phrase (case, spacing and hyphens do not matter)`
        })
      } else phrases.set(key, i)
    })
    const seen = new Map<string, number>()
    set.labels.forEach((l, i) => {
      const key = normaliseLabelName(l.name)
      const prev = seen.get(key)
      if (prev !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', i, 'name'],
          message: `"${l.name}" duplicates label ${prev + 1} ("${set.labels[prev].name}"); names are compared ignoring case, spaces, "_" and "-"`
        })
      } else seen.set(key, i)
    })
    if (set.aggregation === 'chexpert' && !set.labels.some((l) => normaliseLabelName(l.name) === 'nofinding')) {
      ctx.addIssue({
        code: 'custom',
        path: ['aggregation'],
        message: 'aggregation "chexpert" needs a label named "No Finding"'
      })
    }
  })

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const path = issue.path
  let where = path.length ? path.join('.') : '(top level)'
  // "labels.3.terms.0" -> 'labels.3 ("Nodule").terms.0' so the user finds the label by name
  if (path[0] === 'labels' && typeof path[1] === 'number') {
    const labels = (value as { labels?: { name?: unknown }[] })?.labels
    const name = labels?.[path[1]]?.name
    if (typeof name === 'string') where = `label ${path[1] + 1} ("${name}")` + (path.length > 2 ? `.${path.slice(2).join('.')}` : '')
  }
  // "contextRules.2.window" -> 'context rule 3 ("query").window'
  if (path[0] === 'contextRules' && typeof path[1] === 'number') {
    const rule = (value as { contextRules?: { phrase?: unknown }[] })?.contextRules?.[path[1]]
    const phrase = typeof rule?.phrase === 'string' ? ` ("${rule.phrase}")` : ''
    where = `context rule ${path[1] + 1}${phrase}` + (path.length > 2 ? `.${path.slice(2).join('.')}` : '')
  }
  return `${where}: ${issue.message}`
}

/**
 * Parses a custom label set (already JSON-decoded). Throws `AppError('invalid_input')` listing every
 * problem with where it is; `source` names the file or form for the message.
 */
export function parseLabelSetDefinition(value: unknown, source = 'label set'): LabelSetDefinition {
  const result = labelSetDefinitionSchema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.slice(0, 10).map((i) => describeIssue(i, value))
  const more = result.error.issues.length > 10 ? ` (and ${result.error.issues.length - 10} more)` : ''
  throw new AppError(
    'invalid_input',
    `Invalid ${source}: ${problems.join('; ')}${more}`,
    'Fix the listed fields. A label set is {"slug", "name", "labels": [{"name", "description"?, "terms"?: [...], "exclusions"?: [...]}], "contextRules"?: [{"phrase", "category", "direction"?, "window"?, "strength"?}]}.',
    { issues: result.error.issues }
  )
}

/** Parses label-set JSON text; a syntax error names the position. */
export function parseLabelSetJson(text: string, source = 'label set file'): LabelSetDefinition {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new AppError(
      'invalid_input',
      `${source} is not valid JSON: ${(err as Error).message}`,
      'Check the file in a text editor or JSON validator; it must hold one JSON object.'
    )
  }
  return parseLabelSetDefinition(value, source)
}
