// A labelled <select> whose first option stands for "none chosen" (detect, any, whole workspace …).
export interface SelectOption {
  value: string | number
  label: string
}

export function SelectField(props: {
  label: string
  value: string | number | undefined
  onChange(value: string): void
  options: SelectOption[]
  /** Text of the empty-value option; omit to offer none. */
  emptyLabel?: string
  /** Value the empty option stands for (default ''). */
  emptyValue?: string
  className?: string
}): React.JSX.Element {
  return (
    <label className={props.className}>
      {props.label}
      <select value={props.value ?? props.emptyValue ?? ''} onChange={(e) => props.onChange(e.target.value)}>
        {props.emptyLabel !== undefined ? <option value={props.emptyValue ?? ''}>{props.emptyLabel}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  )
}
