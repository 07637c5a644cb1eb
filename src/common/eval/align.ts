// Aligning two sources before evaluation: labels matched across label sets (exact name, normalised
// name, or an explicit mapping such as Effusion -> Pleural Effusion) and reports restricted to the ones
// both sources cover.
import { sameLabel } from '../labelsets/names'
import { emptyMatrix, type StateMatrix } from './states'

/** Explicit mapping: prediction label name -> reference label name. */
export type LabelMapping = Record<string, string>

export interface LabelPair {
  pred: string
  ref: string
  /** Name shown in results: the reference's. */
  label: string
  how: 'exact' | 'normalised' | 'synonym' | 'mapping'
}

export interface LabelAlignment {
  pairs: LabelPair[]
  unmatchedPred: string[]
  unmatchedRef: string[]
}

/** Case, spacing, punctuation and underscores do not distinguish label names ("Pleural_Effusion"). */
export function defaultNormalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '')
}

export function alignLabels(
  predLabels: readonly string[],
  refLabels: readonly string[],
  opts: { mapping?: LabelMapping; normalise?: (name: string) => string; synonyms?: boolean } = {}
): LabelAlignment {
  const normalise = opts.normalise ?? defaultNormalise
  const mapping = opts.mapping ?? {}
  for (const [p, r] of Object.entries(mapping)) {
    if (!predLabels.includes(p)) {
      throw new Error(`label mapping: "${p}" is not a label of the prediction source (labels: ${predLabels.join(', ')})`)
    }
    if (!refLabels.includes(r)) {
      throw new Error(`label mapping: "${r}" is not a label of the reference source (labels: ${refLabels.join(', ')})`)
    }
  }
  const usedRef = new Set<string>()
  const pairs: LabelPair[] = []
  let pending = [...predLabels]
  // Passes from strictest to loosest, so a looser match never takes a label a stricter one wants:
  // explicit mapping, exact name, normalised name, then known synonyms (Effusion = Pleural Effusion).
  const pass = (how: LabelPair['how'], find: (p: string) => string | undefined) => {
    const left: string[] = []
    for (const p of pending) {
      const r = find(p)
      if (r !== undefined && !usedRef.has(r)) {
        pairs.push({ pred: p, ref: r, label: r, how })
        usedRef.add(r)
      } else left.push(p)
    }
    pending = left
  }
  pass('mapping', (p) => mapping[p])
  pass('exact', (p) => (refLabels.includes(p) ? p : undefined))
  pass('normalised', (p) => refLabels.find((r) => !usedRef.has(r) && normalise(r) === normalise(p)))
  if (opts.synonyms !== false) pass('synonym', (p) => refLabels.find((r) => !usedRef.has(r) && sameLabel(p, r)))
  // Results follow the reference's label order.
  pairs.sort((x, y) => refLabels.indexOf(x.ref) - refLabels.indexOf(y.ref))
  return { pairs, unmatchedPred: pending, unmatchedRef: refLabels.filter((r) => !usedRef.has(r)) }
}

/** A source's labels as a matrix over its own report ids (ascending or any order, unique). */
export interface SourceMatrix {
  reportIds: ArrayLike<number>
  matrix: StateMatrix
}

export interface AlignedPair {
  reportIds: number[]
  labels: LabelAlignment
  pred: StateMatrix
  ref: StateMatrix
}

/** Restrict two sources to the reports both cover, and to the matched labels, in the reference's order. */
export function alignPair(pred: SourceMatrix, ref: SourceMatrix, labels: LabelAlignment): AlignedPair {
  const refRow = new Map<number, number>()
  for (let i = 0; i < ref.reportIds.length; i++) refRow.set(ref.reportIds[i], i)
  const rows: Array<[number, number, number]> = []
  for (let i = 0; i < pred.reportIds.length; i++) {
    const j = refRow.get(pred.reportIds[i])
    if (j !== undefined) rows.push([pred.reportIds[i], i, j])
  }
  rows.sort((x, y) => x[0] - y[0])
  const names = labels.pairs.map((p) => p.label)
  const P = emptyMatrix(names, rows.length)
  const R = emptyMatrix(names, rows.length)
  const pCol = labels.pairs.map((p) => pred.matrix.labels.indexOf(p.pred))
  const rCol = labels.pairs.map((p) => ref.matrix.labels.indexOf(p.ref))
  const pL = pred.matrix.labels.length
  const rL = ref.matrix.labels.length
  const L = names.length
  rows.forEach(([, i, j], k) => {
    for (let l = 0; l < L; l++) {
      P.states[k * L + l] = pred.matrix.states[i * pL + pCol[l]]
      R.states[k * L + l] = ref.matrix.states[j * rL + rCol[l]]
    }
  })
  return { reportIds: rows.map((r) => r[0]), labels, pred: P, ref: R }
}

/** Restrict several sources to the reports all of them cover (for a paired comparison). */
export function commonReportIds(sources: Array<ArrayLike<number>>): number[] {
  if (sources.length === 0) return []
  let common = new Set<number>(Array.from(sources[0]))
  for (const s of sources.slice(1)) {
    const next = new Set<number>()
    for (let i = 0; i < s.length; i++) if (common.has(s[i])) next.add(s[i])
    common = next
  }
  return [...common].sort((a, b) => a - b)
}

/** Select the given reports (all must be present) and the given labels of a source, in that order. */
export function selectRows(src: SourceMatrix, reportIds: number[], labelNames: string[], labelsFrom: string[]): StateMatrix {
  const row = new Map<number, number>()
  for (let i = 0; i < src.reportIds.length; i++) row.set(src.reportIds[i], i)
  const out = emptyMatrix(labelNames, reportIds.length)
  const L = labelNames.length
  const sL = src.matrix.labels.length
  const cols = labelsFrom.map((n) => {
    const c = src.matrix.labels.indexOf(n)
    if (c < 0) throw new Error(`selectRows: label "${n}" not in source labels`)
    return c
  })
  reportIds.forEach((id, k) => {
    const i = row.get(id)
    if (i === undefined) throw new Error(`selectRows: report ${id} is not covered by the source`)
    for (let l = 0; l < L; l++) out.states[k * L + l] = src.matrix.states[i * sL + cols[l]]
  })
  return out
}
