// One running RadLabel back end: an open workspace, its job manager and the handler table.
// Electron main, the loopback harness, the CLI and tests all build one of these.
import type { Events, EventName } from '../../common/ipc/contract'
import { loadEngines } from '../engines/all'
import { JobManager } from '../jobs/jobManager'
import { primeHashCache } from '../models/registry'
import { registerJobKinds } from './job-kinds'
import { openWorkspace, type OpenOptions, type Workspace } from '../store/db'
import { prepareWorkspace } from '../store/prepare'
import type { PlatformHooks, ServiceContext } from './context'
import { dispatch } from './table'

export interface AppSession {
  ctx: ServiceContext
  call(name: string, input?: unknown): ReturnType<typeof dispatch>
  close(): Promise<void>
}

export interface SessionOptions {
  dbPath: string
  platform: PlatformHooks
  emit?: <E extends EventName>(event: E, payload: Events[E]) => void
  openOptions?: OpenOptions
}

export async function createSession(options: SessionOptions): Promise<AppSession> {
  await loadEngines()
  const emit = options.emit ?? (() => {})
  let workspace: Workspace = openWorkspace(options.dbPath, options.openOptions)
  prepareWorkspace(workspace)
  // Registered models whose file is unchanged are not hashed again by each run (multi-GB files).
  await primeHashCache(workspace.db)
  const jobs = new JobManager(workspace, (job) => emit('job.updated', job))
  registerJobKinds(jobs)

  const ctx: ServiceContext = {
    get workspace() {
      return workspace
    },
    jobs,
    platform: options.platform,
    emit,
    switchWorkspace(path: string) {
      const next = openWorkspace(path, options.openOptions)
      prepareWorkspace(next)
      void primeHashCache(next.db)
      workspace.close()
      workspace = next
      jobs.setWorkspace(next)
      emit('workspace.changed', { path: next.path })
    }
  }
  return {
    ctx,
    call: (name, input) => dispatch(name, input, ctx),
    close: async () => {
      await jobs.shutdown()
      workspace.close()
    }
  }
}
