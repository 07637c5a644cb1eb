// The rules engine: context rules as data, compiled tries, and the pure labelReport function.
export * from './types'
export { DEFAULT_CONTEXT_RULES } from './context-rules'
export { compileLabelSet, compiledFor, expandPhrase, MAX_GAP, type CompiledLabelSet, type CompileOptions } from './compile'
export { labelReport, selectScope } from './label-report'
export { tokenize, tokenizePhrase, type Tokens } from './tokenize'
