// Prompt templates of a workspace: the built-ins plus user edits, each save a new version (a run records
// name@version, so an edit never changes what an old run's provenance points to).
import { AppError } from '../../common/errors'
import type { TemplateEntry } from '../../common/ipc/calls/models'
import { formatZodError } from '../../common/ipc/validation'
import { BUILTIN_TEMPLATES, promptTemplateSchema, type PromptTemplate } from '../engines/llm/prompts'
import type { Db } from '../store/db'
import { nowIso } from '../store/db'

export type { TemplateEntry }

export function listTemplates(db: Db): TemplateEntry[] {
  const stored = (db.prepare('SELECT template_json, created_at FROM prompt_templates ORDER BY name, version').all() as {
    template_json: string
    created_at: string
  }[]).map((r) => ({ template: JSON.parse(r.template_json) as PromptTemplate, builtin: false, createdAt: r.created_at }))
  return [...BUILTIN_TEMPLATES.map((template) => ({ template, builtin: true, createdAt: null })), ...stored]
}

/** `name` (latest version) or `name@version`. */
export function getTemplate(db: Db, ref: string): PromptTemplate {
  const [name, v] = ref.split('@') as [string, string | undefined]
  const matches = listTemplates(db).filter((e) => e.template.name === name && (v === undefined || e.template.version === Number(v)))
  const found = matches.sort((a, b) => b.template.version - a.template.version)[0]
  if (!found) {
    const names = [...new Set(listTemplates(db).map((e) => e.template.name))].join(', ')
    throw new AppError('not_found', `There is no prompt template "${ref}".`, `Templates in this workspace: ${names}.`)
  }
  return found.template
}

/** Saves an edited template as the next version of its name (built-in names included). */
export function saveTemplate(db: Db, input: unknown): PromptTemplate {
  const parsed = promptTemplateSchema.safeParse({ ...(input as object), version: 1 })
  if (!parsed.success) throw new AppError('invalid_input', `Invalid prompt template: ${formatZodError(parsed.error)}`)
  const latest = listTemplates(db)
    .filter((e) => e.template.name === parsed.data.name)
    .reduce((m, e) => Math.max(m, e.template.version), 0)
  const template = { ...parsed.data, version: latest + 1 }
  db.prepare('INSERT INTO prompt_templates (name, version, template_json, created_at) VALUES (?, ?, ?, ?)').run(
    template.name,
    template.version,
    JSON.stringify(template),
    nowIso()
  )
  return template
}
