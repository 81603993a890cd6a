// The hostile-input probes: every format the package reads, broken one way at a time. Each probe
// builds its inputs in a fresh folder and names the CLI call, the error code it must end in and
// the outputs that must not be left behind.
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../../src/util/errors.js';
import {
  PARAMS_TXT,
  RECIPE,
  f32,
  npyBytes,
  npyWithDict,
  pdparams,
  safetensors,
  safetensorsWith,
  sample,
  skeleton,
  sparse,
  utf16,
} from './fixtures.js';

export interface ProbeContext {
  /** A fresh folder for this probe. */
  d: string;
  /** Shared valid files. */
  model: string;
  goodNpy: string;
  goodData: string;
  dummyWeights: string;
}

export interface ProbeSetup {
  args: string[];
  /** Paths that must not exist after the failed run (outputs, or folders that must stay empty). */
  outputs: string[];
}

export interface Probe {
  format: string;
  name: string;
  code: ErrorCode;
  setup(c: ProbeContext): ProbeSetup;
  /** The probe needs a file the child cannot read (chmod 000): run as `nobody` when we are root. */
  unreadable?: boolean;
}

const write = (file: string, data: string | Uint8Array): string => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
};

// ------------------------------------------------------------------ commands over one broken file

const GOOD_SKELETON = 'S001C001P001R001A001';
const BAD_SKELETON = 'S001C002P003R001A002';

/** `data ntu` over a folder with one good file and `files` (name → content, or a setup callback). */
function ntu(c: ProbeContext, files: Record<string, string | Buffer | ((p: string) => void)>, extra: string[] = []) {
  const raw = path.join(c.d, 'raw');
  write(path.join(raw, `${GOOD_SKELETON}.skeleton`), skeleton());
  for (const [name, v] of Object.entries(files)) {
    const p = path.join(raw, name);
    if (typeof v === 'function') v(p);
    else write(p, v);
  }
  const out = path.join(c.d, 'out');
  return { args: ['data', 'ntu', '--raw', raw, '--out', out, '--quiet', ...extra], outputs: [out] };
}
const badSkeleton = (c: ProbeContext, text: string | Buffer) => ntu(c, { [`${BAD_SKELETON}.skeleton`]: text });
const skLines = () => skeleton().split('\n');

/** `predict` on one input, in benchmark mode with a JSON report that must not appear. */
function predict(c: ProbeContext, opts: { input?: string; model?: string; config?: string; extra?: string[] }) {
  const json = path.join(c.d, 'bench.json');
  return {
    args: [
      'predict',
      '-c',
      opts.config ?? RECIPE,
      '--model_file',
      opts.model ?? c.model,
      '--use_gpu=False',
      '--cpu_threads=1',
      '-i',
      opts.input ?? c.goodNpy,
      '--enable_benchmark=True',
      '--benchmark_json',
      json,
      ...(opts.extra ?? []),
    ],
    outputs: [json],
  };
}
const npyInput = (c: ProbeContext, bytes: Buffer | ((p: string) => void)) => {
  const f = path.join(c.d, 'input.npy');
  if (typeof bytes === 'function') bytes(f);
  else write(f, bytes);
  return predict(c, { input: f });
};
const onnxModel = (c: ProbeContext, bytes: Buffer | Uint8Array | ((p: string) => void)) => {
  const f = path.join(c.d, 'model.onnx');
  if (typeof bytes === 'function') bytes(f);
  else write(f, bytes);
  return predict(c, { model: f });
};
const recipe = (c: ProbeContext, text: string | Buffer | ((p: string) => void)) => {
  const f = path.join(c.d, 'recipe.yaml');
  if (typeof text === 'function') text(f);
  else write(f, text);
  return predict(c, { config: f });
};

/** `weights convert` of one weights file (.pdparams pickle or .safetensors, told apart by content). */
function weights(c: ProbeContext, bytes: Buffer | ((p: string) => void), name = 'w.pdparams') {
  const f = path.join(c.d, name);
  if (typeof bytes === 'function') bytes(f);
  else write(f, bytes);
  const out = path.join(c.d, 'out.safetensors');
  return { args: ['weights', 'convert', '--model', 'ctrgcn_light', '--in', f, '--out', out], outputs: [out] };
}

/** `eval` with the test split's label file (a `_label.pkl`) or data file replaced. */
function evalSplit(c: ProbeContext, opts: { labels?: Buffer; data?: (p: string) => void }) {
  const labels = path.join(c.d, 'val_label.pkl');
  write(labels, opts.labels ?? pdparams({}));
  let data = c.goodData;
  if (opts.data) {
    data = path.join(c.d, 'val_data.npy');
    opts.data(data);
  }
  const out = path.join(c.d, 'evalout');
  return {
    args: [
      'eval',
      '-c',
      RECIPE,
      '-w',
      c.dummyWeights,
      '-o',
      `DATASET.test.file_path=${data}`,
      '-o',
      `DATASET.test.label_path=${labels}`,
      '-o',
      `output_dir=${out}`,
    ],
    outputs: [out],
  };
}

