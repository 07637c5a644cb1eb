#!/usr/bin/env node
// Creates (once per machine) the Python venv that `radlabel train run` and
// `radlabel models import-adapter` use, outside the repo: $RADLABEL_TRAIN_VENV or
// ~/.cache/radlabel/train-venv. Reused when its stamp matches scripts/train-requirements.txt.
// Installs only from pip's configured local indexes when there are any (the default remote index
// is unreachable on the build machines and pip would wait minutes on retries).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const requirementsPath = join(here, 'train-requirements.txt');
const venv = process.env.RADLABEL_TRAIN_VENV || join(homedir(), '.cache', 'radlabel', 'train-venv');
const python = join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
const stampPath = join(venv, 'radlabel-requirements.sha256');
const requirements = readFileSync(requirementsPath);
const wanted = createHash('sha256').update(requirements).digest('hex');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}${opts.capture ? `\n${r.stderr}` : ''}`);
  }
  return r;
}

function basePython() {
  for (const candidate of [process.env.RADLABEL_BASE_PYTHON, 'python3', 'python'].filter(Boolean)) {
    const r = spawnSync(candidate, ['-c', 'import sys, venv; print(sys.version_info >= (3, 9))'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() === 'True') return candidate;
  }
  throw new Error(
    'setup:train needs Python >= 3.9 with the venv module (Debian: apt-get install python3 python3-venv); ' +
      'or set RADLABEL_BASE_PYTHON to such an interpreter.'
  );
}

/** pip's configured local indexes (file:// URLs or find-links): when present, the default index is not asked. */
function localIndexArgs(py) {
  const r = run(py, ['-m', 'pip', 'config', 'list'], { capture: true, allowFail: true });
  const config = r.status === 0 ? r.stdout : '';
  const urls = [];
  for (const line of config.split('\n')) {
    const m = /^[\w:.]*\.?(index-url|extra-index-url)='([^']*)'/.exec(line.trim());
    if (m) urls.push(...m[2].split(/\s+/).filter(Boolean));
  }
  const local = urls.filter((u) => u.startsWith('file:'));
  if (local.length === 0) return [];
  // First local index replaces the default remote one; the others stay extra indexes.
  return ['--index-url', local[0], ...local.slice(1).flatMap((u) => ['--extra-index-url', u])];
}

if (existsSync(python) && existsSync(stampPath) && readFileSync(stampPath, 'utf8').trim() === wanted) {
  console.log(`[setup:train] venv ready at ${venv} (reused)`);
  process.exit(0);
}

const started = Date.now();
const py = basePython();
if (existsSync(venv)) rmSync(venv, { recursive: true, force: true });
mkdirSync(dirname(venv), { recursive: true });
console.log(`[setup:train] creating venv at ${venv}`);
run(py, ['-m', 'venv', venv]);
const indexArgs = localIndexArgs(python);
if (indexArgs.length) console.log(`[setup:train] using pip's configured local indexes: ${indexArgs.filter((a) => !a.startsWith('--')).join(' ')}`);
// Environment keeps PIP_* settings (find-links, constraints) from pip's own config files.
run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...indexArgs, '-r', requirementsPath], {
  env: { ...process.env, PIP_NO_INPUT: '1' }
});
run(python, ['-c', 'import torch, transformers, peft, safetensors, gguf; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)']);
writeFileSync(stampPath, `${wanted}\n`);
console.log(`[setup:train] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
