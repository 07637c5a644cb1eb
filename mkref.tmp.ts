import { openWorkspace } from './src/node/store/db'
import { findLabelSet } from './src/node/store/repos/labelSets'
import { createSource, writeSourceLabels } from './src/node/store/repos/sources'
const ws = openWorkspace(process.argv[2]!)
const set = findLabelSet(ws.db, 'mini')
const id = createSource(ws.db, { name: 'curated', kind: 'curated', labelSetId: set.id })
const reports = ws.db.prepare('SELECT id, text FROM reports WHERE batch_id = ?').all(Number(process.argv[3])) as Array<{ id: number; text: string }>
const lid = new Map(set.labels.map((l) => [l.name, l.id]))
const labels = reports.flatMap((r) => [
  { reportId: r.id, labelId: lid.get('Cardiomegaly')!, state: /cardiomegaly/i.test(r.text) ? 'positive' as const : 'negative' as const },
  { reportId: r.id, labelId: lid.get('Pleural Effusion')!, state: /No pleural/i.test(r.text) ? 'negative' as const : /effusion/i.test(r.text) ? 'positive' as const : 'not_mentioned' as const }
])
writeSourceLabels(ws.db, id, labels)
console.log('curated', id, reports.length)
ws.close()
