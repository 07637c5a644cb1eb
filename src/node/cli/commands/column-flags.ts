// One vocabulary of column flags for every command that reads a report file (`import`, `label`):
// --id-column, --text-column (one column, or several separated by commas), --findings-column,
// --impression-column, ... The older `--text-columns c1,c2` of `label` is kept as a hidden alias.
import { Option, type Command } from 'commander'
import { AppError } from '../../../common/errors'
import { MAPPED_SECTIONS, suggestMapping, type FieldMapping, type MappedSection, type MetaField } from '../../../common/import/mapping'

export interface ColumnFlags {
  idColumn?: string
  textColumn?: string
  /** Old spelling of --text-column with several columns (label). */
  textColumns?: string
  findingsColumn?: string
  impressionColumn?: string
  indicationColumn?: string
  comparisonColumn?: string
  techniqueColumn?: string
  studyDateColumn?: string
  modalityColumn?: string
  patientIdColumn?: string
  accessionColumn?: string
}

const SECTION_FLAGS: [keyof ColumnFlags, MappedSection, string][] = [
  ['findingsColumn', 'findings', 'findings'],
  ['impressionColumn', 'impression', 'impression'],
  ['indicationColumn', 'indication', 'indication/history'],
  ['comparisonColumn', 'comparison', 'comparison'],
  ['techniqueColumn', 'technique', 'technique']
]
const META_FLAGS: [keyof ColumnFlags, MetaField, string][] = [
  ['studyDateColumn', 'studyDate', 'study date'],
  ['modalityColumn', 'modality', 'modality'],
  ['patientIdColumn', 'patientId', 'patient id'],
  ['accessionColumn', 'accession', 'accession number']
]

const kebab = (s: string): string => `--${s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`

export function addColumnFlags(cmd: Command): Command {
  cmd
    .option('--id-column <name>', 'field with the report id (default: guessed; none = content hash or record number)')
    .option('--text-column <name[,name]>', 'field with the whole report text; several (comma-separated) become sections named after them')
    .addOption(new Option('--text-columns <c1,c2>', 'same as --text-column').hideHelp())
  for (const [key, , what] of SECTION_FLAGS) cmd.option(`${kebab(key)} <name>`, `field with the ${what} section`)
  for (const [key, , what] of META_FLAGS) cmd.option(`${kebab(key)} <name>`, `field with the ${what}`)
  return cmd
}

const norm = (s: string): string => s.toLowerCase().replace(/[\s_\-.]+/g, '')
const SECTION_ALIASES: Record<string, MappedSection> = {
  findings: 'findings',
  finding: 'findings',
  impression: 'impression',
  impressions: 'impression',
  conclusion: 'impression',
  indication: 'indication',
  history: 'indication',
  comparison: 'comparison',
  technique: 'technique'
}

/** Which flag named each column (for error messages). */
type Named = { flag: string; column: string }

/**
 * The mapping the flags ask for (absent parts unset), or undefined when no column flag was given.
 * Throws a readable error for contradictory flags; `fields`, when known, are checked too.
 */
export function columnOverrides(o: ColumnFlags, fields?: readonly string[]): FieldMapping | undefined {
  const named: Named[] = []
  const m: FieldMapping = {}
  if (o.idColumn) {
    m.idField = o.idColumn
    named.push({ flag: '--id-column', column: o.idColumn })
  }
  const textFlag = o.textColumn ? '--text-column' : '--text-columns'
  const textList = [o.textColumn, o.textColumns].filter(Boolean).join(',')
  const textCols = textList.split(',').map((c) => c.trim()).filter(Boolean)
  const sections: Partial<Record<MappedSection, string>> = {}
  for (const [key, section] of SECTION_FLAGS) {
    const col = o[key]
    if (!col) continue
    sections[section] = col
    named.push({ flag: kebab(key), column: col })
  }
  if (textCols.length && Object.keys(sections).length) {
    throw new AppError('invalid_input', 'Use either --text-column or section columns (--findings-column ...), not both.')
  }
  for (const c of textCols) named.push({ flag: textFlag, column: c })
  if (textCols.length === 1) m.textField = textCols[0]
  else if (textCols.length > 1) {
    // several columns become sections named after them (findings, impression, ...); one other column
    for (const c of textCols) {
      const name = SECTION_ALIASES[norm(c)] ?? 'other'
      if (sections[name]) {
        throw new AppError(
          'invalid_input',
          `${textFlag}: "${c}" and "${sections[name]}" would both be the ${name} section.`,
          `Name at most one column that is not a section (${MAPPED_SECTIONS.join(', ')}), or pass a single text column.`
        )
      }
      sections[name] = c
    }
  }
  if (Object.keys(sections).length) m.sectionFields = sections
  const meta: Partial<Record<MetaField, string>> = {}
  for (const [key, field] of META_FLAGS) {
    const col = o[key]
    if (!col) continue
    meta[field] = col
    named.push({ flag: kebab(key), column: col })
  }
  if (Object.keys(meta).length) m.meta = meta
  if (fields) {
    for (const n of named) {
      if (!fields.includes(n.column)) {
        throw new AppError('invalid_input', `${n.flag}: there is no column "${n.column}" in the input.`, `Columns: ${fields.join(', ')}.`)
      }
    }
  }
  return named.length ? m : undefined
}

/** The mapping for a file: the flags' columns over the mapping suggested from its fields. */
export function mappingFromFlags(fields: readonly string[], o: ColumnFlags): FieldMapping {
  const given = columnOverrides(o, fields)
  const mapping: FieldMapping = { ...suggestMapping(fields) }
  if (!given) return mapping
  if (given.idField) mapping.idField = given.idField
  if (given.textField || given.sectionFields) {
    delete mapping.textField
    delete mapping.sectionFields
    if (given.textField) mapping.textField = given.textField
    if (given.sectionFields) mapping.sectionFields = given.sectionFields
  }
  if (given.meta) mapping.meta = { ...mapping.meta, ...given.meta }
  if (mapping.meta) {
    // metadata must not reuse a text column
    const text = new Set([mapping.textField, ...Object.values(mapping.sectionFields ?? {})])
    mapping.meta = Object.fromEntries(Object.entries(mapping.meta).filter(([, f]) => !text.has(f)))
  }
  return mapping
}
