// Evaluation domain (pure): metrics, bootstrap, agreement, label alignment, SVG charts.
export * from './states'
export * from './metrics'
export * from './prng'
export * from './resample'
export * from './evaluate'
export * from './kappa'
export * from './align'
export * from './charts-svg'
