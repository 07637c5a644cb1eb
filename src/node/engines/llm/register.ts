// Registers the llm engine. Loaded through engines/all.ts; node-llama-cpp itself is only imported when
// a session starts (in the host process by default).
import { registerEngine } from '../registry'
import { llmEngine } from './engine'

registerEngine(llmEngine)
