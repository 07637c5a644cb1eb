// Starts the import worker from TypeScript sources (CLI through tsx, tests): registers tsx in this thread
// first. A built app runs the bundled worker entry instead (see worker-host.ts).
import { register } from 'tsx/esm/api'

register()
await import('./import-worker.ts')
