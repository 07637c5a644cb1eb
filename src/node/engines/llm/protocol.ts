// Messages between the engine's caller and the engine host process. Plain structured-clone data, the
// same over child_process IPC (CLI, tests) and Electron's utilityProcess port (app).
import type { AppErrorData } from '../../../common/errors'
import type { EngineResult } from '../types'
import type { FitEstimate, HardwareInfo } from './hardware'
import type { HostState, LabelItem, LoadInfo, LoadSpec, RuntimeStats } from './runtime'

export type HostRequest =
  | { kind: 'load'; id: number; spec: LoadSpec }
  | { kind: 'label'; id: number; batch: LabelItem[] }
  | { kind: 'cancel'; id: number; target: number }
  | { kind: 'stats'; id: number }
  | { kind: 'hardware'; id: number }
  | { kind: 'fit'; id: number; path: string; settings: FitSettings }
  | { kind: 'dispose'; id: number }

export type FitSettings = Parameters<typeof import('./hardware').estimateFit>[1]

export interface HostReplies {
  load: LoadInfo
  label: EngineResult[]
  cancel: null
  stats: RuntimeStats
  hardware: HardwareInfo
  fit: FitEstimate
  dispose: null
}

export type HostMessage =
  | { kind: 'hello'; pid: number }
  | { kind: 'state'; state: HostState; detail?: string }
  | { kind: 'status'; message: string }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: AppErrorData }

/** The host's end of the channel: how it sends and receives (child_process or utilityProcess). */
export interface HostPort {
  send(message: HostMessage): void
  onMessage(handler: (message: HostRequest) => void): void
}
