// The engine host: serves the runtime over a message port. Only the port differs between a forked
// child process (CLI, tests) and an Electron utility process (app); see host-entry.ts.
import { AppError } from '../../../common/errors'
import type { HostPort, HostRequest } from './protocol'
import { detectHardware, estimateFit } from './hardware'
import { LlmRuntime } from './runtime'

export function serveHost(port: HostPort): LlmRuntime {
  const runtime = new LlmRuntime((state, detail) => port.send({ kind: 'state', state, detail }))
  const aborts = new Map<number, AbortController>()

  const reply = (id: number, work: () => Promise<unknown>): void => {
    work().then(
      (value) => port.send({ kind: 'reply', id, ok: true, value: value ?? null }),
      (err: unknown) => {
        const e =
          err instanceof AppError
            ? err
            : new AppError(err instanceof DOMException && err.name === 'AbortError' ? 'cancelled' : 'engine_failed', errorText(err))
        port.send({ kind: 'reply', id, ok: false, error: e.toData() })
      }
    )
  }

  port.onMessage((msg: HostRequest) => {
    switch (msg.kind) {
      case 'load':
        return reply(msg.id, () => runtime.load(msg.spec, (message) => port.send({ kind: 'status', message })))
      case 'label': {
        const controller = new AbortController()
        aborts.set(msg.id, controller)
        return reply(msg.id, () => runtime.label(msg.batch, controller.signal).finally(() => aborts.delete(msg.id)))
      }
      case 'cancel':
        aborts.get(msg.target)?.abort(new AppError('cancelled', 'Labelling was cancelled.'))
        return reply(msg.id, async () => null)
      case 'stats':
        return reply(msg.id, async () => ({ ...runtime.stats }))
      case 'hardware':
        return reply(msg.id, () => detectHardware())
      case 'fit':
        return reply(msg.id, () => estimateFit(msg.path, msg.settings))
      case 'dispose':
        return reply(msg.id, () => runtime.dispose())
    }
  })
  port.send({ kind: 'hello', pid: process.pid })
  return runtime
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}
