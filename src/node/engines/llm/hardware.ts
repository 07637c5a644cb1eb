// What this machine offers llama.cpp: the GPU backends with usable binaries and devices, which one
// `auto` picks and why; and whether a model fits (GgufInsights). Run inside the engine host so that a
// misbehaving driver cannot take the caller down.
import { cpus, totalmem } from 'node:os'
import type { BackendInfo, FitEstimate, HardwareInfo } from '../../../common/ipc/calls/models'

export type { BackendInfo, FitEstimate, HardwareInfo }



export async function detectHardware(): Promise<HardwareInfo> {
  const lib = await import('node-llama-cpp')
  const base = { build: 'never' as const, logLevel: lib.LlamaLogLevel.error }
  type Gpu = 'cuda' | 'metal' | 'vulkan'
  const isGpu = (g: unknown): g is Gpu => g === 'cuda' || g === 'metal' || g === 'vulkan'
  const all = (await lib.getLlamaGpuTypes('allValid')).filter(isGpu)
  const supported = (await lib.getLlamaGpuTypes('supported')).filter(isGpu)
  const backends: BackendInfo[] = []
  for (const type of all.filter((t) => !supported.includes(t))) {
    backends.push({ type, usable: false, detail: `no ${type} driver or runtime found on this machine`, devices: [] })
  }
  for (const type of supported) {
    try {
      const llama = await lib.getLlama({ ...base, gpu: type })
      const devices = await llama.getGpuDeviceNames()
      const vram = await llama.getVramState()
      backends.push({ type, usable: true, detail: devices.length ? devices.join(', ') : 'no device name reported', devices, vram: { total: vram.total, free: vram.free } })
      await llama.dispose()
    } catch (err) {
      backends.push({ type, usable: false, detail: (err as Error).message.split('\n')[0]!, devices: [] })
    }
  }
  const cpu = await lib.getLlama({ ...base, gpu: false })
  backends.push({ type: 'cpu', usable: true, detail: `${cpu.cpuMathCores} math cores`, devices: [] })
  const physicalCores = cpu.cpuMathCores
  await cpu.dispose()
  const auto = await lib.getLlama({ ...base, gpu: 'auto' })
  const autoType = auto.gpu === false ? 'cpu' : auto.gpu
  const reason =
    auto.gpu !== false
      ? `${auto.gpu} has a working device`
      : supported.length
        ? `no working device for ${supported.join(', ')}; using the CPU`
        : all.length
          ? `no ${all.join(' or ')} driver or runtime found; using the CPU`
          : 'this platform has no GPU backend; using the CPU'
  await auto.dispose()
  return {
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    logicalCores: cpus().length,
    physicalCores,
    ramBytes: totalmem(),
    backends,
    auto: { type: autoType, reason }
  }
}


export async function estimateFit(
  modelPath: string,
  settings: { contextSize: number; sequences: number; gpu: 'auto' | 'cuda' | 'metal' | 'vulkan' | 'cpu' }
): Promise<FitEstimate> {
  const lib = await import('node-llama-cpp')
  const llama = await lib.getLlama({
    build: 'never',
    logLevel: lib.LlamaLogLevel.error,
    gpu: settings.gpu === 'cpu' ? false : settings.gpu
  })
  try {
    const info = await lib.readGgufFileInfo(modelPath, { sourceType: 'filesystem', logWarnings: false })
    const insights = await lib.GgufInsights.from(info, llama)
    const resolved = await insights.configurationResolver.resolveAndScoreConfig({
      targetContextSize: settings.contextSize * settings.sequences
    })
    const v = resolved.resolvedValues
    // The score rates GPU offload; whether it fits at all is a question of memory.
    const vram = await llama.getVramState()
    const fits = v.totalRamUsage <= totalmem() * 0.8 && v.totalVramUsage <= vram.free
    const where = v.gpuLayers === 0 ? 'on the CPU' : v.gpuLayers >= insights.totalLayers ? `fully on the GPU (${llama.gpu})` : `${v.gpuLayers} of ${insights.totalLayers} layers on the GPU (${llama.gpu})`
    const gib = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GiB`
    return {
      compatibilityScore: resolved.compatibilityScore,
      fits,
      gpu: llama.gpu,
      gpuLayers: v.gpuLayers,
      totalLayers: insights.totalLayers,
      contextSize: v.contextSize,
      ramBytes: v.totalRamUsage,
      vramBytes: v.totalVramUsage,
      summary: fits
        ? `Fits ${where}, needing about ${gib(v.totalRamUsage)} RAM and ${gib(v.totalVramUsage)} VRAM for ${settings.sequences} × ${settings.contextSize} tokens of context.`
        : `Does not fit this machine with ${settings.sequences} × ${settings.contextSize} tokens of context; try a smaller quantisation, context or fewer sequences.`
    }
  } finally {
    await llama.dispose()
  }
}