/** `tipc convert IN OUT` of a params file (txt, or the typed YAML/JSON form by extension). */
function params(c: ProbeContext, data: string | Buffer | ((p: string) => void), ext = '.txt') {
  const f = path.join(c.d, `params${ext}`);
  if (typeof data === 'function') data(f);
  else write(f, data);
  const out = path.join(c.d, ext === '.txt' ? 'out.yaml' : 'out.txt');
  return { args: ['tipc', 'convert', f, out, '--strict'], outputs: [out] };
}

/** `tipc report R.json --html OUT` of a report file. */
function report(c: ProbeContext, data: string | Buffer | ((p: string) => void)) {
  const f = path.join(c.d, 'report.json');
  if (typeof data === 'function') data(f);
  else write(f, data);
  const html = path.join(c.d, 'report.html');
  return { args: ['tipc', 'report', f, '--html', html], outputs: [html] };
}

/** A .pdparams pickle from raw opcodes (protocol 4 header, then `body`, then STOP). */
const pickle = (...body: (number | Buffer)[]) =>
  Buffer.concat([
    Buffer.from([0x80, 4]),
    ...body.map((b) => (typeof b === 'number' ? Buffer.from([b]) : b)),
    Buffer.from('.'),
  ]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const shortStr = (s: string) => Buffer.concat([Buffer.from([0x8c, s.length]), Buffer.from(s)]);

const NTU_DICT = (shape: string, descr = '<f4', fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`.padEnd(117, ' ') + '\n';

const GOOD_PARAMS = () => fs.readFileSync(PARAMS_TXT, 'utf8');

// ------------------------------------------------------------------------------------ the table

export const PROBES: Probe[] = [
  // .skeleton (data ntu)
  {
    format: '.skeleton',
    name: 'truncated in a joint line',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, skLines().slice(0, 40).join('\n')),
  },
  { format: '.skeleton', name: 'empty (0 bytes)', code: 'E_SKELETON_FORMAT', setup: (c) => badSkeleton(c, '') },
  {
    format: '.skeleton',
    name: 'huge frame count in a tiny file',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, '999999999999999\n1\n'),
  },
  {
    format: '.skeleton',
    name: 'huge body count',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, ['1', '2147483647', ...skLines().slice(2, 29)].join('\n')),
  },
  {
    format: '.skeleton',
    name: 'huge joint count',
    code: 'E_SKELETON_FORMAT',
    setup: (c) =>
      badSkeleton(
        c,
        skLines()
          .map((l, i) => (i === 3 ? '4294967296' : l))
          .join('\n'),
      ),
  },
  {
    format: '.skeleton',
    name: 'NaN coordinate',
    code: 'E_SKELETON_FORMAT',
    setup: (c) =>
      badSkeleton(
        c,
        skLines()
          .map((l, i) => (i === 10 ? l.replace(/^\S+/, 'nan') : l))
          .join('\n'),
      ),
  },
  {
    format: '.skeleton',
    name: 'infinite coordinate (1e999)',
    code: 'E_SKELETON_FORMAT',
    setup: (c) =>
      badSkeleton(
        c,
        skLines()
          .map((l, i) => (i === 10 ? l.replace(/^\S+/, '1e999') : l))
          .join('\n'),
      ),
  },
  {
    format: '.skeleton',
    name: 'negative frame count',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, '-3\n'),
  },
  {
    format: '.skeleton',
    name: 'CRLF line ends, truncated',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, skeleton(15, '\r\n').split('\r\n').slice(0, 100).join('\r\n')),
  },
  {
    format: '.skeleton',
    name: 'UTF-16 with a byte-order mark',
    code: 'E_TEXT_ENCODING',
    setup: (c) => badSkeleton(c, utf16(skeleton())),
  },
  {
    format: '.skeleton',
    name: 'invalid UTF-8 bytes',
    code: 'E_TEXT_ENCODING',
    setup: (c) =>
      badSkeleton(c, Buffer.concat([Buffer.from('1\n1\n'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n')])),
  },
  {
    format: '.skeleton',
    name: 'trailing content after the last frame',
    code: 'E_SKELETON_FORMAT',
    setup: (c) => badSkeleton(c, skeleton() + '1\n'),
  },
  {
    format: '.skeleton',
    name: 'a directory named like a .skeleton file',
    code: 'E_FILE_UNREADABLE',
    setup: (c) => ntu(c, { [`${BAD_SKELETON}.skeleton`]: (p) => fs.mkdirSync(p) }),
  },
  {
    format: '.skeleton',
    name: 'symbolic-link loop',
    code: 'E_FILE_UNREADABLE',
    setup: (c) => ntu(c, { [`${BAD_SKELETON}.skeleton`]: (p) => fs.symlinkSync(path.basename(p), p) }),
  },
  {
    format: '.skeleton',
    name: 'symbolic link to a directory',
    code: 'E_FILE_UNREADABLE',
    setup: (c) => ntu(c, { [`${BAD_SKELETON}.skeleton`]: (p) => fs.symlinkSync('/', p) }),
  },
  {
    format: '.skeleton',
    name: 'unreadable (chmod 000)',
    code: 'E_FILE_UNREADABLE',
    unreadable: true,
    setup: (c) =>
      ntu(c, {
        [`${BAD_SKELETON}.skeleton`]: (p) => {
          write(p, skeleton());
          fs.chmodSync(p, 0);
        },
      }),
  },
  {
    format: '.skeleton',
    name: 'over the size limit (sparse 80 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => ntu(c, { [`${BAD_SKELETON}.skeleton`]: (p) => void sparse(p, 80 << 20, Buffer.from('1\n')) }),
  },
  {
    format: '.skeleton',
    name: 'file name not of the NTU form',
    code: 'E_SKELETON_NAME',
    setup: (c) => ntu(c, { 'S001C001P001.skeleton': skeleton() }),
  },
  {
    format: '.skeleton',
    name: 'only files with no body in any frame',
    code: 'E_RAW_EMPTY',
    setup: (c) => {
      const r = ntu(c, { [`${BAD_SKELETON}.skeleton`]: '2\n0\n0\n' });
      write(path.join(c.d, 'raw', `${GOOD_SKELETON}.skeleton`), '1\n0\n');
      return r;
    },
  },
  {
    format: '.skeleton',
    name: '--missing list in UTF-16',
    code: 'E_TEXT_ENCODING',
    setup: (c) => ntu(c, {}, ['--missing', write(path.join(c.d, 'missing.txt'), utf16(GOOD_SKELETON))]),
  },
  {
    format: '.skeleton',
    name: '--raw is a file',
    code: 'E_RAW_MISSING',
    setup: (c) => {
      const f = write(path.join(c.d, 'raw.txt'), 'x');
      const out = path.join(c.d, 'out');
      return { args: ['data', 'ntu', '--raw', f, '--out', out, '--quiet'], outputs: [out] };
    },
  },

  // .npy (predict input)
  {
    format: '.npy',
    name: 'truncated data',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyBytes('<f4', [3, 300, 25, 2], sample()).subarray(0, 90_000)),
  },
  { format: '.npy', name: 'empty (0 bytes)', code: 'E_INPUT_INVALID', setup: (c) => npyInput(c, Buffer.alloc(0)) },
  {
    format: '.npy',
    name: 'bad magic',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, Buffer.from('PK\x03\x04 this is a zip file, not an array')),
  },
  {
    format: '.npy',
    name: 'header length beyond the file',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict(NTU_DICT('(3, 300, 25, 2)'), 1).subarray(0, 40)),
  },
  {
    format: '.npy',
    name: 'v2 header declaring a 4 GB header',
    code: 'E_INPUT_INVALID',
    setup: (c) => {
      const b = npyWithDict(NTU_DICT('(3, 300, 25, 2)'), 2);
      b.writeUInt32LE(0xffffffff, 8);
      return npyInput(c, b);
    },
  },
  {
    format: '.npy',
    name: 'huge declared shape in a small file',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict(NTU_DICT('(3, 1000000000000, 25, 2)'), 1, Buffer.alloc(1024))),
  },
  {
    format: '.npy',
    name: 'shape whose product overflows',
    code: 'E_INPUT_INVALID',
    setup: (c) =>
      npyInput(c, npyWithDict(NTU_DICT('(9007199254740991, 9007199254740991, 25, 2)'), 1, Buffer.alloc(64))),
  },
  {
    format: '.npy',
    name: 'valid sample over the per-sample limit (sparse 100 MB)',
    code: 'E_INPUT_INVALID',
    setup: (c) =>
      npyInput(c, (p) => void sparse(p, 128 + 3 * 166_667 * 50 * 4, npyWithDict(NTU_DICT('(3, 166667, 25, 2)')))),
  },
  {
    format: '.npy',
    name: 'wrong dtype (int64)',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyBytes('<i8', [3, 300, 25, 2], new BigInt64Array(45000))),
  },
  {
    format: '.npy',
    name: 'unsupported dtype (complex128)',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict(NTU_DICT('(3, 2, 25, 2)', '<c16'), 1, Buffer.alloc(3 * 2 * 50 * 16))),
  },
  {
    format: '.npy',
    name: 'big-endian float32',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict(NTU_DICT('(3, 300, 25, 2)', '>f4'), 1, Buffer.alloc(180_000))),
  },
  {
    format: '.npy',
    name: 'Fortran order',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict(NTU_DICT('(3, 300, 25, 2)', '<f4', 'True'), 1, Buffer.alloc(180_000))),
  },
  {
    format: '.npy',
    name: 'malformed header dict',
    code: 'E_INPUT_INVALID',
    setup: (c) => npyInput(c, npyWithDict("{'descr': '<f4', 'shape': (3, 300, 25, 2)}\n", 1, Buffer.alloc(180_000))),
  },
  {
    format: '.npy',
    name: 'wrong shape (24 joints)',
    code: 'E_INPUT_SHAPE',
    setup: (c) => npyInput(c, npyBytes('<f4', [3, 300, 24, 2], new Float32Array(3 * 300 * 48))),
  },
  {
    format: '.npy',
    name: 'NaN values',
    code: 'E_INPUT_INVALID',
    setup: (c) =>
      npyInput(
        c,
        npyBytes(
          '<f4',
          [3, 300, 25, 2],
          sample(300, 72, (k) => (k === 777 ? NaN : 0.5)),
        ),
      ),
  },
  {
    format: '.npy',
    name: 'infinite values',
    code: 'E_INPUT_INVALID',
    setup: (c) =>
      npyInput(
        c,
        npyBytes(
          '<f4',
          [3, 300, 25, 2],
          sample(300, 72, (k) => (k === 5 ? -Infinity : 1)),
        ),
      ),
  },
  {
    format: '.npy',
    name: 'all-zero sequence (no frames)',
    code: 'E_INPUT_NO_FRAMES',
    setup: (c) => npyInput(c, npyBytes('<f4', [3, 300, 25, 2], new Float32Array(45000))),
  },
  {
    format: '.npy',
    name: 'unreadable (chmod 000)',
    code: 'E_INPUT_INVALID',
    unreadable: true,
    setup: (c) =>
      npyInput(c, (p) => {
        write(p, npyBytes('<f4', [3, 300, 25, 2], sample()));
        fs.chmodSync(p, 0);
      }),
  },
  {
    format: '.npy',
    name: 'symbolic-link loop as the input',
    code: 'E_FILE_UNREADABLE',
    setup: (c) => npyInput(c, (p) => fs.symlinkSync(path.basename(p), p)),
  },
  {
    format: '.npy',
    name: 'a directory named x.npy in an input folder',
    code: 'E_INPUT_INVALID',
    setup: (c) => {
      const dir = path.join(c.d, 'inputs');
      fs.mkdirSync(path.join(dir, 'a.npy'), { recursive: true });
      return predict(c, { input: dir });
    },
  },
  {
    format: '.npy',
    name: 'an input folder without .npy files',
    code: 'E_INPUT_EMPTY',
    setup: (c) => {
      const dir = path.join(c.d, 'inputs');
      write(path.join(dir, 'readme.txt'), 'x');
      return predict(c, { input: dir });
    },
  },
  {
    format: '.npy',
    name: 'list file naming a missing file',
    code: 'E_INPUT_MISSING',
    setup: (c) =>
      predict(c, {
        input: write(path.join(c.d, 'list.txt'), `${c.goodNpy}\r\nnope/missing.npy\r\n`),
        extra: ['--time_test_file=True'],
      }),
  },
  {
    format: '.npy',
    name: 'list file in UTF-16',
    code: 'E_TEXT_ENCODING',
    setup: (c) =>
      predict(c, { input: write(path.join(c.d, 'list.txt'), utf16(c.goodNpy)), extra: ['--time_test_file=True'] }),
  },
  {
    format: '.npy',
    name: 'list file that is a directory',
    code: 'E_FILE_UNREADABLE',
    setup: (c) => {
      fs.mkdirSync(path.join(c.d, 'list'));
      return predict(c, { input: path.join(c.d, 'list'), extra: ['--time_test_file=True'] });
    },
  },
  {
    format: '.npy',
    name: 'data array truncated (eval)',
    code: 'E_DATA_FORMAT',
    setup: (c) =>
      evalSplit(c, {
        data: (p) => write(p, npyBytes('<f4', [2, 3, 300, 25, 2], new Float32Array(90000)).subarray(0, 200_000)),
      }),
  },
  {
    format: '.npy',
    name: 'data array with a huge per-sample shape (eval)',
    code: 'E_DATA_FORMAT',
    setup: (c) =>
      evalSplit(c, {
        data: (p) => write(p, npyWithDict(NTU_DICT('(2, 3, 300000000, 25, 2)'), 1, Buffer.alloc(4096))),
      }),
  },

  // _label.pkl (eval)
  {
    format: '.pkl',
    name: 'label pickle truncated',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => evalSplit(c, { labels: pdparams([f32([2]), f32([2])]).subarray(0, 30) }),
  },
  {
    format: '.pkl',
    name: 'label pickle calling os.system',
    code: 'E_PICKLE_UNSAFE',
    setup: (c) =>
      evalSplit(c, {
        labels: Buffer.from('\x80\x02cos\nsystem\nq\x00X\x06\x00\x00\x00whoamiq\x01\x85q\x02Rq\x03.', 'latin1'),
      }),
  },
  {
    format: '.pkl',
    name: 'label pickle that is a dict, not [names, labels]',
    code: 'E_LABELS',
    setup: (c) => evalSplit(c, { labels: pdparams({ a: 1 }) }),
  },
  {
    format: '.pkl',
    name: 'label pickle with text labels',
    code: 'E_LABELS',
    setup: (c) =>
      evalSplit(c, {
        labels: pdparams([
          ['a', 'b'],
          ['x', 'y'],
        ]),
      }),
  },
  {
    format: '.pkl',
    name: 'label count differs from the samples',
    code: 'E_DATA_FORMAT',
    setup: (c) =>
      evalSplit(c, {
        labels: pdparams([
          ['a', 'b', 'c'],
          [1, 2, 3],
        ]),
      }),
  },

  // .pdparams (weights convert; the same unpickler)
  {
    format: '.pdparams',
    name: 'truncated',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pdparams({ 'backbone.data_bn.weight': f32([150]) }).subarray(0, 100)),
  },
  {
    format: '.pdparams',
    name: 'global outside the allow-list (subprocess.Popen)',
    code: 'E_PICKLE_UNSAFE',
    setup: (c) => weights(c, pickle(shortStr('subprocess'), shortStr('Popen'), 0x93, 0x29, 0x52)),
  },
  {
    format: '.pdparams',
    name: 'lists nested 200,000 deep without marks',
    code: 'E_PICKLE_FORMAT',
    setup: (c) =>
      weights(c, pickle(0x7d, shortStr('k'), Buffer.alloc(200_000, 0x5d), Buffer.alloc(199_999, 0x61), 0x73)),
  },
  {
    format: '.pdparams',
    name: 'marks nested 100,000 deep',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(Buffer.alloc(100_000, 0x28))),
  },
  {
    format: '.pdparams',
    name: 'LONG4 declaring 4 GB',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(0x8b, u32(0xffffffff), Buffer.alloc(16))),
  },
  {
    format: '.pdparams',
    name: 'LONG4 of 1 MB (quadratic decoding)',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(0x8b, u32(1 << 20), Buffer.alloc(1 << 20, 0x7f))),
  },
  {
    format: '.pdparams',
    name: 'decimal INT of 1 million digits',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(0x49, Buffer.from('9'.repeat(1_000_000) + '\n'))),
  },
  {
    format: '.pdparams',
    name: 'BINBYTES8 declaring 2^60 bytes',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(0x8e, u64(1n << 60n), Buffer.alloc(8))),
  },
  {
    format: '.pdparams',
    name: 'ndarray shape disagreeing with its bytes',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => {
      const b = pdparams({ 'backbone.data_bn.weight': f32([150]) });
      // BUILD state shape (150,) → (151,): BININT1 150 → 151 is ambiguous; patch the ndarray's 2-byte shape.
      const at = b.indexOf(Buffer.from([0x4b, 150, 0x85]));
      b[at + 1] = 151;
      return weights(c, b);
    },
  },
  {
    format: '.pdparams',
    name: 'unknown pickle protocol 9',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, Buffer.from([0x80, 9, 0x7d, 0x2e])),
  },
  {
    format: '.pdparams',
    name: 'dict key that is a deeply nested list',
    code: 'E_PICKLE_FORMAT',
    setup: (c) => weights(c, pickle(0x7d, Buffer.alloc(800, 0x5d), Buffer.alloc(799, 0x61), 0x4e, 0x73)),
  },
  {
    format: '.pdparams',
    name: 'entries that are not arrays',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, pdparams({ 'backbone.data_bn.weight': [1, 2, 3] })),
  },
  {
    format: '.pdparams',
    name: 'int8 arrays',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        pdparams({ 'backbone.data_bn.weight': { kind: 'ndarray', dtype: '|u1', shape: [4], data: new Uint8Array(4) } }),
      ),
  },
  {
    format: '.pdparams',
    name: 'valid pickle, tensors of the wrong model',
    code: 'E_WEIGHTS_MISMATCH',
    setup: (c) => weights(c, pdparams({ 'backbone.data_bn.weight': f32([7]) })),
  },
  { format: '.pdparams', name: 'empty (0 bytes)', code: 'E_WEIGHTS_FORMAT', setup: (c) => weights(c, Buffer.alloc(0)) },
  {
    format: '.pdparams',
    name: 'over the size limit (sparse 300 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => weights(c, (p) => void sparse(p, 300 << 20, Buffer.from([0x80, 4]))),
  },
  {
    format: '.pdparams',
    name: 'a directory',
    code: 'E_WEIGHTS_READ',
    setup: (c) => weights(c, (p) => fs.mkdirSync(p)),
  },
  {
    format: '.pdparams',
    name: 'unreadable (chmod 000)',
    code: 'E_WEIGHTS_READ',
    unreadable: true,
    setup: (c) =>
      weights(c, (p) => {
        write(p, pdparams({ a: f32([1]) }));
        fs.chmodSync(p, 0);
      }),
  },

  // .safetensors (weights convert)
  {
    format: '.safetensors',
    name: 'header length of 2^63',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, safetensorsWith('{}', Buffer.alloc(0), 1n << 63n), 'w.safetensors'),
  },
  {
    format: '.safetensors',
    name: 'header length beyond the file',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, safetensorsWith('{"a":1}', Buffer.alloc(0), 4096n), 'w.safetensors'),
  },
  {
    format: '.safetensors',
    name: 'header is not JSON',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, safetensorsWith('{not json'), 'w.safetensors'),
  },
  {
    format: '.safetensors',
    name: 'header is a JSON array nested 100,000 deep',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{' + '"a":['.repeat(1) + '['.repeat(100_000) + ']'.repeat(100_001) + '}'),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'data offsets beyond the file',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{"t":{"dtype":"F32","shape":[262144],"data_offsets":[0,1048576]}}', Buffer.alloc(16)),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'shape whose product overflows',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{"t":{"dtype":"F32","shape":[9007199254740991,9007199254740991],"data_offsets":[0,0]}}'),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'negative shape and offsets',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{"t":{"dtype":"F32","shape":[-1,-4],"data_offsets":[0,16]}}', Buffer.alloc(16)),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'shape is not a list',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{"t":{"dtype":"F32","shape":"big","data_offsets":[0,4]}}', Buffer.alloc(4)),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'wrong dtype (F16)',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) =>
      weights(
        c,
        safetensorsWith('{"t":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', Buffer.alloc(4)),
        'w.safetensors',
      ),
  },
  {
    format: '.safetensors',
    name: 'truncated data',
    code: 'E_WEIGHTS_FORMAT',
    setup: (c) => weights(c, safetensors().subarray(0, safetensors().length - 100), 'w.safetensors'),
  },

  // .onnx (predict --model_file)
  { format: '.onnx', name: 'empty (0 bytes)', code: 'E_MODEL_LOAD', setup: (c) => onnxModel(c, Buffer.alloc(0)) },
  {
    format: '.onnx',
    name: 'random bytes',
    code: 'E_MODEL_LOAD',
    setup: (c) => onnxModel(c, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24))),
  },
  {
    format: '.onnx',
    name: 'truncated model',
    code: 'E_MODEL_LOAD',
    setup: (c) => onnxModel(c, (p) => write(p, fs.readFileSync(c.model).subarray(0, 200))),
  },
  {
    format: '.onnx',
    name: 'a model with the wrong input rank',
    code: 'E_INFERENCE',
    setup: (c) => onnxModel(c, (p) => fs.copyFileSync(path.join(path.dirname(c.model), 'rank2.onnx'), p)),
  },
  {
    format: '.onnx',
    name: 'a directory',
    code: 'E_MODEL_LOAD',
    setup: (c) => onnxModel(c, (p) => fs.mkdirSync(p)),
  },
  {
    format: '.onnx',
    name: 'symbolic-link loop',
    code: 'E_MODEL_LOAD',
    setup: (c) => onnxModel(c, (p) => fs.symlinkSync(path.basename(p), p)),
  },
  {
    format: '.onnx',
    name: 'unreadable (chmod 000)',
    code: 'E_MODEL_LOAD',
    unreadable: true,
    setup: (c) =>
      onnxModel(c, (p) => {
        fs.copyFileSync(c.model, p);
        fs.chmodSync(p, 0);
      }),
  },
  {
    format: '.onnx',
    name: 'over the size limit (sparse 300 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => onnxModel(c, (p) => void sparse(p, 300 << 20)),
  },
  {
    format: '.onnx',
    name: 'missing',
    code: 'E_MODEL_MISSING',
    setup: (c) => predict(c, { model: path.join(c.d, 'nope.onnx') }),
  },
  {
    format: '.onnx',
    name: 'export sidecar that is not JSON',
    code: 'E_EXPORT_INVALID',
    setup: (c) =>
      onnxModel(c, (p) => {
        fs.copyFileSync(c.model, p);
        write(p.replace(/\.onnx$/, '.json'), '{"precision": "fp32"');
      }),
  },

  // recipe YAML (predict -c)
  {
    format: 'recipe YAML',
    name: 'billion laughs (alias expansion)',
    code: 'E_CONFIG_INVALID',
    setup: (c) => {
      const l = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 10; i++) {
        const p = String.fromCharCode(97 + i - 1);
        l.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
            .fill('*' + p)
            .join(',')}]`,
        );
      }
      return recipe(c, l.join('\n'));
    },
  },
  {
    format: 'recipe YAML',
    name: 'flow collections nested 100,000 deep',
    code: 'E_CONFIG_INVALID',
    setup: (c) => recipe(c, 'a: ' + '['.repeat(100_000) + ']'.repeat(100_000)),
  },
  {
    format: 'recipe YAML',
    name: 'block sequence nested 100,000 deep on one line',
    code: 'E_CONFIG_INVALID',
    setup: (c) => recipe(c, '- '.repeat(100_000) + 'x'),
  },
  {
    format: 'recipe YAML',
    name: 'UTF-16 with a byte-order mark',
    code: 'E_TEXT_ENCODING',
    setup: (c) => recipe(c, utf16(fs.readFileSync(RECIPE, 'utf8'))),
  },
  {
    format: 'recipe YAML',
    name: 'invalid UTF-8',
    code: 'E_TEXT_ENCODING',
    setup: (c) => recipe(c, Buffer.concat([fs.readFileSync(RECIPE), Buffer.from([0xed, 0xa0, 0x80])])),
  },
  {
    format: 'recipe YAML',
    name: 'over the size limit (2 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => recipe(c, fs.readFileSync(RECIPE, 'utf8') + '#'.repeat(2 << 20)),
  },
  {
    format: 'recipe YAML',
    name: 'not a mapping',
    code: 'E_CONFIG_INVALID',
    setup: (c) => recipe(c, '- just\n- a list\n'),
  },
  {
    format: 'recipe YAML',
    name: 'duplicate keys',
    code: 'E_CONFIG_INVALID',
    setup: (c) => recipe(c, fs.readFileSync(RECIPE, 'utf8') + '\nmodel_name: again\n'),
  },
  {
    format: 'recipe YAML',
    name: 'NaN where a number is due (CRLF file)',
    code: 'E_CONFIG_INVALID',
    setup: (c) =>
      recipe(
        c,
        fs
          .readFileSync(RECIPE, 'utf8')
          .replace(/window_size: \d+/g, 'window_size: .nan')
          .replace(/\n/g, '\r\n'),
      ),
  },
  {
    format: 'recipe YAML',
    name: 'a directory',
    code: 'E_CONFIG_INVALID',
    setup: (c) => recipe(c, (p) => fs.mkdirSync(p)),
  },
  {
    format: 'recipe YAML',
    name: 'unreadable (chmod 000)',
    code: 'E_CONFIG_INVALID',
    unreadable: true,
    setup: (c) =>
      recipe(c, (p) => {
        fs.copyFileSync(RECIPE, p);
        fs.chmodSync(p, 0);
      }),
  },

  // params .txt / .yaml / .json (tipc convert)
  { format: 'params', name: 'empty .txt', code: 'E_PARAMS_INVALID', setup: (c) => params(c, '') },
  {
    format: 'params',
    name: '.txt in UTF-16',
    code: 'E_TEXT_ENCODING',
    setup: (c) => params(c, utf16(GOOD_PARAMS())),
  },
  {
    format: 'params',
    name: '.txt with a NUL byte (binary)',
    code: 'E_TEXT_ENCODING',
    setup: (c) => params(c, Buffer.concat([Buffer.from(GOOD_PARAMS()), Buffer.from([0, 1, 2])])),
  },
  {
    format: 'params',
    name: '.txt with 20,000 lines',
    code: 'E_PARAMS_INVALID',
    setup: (c) => params(c, GOOD_PARAMS() + 'x:y\n'.repeat(20_000)),
  },
  {
    format: 'params',
    name: '.txt with a 100 KB line',
    code: 'E_PARAMS_INVALID',
    setup: (c) => params(c, GOOD_PARAMS().replace('\n', 'x'.repeat(100_000) + '\n')),
  },
  {
    format: 'params',
    name: '.txt over the size limit (2 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => params(c, GOOD_PARAMS() + ('#'.repeat(1000) + '\n').repeat(2100)),
  },
  {
    format: 'params',
    name: 'a directory',
    code: 'E_PARAMS_READ',
    setup: (c) => params(c, (p) => fs.mkdirSync(p)),
  },
  {
    format: 'params',
    name: '.yaml nested 100,000 deep',
    code: 'E_PARAMS_INVALID',
    setup: (c) => params(c, 'model_name: ' + '{a: '.repeat(100_000) + '1' + '}'.repeat(100_000), '.yaml'),
  },
  {
    format: 'params',
    name: '.yaml billion laughs',
    code: 'E_PARAMS_INVALID',
    setup: (c) => {
      const l = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
      for (let i = 1; i < 9; i++)
        l.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
            .fill('*' + String.fromCharCode(96 + i))
            .join(',')}]`,
        );
      return params(c, l.join('\n'), '.yaml');
    },
  },
  {
    format: 'params',
    name: '.json that is not JSON',
    code: 'E_PARAMS_INVALID',
    setup: (c) => params(c, '{"model_name": ', '.json'),
  },
  {
    format: 'params',
    name: '.json with a byte-order mark and the wrong shape',
    code: 'E_PARAMS_INVALID',
    setup: (c) => params(c, '\ufeff[1, 2, 3]', '.json'),
  },

  // report JSON (tipc report)
  { format: 'report JSON', name: 'empty', code: 'E_REPORT_READ', setup: (c) => report(c, '') },
  { format: 'report JSON', name: 'not JSON', code: 'E_REPORT_READ', setup: (c) => report(c, '{"model": "x",') },
  {
    format: 'report JSON',
    name: 'nested 100,000 deep',
    code: 'E_REPORT_READ',
    setup: (c) => report(c, '{"steps":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'),
  },
  {
    format: 'report JSON',
    name: 'valid JSON, not a report',
    code: 'E_REPORT_INVALID',
    setup: (c) => report(c, JSON.stringify({ model: 'x', steps: 'none', gates: [] })),
  },
  {
    format: 'report JSON',
    name: 'UTF-16',
    code: 'E_TEXT_ENCODING',
    setup: (c) => report(c, utf16('{"model": "x"}')),
  },
  {
    format: 'report JSON',
    name: 'over the size limit (sparse 100 MB)',
    code: 'E_FILE_TOO_LARGE',
    setup: (c) => report(c, (p) => void sparse(p, 100 << 20, Buffer.from('{"a":"'))),
  },
  {
    format: 'report JSON',
    name: 'a symbolic link to a directory',
    code: 'E_REPORT_READ',
    setup: (c) => report(c, (p) => fs.symlinkSync(c.d, p)),
  },

  // CLI arguments
  {
    format: 'CLI arguments',
    name: 'unknown command',
    code: 'E_USAGE',
    setup: () => ({ args: ['frobnicate', '--now'], outputs: [] }),
  },
  {
    format: 'CLI arguments',
    name: 'unknown flag',
    code: 'E_USAGE',
    setup: (c) => ({ ...predict(c, { extra: ['--bogus_flag=1'] }) }),
  },
  {
    format: 'CLI arguments',
    name: 'flag without its value',
    code: 'E_USAGE',
    setup: (c) => ({ args: ['data', 'ntu', '--raw', c.d, '--out'], outputs: [] }),
  },
  {
    format: 'CLI arguments',
    name: 'integer flag given text',
    code: 'E_USAGE',
    setup: (c) => predict(c, { extra: ['--batch_size', 'many'] }),
  },
  {
    format: 'CLI arguments',
    name: 'batch size 0',
    code: 'E_USAGE',
    setup: (c) => predict(c, { extra: ['--batch_size=0'] }),
  },
  {
    format: 'CLI arguments',
    name: 'batch size beyond 2^53',
    code: 'E_USAGE',
    setup: (c) => predict(c, { extra: ['--batch_size=99999999999999999999999'] }),
  },
  {
    format: 'CLI arguments',
    name: 'cpu_threads 0',
    code: 'E_USAGE',
    setup: (c) => predict(c, { extra: ['--cpu_threads=0'] }),
  },
  {
    format: 'CLI arguments',
    name: 'benchmark with too few batches',
    code: 'E_TOO_FEW_BATCHES',
    setup: (c) => predict(c, { extra: ['--batch_size=8'] }),
  },
  {
    format: 'CLI arguments',
    name: 'an unknown benchmark split',
    code: 'E_USAGE',
    setup: (c) => ({ ...ntu(c, {}, ['--benchmark', 'xsetup']) }),
  },
  {
    format: 'CLI arguments',
    name: 'a 100 KB config path',
    code: 'E_CONFIG_MISSING',
    setup: (c) => predict(c, { config: 'x'.repeat(100_000) + '.yaml' }),
  },
  {
    format: 'CLI arguments',
    name: 'a malformed override',
    code: 'E_OVERRIDE',
    setup: (c) => predict(c, { extra: ['-o', 'INFERENCE.window_size'] }),
  },
];
