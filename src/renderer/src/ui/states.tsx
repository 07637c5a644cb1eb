// The designed states every screen has: empty, loading, error.
import type { ReactNode } from 'react'
import { ApiError } from '../app/api'

export function EmptyState({ title, children }: { title: string; children?: ReactNode }): React.JSX.Element {
  return (
    <div className="empty-state" role="status">
      <h2>{title}</h2>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  )
}

export function Loading({ what }: { what: string }): React.JSX.Element {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  )
}

export function ErrorBanner({ error, onRetry }: { error: Error | string; onRetry?: () => void }): React.JSX.Element {
  const data = error instanceof ApiError ? error.data : undefined
  const message = typeof error === 'string' ? error : (data?.message ?? error.message)
  return (
    <div className="error-banner" role="alert">
      <strong>{message}</strong>
      {data?.hint ? <div>{data.hint}</div> : null}
      {onRetry ? (
        <button className="secondary small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  )
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }): React.JSX.Element {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </header>
  )
}
