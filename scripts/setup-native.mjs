#!/usr/bin/env node
// Install step for the native training backend (@tensorflow/tfjs-node).
//
// The package's own install script downloads libtensorflow from Google storage, which fails on
// machines without internet, so package.json disables it (allowScripts) and this script runs
// instead. Sources, in order:
//   1. the package's normal download (where the network reaches it);
//   2. libtensorflow_cc.so.2 from the tensorflow-cpu wheel that pip can fetch from a local index,
//      against which only the small N-API addon is compiled (~25 s);
//   3. none: install still succeeds, and the project falls back to the wasm backend with one
//      clear warning at run time (see src/backend).
// Idempotent: does nothing when the binding and libraries are already in place.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const depsLib = path.join(pkgDir, 'deps', 'lib');
const depsInclude = path.join(pkgDir, 'deps', 'include');
const statusFile = path.join(root, '.native-status.json');
const TF_WHEEL = process.env.CTRGCN_TF_WHEEL_SPEC ?? 'tensorflow-cpu';

function log(msg) {
  process.stdout.write(`[setup-native] ${msg}\n`);
}

function bindingPath() {
  const libDir = path.join(pkgDir, 'lib');
  if (!fs.existsSync(libDir)) return null;
  for (const d of fs.readdirSync(libDir)) {
    const p = path.join(libDir, d, 'tfjs_binding.node');
    if (fs.existsSync(p)) return p;
  }
  return null;
}

function librariesPresent() {
  return (
    fs.existsSync(path.join(depsLib, 'libtensorflow.so')) &&
    fs.existsSync(path.join(depsLib, 'libtensorflow_framework.so'))
  );
}

/** Loads the binding in a child process: proves the addon and its libraries link and run. */
function bindingWorks() {
  if (!bindingPath()) return false;
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      "const tf=require('@tensorflow/tfjs-node');const t=tf.add(tf.scalar(1),tf.scalar(2));if(t.dataSync()[0]!==3)process.exit(3);",
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, timeout: 120_000 },
  );
  return r.status === 0;
}

function writeStatus(status) {
  const tmp = `${statusFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...status, at: new Date().toISOString() }, null, 2) + '\n');
  fs.renameSync(tmp, statusFile);
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

function tryOfficialDownload() {
  if (process.env.CTRGCN_SKIP_TF_DOWNLOAD === '1') return false;
  log('trying the official libtensorflow download …');
  const r = run(process.execPath, ['scripts/install.js'], { cwd: pkgDir, timeout: 300_000 });
  if (r.status !== 0) {
    const why =
      `${r.stderr ?? ''}${r.stdout ?? ''}`.match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN)[^\n]*/)?.[0] ??
      `exit ${r.status}`;
    log(`official download unavailable (${why.trim()})`);
    return false;
  }
  return bindingWorks();
}

function findPython() {
  for (const py of ['python3', 'python']) {
    const r = run(py, ['--version']);
    if (r.status === 0) return py;
  }
  return null;
}

function tryLocalWheel() {
  const py = findPython();
  if (!py) {
    log('no python found: cannot fetch the tensorflow-cpu wheel');
    return false;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-tfwheel-'));
  try {
    log(`fetching the ${TF_WHEEL} wheel with pip (local index) …`);
    const dl = run(py, ['-m', 'pip', 'download', TF_WHEEL, '--no-deps', '--only-binary=:all:', '-d', work], {
      timeout: 600_000,
    });
    const wheel = fs.existsSync(work) ? fs.readdirSync(work).find((f) => f.endsWith('.whl')) : undefined;
    if (dl.status !== 0 || !wheel) {
      log(`pip could not fetch ${TF_WHEEL}: ${(dl.stderr || '').trim().split('\n').pop()}`);
      return false;
    }
    log(`extracting libtensorflow from ${wheel} …`);
    // Python's zipfile: always there when pip is, no unzip binary needed.
    const extract = `
import sys, zipfile, os, shutil
whl, lib, inc = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(lib, exist_ok=True); os.makedirs(inc, exist_ok=True)
z = zipfile.ZipFile(whl)
names = z.namelist()
wanted = {'tensorflow/libtensorflow_cc.so.2': 'libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2': 'libtensorflow_framework.so.2'}
for src, dst in wanted.items():
    if src not in names: sys.exit('missing ' + src)
    with z.open(src) as f, open(os.path.join(lib, dst), 'wb') as o: shutil.copyfileobj(f, o, 1 << 22)
prefixes = ('tensorflow/include/tensorflow/', 'tensorflow/include/tsl/', 'tensorflow/include/xla/tsl/')
for n in names:
    if n.startswith(prefixes) and not n.endswith('/'):
        rel = n[len('tensorflow/include/'):]
        out = os.path.join(inc, rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(n) as f, open(out, 'wb') as o: shutil.copyfileobj(f, o)
`;
    const ex = run(py, ['-c', extract, path.join(work, wheel), depsLib, depsInclude], { timeout: 600_000 });
    if (ex.status !== 0) {
      log(`extraction failed: ${(ex.stderr || ex.stdout || '').trim()}`);
      return false;
    }
    for (const [link, target] of [
      ['libtensorflow.so', 'libtensorflow_cc.so.2'],
      ['libtensorflow_framework.so', 'libtensorflow_framework.so.2'],
    ]) {
      const p = path.join(depsLib, link);
      fs.rmSync(p, { force: true });
      fs.symlinkSync(target, p);
    }
    log('building the tfjs-node addon against it (node-pre-gyp, ~10 s) …');
    const b = run('npx', ['--no-install', 'node-pre-gyp', 'install', '--build-from-source'], {
      cwd: pkgDir,
      timeout: 900_000,
    });
    if (b.status !== 0) {
      log(`addon build failed:\n${(b.stderr || '').split('\n').slice(-15).join('\n')}`);
      return false;
    }
    return bindingWorks();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main() {
  if (!fs.existsSync(pkgDir)) {
    log('@tensorflow/tfjs-node is not installed; nothing to do');
    writeStatus({ backend: 'wasm', source: 'none', reason: '@tensorflow/tfjs-node missing' });
    return;
  }
  if (bindingPath() && librariesPresent() && bindingWorks()) {
    log('tfjs-node binding already built and working');
    writeStatus({ backend: 'tensorflow', source: 'existing' });
    return;
  }
  const t0 = Date.now();
  if (tryOfficialDownload()) {
    writeStatus({ backend: 'tensorflow', source: 'download' });
    log(`tfjs-node ready (official download, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return;
  }
  if (tryLocalWheel()) {
    writeStatus({ backend: 'tensorflow', source: 'tensorflow-cpu wheel' });
    log(`tfjs-node ready (built against the local tensorflow-cpu wheel, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return;
  }
  writeStatus({ backend: 'wasm', source: 'none', reason: 'no libtensorflow could be obtained' });
  log(
    'WARNING: no native TensorFlow library could be obtained; training will use the slow wasm backend. ' +
      'Re-run `npm run setup-native` once the network or a tensorflow-cpu wheel is available.',
  );
}

main();
