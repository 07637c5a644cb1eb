// Hash routes: '#/review?set=3&report=12'. Small on purpose; pages read their params from here.
import { useEffect, useState } from 'react'

export interface Route {
  path: string
  params: URLSearchParams
}

function parse(): Route {
  const hash = window.location.hash.replace(/^#/, '') || '/home'
  const [path, query = ''] = hash.split('?')
  return { path, params: new URLSearchParams(query) }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(parse)
  useEffect(() => {
    const onChange = (): void => setRoute(parse())
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}

export function navigate(path: string, params?: Record<string, string | number | undefined>): void {
  const query = params
    ? new URLSearchParams(
        Object.entries(params)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)])
      ).toString()
    : ''
  window.location.hash = query ? `${path}?${query}` : path
}

export function href(path: string, params?: Record<string, string | number>): string {
  const query = params ? new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString() : ''
  return `#${path}${query ? `?${query}` : ''}`
}
