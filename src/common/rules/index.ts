// The rules engine: context rules as data, compiled tries, and the pure labelReport function.
export * from './types'
export { DEFAULT_CONTEXT_RULES } from './context-rules'
export { compileLabelSet, compiledFor, effectiveRules, expandPhrase, MAX_GAP, siteRuleToContextRule, type CompiledLabelSet, type CompileOptions } from './compile'
export { labelReport, selectScope } from './label-report'
export { tokenize, tokenizePhrase, type Tokens } from './tokenize'
export { explainReport, formatExplanation, type LabelExplanation, type ReportExplanation } from './explain'
export type { ExclusionTrace, MentionTrace, ReportTrace, TraceTrigger } from './label-report'
