// Packaging for sites: build on a machine with internet, carry the installer to the workstation.
// See README, "Building an installer for an air-gapped site".
const { readdirSync, existsSync } = require('node:fs')
const { join } = require('node:path')

// node-llama-cpp installs prebuilt llama.cpp binaries as @node-llama-cpp/<platform>-<arch>[-gpu] packages.
// Ship the target platform's (all its GPU variants: CUDA, Vulkan, Metal) and none of the others.
const platformPrefix = { darwin: 'mac', win32: 'win', linux: 'linux' }[process.platform]
const arch = process.env.RADLABEL_TARGET_ARCH || process.arch
const binariesDir = join(__dirname, 'node_modules', '@node-llama-cpp')
const foreignBinaries = existsSync(binariesDir)
  ? readdirSync(binariesDir).filter((name) => !name.startsWith(`${platformPrefix}-${arch}`))
  : []

module.exports = {
  appId: 'org.radlabel.workstation',
  productName: 'RadLabel',
  directories: { output: 'dist', buildResources: 'resources' },
  // resources/icon.png (512x512, rendered from resources/icon.svg by scripts/render-icon.mjs): electron-builder
  // makes the .ico and .icns from it.
  icon: 'resources/icon.png',
  // better-sqlite3 for Electron is built by scripts/ensure-electron-sqlite.mjs into native/electron and
  // shipped as a resource; node_modules keeps its Node build for the CLI and tests, so no rebuild here.
  npmRebuild: false,
  nodeGypRebuild: false,
  asar: true,
  // Native code cannot be loaded from inside an asar archive (node-llama-cpp issue #381: NoBinaryFoundError).
  asarUnpack: ['**/*.node', 'node_modules/@node-llama-cpp/**', 'node_modules/node-llama-cpp/bins/**', 'node_modules/node-llama-cpp/llama/**'],
  files: [
    'out/**',
    'package.json',
    '!**/*.{ts,tsx,map}',
    '!{src,test,scripts,native,docs,bin}/**',
    '!node_modules/node-llama-cpp/llama/localBuilds/**',
    ...foreignBinaries.map((name) => `!node_modules/@node-llama-cpp/${name}/**`)
  ],
  extraResources: [{ from: 'native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' }],
  // Electron fuses, flipped in the packaged binary (@electron/fuses through electron-builder): the app
  // cannot be turned into a plain Node runtime or a debugger target by whoever can set its environment
  // or arguments, and runs only its own, integrity-checked app.asar. The LLM engine runs in a
  // utilityProcess and imports in worker threads, so nothing needs ELECTRON_RUN_AS_NODE.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
    loadBrowserProcessSpecificV8Snapshot: false
  },
  linux: { target: ['AppImage', 'deb'], category: 'Science', icon: 'resources/icon.png' },
  win: { target: ['nsis'] },
  mac: { target: ['dmg'], hardenedRuntime: true }
}
