// Mapping: the id field, one text field or one field per section, and optional metadata fields.
import { MAPPED_SECTIONS, META_FIELDS, type FieldMapping, type MappedSection, type MetaField } from '../../../../common/import/mapping'

const SECTION_LABEL: Record<MappedSection, string> = {
  indication: 'Indication / history',
  technique: 'Technique',
  comparison: 'Comparison',
  findings: 'Findings',
  impression: 'Impression',
  other: 'Other text'
}
const META_LABEL: Record<MetaField, string> = {
  studyDate: 'Study date',
  modality: 'Modality',
  patientId: 'Patient id',
  accession: 'Accession'
}

function FieldSelect(props: {
  label: string
  value: string | undefined
  fields: string[]
  none: string
  onChange(v: string | undefined): void
}): React.JSX.Element {
  return (
    <label>
      {props.label}
      <select aria-label={props.label} value={props.value ?? ''} onChange={(e) => props.onChange(e.target.value || undefined)}>
        <option value="">{props.none}</option>
        {props.fields.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
    </label>
  )
}

export function MappingForm(props: {
  fields: string[]
  mapping: FieldMapping
  onChange(m: FieldMapping): void
}): React.JSX.Element {
  const { fields, mapping, onChange } = props
  const bySections = !mapping.textField && mapping.sectionFields !== undefined
  const set = (patch: Partial<FieldMapping>) => onChange({ ...mapping, ...patch })
  return (
    <fieldset className="stack" aria-label="Field mapping">
      <div className="row">
        <FieldSelect
          label="Report id"
          value={mapping.idField}
          fields={fields}
          none="(none: use a hash of the text)"
          onChange={(v) => set({ idField: v })}
        />
        <fieldset className="row" aria-label="Where the text is">
          <label className="inline">
            <input
              type="radio"
              name="text-mode"
              checked={!bySections}
              onChange={() => onChange({ ...mapping, sectionFields: undefined, textField: mapping.textField ?? fields[0] })}
            />
            One text field
          </label>
          <label className="inline">
            <input
              type="radio"
              name="text-mode"
              checked={bySections}
              onChange={() => onChange({ ...mapping, textField: undefined, sectionFields: mapping.sectionFields ?? {} })}
            />
            One field per section
          </label>
        </fieldset>
      </div>
      {bySections ? (
        <div className="row">
          {MAPPED_SECTIONS.map((s) => (
            <FieldSelect
              key={s}
              label={SECTION_LABEL[s]}
              value={mapping.sectionFields?.[s]}
              fields={fields}
              none="(not in this file)"
              onChange={(v) => set({ sectionFields: { ...(mapping.sectionFields ?? {}), [s]: v } })}
            />
          ))}
        </div>
      ) : (
        <div className="row">
          <FieldSelect
            label="Report text"
            value={mapping.textField}
            fields={fields}
            none="(choose the text field)"
            onChange={(v) => set({ textField: v })}
          />
        </div>
      )}
      <div className="row">
        {META_FIELDS.map((m) => (
          <FieldSelect
            key={m}
            label={META_LABEL[m]}
            value={mapping.meta?.[m]}
            fields={fields}
            none="(none)"
            onChange={(v) => set({ meta: { ...(mapping.meta ?? {}), [m]: v } })}
          />
        ))}
      </div>
    </fieldset>
  )
}
