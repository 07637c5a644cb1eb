// Entry point of the engine host process. A forked child (CLI, tests: `fork(this file)` run with tsx)
// talks over process.send; an Electron utility process talks over process.parentPort. Nothing else differs.
import type { HostMessage, HostPort, HostRequest } from './protocol'
import { serveHost } from './host'

interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

function portOfThisProcess(): HostPort {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      send: (m: HostMessage) => parentPort.postMessage(m),
      onMessage: (h) => parentPort.on('message', (e) => h(e.data as HostRequest))
    }
  }
  if (!process.send) {
    console.error('The LLM engine host must be started by RadLabel (as a child or utility process).')
    process.exit(2)
  }
  // The caller going away (crash, kill) closes the IPC channel: stop instead of lingering as an orphan.
  process.on('disconnect', () => process.exit(0))
  return {
    send: (m: HostMessage) => process.send?.(m),
    onMessage: (h) => process.on('message', (m) => h(m as HostRequest))
  }
}

serveHost(portOfThisProcess())
