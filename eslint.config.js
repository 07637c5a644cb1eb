// Lint: typescript-eslint's recommended rules, plus the layering rule that keeps imports pointing
// the right way (common <- node <- main; common <- renderer; nothing imports electron outside main/preload).
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'worker_threads', 'url', 'stream']
const restrict = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }]
})

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'native/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // Parsers of HL7/MLLP framing match control characters on purpose.
      'no-control-regex': 'off'
    }
  },
  {
    // CommonJS configuration files (electron-builder) are plain Node scripts.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/common/**/*.ts'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'node-llama-cpp', 'react', 'react-dom', '**/node/**', '**/main/**', '**/renderer/**', '**/preload/**'],
      'src/common runs everywhere (renderer included): no Node, Electron, DOM framework or upper-layer imports.'
    )
  },
  {
    files: ['src/node/**/*.ts'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**'],
      'src/node is the Electron-free domain: the CLI and tests run it under plain Node.'
    )
  },
  {
    // The job mechanism sits below the features that use it: they register their kinds
    // (src/node/services/job-kinds.ts), it imports none of them.
    files: ['src/node/jobs/**/*.ts'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', ...['import', 'eval', 'engines', 'models', 'services', 'export', 'review', 'detect', 'cli', 'harness', 'demo'].flatMap((f) => [`../${f}`, `../${f}/**`])],
      'src/node/jobs is the generic job mechanism: it may use the store, never a feature (import, eval, engines, ...).'
    )
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'node-llama-cpp', '**/node/**', '**/main/**', '**/preload/**'],
      'The renderer talks to the back end only through src/renderer/src/app/api.ts.'
    )
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(['**/node/**', '**/renderer/**', 'better-sqlite3', 'node-llama-cpp'], 'The preload only bridges the IPC contract.')
  }
)
