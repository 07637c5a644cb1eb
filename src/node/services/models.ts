// Handlers of the models calls (src/common/ipc/calls/models.ts).
import { AppError } from '../../common/errors'
import type { HardwareInfo } from '../../common/ipc/calls/models'
import { withHost } from '../engines/llm/client'
import { getHostSpawner } from '../engines/llm/engine'
import { askedLabels, renderPrompt } from '../engines/llm/prompts'
import { answerSchema, DEFAULT_LIMITS } from '../engines/llm/schema'
import { inspectGguf } from '../models/inspect'
import { MODEL_JOB_KIND, type ModelJobParams } from '../models/job'
import { addModel, getModel, listModels, removeModel } from '../models/registry'
import { getTemplate, listTemplates, saveTemplate } from '../models/templates'
import { findLabelSet } from '../store/repos/labelSets'
import { handlers } from './handler'

// Detecting backends loads each llama.cpp binding once (seconds); the answer holds for the app's life.
let hardware: Promise<HardwareInfo> | null = null

export const modelsHandlers = handlers({
  'models.list': (_input, ctx) => listModels(ctx.workspace.db),
  'models.inspect': (input) => inspectGguf(input.path),
  'models.add': async (input, ctx) => {
    if (input.mode === 'copy') {
      const header = await inspectGguf(input.path) // refuse bad files before a job starts
      const params: ModelJobParams = { copy: { path: input.path, name: input.name } }
      return { model: null, job: ctx.jobs.start(MODEL_JOB_KIND, `Copy and hash ${header.fileName}`, params) }
    }
    const model = await addModel(ctx.workspace.db, ctx.workspace.path, input)
    const params: ModelJobParams = { modelId: model.id }
    return { model, job: ctx.jobs.start(MODEL_JOB_KIND, `Hash ${model.header.fileName}`, params) }
  },
  'models.hash': async (input, ctx) => {
    const model = await getModel(ctx.workspace.db, input.id)
    return ctx.jobs.start(MODEL_JOB_KIND, `Hash ${model.header.fileName}`, { modelId: model.id } satisfies ModelJobParams)
  },
  'models.remove': (input, ctx) => removeModel(ctx.workspace.db, input.id),
  'models.fit': async (input, ctx) => {
    const model = await getModel(ctx.workspace.db, input.id)
    if (!model.available) throw new AppError('not_found', model.problem ?? `Model ${model.id} is not available.`)
    return withHost((host) => host.fit(model.path, input), getHostSpawner())
  },
  'models.hardware': (input) => {
    if (!hardware || input.refresh) {
      hardware = withHost((host) => host.hardware(), getHostSpawner())
      hardware.catch(() => (hardware = null))
    }
    return hardware
  },
  'models.pickFile': async (_input, ctx) => {
    if (!ctx.platform.openFiles) {
      throw new AppError('unsupported', 'There is no file dialog here.', 'Type the full path of the .gguf file instead.')
    }
    const files = await ctx.platform.openFiles({ title: 'Choose a GGUF model or LoRA adapter', filters: [{ name: 'GGUF models', extensions: ['gguf'] }] })
    return files[0] ?? null
  },
  'models.templates': (_input, ctx) => listTemplates(ctx.workspace.db),
  'models.saveTemplate': (input, ctx) => saveTemplate(ctx.workspace.db, input.template),
  'models.previewTemplate': (input, ctx) => {
    const template = getTemplate(ctx.workspace.db, input.template)
    const labelSet = findLabelSet(ctx.workspace.db, input.labelSet).definition
    const rendered = renderPrompt(template, input.task, labelSet)
    return {
      system: rendered.system,
      turns: [...rendered.examples, { role: 'user' as const, text: `${rendered.userPrefix}<the report text>` }],
      schema: answerSchema(input.task, askedLabels(labelSet), DEFAULT_LIMITS)
    }
  }
})
