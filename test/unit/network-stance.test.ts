// Network stance: RadLabel connects only to endpoints a user configured, through one client module;
// plain http only to loopback or after a private-network acknowledgement; no credentials in URLs.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkEndpointUrl, EndpointClient, isLoopbackHost, isPrivateAddress } from '../../src/node/net/endpoint-client'
import { expectAppError } from '../support/errors'

const CLIENT_MODULE = 'src/node/net/endpoint-client.ts'

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|mts|mjs|js)$/.test(name) ? [p] : []
  })
}

describe('network stance', () => {
  it('has one module that opens outgoing connections; the renderer only talks to its own origin', () => {
    const outgoing = /\bfetch\s*\(|\bhttps?\.(request|get)\s*\(|\bnet\.(connect|request|fetch)\s*\(|createConnection\s*\(|\btls\.connect\s*\(|new\s+(WebSocket|XMLHttpRequest|EventSource)\s*\(|from\s+'(undici|axios|node-fetch|got)'/
    const offenders: string[] = []
    for (const file of sourceFiles('src')) {
      if (file === CLIENT_MODULE) continue
      const lines = readFileSync(file, 'utf8').split('\n')
      lines.forEach((line, i) => {
        if (!outgoing.test(line)) return
        // The browser harness's transport calls its own origin with relative URLs only.
        if (file.startsWith('src/renderer/') && /\(\s*[`'"]\/api\//.test(line)) return
        offenders.push(`${file}:${i + 1}: ${line.trim()}`)
      })
    }
    expect(offenders).toEqual([])
    expect(readFileSync(CLIENT_MODULE, 'utf8')).toMatch(/url\.origin !== this\.origin/)
  })

  it('allows plain http only to loopback, or to a private network after an acknowledgement', () => {
    expect(checkEndpointUrl('http://127.0.0.1:8080/v1/').toString()).toBe('http://127.0.0.1:8080/v1')
    expect(checkEndpointUrl('http://localhost:8000/v1').host).toBe('localhost:8000')
    expect(checkEndpointUrl('http://[::1]:8000/v1').hostname).toBe('[::1]')
    expectAppError(() => checkEndpointUrl('http://gpu01:8000/v1'), { code: 'forbidden', hint: /--allow-private-http/ })
    expect(checkEndpointUrl('http://gpu01:8000/v1', true).hostname).toBe('gpu01')
    expect(checkEndpointUrl('http://10.1.2.3:8000/v1', true).hostname).toBe('10.1.2.3')
    expectAppError(() => checkEndpointUrl('http://8.8.8.8/v1', true), { code: 'forbidden', message: /public address/ })
    expect(checkEndpointUrl('https://gpu01.hospital.local/v1').protocol).toBe('https:')
    expectAppError(() => checkEndpointUrl('https://user:pw@gpu01/v1'), { message: /user name or password/, hint: /--api-key-file/ })
    expectAppError(() => checkEndpointUrl('ftp://gpu01/v1'), { message: /not supported/ })
    expectAppError(() => checkEndpointUrl('gpu01:8000'), { code: 'invalid_input' })
    expectAppError(() => checkEndpointUrl('https://gpu01/v1?key=1'), { message: /query/ })
    expect(isLoopbackHost('127.8.9.1')).toBe(true)
    expect(isPrivateAddress('172.20.0.1')).toBe(true)
    expect(isPrivateAddress('172.32.0.1')).toBe(false)
    expect(isPrivateAddress('fd00::1')).toBe(true)
  })

  it('keeps every request on the configured origin', () => {
    const client = new EndpointClient({ url: 'http://127.0.0.1:9/v1' })
    expect(client.resolve('chat/completions').toString()).toBe('http://127.0.0.1:9/v1/chat/completions')
    expect(client.resolve('/props').toString()).toBe('http://127.0.0.1:9/props')
    expectAppError(() => client.resolve('//evil.example/x'), { code: 'forbidden', message: /only http:\/\/127\.0\.0\.1:9 is configured/ })
    client.close()
  })

  it('refuses a CA file on http and unreadable key or CA files with clear errors', () => {
    expectAppError(() => new EndpointClient({ url: 'http://127.0.0.1:9/v1', caFile: '/nonexistent.pem' }), { message: /only applies to https/ })
    expectAppError(() => new EndpointClient({ url: 'https://127.0.0.1:9/v1', caFile: '/nonexistent.pem' }), { code: 'not_found', message: /CA file/ })
    expectAppError(() => new EndpointClient({ url: 'http://127.0.0.1:9/v1', apiKeyFile: '/nonexistent-key' }), { code: 'not_found', message: /API key file/ })
  })
})
