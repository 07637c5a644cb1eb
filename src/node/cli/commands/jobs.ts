import type { Command } from 'commander'
import { printJson, printLines } from '../output'
import { followJob, withSession } from '../session'

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('List and resume long jobs (imports, detection runs).')
  jobs
    .command('list', { isDefault: true })
    .description('List recent jobs and their status.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      await withSession(opts.db, async (session) => {
        const list = session.ctx.jobs.list()
        if (opts.json) return printJson({ jobs: list })
        if (!list.length) return printLines(['No jobs yet.'])
        printLines(
          list.map((j) => `${String(j.id).padStart(4)}  ${j.status.padEnd(11)} ${j.kind.padEnd(8)} ${j.progress.done}/${j.progress.total ?? '?'}  ${j.title}${j.error ? `  (${j.error})` : ''}`)
        )
      })
    })
  jobs
    .command('resume <id>')
    .description('Resume an interrupted, paused or cancelled job; work already done is kept.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (id: string, opts: { db: string; json?: boolean }) => {
      await withSession(opts.db, async (session) => {
        const job = session.ctx.jobs.get(Number(id))
        session.ctx.jobs.resume(job.id)
        const final = await followJob(session, job.id, `${job.kind} ${job.title}`)
        if (opts.json) printJson(final)
        else if (final.status === 'failed') process.stderr.write(`radlabel: error: job ${final.id} (${final.title}) failed: ${final.error ?? 'no reason was recorded'}\n`)
        else printLines([`Job ${final.id} ${final.status}: ${final.progress.done}${final.progress.total != null ? `/${final.progress.total}` : ''} ${final.progress.unit}.`])
        if (final.status !== 'completed') process.exitCode = 1
      })
    })
}
