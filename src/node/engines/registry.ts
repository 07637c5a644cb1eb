// Engines available to runs. Each engine module registers itself here.
import { AppError } from '../../common/errors'
import type { Engine } from './types'

export const engines: Record<string, Engine> = {}

export function registerEngine(engine: Engine): void {
  engines[engine.name] = engine
}

export function getEngine(name: string): Engine {
  const engine = engines[name]
  if (!engine) {
    const known = Object.keys(engines).join(', ') || 'none'
    throw new AppError('not_found', `Unknown engine "${name}".`, `Available engines: ${known}.`)
  }
  return engine
}
