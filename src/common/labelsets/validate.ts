// Validation of a custom label set (from the UI or a JSON file) with errors a user can act on.
import { z } from 'zod'
import { AppError } from '../errors'
import type { LabelSetDefinition } from '../types'
import { normaliseLabelName } from './names'

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
    aggregation: z.enum(['chexpert', 'none']).optional()
  })
  .superRefine((set, ctx) => {
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
    'Fix the listed fields. A label set is {"slug", "name", "labels": [{"name", "description"?, "terms"?: [...], "exclusions"?: [...]}]}.',
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
