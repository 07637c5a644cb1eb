import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { resolve } from 'node:path'

export default defineConfig({
  // Main is ESM (node-llama-cpp is ESM with top-level await); dependencies stay external (native modules).
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        // The LLM engine host runs in its own utility process, so a native crash cannot take the app down.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'llm-host': resolve(__dirname, 'src/node/engines/llm/host-entry.ts'),
          // Import runs each file in a worker thread (src/node/import/worker-host.ts looks for this file).
          importWorker: resolve(__dirname, 'src/node/import/import-worker.ts')
        },
        // The CLI renders PDFs through playwright-core (a dev tool); the app uses webContents.printToPDF.
        external: ['playwright-core'],
        output: { format: 'es', entryFileNames: '[name].js' }
      }
    }
  },
  // The preload runs sandboxed: CommonJS, every dependency bundled in, nothing required at run time.
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    }
  }
})
