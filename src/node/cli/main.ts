// The `radlabel` command line: the same domain code as the app, headless, for batch work.
import { Command, CommanderError } from 'commander'
import { APP_VERSION } from '../version'
import { commands } from './commands'
import { reportFailure } from './output'

export function buildProgram(): Command {
  const program = new Command('radlabel')
    .version(APP_VERSION)
    .description(
      'RadLabel: label, review and evaluate radiology reports on this machine.\n' +
        'Research and quality-assurance tool; not a medical device. Nothing leaves this machine.'
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
  for (const register of commands) register(program)
  return program
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram()
  try {
    await program.parseAsync(argv, { from: 'user' })
    return process.exitCode === undefined ? 0 : Number(process.exitCode)
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit with 0; usage errors were already printed by commander.
      return err.exitCode
    }
    reportFailure(err)
    return 1
  }
}
