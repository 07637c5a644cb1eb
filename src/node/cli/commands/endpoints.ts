// `radlabel endpoints add|list|test|remove`: the workspace's inference-server endpoints. Adding one makes
// no connection; `test` connects and lists the server's models, kind, version and round-trip latency.
import type { Command } from 'commander'
import { AppError } from '../../../common/errors'
import type { EndpointCheck, EndpointEntry } from '../../../common/ipc/calls/servers'
import { printJson, printLines } from '../output'
import { callOrThrow, withSession } from '../session'
import { requireWorkspace } from './eval'
import { findEndpoint } from '../../store/repos/endpoints'

function describeCheck(c: EndpointCheck): string[] {
  return [
    `  kind: ${c.kind}${c.version ? ` ${c.version}` : ''} · round trip ${c.latencyMs} ms${c.slots ? ` · ${c.slots} slots` : ''}`,
    `  models: ${c.models.join(', ') || '(none)'}`,
    ...(c.adapters?.length ? [`  LoRA adapters: ${c.adapters.map((a) => `${a.id} ${a.path}`).join(', ')}`] : [])
  ]
}

export function registerEndpoints(program: Command): void {
  const cmd = program.command('endpoints').description('Inference servers (OpenAI-compatible: llama-server, vLLM, SGLang) this workspace may connect to.')
  cmd
    .command('list', { isDefault: true })
    .description('List the endpoints (makes no connection).')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const list = await callOrThrow<EndpointEntry[]>(session, 'endpoints.list', {})
        if (opts.json) return printJson({ endpoints: list })
        if (!list.length) return printLines(['No endpoints. Add one with `radlabel endpoints add NAME URL --db PATH`.'])
        printLines(
          list.flatMap((e) => [
            `${e.id}  ${e.name}  ${e.url}${e.allowPrivateHttp ? '  (private-network http acknowledged)' : ''}${e.caFile ? `  CA ${e.caFile}` : ''}${e.apiKeyFile ? '  API key from file' : ''}`,
            ...(e.lastCheck ? describeCheck(e.lastCheck).map((l) => `${l}  (checked ${e.lastCheck!.checkedAt})`).slice(0, 1) : ['  not tested yet'])
          ])
        )
      })
    })
  cmd
    .command('add <name> <url>')
    .description('Add an endpoint: the base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1 (makes no connection).')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--ca-file <pem>', 'CA certificate(s) that signed the server\'s https certificate')
    .option('--allow-private-http', 'acknowledge plain http to a host on a private network (reports travel unencrypted)')
    .option('--api-key-file <file>', 'file holding the API key (its path is stored; the key is read at run time)')
    .option('--json', 'print one JSON object')
    .action(async (name: string, url: string, opts: { db: string; caFile?: string; allowPrivateHttp?: boolean; apiKeyFile?: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const e = await callOrThrow<EndpointEntry>(session, 'endpoints.add', {
          name,
          url,
          ...(opts.caFile ? { caFile: opts.caFile } : {}),
          allowPrivateHttp: !!opts.allowPrivateHttp,
          ...(opts.apiKeyFile ? { apiKeyFile: opts.apiKeyFile } : {})
        })
        if (opts.json) return printJson(e)
        printLines([`Added endpoint ${e.id} "${e.name}" ${e.url}. Test it with: radlabel endpoints test ${e.name} --db ${opts.db}`])
      })
    })
  const byRef = (session: Parameters<Parameters<typeof withSession>[1]>[0], ref: string): EndpointEntry => {
    const e = findEndpoint(session.ctx.workspace.db, ref)
    if (!e) throw new AppError('not_found', `There is no endpoint "${ref}".`, 'List them with `radlabel endpoints list --db PATH`.')
    return e
  }
  cmd
    .command('test <name>')
    .description('Connect: list the server\'s models, its kind and version, and the round-trip latency.')
    .requiredOption('--db <path>', 'workspace database file')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, opts: { db: string; json?: boolean }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const e = byRef(session, ref)
        const check = await callOrThrow<EndpointCheck>(session, 'endpoints.test', { id: e.id })
        if (opts.json) return printJson(check)
        printLines([`${e.name}  ${e.url}`, ...describeCheck(check)])
      })
    })
  cmd
    .command('remove <name>')
    .description('Remove an endpoint (runs that used it keep it in their provenance).')
    .requiredOption('--db <path>', 'workspace database file')
    .action(async (ref: string, opts: { db: string }) => {
      requireWorkspace(opts.db)
      await withSession(opts.db, async (session) => {
        const e = byRef(session, ref)
        await callOrThrow(session, 'endpoints.remove', { id: e.id })
        printLines([`Removed endpoint "${e.name}".`])
      })
    })
}
