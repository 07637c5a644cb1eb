// Registers the rules engine (loaded by src/node/engines/all.ts).
import { registerEngine } from '../registry'
import { rulesEngine } from './engine'

registerEngine(rulesEngine)
export { defaultHedging, rulesEngine, rulesConfigSchema, rulesFingerprint, type RulesConfig } from './engine'
