// Reads a GGUF file's header without loading the model: what it is, how big, which quantisation,
// which chat template, and whether the file is complete. Bad files get errors that say what is wrong.
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../common/errors'
import { formatBytes } from '../../common/format'
import type { GgufHeaderInfo } from '../../common/ipc/calls/models'

export type { GgufHeaderInfo }

const MAGIC = 'GGUF'

// ggml tensor types: [elements per block, bytes per block]. Unknown types skip the size check.
const GGML_BLOCKS: Record<number, [number, number]> = {
  0: [1, 4], 1: [1, 2], 2: [32, 18], 3: [32, 20], 6: [32, 22], 7: [32, 24], 8: [32, 34], 9: [32, 36],
  10: [256, 84], 11: [256, 110], 12: [256, 144], 13: [256, 176], 14: [256, 210], 15: [256, 292],
  16: [256, 66], 17: [256, 74], 18: [256, 98], 19: [256, 50], 20: [32, 18], 21: [256, 110], 22: [256, 82],
  23: [256, 136], 24: [1, 1], 25: [1, 2], 26: [1, 4], 27: [1, 8], 28: [1, 8], 29: [256, 56], 30: [1, 2],
  34: [256, 54], 35: [256, 66], 39: [32, 17]
}

function tensorSize(dims: readonly (number | bigint)[], type: number): { elements: number; bytes: number | null } {
  const elements = dims.reduce<number>((a, d) => a * Number(d), 1)
  const block = GGML_BLOCKS[type]
  return { elements, bytes: block ? Math.ceil(elements / block[0]) * block[1] : null }
}

async function readMagic(path: string): Promise<{ magic: string; size: number }> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new AppError('not_found', `The model file ${path} does not exist.`, 'Check the path of the model file.')
  }
  if (!info.isFile()) throw new AppError('invalid_input', `${path} is not a file.`, 'Choose a .gguf model file.')
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(4)
    const { bytesRead } = await fh.read(buf, 0, 4, 0)
    return { magic: buf.subarray(0, bytesRead).toString('latin1'), size: info.size }
  } finally {
    await fh.close()
  }
}

/** Header facts of a GGUF file; throws AppError for missing, non-GGUF, truncated or unreadable files. */
export async function inspectGguf(path: string): Promise<GgufHeaderInfo> {
  const { magic, size } = await readMagic(path)
  if (magic !== MAGIC) {
    throw new AppError(
      'unsupported',
      `${basename(path)} is not a GGUF model file (it does not start with "GGUF").`,
      'RadLabel runs models in the GGUF format used by llama.cpp. Convert the model to GGUF (llama.cpp convert_hf_to_gguf.py) or pick the .gguf file.'
    )
  }
  const lib = await import('node-llama-cpp')
  const { readGgufFileInfo, GgufFileType } = lib
  // Declared as a const enum, but exported as a plain object at runtime.
  const knownArchitectures = Object.values((lib as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType)
  let fileInfo
  try {
    fileInfo = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, spliceSplitFiles: false })
  } catch (err) {
    const reason = (err as Error).message
    const truncated = /end of|out of range|beyond|EOF|offset/i.test(reason) || size < 1024
    throw new AppError(
      'unsupported',
      truncated
        ? `${basename(path)} is truncated or damaged: its GGUF header ends early (${reason}).`
        : `${basename(path)} has a GGUF header RadLabel cannot read (${reason}).`,
      truncated ? 'Copy the file again from its source; the copy is incomplete.' : 'Check that the file is a valid GGUF model (version 2 or 3).'
    )
  }
  const meta = fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>
  const general = (meta.general ?? {}) as Record<string, unknown>
  const architecture = String(general.architecture ?? 'unknown')
  const arch = fileInfo.architectureMetadata as Record<string, unknown> | undefined
  // Sizes come from the header's tensor table (loading llama.cpp's backend just to inspect takes seconds).
  let parameters = 0
  let tensorBytes = 0
  let end = fileInfo.infoEndOffset ?? 0
  for (const t of fileInfo.tensorInfo ?? []) {
    const { elements, bytes } = tensorSize(t.dimensions, t.ggmlType)
    parameters += elements
    tensorBytes += bytes ?? 0
    end = Math.max(end, Number(t.fileOffset) + (bytes ?? 1))
  }
  const tensorCount = Number(fileInfo.tensorCount)
  if (size < end) {
    throw new AppError(
      'unsupported',
      `${basename(path)} is truncated: its header describes ${formatBytes(end)} but the file has ${formatBytes(size)}.`,
      'Copy the file again from its source; the copy is incomplete.'
    )
  }
  const fileType = typeof general.file_type === 'number' ? (GgufFileType[general.file_type] ?? `type ${general.file_type}`) : null
  const tokenizer = (meta.tokenizer ?? {}) as Record<string, unknown>
  return {
    path,
    fileName: basename(path),
    sizeBytes: size,
    kind: general.type === 'adapter' ? 'lora' : 'base',
    name: typeof general.name === 'string' ? general.name : null,
    architecture,
    parameters,
    quantisation: fileType,
    contextLength: typeof arch?.context_length === 'number' ? arch.context_length : null,
    layers: typeof arch?.block_count === 'number' ? arch.block_count : null,
    embeddingLength: typeof arch?.embedding_length === 'number' ? arch.embedding_length : null,
    chatTemplate: typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : null,
    ggufVersion: fileInfo.version,
    tensorCount,
    tensorBytes,
    // Architectures node-llama-cpp knows; the definitive check is the load itself.
    supportedByLlamaCpp: knownArchitectures.includes(architecture)
  }
}

