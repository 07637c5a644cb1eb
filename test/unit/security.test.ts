import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../../src/common/security'

describe('security policy', () => {
  it('allows only the app itself: no remote scripts, connections, frames or objects', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]))
    expect(directives.get('default-src')).toEqual(["'self'"])
    expect(directives.get('script-src')).toEqual(["'self'"])
    expect(directives.get('connect-src')).toEqual(["'self'"])
    expect(directives.get('object-src')).toEqual(["'none'"])
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*|unsafe-eval/)
  })

  it('ships the same policy in the renderer page itself', () => {
    const html = readFileSync(resolve(import.meta.dirname, '../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    // frame-ancestors is ignored in a meta tag, so the header (Electron and harness) carries it alone.
    expect(meta).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''))
  })

  it('has no unsafe-inline anywhere: styles come from our stylesheet only', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]))
    expect(directives.get('style-src')).toEqual(["'self'"])
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
  })

  it('treats only app://radlabel and the dev server origin as the app, never file://', () => {
    expect(isAppUrl('app://radlabel/index.html', undefined)).toBe(true)
    expect(isAppUrl('app://radlabel/index.html#/import?x=1', undefined)).toBe(true)
    expect(isAppUrl('file:///opt/RadLabel/resources/app.asar/out/renderer/index.html', undefined)).toBe(false)
    expect(isAppUrl('file:///home/user/Downloads/dropped.html', undefined)).toBe(false)
    expect(isAppUrl('app://evil/index.html', undefined)).toBe(false)
    expect(isAppUrl('app://radlabel:80/index.html', undefined)).toBe(false)
    expect(isAppUrl('app://user@radlabel/index.html', undefined)).toBe(false)
    expect(isAppUrl('https://example.org/', undefined)).toBe(false)
    expect(isAppUrl('http://localhost:5173/src/main.tsx', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5173.evil.test/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('not a url', 'http://localhost:5173')).toBe(false)
    expect(isAppUrl('not a url', undefined)).toBe(false)
  })
})
