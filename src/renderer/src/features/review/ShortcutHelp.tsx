// The `?` overlay: every shortcut the review screen answers to (from keys.ts, the handler's own map).
import type { DecisionRole } from '../../../../common/ipc/calls/review'
import { SHORTCUTS } from './keys'

export function ShortcutHelp({ role, onClose }: { role: DecisionRole; onClose(): void }): React.JSX.Element {
  return (
    <div className="review-help-backdrop" onClick={onClose}>
      <div className="card review-help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="data">
          <tbody>
            {SHORTCUTS.filter((s) => !s.adjudicator || role === 'adjudicator').map((s) => (
              <tr key={s.what}>
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small muted">Every decision is saved the moment you make it.</p>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  )
}
