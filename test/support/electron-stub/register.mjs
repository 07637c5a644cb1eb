// `node --import ./register.mjs out/main/index.js`: the built main process under plain Node, with
// `electron` resolved to the stand-in next to this file (electron.mjs).
import { register } from 'node:module'

register('./hooks.mjs', import.meta.url)
