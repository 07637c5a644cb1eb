// `npm run harness -- --db PATH --port PORT`: the app's UI in any local browser, on loopback only.
import { parseArgs } from 'node:util'
import { startHarness } from './server'

const { values } = parseArgs({
  options: { db: { type: 'string' }, port: { type: 'string', default: '5170' }, renderer: { type: 'string' } },
  strict: true
})
if (!values.db) {
  console.error('usage: npm run harness -- --db PATH [--port PORT] [--renderer out/renderer]')
  process.exit(2)
}
const harness = await startHarness({ dbPath: values.db, port: Number(values.port), rendererDir: values.renderer })
console.log(`RadLabel harness: ${harness.launchUrl} (workspace ${harness.session.ctx.workspace.path}); only this URL, with its token, can use it; Ctrl-C stops it.`)
const stop = (): void => {
  void harness.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
