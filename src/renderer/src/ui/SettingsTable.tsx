// A run's (or any job's) settings as a readable two-column table: setting names as the forms label
// them, values in words; nested values (adapters, templates) one line each.
import { FIELD_LABELS } from '../../../common/ipc/validation'

const words = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase()

/** "contextSize" -> "Context size (tokens per sequence)", using the forms' own names where known. */
export function settingName(key: string): string {
  const known = FIELD_LABELS[key]?.label.replace(/^(a|an|the) /, '')
  const text = known ?? words(key)
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function valueText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'string') return v.replace(/_/g, ' ')
  if (typeof v === 'number') return v.toLocaleString()
  if (Array.isArray(v)) return v.length ? v.map(valueText).join('; ') : 'none'
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
    // A file path inside an object (adapters) reads best first.
    return entries.map(([k, x]) => `${words(k)} ${valueText(x)}`).join(', ')
  }
  return String(v)
}

export function SettingsTable({ settings, label }: { settings: Record<string, unknown>; label: string }): React.JSX.Element {
  const rows = Object.entries(settings).filter(([k, v]) => v !== undefined && k !== 'template')
  if (rows.length === 0) return <p className="small muted">Default settings.</p>
  return (
    <table className="data settings-table" aria-label={label}>
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{settingName(k)}</th>
            <td className={typeof v === 'string' && /[\\/]/.test(v) ? 'mono small' : undefined}>{valueText(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
