// Light and dark themes follow the system unless the user picks one; the choice is kept per machine.
export type ThemePreference = 'system' | 'light' | 'dark'
const KEY = 'radlabel.theme'

export function readThemePreference(): ThemePreference {
  const value = window.localStorage.getItem(KEY)
  return value === 'light' || value === 'dark' ? value : 'system'
}

export function applyTheme(preference: ThemePreference): void {
  window.localStorage.setItem(KEY, preference)
  if (preference === 'system') delete document.documentElement.dataset.theme
  else document.documentElement.dataset.theme = preference
}
