// How every command speaks: results on stdout (human text or one JSON object with --json),
// progress and errors on stderr, one line per error with what to do about it.
import { AppError } from '../../common/errors'
import type { JobSnapshot } from '../../common/types'

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

export function printLines(lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`)
}

export function reportFailure(err: unknown): void {
  const e = AppError.from(err)
  process.stderr.write(`radlabel: error: ${e.message}${e.hint ? ` ${e.hint}` : ''}\n`)
  if (e.code === 'internal' && process.env.RADLABEL_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`)
}

/** A one-line progress display on stderr that rewrites itself on a terminal and prints sparsely otherwise. */
export function progressPrinter(label: string): (job: JobSnapshot) => void {
  const tty = process.stderr.isTTY
  let lastPrinted = 0
  return (job) => {
    const p = job.progress
    const now = Date.now()
    const final = job.status !== 'running' && job.status !== 'queued'
    if (!tty && !final && now - lastPrinted < 2000) return
    lastPrinted = now
    const total = p.total != null ? `/${p.total}` : ''
    const pct = p.total ? ` ${((100 * p.done) / p.total).toFixed(1)}%` : ''
    const rate = p.rate ? ` ${p.rate.toFixed(p.rate < 10 ? 1 : 0)} ${p.unit}/s` : ''
    const eta = p.etaSeconds != null && !final ? ` ETA ${formatSeconds(p.etaSeconds)}` : ''
    const tps = p.counters?.tokensPerSecond ? ` ${Math.round(p.counters.tokensPerSecond)} tokens/s` : ''
    const failed = p.counters?.failed ? ` · ${p.counters.failed} failed` : ''
    const line = `${label}: ${p.done}${total} ${p.unit}${pct}${rate}${tps}${eta}${failed}${p.message ? ` · ${p.message}` : ''}`
    process.stderr.write(tty ? `\r\x1b[2K${line}${final ? '\n' : ''}` : `${line}\n`)
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`
}
