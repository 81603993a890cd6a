import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  PickleFormatError,
  PickleSecurityError,
  PyFloat,
  PyTuple,
  isNdarray,
  ndarray,
  ndarrayNumbers,
  ndarrayStrings,
  pickleDump,
  unpickle,
  type PyNdarray,
  type PyScalar,
} from './pickle.js';
import { sharedPath } from './shared-data.test-util.js';

// Small pickles written by Python 3 + NumPy 2 (pickle.dumps(..., protocol=p)), as hex.
const PY = {
  labels_p2:
    '80025d710028636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7101636e756d70790a6e6461727261790a71024b00857103635f636f646563730a656e636f64650a7104580100000062710558060000006c6174696e31710686710752710887710952710a284b014b0285710b636e756d70790a64747970650a710c5803000000533230710d898887710e52710f284b0358010000007c71104e4e4e4b144b014b00747111628968045828000000533030314330303150303031523030314130303153303031433030325030303352303032413035307112680686711352711474711562680168024b008571166808877117527118284b014b02857119680c58020000006938711a898887711b52711c284b0358010000003c711d4e4e4e4affffffff4affffffff4b0074711e62896804581000000000000000000000003100000000000000711f680686712052712174712262652e',
  labels_p3:
    '80035d710028636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7101636e756d70790a6e6461727261790a71024b008571034301627104877105527106284b014b02857107636e756d70790a64747970650a710858030000005332307109898887710a52710b284b0358010000007c710c4e4e4e4b144b014b0074710d6289432853303031433030315030303152303031413030315330303143303032503030335230303241303530710e74710f62680168024b008571106804877111527112284b014b0285711368085802000000693871148988877115527116284b0358010000003c71174e4e4e4affffffff4affffffff4b007471186289431000000000000000003100000000000000711974711a62652e',
  labels_p4:
    '80049502010000000000005d94288c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b02859468048c0564747970659493948c0353323094898887945294284b038c017c944e4e4e4b144b014b007494628943285330303143303031503030315230303141303031533030314330303250303033523030324130353094749462680368064b008594680887945294284b014b028594680d8c02693894898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628943100000000000000000310000000000000094749462652e',
  labels_p5:
    '800595e8000000000000005d94288c136e756d70792e5f636f72652e6e756d65726963948c0b5f66726f6d6275666665729493942896280000000000000053303031433030315030303152303031413030315330303143303032503030335230303241303530948c056e756d7079948c0564747970659493948c0353323094898887945294284b038c017c944e4e4e4b144b014b007494624b0285948c01439474945294680328961000000000000000000000000000000031000000000000009468078c02693894898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494624b028594680e74945294652e',
  scalars_p2:
    '80025d7100285d7101285801000000617102635f636f646563730a656e636f64650a7103580100000062710458060000006c6174696e317105867106527107655d710828636e756d70792e5f636f72652e6d756c746961727261790a7363616c61720a7109636e756d70790a64747970650a710a58020000006938710b898887710c52710d284b0358010000003c710e4e4e4e4affffffff4affffffff4b0074710f62680358080000000300000000000000711068058671115271128671135271146809680d6803580b0000000000000000c3bfc3bfc3bf7115680586711652711786711852711965652e',
  ordered_p2:
    '800263636f6c6c656374696f6e730a4f726465726564446963740a710029527101285801000000787102473ff80000000000005801000000797103284b018a090000000000000000404affffffff4e88747104752e',
  f8_p4:
    '80049551010000000000007d94288c0161948c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b024b03869468058c0564747970659493948c02663894898887945294284b038c013c944e4e4e4affffffff4affffffff4b007494628943300000000000000000000000000000f03f0000000000000040000000000000084000000000000010400000000000001440947494628c016294680468074b008594680987945294284b014b028594680e8c02623194898887945294284b038c017c944e4e4e4affffffff4affffffff4b007494628943020100947494628c016394680468074b008594680987945294284b014b028594680e8c02753194898887945294284b03681e4e4e4e4affffffff4affffffff4b00749462894302010294749462752e',
  fortran_p2:
    '8002636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7100636e756d70790a6e6461727261790a71014b00857102635f636f646563730a656e636f64650a7103580100000062710458060000006c6174696e317105867106527107877108527109284b014b024b0386710a636e756d70790a64747970650a710b58020000006634710c898887710d52710e284b0358010000003c710f4e4e4e4affffffff4affffffff4b0074711062886803581b00000000000000000040400000c2803f0000c28040000000400000c2a04071116805867112527113747114622e',
};
const hex = (k: keyof typeof PY) => Buffer.from(PY[k], 'hex');

