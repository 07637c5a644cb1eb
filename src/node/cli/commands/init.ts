import type { Command } from 'commander'
import { appInfo } from '../../services/app'
import { printJson, printLines } from '../output'
import { withSession } from '../session'

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('Create a workspace database (or check and migrate an existing one).')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      await withSession(opts.db, async (session) => {
        const info = appInfo(session.ctx)
        if (opts.json) printJson(info)
        else
          printLines([
            `Workspace ready: ${info.workspacePath}`,
            `Schema version ${info.schemaVersion}; ${info.counts.reports} reports, ${info.counts.sources} label sources.`
          ])
      })
    })
}
