// Which prompt template a run uses (built-in by name, stored in the workspace, or a JSON file) and how
// provenance records it. Shared by the llm and server engines.
import { readFileSync } from 'node:fs'
import { AppError } from '../../../common/errors'
import { formatZodError } from '../../../common/ipc/validation'
import { BUILTIN_TEMPLATES, promptTemplateSchema, type PromptTemplate } from './prompts'

/**
 * Templates stored in a workspace are passed in `config.template`; built-ins are found by name; the CLI
 * may also give a template as a JSON file (--prompt-template my-template.json).
 */
export function resolveTemplate(config: { template?: PromptTemplate; promptTemplate: string }): PromptTemplate {
  if (config.template) return config.template
  if (/\.json$/i.test(config.promptTemplate)) {
    let text: string
    try {
      text = readFileSync(config.promptTemplate, 'utf8')
    } catch {
      throw new AppError('not_found', `The prompt template file ${config.promptTemplate} cannot be read.`, 'Check the path.')
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      throw new AppError('invalid_input', `${config.promptTemplate} is not valid JSON: ${(err as Error).message}`)
    }
    const parsed = promptTemplateSchema.safeParse(json)
    if (!parsed.success) throw new AppError('invalid_input', `${config.promptTemplate} is not a prompt template: ${formatZodError(parsed.error)}`)
    return parsed.data
  }
  const builtin = BUILTIN_TEMPLATES.find((t) => t.name === config.promptTemplate)
  if (!builtin) {
    throw new AppError(
      'not_found',
      `There is no prompt template "${config.promptTemplate}".`,
      `Built-in templates: ${BUILTIN_TEMPLATES.map((t) => t.name).join(', ')}; workspace templates are listed on the Models page.`
    )
  }
  return builtin
}

/** JSON with sorted object keys, to compare data regardless of key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v
  )
}

/** Name, version and whether the template differs from the built-in one of that name and version. */
export function templateProvenance(template: PromptTemplate): { name: string; version: number; custom: boolean } {
  const builtin = BUILTIN_TEMPLATES.find((t) => t.name === template.name && t.version === template.version)
  return { name: template.name, version: template.version, custom: !builtin || stableJson(builtin) !== stableJson(template) }
}
