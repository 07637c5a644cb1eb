import { useCall, useOnJobChange } from './hooks'
import { pages } from './pages'
import { href, useRoute } from './router'
import { JobsTray } from './JobsTray'

export function App(): React.JSX.Element {
  const route = useRoute()
  const info = useCall('app.info', {})
  useOnJobChange(() => info.reload())
  const page = pages.find((p) => route.path === p.path || route.path.startsWith(`${p.path}/`)) ?? pages[0]
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          RadLabel
          <span className="brand-sub">on-site report labelling</span>
        </div>
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <a href={href(p.path)} aria-current={p === page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
        <JobsTray />
        <div className="sidebar-foot" title={info.data?.workspacePath}>
          {info.data ? (
            <>
              <div className="muted small">Workspace</div>
              <div className="small ellipsis">{info.data.workspacePath.split(/[\\/]/).pop()}</div>
              <div className="muted small">{info.data.counts.reports.toLocaleString()} reports</div>
            </>
          ) : info.error ? (
            <div className="error small">{info.error.message}</div>
          ) : null}
          <div className="muted small">Not a medical device</div>
        </div>
      </nav>
      <main className="content" id="main">
        <page.Component />
      </main>
    </div>
  )
}
