// What every handler gets: the open workspace, the job manager, and the platform's own abilities
// (native dialogs exist in Electron only; the loopback harness and the CLI have none).
import type { Events, EventName } from '../../common/ipc/contract'
import type { JobManager } from '../jobs/jobManager'
import type { Workspace } from '../store/db'

export interface PlatformHooks {
  runtime: 'electron' | 'harness' | 'node'
  openFiles?(options: {
    title?: string
    directory?: boolean
    multiple?: boolean
    filters?: { name: string; extensions: string[] }[]
  }): Promise<string[]>
  saveFile?(options: { title?: string; defaultPath?: string }): Promise<string | null>
  /** Renders a self-contained HTML page to PDF bytes (Electron: a hidden window's printToPDF). */
  printToPdf?(html: string): Promise<Uint8Array>
}

export interface ServiceContext {
  readonly workspace: Workspace
  readonly jobs: JobManager
  readonly platform: PlatformHooks
  emit<E extends EventName>(event: E, payload: Events[E]): void
  /** Closes the current workspace and opens another (Settings, app.openWorkspace). */
  switchWorkspace(path: string): void
}