describe('unpickle', () => {
  it.each(['labels_p2', 'labels_p3', 'labels_p4', 'labels_p5'] as const)(
    'decodes a NumPy [names |S20, labels <i8] list (%s)',
    (k) => {
      const v = unpickle(hex(k), k) as [PyNdarray, PyNdarray];
      expect(Array.isArray(v)).toBe(true);
      expect(v[0].dtype).toBe('|S20');
      expect(v[0].shape).toEqual([2]);
      expect(ndarrayStrings(v[0])).toEqual(['S001C001P001R001A001', 'S001C002P003R002A050']);
      expect(v[1].dtype).toBe('<i8');
      expect(v[1].data).toBeInstanceOf(BigInt64Array);
      expect(ndarrayNumbers(v[1])).toEqual([0, 49]);
    },
  );

  it('decodes protocol-2 bytes via _codecs.encode and int64 scalars (number or bigint)', () => {
    const v = unpickle(hex('scalars_p2')) as [[string, Buffer], [PyScalar, PyScalar]];
    expect(v[0][0]).toBe('a');
    expect(Buffer.isBuffer(v[0][1]) && v[0][1].toString()).toBe('b');
    expect(v[1][0]).toEqual({ kind: 'scalar', dtype: '<i8', value: 3 });
    expect(v[1][1].value).toBe(-(2 ** 40));
  });

  it('decodes OrderedDict, floats, longs, None, bools and tuples', () => {
    const v = unpickle(hex('ordered_p2')) as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['x', 'y']);
    expect(v.x).toBe(1.5);
    expect(v.y).toEqual([1, 2n ** 70n, -1, null, true]);
  });

  it('decodes f8 2-D, bool and uint8 arrays; rejects Fortran order', () => {
    const v = unpickle(hex('f8_p4')) as Record<string, PyNdarray>;
    expect(v.a.shape).toEqual([2, 3]);
    expect(Array.from(v.a.data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(v.b.dtype).toBe('|b1');
    expect(Array.from(v.b.data as Uint8Array)).toEqual([1, 0]);
    expect(v.c.dtype).toBe('|u1');
    expect(() => unpickle(hex('fortran_p2'), 'f.pkl')).toThrow(/f\.pkl: Fortran-order/);
  });

  it('decodes the real PaddleVideo .pdparams (541 float32 arrays + name map)', () => {
    const f = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');
    const v = unpickle(fs.readFileSync(f), f) as Record<string, unknown>;
    const arrays = Object.entries(v).filter(([, a]) => isNdarray(a)) as [string, PyNdarray][];
    expect(arrays.length).toBe(541);
    expect(arrays.every(([, a]) => a.dtype === '<f4' && a.data instanceof Float32Array)).toBe(true);
    expect(arrays.reduce((s, [, a]) => s + a.data.length, 0)).toBe(1_031_550);
    const map = v['StructuredToParameterName@@'] as Record<string, string>;
    expect(map['backbone.data_bn._mean']).toBe('batch_norm1d_0.w_1');
    expect(Object.keys(map).length).toBe(541);
    const w = v['backbone.data_bn.weight'] as PyNdarray;
    expect(w.shape).toEqual([150]);
    expect((w.data as Float32Array)[0]).toBeCloseTo(0.99885, 4);
    // and our writer reproduces it: dump (protocol 4) → read back equal
    const again = unpickle(pickleDump(v, { protocol: 4 })) as Record<string, unknown>;
    expect(Object.keys(again)).toEqual(Object.keys(v));
    expect(again['backbone.data_bn.weight']).toEqual(w);
  });

  it('rejects malicious globals without executing them (protocol 0 GLOBAL and protocol 2 STACK_GLOBAL)', () => {
    const p0 = Buffer.from("cos\nsystem\n(S'echo pwned'\ntR.", 'latin1');
    expect(() => unpickle(p0, 'evil.pkl')).toThrow(PickleSecurityError);
    expect(() => unpickle(p0, 'evil.pkl')).toThrow(/evil\.pkl: .*"os\.system"/);
    const s = (t: string) => [0x8c, t.length, ...Buffer.from(t)];
    const code = "print('pwned')";
    const p2 = Buffer.from([0x80, 0x04, ...s('builtins'), ...s('eval'), 0x93, ...s(code), 0x85, 0x52, 0x2e]);
    let err: unknown;
    try {
      unpickle(p2, 'evil2.pkl');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PickleSecurityError);
    expect((err as PickleSecurityError).global).toBe('builtins.eval');
    expect((err as PickleSecurityError).code).toBe('E_PICKLE_UNSAFE');
    for (const g of ['posix\nsystem', 'subprocess\nPopen', 'numpy\nload', '__builtin__\ngetattr']) {
      expect(() => unpickle(Buffer.from(`c${g}\n)R.`, 'latin1'))).toThrow(PickleSecurityError);
    }
    // persistent ids and the extension registry are refused too
    expect(() => unpickle(Buffer.from('\x80\x02K\x01Q.', 'latin1'))).toThrow(PickleSecurityError);
    expect(() => unpickle(Buffer.from('\x80\x02\x82\x01.', 'latin1'))).toThrow(PickleSecurityError);
  });

  it('reports truncated and malformed pickles as PickleFormatError naming the file', () => {
    const full = hex('labels_p4');
    expect(() => unpickle(full.subarray(0, 100), 'cut.pkl')).toThrow(PickleFormatError);
    expect(() => unpickle(full.subarray(0, 100), 'cut.pkl')).toThrow(/cut\.pkl: truncated/);
    expect(() => unpickle(Buffer.from([0x80, 0x02, 0xff, 0x2e]), 'x.pkl')).toThrow(
      /unknown or unsupported opcode 0xff/,
    );
    expect(() => unpickle(Buffer.from([0x80, 0x02, 0x65, 0x2e]), 'x.pkl')).toThrow(PickleFormatError);
    expect(() => unpickle(Buffer.alloc(0), 'e.pkl')).toThrow(/no STOP/);
  });

  it('bounds what a crafted pickle can make it do: nesting, integer sizes, container keys', () => {
    const p4 = (...parts: Buffer[]) => Buffer.concat([Buffer.from([0x80, 4]), ...parts, Buffer.from('.')]);
    const err = (b: Buffer) => {
      try {
        unpickle(b, 'x.pkl');
      } catch (e) {
        return `${(e as PickleFormatError).code}: ${(e as Error).message}`;
      }
      return 'parsed';
    };
    // 5,000 lists nested by APPEND (no MARK): an iterative walk refuses them, no stack overflow
    expect(err(p4(Buffer.alloc(5000, 0x5d), Buffer.alloc(4999, 0x61)))).toMatch(
      /^E_PICKLE_FORMAT: x\.pkl: containers nested more than 1000 levels deep/,
    );
    expect(unpickle(p4(Buffer.alloc(500, 0x5d), Buffer.alloc(499, 0x61)))).toBeInstanceOf(Array);
    expect(err(p4(Buffer.alloc(2000, 0x28)))).toMatch(/nesting too deep/);
    const long4 = Buffer.alloc(5);
    long4[0] = 0x8b;
    long4.writeUInt32LE(2048, 1);
    expect(err(p4(long4, Buffer.alloc(2048, 1)))).toMatch(/integer of 2048 bytes \(at most 1024 accepted\)/);
    expect(unpickle(p4(Buffer.from([0x8a, 9]), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 1])))).toBe(2n ** 64n);
    expect(err(p4(Buffer.from('I' + '1'.repeat(5000) + '\n')))).toMatch(/INT argument of 5000 digits/);
    expect(unpickle(p4(Buffer.from('I-42\n')))).toBe(-42);
    // a dict key that is a list (its text form would recurse through the nesting)
    expect(err(p4(Buffer.from([0x7d, 0x5d, 0x4e, 0x73])))).toMatch(/dict key of type list\/tuple is not supported/);
  });

  it('treats a "__proto__" key as data', () => {
    const v = unpickle(pickleDump({ __proto__x: 1, ['__proto__']: 2 })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toContain('__proto__x');
    const b = Buffer.from([0x80, 0x02, 0x7d, ...[0x58, 9, 0, 0, 0], ...Buffer.from('__proto__'), 0x7d, 0x73, 0x2e]);
    const o = unpickle(b) as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(o, '__proto__')).toBe(true);
  });
});

