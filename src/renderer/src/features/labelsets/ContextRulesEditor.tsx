// Site context rules of a custom label set: trigger phrases (a local idiom such as "nil", "?", "query"
// or a language's own negations) with category, direction, window and, for hedges, strength. Rows are
// edited here or pasted as JSON; validation is the label set's (common/labelsets/validate).
import { useState } from 'react'
import { CONTEXT_CATEGORIES } from '../../../../common/rules/types'
import type { SiteContextRule } from '../../../../common/types'

export interface RuleRow {
  phrase: string
  category: SiteContextRule['category']
  direction: NonNullable<SiteContextRule['direction']>
  window: string
  strength: '' | 'probable' | 'possible'
  id?: string
  note?: string
}

export function ruleRowsOf(rules: readonly SiteContextRule[] | undefined): RuleRow[] {
  return (rules ?? []).map((r) => ({
    phrase: r.phrase,
    category: r.category,
    direction: r.direction ?? (r.category === 'pseudo' || r.category === 'terminator' ? 'both' : 'forward'),
    window: r.window === undefined ? '' : String(r.window),
    strength: r.strength ?? '',
    ...(r.id ? { id: r.id } : {}),
    ...(r.note ? { note: r.note } : {})
  }))
}

/** Rows as the definition's contextRules (undefined when none); numbers stay as typed so validation names them. */
export function rulesOfRows(rows: RuleRow[]): unknown[] | undefined {
  if (rows.length === 0) return undefined
  return rows.map((r) => ({
    ...(r.id ? { id: r.id } : {}),
    phrase: r.phrase,
    category: r.category,
    direction: r.direction,
    ...(r.window.trim() ? { window: /^\d+$/.test(r.window.trim()) ? Number(r.window.trim()) : r.window } : {}),
    ...(r.strength && r.category === 'uncertainty' ? { strength: r.strength } : {}),
    ...(r.note ? { note: r.note } : {})
  }))
}

const EMPTY: RuleRow = { phrase: '', category: 'negation', direction: 'forward', window: '6', strength: '' }

export function ContextRulesEditor({ rows, onChange }: { rows: RuleRow[]; onChange(rows: RuleRow[]): void }): React.JSX.Element {
  const [json, setJson] = useState<string | null>(null)
  const [jsonError, setJsonError] = useState<string>()
  const set = (i: number, patch: Partial<RuleRow>): void => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const importJson = (): void => {
    setJsonError(undefined)
    try {
      const value = JSON.parse(json ?? '') as unknown
      const list = Array.isArray(value) ? value : (value as { contextRules?: unknown })?.contextRules
      if (!Array.isArray(list)) throw new Error('expected a JSON array of rules, or an object with "contextRules": [...]')
      onChange([...rows, ...ruleRowsOf(list as SiteContextRule[])])
      setJson(null)
    } catch (err) {
      setJsonError(`Could not read the rules: ${(err as Error).message}`)
    }
  }
  return (
    <section className="stack" aria-label="Site context rules">
      <h4>Site context rules</h4>
      <p className="small muted">
        Add your site's own trigger phrases; they are compiled with the built-in rules, and one with the same phrase as a built-in
        rule replaces it. Direction: forward applies to findings after the phrase (“nil pneumothorax”), backward to findings before it
        (“effusion: nil”). Window: tokens between phrase and finding (default 6). Saved with the label set's version; runs record them in
        their rules fingerprint.
      </p>
      {rows.length ? (
        <table className="data" aria-label="Context rules">
          <thead>
            <tr>
              <th>Phrase</th>
              <th>Category</th>
              <th>Direction</th>
              <th>Window</th>
              <th>Strength</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td>
                  <input aria-label={`Rule ${i + 1} phrase`} value={r.phrase} onChange={(e) => set(i, { phrase: e.target.value })} placeholder="nil" />
                </td>
                <td>
                  <select aria-label={`Rule ${i + 1} category`} value={r.category} onChange={(e) => set(i, { category: e.target.value as RuleRow['category'] })}>
                    {CONTEXT_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <select aria-label={`Rule ${i + 1} direction`} value={r.direction} onChange={(e) => set(i, { direction: e.target.value as RuleRow['direction'] })}>
                    <option value="forward">forward</option>
                    <option value="backward">backward</option>
                    <option value="both">both</option>
                  </select>
                </td>
                <td>
                  <input aria-label={`Rule ${i + 1} window`} className="narrow" inputMode="numeric" value={r.window} onChange={(e) => set(i, { window: e.target.value })} />
                </td>
                <td>
                  {r.category === 'uncertainty' ? (
                    <select aria-label={`Rule ${i + 1} strength`} value={r.strength || 'possible'} onChange={(e) => set(i, { strength: e.target.value as RuleRow['strength'] })}>
                      <option value="possible">possible</option>
                      <option value="probable">probable</option>
                    </select>
                  ) : (
                    <span className="muted small">—</span>
                  )}
                </td>
                <td>
                  <button className="secondary small" onClick={() => onChange(rows.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">No site rules: the built-in rules apply.</p>
      )}
      <div className="row">
        <button className="secondary small" onClick={() => onChange([...rows, { ...EMPTY }])}>
          Add rule
        </button>
        <button className="secondary small" onClick={() => setJson(json === null ? '' : null)}>
          {json === null ? 'Import rules (JSON)…' : 'Close import'}
        </button>
      </div>
      {json !== null ? (
        <div className="stack">
          <label className="small">
            Paste a JSON array of rules, e.g. [{'{'}"phrase": "nil", "category": "negation", "direction": "forward", "window": 4{'}'}]
            <textarea aria-label="Rules JSON" rows={4} value={json} onChange={(e) => setJson(e.target.value)} />
          </label>
          {jsonError ? (
            <p className="error small" role="alert">
              {jsonError}
            </p>
          ) : null}
          <div className="row">
            <button className="small" onClick={importJson} disabled={!json.trim()}>
              Add these rules
            </button>
          </div>
        </div>
      ) : null}
    </section>
  )
}
