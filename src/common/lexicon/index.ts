// The lexicon: mention terms per concept as data, which concepts feed which label, phrase mapping.
export * from './types'
export { CONCEPTS } from './concepts'
export { BUILTIN_LABEL_CONCEPTS, conceptsForLabel, getConcept } from './label-concepts'
export { mapPhraseToLabels } from './map-phrase'
