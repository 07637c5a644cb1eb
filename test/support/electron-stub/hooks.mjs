// Module resolution hook: the bare specifier 'electron' becomes the stand-in.
const STUB = new URL('./electron.mjs', import.meta.url).href

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: STUB, shortCircuit: true, format: 'module' }
  return next(specifier, context)
}
