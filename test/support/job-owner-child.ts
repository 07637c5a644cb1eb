// A second RadLabel process for tests of shared workspaces: opens the workspace, starts (or resumes) a
// 'hold' job that runs until released (a file appears) or stopped, and reports on stdout.
// Usage: node --import tsx test/support/job-owner-child.ts DB RELEASE_FILE [resume JOB_ID]
import { existsSync } from 'node:fs'
import { JobManager } from '../../src/node/jobs/jobManager'
import { openWorkspace } from '../../src/node/store/db'

export const HOLD_JOB_KIND = 'test-hold'

const [dbPath, releaseFile, mode, resumeId] = process.argv.slice(2)
const ws = openWorkspace(dbPath)
const jobs = new JobManager(ws)
jobs.register<{ label: string }>(HOLD_JOB_KIND, async (_params, ctx) => {
  let ticks = 0
  while (!ctx.signal.aborted && !existsSync(releaseFile)) {
    ctx.report({ done: ++ticks, total: null, unit: 'ticks' })
    await new Promise((r) => setTimeout(r, 50))
  }
  return { ticks, resumed: ctx.resumed, pid: process.pid }
})
const job = mode === 'resume' ? jobs.resume(Number(resumeId)) : jobs.start(HOLD_JOB_KIND, 'hold', { label: 'child' })
console.log(`started ${job.id}`)
const final = await jobs.wait(job.id)
console.log(`ended ${final.status}`)
ws.close()
