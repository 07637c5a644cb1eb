// Starts the import worker from TypeScript sources (CLI through tsx, tests): registers tsx in this thread
// first. The built app runs the bundled worker (out/main/importWorker.js) instead.
import { register } from 'tsx/esm/api'

register()
await import('./prepare-worker.ts')
