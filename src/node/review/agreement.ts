// Agreement between the two readers of record, per label and pooled: percent agreement and Cohen's
// kappa over the four states (the evaluation module's kappa), with disagreement and adjudication counts.
import { cohensKappa } from '../../common/eval/kappa'
import type { LabelAgreementRow, SetAgreement } from '../../common/ipc/calls/review'
import { LABEL_STATES, type LabelState } from '../../common/types'
import type { Db } from '../store/db'
import { loadReadings } from './readings'
import { getSetRow } from './sets'

const CODE = new Map<LabelState, number>(LABEL_STATES.map((s, i) => [s, i]))
const K = LABEL_STATES.length

export function setAgreement(db: Db, setId: number): SetAgreement {
  const set = getSetRow(db, setId)
  const labels = db.prepare('SELECT id, name FROM labels WHERE label_set_id = ? ORDER BY ord').all(set.label_set_id) as { id: number; name: string }[]
  const matrices = labels.map(() => new Float64Array(K * K))
  const pooled = new Float64Array(K * K)
  const disagreementCount = labels.map(() => 0)
  const adjudicatedCount = labels.map(() => 0)
  let doubleRead = 0
  let pendingDisagreements = 0
  let pendingReports = 0
  for (const r of loadReadings(db, setId).values()) {
    if (r.completed.length < 2) continue
    doubleRead++
    const [a, b] = r.completed.slice(0, 2).map((c) => r.reader.get(c.reviewerId))
    let pending = 0
    labels.forEach((l, i) => {
      const sa = a?.get(l.id)?.state ?? 'not_mentioned'
      const sb = b?.get(l.id)?.state ?? 'not_mentioned'
      const cell = CODE.get(sa)! * K + CODE.get(sb)!
      matrices[i][cell]++
      pooled[cell]++
      if (sa !== sb) {
        disagreementCount[i]++
        if (r.adjudicated.has(l.id)) adjudicatedCount[i]++
        else pending++
      }
    })
    pendingDisagreements += pending
    if (pending) pendingReports++
  }
  const rows: LabelAgreementRow[] = labels.map((l, i) => {
    const k = cohensKappa(matrices[i], K)
    return { label: l.name, labelId: l.id, n: k.n, agreement: k.agreement, kappa: k.kappa, disagreements: disagreementCount[i], adjudicated: adjudicatedCount[i] }
  })
  const overall = cohensKappa(pooled, K)
  return { setId, doubleRead, labels: rows, overall, pendingDisagreements, pendingReports }
}
