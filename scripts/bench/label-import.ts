// Reference-label import speed: N label rows x 14 labels (CheXpert layout) into a workspace holding N
// reports, for several N, so linear cost shows as a constant rows/s. Goal: 200,000 rows in under 20 s.
//
//   npx tsx scripts/bench/label-import.ts                 # 50,000 / 100,000 / 200,000 rows
//   npx tsx scripts/bench/label-import.ts --sizes 200000
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CHEXPERT14 } from '../../src/common/labelsets'
import { importReferenceLabels } from '../../src/node/import/labels'
import { importFile } from '../../src/node/import/pipeline'
import { openWorkspace } from '../../src/node/store/db'
import { prepareWorkspace } from '../../src/node/store/prepare'

const args = process.argv.slice(2)
const i = args.indexOf('--sizes')
const SIZES = (i >= 0 ? args[i + 1] : '50000,100000,200000').split(',').map(Number)
const LABELS = CHEXPERT14.labels.map((l) => l.name)

const dir = mkdtempSync(join(tmpdir(), 'radlabel-bench-labels-'))
try {
  for (const n of SIZES) {
    const reports = join(dir, `reports-${n}.csv`)
    const lines = ['id,report']
    for (let k = 0; k < n; k++) lines.push(`S${k},"FINDINGS: Synthetic report ${k}. Heart size is normal."`)
    writeFileSync(reports, lines.join('\n') + '\n')
    const labels = join(dir, `labels-${n}.csv`)
    const vals = ['1', '0', '-1', '']
    const rows = [['study_id', ...LABELS].join(',')]
    for (let k = 0; k < n; k++) rows.push([`S${n - 1 - k}`, ...LABELS.map((_, j) => vals[(k * 7 + j * 3) % 4])].join(','))
    writeFileSync(labels, rows.join('\n') + '\n')
    const ws = openWorkspace(join(dir, `w-${n}.db`))
    prepareWorkspace(ws)
    await importFile(ws.db, { path: reports })
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    const r = await importReferenceLabels(ws.db, { path: labels, sourceName: 'gold', labelSet: 'chexpert14', idColumn: 'study_id' })
    const s = (performance.now() - t0) / 1000
    const c = process.cpuUsage(c0)
    const cpu = (c.user + c.system) / 1e6
    if (r.reportsLabelled !== n) throw new Error(`expected ${n} reports labelled, got ${r.reportsLabelled}`)
    console.log(
      `${String(n).padStart(7)} rows x ${LABELS.length} labels: ${s.toFixed(2)} s wall (${Math.round(n / s)} rows/s), ${cpu.toFixed(2)} CPU-s (${Math.round(n / cpu)} rows/CPU-s), ${r.labelsWritten} labels written`
    )
    ws.close()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
