// The files the main process loads besides itself. Checked at start, so a broken or incomplete build
// fails at once with a list of what is missing (and so the smoke test can see every path).
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export interface BundleFiles {
  preload: string
  /** The renderer's entry page, served over app:// (absent while developing against the dev server). */
  renderer: string
  /** The LLM engine host, run in a utility process. */
  llmHost: string
  /** The import worker thread (src/node/import/worker-host.ts finds it next to the main bundle). */
  importWorker: string
}

export function bundleFiles(mainDir: string): BundleFiles {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    renderer: join(mainDir, '../renderer/index.html'),
    llmHost: join(mainDir, 'llm-host.js'),
    importWorker: join(mainDir, 'importWorker.js')
  }
}

export function missingBundleFiles(files: BundleFiles, devServerUrl: string | undefined): string[] {
  return Object.entries(files)
    .filter(([name]) => !(name === 'renderer' && devServerUrl))
    .map(([, path]) => path)
    .filter((path) => !existsSync(path))
}
