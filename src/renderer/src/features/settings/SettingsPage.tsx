import { useState } from 'react'
import { call } from '../../app/api'
import { useCall } from '../../app/hooks'
import { ErrorBanner, PageHeader } from '../../ui/states'
import { applyTheme, readThemePreference, type ThemePreference } from './theme'

export function SettingsPage(): React.JSX.Element {
  const info = useCall('app.info', {})
  const [path, setPath] = useState('')
  const [error, setError] = useState<Error>()
  const [busy, setBusy] = useState(false)
  const [theme, setTheme] = useState<ThemePreference>(readThemePreference)

  const open = async (target: string): Promise<void> => {
    setBusy(true)
    setError(undefined)
    try {
      await call('app.openWorkspace', { path: target })
      info.reload()
      setPath('')
    } catch (err) {
      setError(err as Error)
    } finally {
      setBusy(false)
    }
  }

  const choose = async (): Promise<void> => {
    try {
      const [picked] = await call('dialog.openFiles', { title: 'Open or create a workspace', filters: [{ name: 'RadLabel workspace', extensions: ['db'] }] })
      if (picked) await open(picked)
    } catch (err) {
      setError(err as Error)
    }
  }

  return (
    <>
      <PageHeader title="Settings" />
      <section className="card">
        <h2>Workspace</h2>
        <p className="muted">
          A workspace is one database file holding reports, runs, reviews and evaluations. Current:{' '}
          <span className="mono">{info.data?.workspacePath ?? '…'}</span>
        </p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            if (path.trim()) void open(path.trim())
          }}
        >
          <label className="grow">
            Open or create a workspace at
            <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/site-workspace.db" />
          </label>
          <button type="submit" disabled={busy || !path.trim()}>
            Open
          </button>
          {info.data?.runtime === 'electron' ? (
            <button type="button" className="secondary" onClick={() => void choose()}>
              Choose…
            </button>
          ) : null}
        </form>
        {error ? <ErrorBanner error={error} /> : null}
      </section>
      <section className="card">
        <h2>Appearance</h2>
        <fieldset className="row" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <label key={t} className="inline">
              <input
                type="radio"
                name="theme"
                checked={theme === t}
                onChange={() => {
                  setTheme(t)
                  applyTheme(t)
                }}
              />{' '}
              {t === 'system' ? 'Follow the system (reading rooms: dark)' : t[0].toUpperCase() + t.slice(1)}
            </label>
          ))}
        </fieldset>
      </section>
    </>
  )
}
