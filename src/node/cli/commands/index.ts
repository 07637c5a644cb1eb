// Every CLI command. Each module exports one function that adds its command to the program.
import type { Command } from 'commander'
import { registerBatch } from './batch'
import { registerDemo } from './demo'
import { registerImport } from './import'
import { registerEval } from './eval'
import { registerExport } from './export'
import { registerInit } from './init'
import { registerJobs } from './jobs'
import { registerDetect } from './detect'
import { registerExplain } from './explain'
import { registerEndpoints } from './endpoints'
import { registerLabel } from './label'
import { registerLabelsets } from './labelsets'
import { registerReview } from './review'
import { registerSources } from './sources'
import { registerSourcesDelete } from './sources-delete'
import { registerModels } from './models'
import { registerTrain } from './train'

// one per line, so commands added in parallel merge without conflicts
export const commands: ((program: Command) => void)[] = [
  registerInit,
  registerDemo,
  registerJobs,
  registerEval,
  registerExport,
  registerImport,
  registerLabelsets,
  registerDetect,
  registerLabel,
  registerEndpoints,
  registerExplain,
  registerReview,
  registerBatch,
  registerSources,
  registerSourcesDelete,
  registerModels,
  registerTrain,
]