describe('pickleDump', () => {
  const labels = (): [PyNdarray, PyNdarray] => {
    const names = Buffer.alloc(40);
    names.write('S001C001P001R001A001', 0, 'latin1');
    names.write('S001C002P003R002A050', 20, 'latin1');
    return [
      { kind: 'ndarray', dtype: '|S20', shape: [2], data: names },
      { kind: 'ndarray', dtype: '<i8', shape: [2], data: BigInt64Array.from([0n, 49n]) },
    ];
  };

  it.each([2, 3, 4] as const)('round-trips plain values and ndarrays (protocol %d)', (protocol) => {
    const f32: PyNdarray = {
      kind: 'ndarray',
      dtype: '<f4',
      shape: [2, 2],
      data: Float32Array.from([1, -2.5, 3, 1e-7]),
    };
    const value = {
      s: 'héllo',
      n: [0, 255, 256, 65535, 65536, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, -(2 ** 40)],
      big: 2n ** 80n,
      negbig: -(2n ** 70n),
      f: 0.25,
      pf: new PyFloat(1),
      b: [true, false, null],
      t: new PyTuple([1, 'a', new PyTuple([])]),
      bytes: Buffer.from([0, 255, 10, 128]),
      empty: Buffer.alloc(0),
      arr: f32,
      nested: { labels: labels() },
      sc: { kind: 'scalar', dtype: '<i8', value: 7 } as PyScalar,
      long: Array.from({ length: 2500 }, (_, i) => i),
    };
    const back = unpickle(pickleDump(value, { protocol })) as Record<string, unknown>;
    expect(back.s).toBe('héllo');
    expect(back.n).toEqual(value.n);
    expect(back.big).toBe(2n ** 80n);
    expect(back.negbig).toBe(-(2n ** 70n));
    expect(back.f).toBe(0.25);
    expect(back.pf).toBe(1);
    expect(back.b).toEqual([true, false, null]);
    expect(back.t).toEqual([1, 'a', []]);
    expect(back.bytes).toEqual(value.bytes);
    expect(back.empty).toEqual(Buffer.alloc(0));
    expect(back.arr).toEqual(f32);
    const [names, labs] = (back.nested as { labels: [PyNdarray, PyNdarray] }).labels;
    expect(ndarrayStrings(names)).toEqual(['S001C001P001R001A001', 'S001C002P003R002A050']);
    expect(labs.dtype).toBe('<i8');
    expect(ndarrayNumbers(labs)).toEqual([0, 49]);
    expect(back.sc).toEqual({ kind: 'scalar', dtype: '<i8', value: 7 });
    expect(back.long).toEqual(value.long);
  });

  it('writes the label list with the same opcodes NumPy uses (protocol 3 bytes equal Python output, modulo module path and memo)', () => {
    const ours = unpickle(pickleDump(labels(), { protocol: 3, numpyModule: 'numpy._core.multiarray' }));
    expect(ours).toEqual(unpickle(hex('labels_p3')));
    const p2 = pickleDump(labels(), { protocol: 2 });
    expect(p2.includes(Buffer.from('cnumpy.core.multiarray\n_reconstruct\n'))).toBe(true);
    expect(p2.includes(Buffer.from('c_codecs\nencode\n'))).toBe(true);
  });

  it('refuses values it cannot represent', () => {
    expect(() => pickleDump(() => 1)).toThrow(/cannot serialise a function/);
    const a: unknown[] = [];
    a.push(a);
    expect(() => pickleDump(a)).toThrow(/circular/);
    expect(() => pickleDump({ kind: 'ndarray', dtype: '<f4', shape: [3], data: new Float32Array(2) })).toThrow(
      /needs 12 bytes/,
    );
    expect(() => pickleDump({ w: new Float32Array(2) })).toThrow(/wrap typed arrays/);
    expect(unpickle(pickleDump({ w: ndarray(Float32Array.from([1, 2, 3, 4]), [2, 2]) }))).toEqual({
      w: { kind: 'ndarray', dtype: '<f4', shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
    });
  });
});
