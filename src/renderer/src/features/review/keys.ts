// The review screen's keyboard map: one place, so the help overlay lists exactly what the handler does.
import type { LabelState } from '../../../../common/types'

export const STATE_KEYS: Record<string, LabelState> = { p: 'positive', n: 'negative', u: 'uncertain', m: 'not_mentioned' }

/** Key hint of the label at `index`: 1..9, 0, then ⇧1..⇧9. */
export function labelKey(index: number): string | null {
  if (index < 9) return String(index + 1)
  if (index === 9) return '0'
  if (index < 19) return `⇧${index - 9}`
  return null
}

/** The label index a digit key chooses (e.code keeps the digit when Shift is held), or null. */
export function labelIndexFromKey(e: Pick<KeyboardEvent, 'code' | 'shiftKey'>): number | null {
  const m = /^(?:Digit|Numpad)(\d)$/.exec(e.code)
  if (!m) return null
  const d = Number(m[1])
  if (e.shiftKey) return d === 0 ? null : 9 + d
  return d === 0 ? 9 : d - 1
}

export const SHORTCUTS: { keys: string[]; what: string; adjudicator?: boolean }[] = [
  { keys: ['1', '…', '9', '0'], what: 'Choose label 1 to 10 (⇧1 … ⇧9: labels 11 to 19)' },
  { keys: ['↓', 'j'], what: 'Next label' },
  { keys: ['↑', 'k'], what: 'Previous label' },
  { keys: ['p'], what: 'Chosen label: positive (then the next label)' },
  { keys: ['n'], what: 'Chosen label: negative' },
  { keys: ['u'], what: 'Chosen label: uncertain' },
  { keys: ['m'], what: 'Chosen label: not mentioned' },
  { keys: ['Backspace'], what: 'Withdraw your decision on the chosen label' },
  { keys: ['a', 'b'], what: "Adjudication: take reader A's / reader B's state", adjudicator: true },
  { keys: ['Enter'], what: 'Report done (undecided labels take the pre-filled state, else not mentioned); go to the next open report' },
  { keys: ['→', ']'], what: 'Next report (without marking it done)' },
  { keys: ['←', '['], what: 'Previous report' },
  { keys: ['z', 'Ctrl+Z'], what: 'Undo the last decision (also on an earlier report)' },
  { keys: ['f'], what: 'Flag / unflag the report' },
  { keys: ['c'], what: 'Write a comment (Esc leaves the box; the comment is saved when you leave it)' },
  { keys: ['?'], what: 'Show / hide this list' },
  { keys: ['Esc'], what: 'Close this list' }
]
