#!/usr/bin/env node
// Stand-in for `ctrgcn data synth` / `ctrgcn data ntu` in prepare tests: tiny files of the right shape.
import fs from 'node:fs';
import path from 'node:path';

const a = process.argv.slice(2);
const flag = (n) => a[a.indexOf(n) + 1];
const cmd = a.slice(0, 2).join(' ');
if (cmd === 'data synth') {
  fs.mkdirSync(flag('--out'), { recursive: true });
  fs.writeFileSync(path.join(flag('--out'), 'S001C001P001R001A001.skeleton'), `classes=${flag('--classes')} seed=${flag('--seed')}\n`);
} else if (cmd === 'data ntu') {
  const dir = path.join(flag('--out'), flag('--benchmark'));
  fs.mkdirSync(dir, { recursive: true });
  const n = 2;
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, 3, 300, 25, 2), }`;
  dict = dict.padEnd(128 - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(dict.length, 8);
  const data = new Float32Array(n * 45000);
  for (let i = 0; i < data.length; i++) data[i] = i < 45000 ? 1 : 2;
  for (const s of ['train', 'val']) {
    fs.writeFileSync(path.join(dir, `${s}_data.npy`), Buffer.concat([head, Buffer.from(dict, 'latin1'), Buffer.from(data.buffer)]));
    fs.writeFileSync(path.join(dir, `${s}_label.pkl`), 'pkl');
  }
} else {
  console.error(`stub-cli: unknown command ${cmd}`);
  process.exit(2);
}
console.log(`[stub-cli] ${a.join(' ')}`);
