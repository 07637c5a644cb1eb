// Training calls: run a training kit's train.py as a job (Models page), and the student-against-teacher
// comparison as a job plus its HTML report (Evaluate page). See docs/training.md.
import { z } from 'zod'
import type { StoreEvaluation } from '../../eval/results'
import type { JobSnapshot } from '../../types'
import { call, filePath, id } from '../define'

export const TRAIN_DEVICE_CHOICES = ['auto', 'cpu', 'cuda', 'mps'] as const

const ref = z.union([id, z.string().trim().min(1).max(300)])

export const trainingCalls = {
  /** Starts `train.py` of the kit folder as a job (kind 'train'); the adapter goes to KIT/adapter. */
  'training.start': call<JobSnapshot>()(
    z.object({
      kitPath: filePath,
      device: z.enum(TRAIN_DEVICE_CHOICES).default('auto'),
      maxSteps: z.number().int().positive().max(1_000_000).optional(),
      pythonPath: filePath.optional()
    })
  ),
  /** Base, student (base + adapter) and teacher against a curated reference, as a job (kind 'student-teacher'). */
  'training.compare': call<JobSnapshot>()(
    z.object({
      student: ref,
      teacher: ref,
      ref,
      tasks: z.array(z.enum(['classify', 'open'])).min(1).max(2).optional(),
      uncertain: z.enum(['positive', 'negative', 'exclude']).default('exclude'),
      resamples: z.number().int().min(0).max(100_000).default(1000),
      seed: z.number().int().default(42),
      threads: z.number().int().positive().max(512).optional(),
      gpu: z.enum(['auto', 'cuda', 'metal', 'vulkan', 'cpu']).optional()
    })
  ),
  /** The HTML report of a finished student-against-teacher job. */
  'training.compareReport': call<{ html: string }>()(z.object({ jobId: id }))
}

export interface ModelRun {
  sourceId: number
  name: string
  reused: boolean
}

/** The result of a student-against-teacher job. */
export interface StudentTeacherResult {
  teacher: string
  reference: string
  base: { id: number; name: string }
  student: { id: number; name: string }
  runs: { classify?: { base: ModelRun; student: ModelRun }; open?: { base: ModelRun; student: ModelRun } }
  /** Sources [teacher, base, student]: differences against the teacher (baseline). */
  classification?: StoreEvaluation
  /** Sources [base, student]: the student's difference from its base model. */
  classificationVsBase?: StoreEvaluation
  open?: StoreEvaluation
  openVsBase?: StoreEvaluation
}
