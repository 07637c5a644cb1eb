// `radlabel label` streams without --db: same rows as the stored-run path, nothing left in the temp
// folder, an output folder that must exist, and one column-flag vocabulary shared with `import`.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CLI, runCli } from '../support/cli'
import { tempDir } from '../support/workspace'

const dir = tempDir('radlabel-label-stream-')
afterAll(() => dir.cleanup())

const HEAD = 'report_id,findings,impression'
const ROWS = [
  'A1,"Heart size is normal. Small left pleural effusion.","Left basilar atelectasis."',
  'A2,"The lungs are clear. No pneumothorax.","No acute disease."',
  'A3,,',
  'A4,"Moderate cardiomegaly.","Cardiomegaly."'
]
const input = join(dir.dir, 'in.csv')
writeFileSync(input, [HEAD, ...ROWS].join('\n'))

/** What a run left in a temp folder, apart from tsx's compile cache (source code, no report text). */
const leftIn = (tmp: string): string[] => readdirSync(tmp).filter((n) => !n.startsWith('tsx-'))

/** A private temp folder per run, so the test sees exactly what the command leaves there. */
function privateTmp(name: string): string {
  const t = join(dir.dir, name)
  mkdirSync(t, { recursive: true })
  return t
}

describe('radlabel label without --db (streaming)', () => {
  it('writes the same rows as the stored-run path, and nothing is left in the temp folder', () => {
    const tmp = privateTmp('tmp1')
    const streamed = join(dir.dir, 'streamed.csv')
    const s = runCli(['label', input, '--out', streamed, '--json'], { env: { TMPDIR: tmp } })
    expect(s.code).toBe(2)
    const summary = JSON.parse(s.stdout) as { rows: number; labelled: number; rejected: number; workspace: string | null }
    expect(summary).toMatchObject({ rows: 4, labelled: 3, rejected: 1, workspace: null })
    expect(leftIn(tmp)).toEqual([])
    const stored = join(dir.dir, 'stored.csv')
    const d = runCli(['label', input, '--out', stored, '--db', join(dir.dir, 'w.db')])
    expect(d.code).toBe(2)
    expect(readFileSync(streamed, 'utf8')).toBe(readFileSync(stored, 'utf8'))
    expect(readFileSync(streamed, 'utf8').split('\n')[3]).toBe('A3' + ','.repeat(14))
    expect(s.stderr).toMatch(/rejected .*record 3: report text is empty \(written with empty labels\)/)
  })

  it('refuses an output folder that does not exist instead of creating it', () => {
    const out = join(dir.dir, 'missing-dir', 'x.csv')
    const r = runCli(['label', input, '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/the folder .*missing-dir does not exist/)
    expect(existsSync(join(dir.dir, 'missing-dir'))).toBe(false)
  })

  it('removes stale temporary workspaces of earlier versions, keeps fresh ones', () => {
    const tmp = privateTmp('tmp2')
    const stale = join(tmp, 'radlabel-label-abc123')
    const fresh = join(tmp, 'radlabel-label-def456')
    for (const d of [stale, fresh]) {
      mkdirSync(d)
      writeFileSync(join(d, 'label.db'), 'report text')
    }
    const old = new Date(Date.now() - 3600_000)
    utimesSync(join(stale, 'label.db'), old, old)
    utimesSync(stale, old, old)
    const r = runCli(['label', input, '--out', join(dir.dir, 'stale.csv')], { env: { TMPDIR: tmp } })
    expect(r.code).toBe(2)
    expect(existsSync(stale)).toBe(false)
    expect(existsSync(fresh)).toBe(true)
  })

  it('a killed label leaves no report text behind (no workspace, no final output)', async () => {
    const tmp = privateTmp('tmp3')
    const big = join(dir.dir, 'big.csv')
    const lines = [HEAD]
    for (let i = 0; i < 400_000; i++) lines.push(`B${i},"Small right pleural effusion number ${i}. No pneumothorax.","Effusion."`)
    writeFileSync(big, lines.join('\n'))
    const out = join(dir.dir, 'killed.csv')
    const child = spawn(process.execPath, [CLI, 'label', big, '--out', out], { env: { ...process.env, TMPDIR: tmp }, stdio: 'pipe' })
    // Listen for the exit before anything can end the child, and kill it once it is writing its output
    // (not after a fixed delay, which a fast machine outruns and a slow one never reaches).
    const exited = new Promise((r) => child.once('exit', r))
    const deadline = Date.now() + 45_000
    while (!existsSync(`${out}.partial`) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(child.exitCode, 'label finished before it could be killed: make the input larger').toBeNull()
    child.kill('SIGKILL')
    await exited
    expect(leftIn(tmp)).toEqual([])
    expect(existsSync(out)).toBe(false)
    if (existsSync(`${out}.partial`)) expect(readFileSync(`${out}.partial`, 'utf8')).not.toMatch(/effusion number/)
  })

  it('takes the column flags of import: --findings-column / --impression-column, --text-column a,b, old --text-columns', () => {
    const a = join(dir.dir, 'flags-a.csv')
    const b = join(dir.dir, 'flags-b.csv')
    const c = join(dir.dir, 'flags-c.csv')
    expect(runCli(['label', input, '--out', a, '--id-column', 'report_id', '--findings-column', 'findings', '--impression-column', 'impression']).code).toBe(2)
    expect(runCli(['label', input, '--out', b, '--text-column', 'findings,impression']).code).toBe(2)
    expect(runCli(['label', input, '--out', c, '--text-columns', 'findings,impression']).code).toBe(2)
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'))
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(c, 'utf8'))
    const imp = join(dir.dir, 'imp.csv')
    expect(runCli(['label', input, '--out', imp, '--text-column', 'impression', '--label-set', 'chestxray14']).code).toBe(2)
    const rows = readFileSync(imp, 'utf8').trim().split('\n').map((l) => l.split(','))
    expect(rows[1][rows[0].indexOf('Effusion')]).toBe('') // the effusion is only in the findings
    const both = runCli(['label', input, '--out', join(dir.dir, 'x.csv'), '--text-column', 'findings', '--impression-column', 'impression'])
    expect(both.code).toBe(1)
    expect(both.stderr).toMatch(/either --text-column or section columns/)
  })

  it('import takes the same flags, --text-columns included', () => {
    const db = join(dir.dir, 'imp.db')
    const r = runCli(['import', input, '--db', db, '--id-column', 'report_id', '--text-columns', 'findings,impression', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ added: 3, rejected: 1 })
  })
})
