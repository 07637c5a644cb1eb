// Where an adapter imported from a training run came from: label sources, label set, prompt template,
// split, training settings and losses, base model sha256, kit checksum, converter (Models page).
import type { AdapterLineage } from '../../../../common/ipc/calls/models'

const num = (v: unknown, digits = 4): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : '—')

export function AdapterLineageView({ lineage }: { lineage: AdapterLineage }): React.JSX.Element {
  const d = lineage.dataset
  const t = lineage.training as {
    lora?: { r?: number; alpha?: number; target_modules?: string[] }
    learningRate?: number
    epochs?: number
    microBatchSize?: number
    gradientAccumulationSteps?: number
    steps?: number
    device?: string
    dtype?: string
    versions?: Record<string, string>
    finishedAt?: string
  }
  return (
    <details open className="lineage">
      <summary>Lineage: trained on {d.source ? `“${d.source.name}”` : 'unknown labels'}</summary>
      <dl className="small">
        <dt>Labels</dt>
        <dd>
          {d.source ? `${d.source.name} (${d.source.kind}${d.source.engine ? `, ${d.source.engine}` : ''})` : 'not recorded'}
          {d.openSource ? `; open-ended from ${d.openSource.name}` : ''}
          {d.provenanceTotals ? ` · ${Object.entries(d.provenanceTotals).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}
        </dd>
        <dt>Label set, template, chat format</dt>
        <dd>
          {d.labelSet ? `${d.labelSet.slug}@${d.labelSet.version}` : '?'}, {d.promptTemplate ?? '?'}, {d.chatFormat ?? '?'}
        </dd>
        <dt>Split</dt>
        <dd>
          {d.split ? `by ${d.split.by}: ${d.split.reports.train} train / ${d.split.reports.validation} validation reports` : 'not recorded'}
        </dd>
        <dt>Training</dt>
        <dd>
          LoRA r {num(t.lora?.r)}, alpha {num(t.lora?.alpha)} on {(t.lora?.target_modules ?? []).join(', ') || '?'}; lr {num(t.learningRate, 6)},
          {' '}batch {num(t.microBatchSize)} × {num(t.gradientAccumulationSteps)}; {num(t.steps)} steps on {t.device ?? '?'} ({t.dtype ?? '?'})
        </dd>
        <dt>Final loss</dt>
        <dd>
          train {num(lineage.finalTrainLoss)} · validation {num(lineage.finalValLoss)}
        </dd>
        <dt>Base model sha256</dt>
        <dd className="mono">{lineage.baseSha256}</dd>
        <dt>Kit checksum</dt>
        <dd className="mono">{lineage.kitChecksum ?? 'not recorded'}</dd>
        <dt>Converted</dt>
        <dd>
          llama.cpp {lineage.conversion.llamaCpp} ({lineage.conversion.commit.slice(0, 12)}) {lineage.conversion.script}, {lineage.conversion.outType},{' '}
          {lineage.conversion.seconds} s
        </dd>
        <dt>Packages</dt>
        <dd>{t.versions ? Object.entries(t.versions).map(([k, v]) => `${k} ${v}`).join(', ') : '—'}</dd>
      </dl>
    </details>
  )
}
