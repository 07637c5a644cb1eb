// Brings an opened workspace up to what the app expects: built-in label sets stored at their current
// version. Features add their own first-open steps here.
import { BUILTIN_LABEL_SETS } from '../../common/labelsets'
import type { Workspace } from './db'
import { finishInterruptedDeletions } from '../sources/delete'
import { saveLabelSetVersion } from './repos/labelSets'

const steps: ((ws: Workspace) => void)[] = [
  (ws) => {
    if (ws.db.readonly) return
    for (const def of BUILTIN_LABEL_SETS) saveLabelSetVersion(ws.db, def, true)
  },
  (ws) => finishInterruptedDeletions(ws.db)
]

export function prepareWorkspace(ws: Workspace): void {
  for (const step of steps) step(ws)
}
