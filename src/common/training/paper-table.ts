// The seed paper's table of a student-against-teacher comparison (teacher, base, student: classification
// micro/macro F1, CheXbert weighted F1, open-ended micro-F1, with intervals; paired differences). Shared by
// the CLI, the HTML report and the Evaluate page.
import type { Difference, Interval, StoreEvaluation } from '../eval'
import type { StudentTeacherResult } from '../ipc/calls/training'

export interface PaperRow {
  role: 'teacher' | 'base' | 'student'
  source: string
  microF1: number | null
  microCi: Interval | null
  macroF1: number | null
  chexbertWeightedF1: number | null
  openMicroF1: number | null
  openCi: Interval | null
}

export interface PaperDifference {
  what: string
  classification: Difference | null
  open: Difference | null
}

export function paperTable(r: StudentTeacherResult): { rows: PaperRow[]; differences: PaperDifference[] } {
  const roles = ['teacher', 'base', 'student'] as const
  const rows = roles.map((role, i): PaperRow => {
    const c = r.classification?.comparison.results[i]
    const o = r.open?.comparison.results[i]
    return {
      role,
      source: (r.classification ?? r.open)?.predictions[i]?.name ?? role,
      microF1: c?.micro.f1 ?? null,
      microCi: c?.micro.ci?.f1 ?? null,
      macroF1: c?.macro.f1 ?? null,
      chexbertWeightedF1: r.classification?.literature?.[i]?.chexbert.weightedF1 ?? null,
      openMicroF1: o?.micro.f1 ?? null,
      openCi: o?.micro.ci?.f1 ?? null
    }
  })
  const vsTeacher = (ev: StoreEvaluation | undefined, s: number): Difference | null => ev?.comparison.differences.find((d) => d.source === s)?.micro.f1 ?? null
  const vsBase = (ev: StoreEvaluation | undefined): Difference | null => ev?.comparison.differences[0]?.micro.f1 ?? null
  return {
    rows,
    differences: [
      { what: 'student − teacher', classification: vsTeacher(r.classification, 2), open: vsTeacher(r.open, 2) },
      { what: 'student − base', classification: vsBase(r.classificationVsBase), open: vsBase(r.openVsBase) },
      { what: 'base − teacher', classification: vsTeacher(r.classification, 1), open: vsTeacher(r.open, 1) }
    ]
  }
}

