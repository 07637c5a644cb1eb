// README's command-line examples run as written, from a copy of the checkout's examples/ folder:
// each `npx radlabel ...` line of the CLI section (in order, one workspace) must exit 0.
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const root = resolve(import.meta.dirname, '../..')

/** Splits a shell line into words: "double" and 'single' quotes, a trailing # comment. */
function shellWords(line: string): string[] {
  const words: string[] = []
  let word: string | null = null
  let quote: string | null = null
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote) {
      if (c === quote) quote = null
      else word = (word ?? '') + c
    } else if (c === '"' || c === "'") {
      quote = c
      word ??= ''
    } else if (c === ' ' || c === '\t') {
      if (word !== null) words.push(word)
      word = null
    } else if (c === '#' && word === null) {
      break
    } else word = (word ?? '') + c
  }
  if (word !== null) words.push(word)
  return words
}

function needsOutsideResources(args: string[]): boolean {
  if (['train', 'models', 'endpoints', 'compare'].includes(args[0])) return true
  const engine = args[args.indexOf('--engine') + 1]
  if (args.includes('--engine') && (engine === 'llm' || engine === 'server')) return true
  return args.some((a) => a.startsWith('/models/') || /^https?:/.test(a))
}

function cliSectionCommands(): string[][] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## The `radlabel` command line'), readme.indexOf('## The UI without Electron'))
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1])
  return blocks
    .flatMap((block) => block.split('\n'))
    .filter((line) => line.startsWith('npx radlabel'))
    .map((line) => shellWords(line).slice(2))
}

describe("README's command-line section", () => {
  const dir = tempDir('radlabel-readme-')
  afterAll(() => dir.cleanup())

  it('names files that ship with the checkout', () => {
    expect(existsSync(join(root, 'examples', 'reports.csv'))).toBe(true)
    expect(existsSync(join(root, 'examples', 'gold.csv'))).toBe(true)
  })

  it('runs every example as written, in order, on one workspace', () => {
    cpSync(join(root, 'examples'), join(dir.dir, 'examples'), { recursive: true })
    const commands = cliSectionCommands()
    expect(commands.length).toBeGreaterThan(8)
    const ran: string[] = []
    for (const args of commands) {
      // Need what no checkout has: a real model file, a GPU server, a training kit (their own tests use
      // generated models and stub servers).
      if (needsOutsideResources(args)) continue
      // Need a review set with decisions made in the UI (the README says so); covered by review-cli tests.
      if (args[0] === 'review' && args[1] === 'export') continue
      if (args[0] === 'export' && args[1] === 'dataset') continue
      const result = runCli(args, { cwd: dir.dir, timeoutMs: 120_000 })
      expect({ args, code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ args, code: 0, stderr: '' })
      ran.push(args[0])
    }
    expect(ran).toEqual(expect.arrayContaining(['import', 'import-labels', 'detect', 'eval', 'label', 'review']))
    expect(existsSync(join(dir.dir, 'report.html'))).toBe(true)
    expect(readFileSync(join(dir.dir, 'labels.csv'), 'utf8').split('\n')[0]).toMatch(/^accession,No Finding,/)
  }, 300_000)
})
