// Loads every engine module so that each registers itself with the registry.
// Add one import per engine; keep heavy dependencies (node-llama-cpp) out of module top level.
export async function loadEngines(): Promise<void> {
  await Promise.all(engineModules.map((load) => load()))
}

const engineModules: (() => Promise<unknown>)[] = [() => import('./llm/register'), () => import('./rules'), () => import('./server/register')]
