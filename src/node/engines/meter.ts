// Live numbers of a run for its progress line: reports done (labelled or failed) out of the total,
// reports/s and tokens/s since labelling began (engine loading excluded), and the errors so far.
// The job manager turns `rate` into an ETA.
import type { JobProgress } from '../../common/types'
import type { EngineResult } from './types'

export class RunMeter {
  private processed = 0
  private failed = 0
  private promptTokens = 0
  private completionTokens = 0
  private labelStart: number | null = null

  constructor(
    /** Reports already done when this job started (resume). */
    private readonly base: number,
    private readonly total: number,
    private readonly now: () => number = Date.now
  ) {}

  /** Marks the start of labelling (the first call wins), so the model's loading time is not in the rates. */
  startLabelling(): void {
    this.labelStart ??= this.now()
  }

  add(result: EngineResult): void {
    this.processed++
    if (!result.ok) {
      this.failed++
      return
    }
    this.promptTokens += result.promptTokens ?? 0
    this.completionTokens += result.completionTokens ?? 0
  }

  get seconds(): number {
    return this.labelStart === null ? 0 : Math.max(0.001, (this.now() - this.labelStart) / 1000)
  }

  progress(): Partial<JobProgress> & { done: number; total: number } {
    const seconds = this.seconds
    const round = (n: number): number => Math.round(n * 10) / 10
    const counters: Record<string, number> = { failed: this.failed }
    if (seconds > 0 && this.completionTokens > 0) {
      counters.tokensPerSecond = round(this.completionTokens / seconds)
      counters.promptTokensPerSecond = round(this.promptTokens / seconds)
    }
    return {
      done: Math.min(this.total, this.base + this.processed),
      total: this.total,
      unit: 'reports',
      // the job manager computes the ETA from this rate (over the whole job, steadier than a window)
      ...(seconds > 0 && this.processed > 0 ? { rate: this.processed / seconds } : {}),
      counters
    }
  }
}
