// Which label set a label file's columns belong to: the one whose label names (or known synonyms) match
// the most columns, exact names first. Used to preselect the label set when importing reference labels.
import { normaliseLabelName, sameLabel } from './names'

export interface LabelSetGuess {
  slug: string
  matched: number
  total: number
}

export function inferLabelSet(columns: readonly string[], sets: readonly { slug: string; labels: readonly { name: string }[] }[]): LabelSetGuess | null {
  let best: (LabelSetGuess & { exact: number }) | null = null
  for (const set of sets) {
    let matched = 0
    let exact = 0
    for (const label of set.labels) {
      if (columns.some((c) => normaliseLabelName(c) === normaliseLabelName(label.name))) {
        matched++
        exact++
      } else if (columns.some((c) => sameLabel(c, label.name))) matched++
    }
    if (matched > 0 && (!best || matched > best.matched || (matched === best.matched && exact > best.exact))) {
      best = { slug: set.slug, matched, total: set.labels.length, exact }
    }
  }
  return best ? { slug: best.slug, matched: best.matched, total: best.total } : null
}
