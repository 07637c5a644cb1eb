// Registers the server engine (OpenAI-compatible inference servers). Loaded through engines/all.ts.
import { registerEngine } from '../registry'
import { serverEngine } from './engine'

registerEngine(serverEngine)
