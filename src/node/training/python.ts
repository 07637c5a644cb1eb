// Which Python runs training and adapter conversion: --python, else RADLABEL_PYTHON, else the venv
// that `npm run setup:train` creates outside the repository, else python3. The chosen interpreter is
// checked for the packages a step needs; a missing one gives one message naming it and how to install.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { AppError } from '../../common/errors'
import { radlabelCacheDir } from './llama-cpp-source'

const run = promisify(execFile)

export function trainVenvDir(): string {
  return process.env.RADLABEL_TRAIN_VENV || join(radlabelCacheDir(), 'train-venv')
}

export interface PythonChoice {
  path: string
  /** Where the choice came from, for messages. */
  from: '--python' | 'RADLABEL_PYTHON' | 'setup:train venv' | 'python3'
}

export function choosePython(explicit?: string): PythonChoice {
  if (explicit) return { path: explicit, from: '--python' }
  if (process.env.RADLABEL_PYTHON) return { path: process.env.RADLABEL_PYTHON, from: 'RADLABEL_PYTHON' }
  const venv = join(trainVenvDir(), process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python')
  if (existsSync(venv)) return { path: venv, from: 'setup:train venv' }
  return { path: process.platform === 'win32' ? 'python' : 'python3', from: 'python3' }
}

const INSTALL_HINT =
  'Install them with `npm run setup:train` (creates a venv under ~/.cache/radlabel/train-venv from pip\'s configured indexes), ' +
  'or pass --python / set RADLABEL_PYTHON to an interpreter that has them.'

/** Checks that `python` runs and imports `modules`; returns the versions it reports. */
export async function checkPython(choice: PythonChoice, modules: string[]): Promise<Record<string, string>> {
  // find_spec + package metadata: no module is imported (importing torch alone takes seconds).
  const code =
    'import importlib.util, importlib.metadata as md, json, sys\n' +
    'dist = {"yaml": "pyyaml"}\n' +
    'out = {"python": sys.version.split()[0]}\n' +
    'missing = []\n' +
    `for m in ${JSON.stringify(modules)}:\n` +
    '    if importlib.util.find_spec(m) is None:\n' +
    '        missing.append(m)\n' +
    '        continue\n' +
    '    try:\n' +
    '        out[m] = md.version(dist.get(m, m))\n' +
    '    except Exception:\n' +
    '        out[m] = "?"\n' +
    'out["missing"] = missing\n' +
    'print(json.dumps(out))\n'
  let stdout: string
  try {
    stdout = (await run(choice.path, ['-c', code], { timeout: 120_000 })).stdout
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    throw new AppError(
      'unsupported',
      e.code === 'ENOENT'
        ? `Python was not found: ${choice.path} (from ${choice.from}) does not exist.`
        : `Python ${choice.path} (from ${choice.from}) failed to start: ${e.message.split('\n')[0]}`,
      INSTALL_HINT
    )
  }
  const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, string> & { missing: string[] }
  if (parsed.missing.length) {
    throw new AppError('unsupported', `Python ${choice.path} (from ${choice.from}) lacks the package(s) ${parsed.missing.join(', ')}.`, INSTALL_HINT)
  }
  const { missing: _missing, ...versions } = parsed
  return versions
}
