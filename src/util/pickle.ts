// Python pickle, both ways, restricted to plain data and NumPy arrays.
//
// Reading is a small opcode interpreter (protocols 0–5) that never calls anything by name:
// every GLOBAL is checked against a fixed allow-list and mapped to a built-in reconstruction
// (NumPy arrays/scalars/dtypes, OrderedDict, `_codecs.encode`); anything else throws
// PickleSecurityError before a single further opcode runs.
// Writing emits what Python + NumPy emit for dicts, lists, tuples, str, bytes, int, float, bool,
// None and ndarrays (NumPy's reduce protocol), so `pickle.load` + NumPy can read our files.
import { CodedError } from './errors.js';
import { typedArrayFromBytes, type DtypeArray } from './dtype.js';

// ---------------------------------------------------------------------------------------------
// Value model

export type PyNdarrayData = DtypeArray;

/** A NumPy array: `dtype` in NumPy's `descr` spelling ('<f4', '<i8', '|S20', '|u1', '|b1', …). */
export interface PyNdarray {
  kind: 'ndarray';
  dtype: string;
  shape: number[];
  /** Typed array for numeric dtypes (C order); raw bytes (Buffer) for `|S<n>`. */
  data: PyNdarrayData;
}

/** A NumPy scalar, e.g. `numpy.int64(3)`; int64 values come back as number when safe, else bigint. */
export interface PyScalar {
  kind: 'scalar';
  dtype: string;
  value: number | bigint | boolean | string;
}

/** A Python tuple for `pickleDump` (on reading, tuples come back as plain arrays). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** Forces a Python float for an integral JS number (e.g. `1.0`) in `pickleDump`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export class PickleSecurityError extends CodedError {
  constructor(
    readonly global: string,
    readonly file: string,
  ) {
    super(
      'E_PICKLE_UNSAFE',
      `${file}: refusing to load pickle that references "${global}" (only NumPy arrays/scalars/dtypes, ` +
        'collections.OrderedDict and _codecs.encode are allowed)',
    );
    this.name = 'PickleSecurityError';
  }
}

export class PickleFormatError extends CodedError {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super('E_PICKLE_FORMAT', `${file}: ${detail}`);
    this.name = 'PickleFormatError';
  }
}

export const isNdarray = (v: unknown): v is PyNdarray =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'ndarray' && 'shape' in v && 'data' in v;
export const isScalar = (v: unknown): v is PyScalar =>
  typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'scalar' && 'value' in v;

/** Item size in bytes of a supported dtype, or undefined. */
export function dtypeItemSize(dtype: string): number | undefined {
  const m = /^[<|]([fiubS])(\d+)$/.exec(dtype);
  if (!m) return undefined;
  const n = Number(m[2]);
  const ok: Record<string, number[]> = { f: [4, 8], i: [1, 4, 8], u: [1], b: [1] };
  if (m[1] === 'S') return n >= 1 ? n : undefined;
  return ok[m[1]].includes(n) ? n : undefined;
}

/** Wraps a typed array as a PyNdarray (dtype from the array type; shape defaults to 1-D). */
export function ndarray(
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array,
  shape: number[] = [data.length],
): PyNdarray {
  const dtype =
    data instanceof Float32Array
      ? '<f4'
      : data instanceof Float64Array
        ? '<f8'
        : data instanceof BigInt64Array
          ? '<i8'
          : data instanceof Int32Array
            ? '<i4'
            : data instanceof Int8Array
              ? '|i1'
              : '|u1';
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length)
    throw new RangeError(`ndarray: shape (${shape.join(', ')}) needs ${count} values, data has ${data.length}`);
  return { kind: 'ndarray', dtype, shape: [...shape], data };
}

/** Decodes a `|S<n>` array to strings (ASCII/latin1, trailing NULs stripped). */
export function ndarrayStrings(a: PyNdarray): string[] {
  const n = dtypeItemSize(a.dtype);
  if (!a.dtype.startsWith('|S') || !n) throw new TypeError(`expected a |S<n> array, got ${a.dtype}`);
  const buf = Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out: string[] = [];
  for (let off = 0; off + n <= buf.length; off += n) {
    let end = off + n;
    while (end > off && buf[end - 1] === 0) end--;
    out.push(buf.toString('latin1', off, end));
  }
  return out;
}

/** Numbers of a numeric array (int64 must be safe integers). */
export function ndarrayNumbers(a: PyNdarray): number[] {
  if (a.data instanceof BigInt64Array) {
    return Array.from(a.data, (b) => {
      const n = Number(b);
      if (!Number.isSafeInteger(n)) throw new RangeError(`int64 value ${b} is not a safe integer`);
      return n;
    });
  }
  if (a.dtype.startsWith('|S')) throw new TypeError('a |S<n> array has no numbers');
  return Array.from(a.data as ArrayLike<number>);
}

// ---------------------------------------------------------------------------------------------
// Reading

const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  // Protocol 5 ndarrays reduce through _frombuffer (in-band bytes).
  'numpy.core.numeric._frombuffer',
  'numpy._core.numeric._frombuffer',
  'collections.OrderedDict',
  '_codecs.encode',
]);

/** A resolved allow-listed global: only a name; "calling" it is a switch below. */
class GlobalRef {
  constructor(readonly name: string) {}
}

/** A NumPy dtype under construction (REDUCE gives the type code, BUILD the byte order). */
class DtypeObj {
  byteorder = '=';
  elsize = -1;
  constructor(readonly code: string) {}
  descr(file: string): string {
    const m = /^([fiubS])(\d*)$/.exec(this.code);
    if (!m) throw new PickleFormatError(file, `unsupported NumPy dtype "${this.code}"`);
    const kind = m[1];
    const size = kind === 'S' ? (this.elsize > 0 ? this.elsize : Number(m[2])) : Number(m[2]);
    if (this.byteorder === '>')
      throw new PickleFormatError(file, `big-endian NumPy dtype ">${this.code}" is not supported`);
    const order = size === 1 || kind === 'S' ? '|' : '<';
    const d = `${order}${kind}${size}`;
    if (!dtypeItemSize(d)) throw new PickleFormatError(file, `unsupported NumPy dtype "${this.code}"`);
    return d;
  }
}

/** One level of the value stack; MARK pushes the current level onto a metastack (as CPython does). */
type Stack = unknown[];

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly file: string,
  ) {}
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.buf.length)
      throw new PickleFormatError(this.file, `truncated pickle while reading ${what} at byte ${this.pos}`);
  }
  u8(): number {
    this.need(1, 'an opcode argument');
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2, 'a 2-byte integer');
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4, 'a 4-byte length');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4, 'a 4-byte integer');
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8, 'an 8-byte length');
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new PickleFormatError(this.file, `length ${v} too large at byte ${this.pos - 8}`);
    return Number(v);
  }
  f64be(): number {
    this.need(8, 'a float');
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Buffer {
    this.need(n, `${n} bytes`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0)
      throw new PickleFormatError(this.file, `truncated pickle: unterminated text argument at byte ${this.pos}`);
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return s;
  }
}

/** Longest binary (LONG1/LONG4) or decimal (INT/LONG) integer accepted; Python caps decimal text at 4300 digits. */
const MAX_LONG_BYTES = 1024;
const MAX_INT_DIGITS = 4300;

function decodeLong(b: Buffer, file: string): number | bigint {
  if (b.length === 0) return 0;
  if (b.length > MAX_LONG_BYTES)
    throw new PickleFormatError(file, `integer of ${b.length} bytes (at most ${MAX_LONG_BYTES} accepted)`);
  // Big-endian hex → BigInt is linear; shifting byte by byte would be quadratic.
  let v = BigInt('0x' + Buffer.from(b).reverse().toString('hex'));
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return toIntValue(v);
}

function decimalInt(s: string, file: string, op: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s)) throw new PickleFormatError(file, `bad ${op} argument "${s.slice(0, 40)}"`);
  if (s.length > MAX_INT_DIGITS)
    throw new PickleFormatError(file, `${op} argument of ${s.length} digits (at most ${MAX_INT_DIGITS} accepted)`);
  return toIntValue(BigInt(s));
}

function toIntValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Python 2 / protocol-0 string literal: `'...'` or `"..."` with backslash escapes. */
function decodeReprString(s: string, file: string): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q)
    throw new PickleFormatError(file, `bad STRING argument ${s.slice(0, 40)}`);
  const body = s.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      r: '\r',
      t: '\t',
      '\\': '\\',
      "'": "'",
      '"': '"',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '0': '\0',
    };
    if (n === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n in simple) out += simple[n];
    else out += '\\' + n;
  }
  return out;
}

function setKey(obj: Record<string, unknown>, key: unknown, value: unknown, file: string): void {
  // Only scalar keys: stringifying a (crafted, deeply nested) container would recurse without bound.
  const t = typeof key;
  if (!(t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean' || key === null || Buffer.isBuffer(key)))
    throw new PickleFormatError(file, `dict key of type ${Array.isArray(key) ? 'list/tuple' : t} is not supported`);
  const k = typeof key === 'string' ? key : Buffer.isBuffer(key) ? key.toString('latin1') : String(key);
  // defineProperty so a "__proto__" key is data, not a prototype change.
  Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });
}

export interface UnpickleOptions {
  /** Maximum nesting of containers/marks (guards against crafted deep pickles). Default 1,000. */
  maxDepth?: number;
}

/**
 * Decodes a pickle. dict → plain object (keys stringified, insertion order except for integer-like
 * keys), list/tuple → array, str → string, bytes → Buffer, int → number (bigint beyond 2^53),
 * float → number, bool, None → null, ndarray → PyNdarray, NumPy scalar → PyScalar.
 */
export function unpickle(buf: Buffer, file = '<pickle>', opts: UnpickleOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 1_000;
  const r = new Reader(buf, file);
  let stack: Stack = [];
  const metastack: Stack[] = [];
  const memo = new Map<number, unknown>();
  const fail = (msg: string): never => {
    throw new PickleFormatError(file, `${msg} (at byte ${r.pos})`);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    if (metastack.length === 0) fail('MARK expected');
    stack = metastack.pop()!;
    return items;
  };
  const pushMark = () => {
    if (metastack.length >= maxDepth) fail('nesting too deep');
    metastack.push(stack);
    stack = [];
  };
  const global = (module: string, name: string): GlobalRef => {
    const full = `${module}.${name}`;
    if (!ALLOWED_GLOBALS.has(full)) throw new PickleSecurityError(full, file);
    return new GlobalRef(full);
  };
  const asDict = (v: unknown): Record<string, unknown> => {
    if (
      typeof v !== 'object' ||
      v === null ||
      Array.isArray(v) ||
      isNdarray(v) ||
      v instanceof GlobalRef ||
      v instanceof DtypeObj ||
      Buffer.isBuffer(v)
    )
      return fail('SETITEM(S) target is not a dict');
    return v as Record<string, unknown>;
  };
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail('APPEND(S) target is not a list'));

  for (;;) {
    if (r.pos >= buf.length) fail('truncated pickle: no STOP opcode');
    const at = r.pos;
    const op = buf[r.pos++];
    switch (op) {
      case 0x80: {
        // PROTO
        const p = r.u8();
        if (p > 5) fail(`unsupported pickle protocol ${p}`);
        break;
      }
      case 0x95: // FRAME: frames are only a buffering hint
        r.u64();
        break;
      case 0x2e: // STOP
        return finish(pop(), file, maxDepth);
      // --- containers
      case 0x7d: // EMPTY_DICT
        stack.push({});
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x8f: // EMPTY_SET
        stack.push([]);
        break;
      case 0x28: // MARK
        pushMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x30: // POP
        if (stack.length === 0) fail('stack underflow');
        stack.pop();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        if (items.length % 2) fail('odd number of items for DICT');
        const d: Record<string, unknown> = {};
        for (let i = 0; i < items.length; i += 2) setKey(d, items[i], items[i + 1], file);
        stack.push(d);
        break;
      }
      case 0x6c: // LIST
      case 0x74: // TUPLE
      case 0x91: {
        // FROZENSET (popMark swaps `stack`, so take the items first)
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setKey(asDict(top()), k, v, file);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('odd number of items for SETITEMS');
        const d = asDict(top());
        for (let i = 0; i < items.length; i += 2) setKey(d, items[i], items[i + 1], file);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case 0x65: // APPENDS
      case 0x90: {
        // ADDITEMS (sets as arrays)
        const items = popMark();
        const l = asList(top());
        for (const it of items) l.push(it);
        break;
      }
      // --- scalars
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(r.u8());
        break;
      case 0x4d: // BININT2
        stack.push(r.u16());
        break;
      case 0x4a: // BININT
        stack.push(r.i32());
        break;
      case 0x8a: // LONG1
        stack.push(decodeLong(r.bytes(r.u8()), file));
        break;
      case 0x8b: // LONG4
        stack.push(decodeLong(r.bytes(r.u32()), file));
        break;
      case 0x49: {
        // INT (text); "00"/"01" are protocol-0 booleans
        const s = r.line().trim();
        if (s === '00') stack.push(false);
        else if (s === '01') stack.push(true);
        else stack.push(decimalInt(s, file, 'INT'));
        break;
      }
      case 0x4c: {
        // LONG (text)
        stack.push(decimalInt(r.line().trim().replace(/L$/, ''), file, 'LONG'));
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(r.f64be());
        break;
      case 0x46: {
        // FLOAT (text)
        const s = r.line().trim();
        const v = Number(s);
        if (s === '' || (Number.isNaN(v) && !/nan/i.test(s))) fail(`bad FLOAT argument "${s}"`);
        stack.push(v);
        break;
      }
      // --- strings and bytes
      case 0x58: // BINUNICODE
        stack.push(r.bytes(r.u32()).toString('utf8'));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(r.bytes(r.u64()).toString('utf8'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(r.bytes(r.u8()).toString('utf8'));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        stack.push(
          r
            .line()
            .replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, a, b) =>
              String.fromCodePoint(parseInt((a ?? b) as string, 16)),
            ),
        );
        break;
      case 0x53: // STRING (Python 2 str; decoded as latin1 like encoding='latin1')
        stack.push(decodeReprString(r.line(), file));
        break;
      case 0x54: // BINSTRING
        stack.push(r.bytes(r.i32()).toString('latin1'));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(r.bytes(r.u8()).toString('latin1'));
        break;
      case 0x42: // BINBYTES
        stack.push(Buffer.from(r.bytes(r.u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(Buffer.from(r.bytes(r.u8())));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(Buffer.from(r.bytes(r.u64())));
        break;
      case 0x98: // READONLY_BUFFER (no-op for in-band data)
        top();
        break;
      case 0x97: // NEXT_BUFFER
        fail('out-of-band buffers (NEXT_BUFFER) are not supported');
        break;
      // --- memo
      case 0x70: // PUT
        memo.set(Number(r.line()), top());
        break;
      case 0x71: // BINPUT
        memo.set(r.u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(r.u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const idx = op === 0x67 ? Number(r.line()) : op === 0x68 ? r.u8() : r.u32();
        if (!memo.has(idx)) fail(`memo key ${idx} not found`);
        stack.push(memo.get(idx));
        break;
      }
      // --- globals and object construction
      case 0x63: {
        // GLOBAL
        const module = r.line();
        const name = r.line();
        stack.push(global(module, name));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x69: {
        // INST: module/name follow inline
        const module = r.line();
        const name = r.line();
        global(module, name);
        fail(`INST of ${module}.${name} is not supported`);
        break;
      }
      case 0x6f: // OBJ
        fail('OBJ opcode is not supported');
        break;
      case 0x50: // PERSID
      case 0x51: // BINPERSID
        throw new PickleSecurityError('persistent id', file);
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new PickleSecurityError('copyreg extension code', file);
      case 0x52: // REDUCE
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const fn = pop();
        if (!(fn instanceof GlobalRef)) fail(`${op === 0x52 ? 'REDUCE' : 'NEWOBJ'} of a non-global`);
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        stack.push(call(fn as GlobalRef, args as unknown[], file));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop(); // kwargs
        const args = pop();
        const fn = pop();
        if (!(fn instanceof GlobalRef) || !Array.isArray(args)) fail('bad NEWOBJ_EX');
        stack.push(call(fn as GlobalRef, args as unknown[], file));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state, file);
        break;
      }
      default:
        throw new PickleFormatError(
          file,
          `unknown or unsupported opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}`,
        );
    }
  }
}

/** Applies an allow-listed callable. Never dispatches on anything but the fixed names. */
function call(fn: GlobalRef, args: unknown[], file: string): unknown {
  switch (fn.name) {
    case 'numpy.core.multiarray._reconstruct':
    case 'numpy._core.multiarray._reconstruct': {
      const [cls] = args;
      if (!(cls instanceof GlobalRef) || cls.name !== 'numpy.ndarray')
        throw new PickleFormatError(file, '_reconstruct of something other than numpy.ndarray');
      const a: PyNdarray = { kind: 'ndarray', dtype: '|u1', shape: [0], data: new Uint8Array(0) };
      return a;
    }
    case 'numpy.dtype': {
      const code = args[0];
      if (typeof code !== 'string') throw new PickleFormatError(file, 'numpy.dtype argument is not a string');
      return new DtypeObj(code);
    }
    case 'numpy.core.multiarray.scalar':
    case 'numpy._core.multiarray.scalar': {
      const [dt, raw] = args;
      if (!(dt instanceof DtypeObj)) throw new PickleFormatError(file, 'numpy scalar without a dtype');
      const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : Buffer.isBuffer(raw) ? raw : undefined;
      if (!bytes) throw new PickleFormatError(file, 'numpy scalar without raw bytes');
      return makeScalar(dt.descr(file), bytes, file);
    }
    case 'numpy.core.numeric._frombuffer':
    case 'numpy._core.numeric._frombuffer': {
      const [raw, dt, shape, order] = args;
      if (!(dt instanceof DtypeObj)) throw new PickleFormatError(file, '_frombuffer without a dtype');
      if (order === 'F') throw new PickleFormatError(file, 'Fortran-order arrays are not supported');
      return makeArray(dt.descr(file), shape, raw, file);
    }
    case 'collections.OrderedDict':
      if (args.length) throw new PickleFormatError(file, 'OrderedDict with constructor arguments is not supported');
      return {};
    case '_codecs.encode': {
      const [s, enc] = args;
      if (typeof s !== 'string') throw new PickleFormatError(file, '_codecs.encode of a non-string');
      const e = typeof enc === 'string' ? enc.toLowerCase().replace(/[-_]/g, '') : 'utf8';
      if (e === 'latin1' || e === 'iso88591') return Buffer.from(s, 'latin1');
      if (e === 'utf8' || e === 'ascii') return Buffer.from(s, 'utf8');
      throw new PickleFormatError(file, `_codecs.encode with encoding "${String(enc)}" is not supported`);
    }
    default:
      throw new PickleFormatError(file, `${fn.name} cannot be called`);
  }
}

function makeArray(dtype: string, shape: unknown, raw: unknown, file: string): PyNdarray {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0))
    throw new PickleFormatError(file, 'ndarray shape is not a tuple of non-negative integers');
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : Buffer.isBuffer(raw) ? raw : undefined;
  if (!bytes)
    throw new PickleFormatError(
      file,
      `ndarray data of dtype ${dtype} is not raw bytes (object arrays are not supported)`,
    );
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const need = count * dtypeItemSize(dtype)!;
  if (bytes.length !== need)
    throw new PickleFormatError(
      file,
      `ndarray ${dtype} (${shape.join(', ')}) needs ${need} bytes, pickle has ${bytes.length}`,
    );
  return { kind: 'ndarray', dtype, shape: [...(shape as number[])], data: typedArrayFromBytes(dtype, bytes) };
}

function makeScalar(dtype: string, b: Buffer, file: string): PyScalar {
  const size = dtypeItemSize(dtype)!;
  if (b.length !== size)
    throw new PickleFormatError(file, `numpy scalar ${dtype} needs ${size} bytes, got ${b.length}`);
  let value: PyScalar['value'];
  switch (dtype) {
    case '<f4':
      value = b.readFloatLE(0);
      break;
    case '<f8':
      value = b.readDoubleLE(0);
      break;
    case '<i8':
      value = toIntValue(b.readBigInt64LE(0));
      break;
    case '<i4':
      value = b.readInt32LE(0);
      break;
    case '|i1':
      value = b.readInt8(0);
      break;
    case '|u1':
      value = b[0];
      break;
    case '|b1':
      value = b[0] !== 0;
      break;
    default: {
      let end = b.length;
      while (end > 0 && b[end - 1] === 0) end--;
      value = b.toString('latin1', 0, end);
    }
  }
  return { kind: 'scalar', dtype, value };
}

function build(target: unknown, state: unknown, file: string): void {
  if (target instanceof DtypeObj) {
    // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
    if (!Array.isArray(state) || state.length < 8) throw new PickleFormatError(file, 'bad numpy.dtype state');
    const [, order, sub, names, fields, elsize] = state as unknown[];
    if (sub !== null || names !== null || fields !== null)
      throw new PickleFormatError(file, 'structured/sub-array NumPy dtypes are not supported');
    if (typeof order === 'string') target.byteorder = order;
    if (typeof elsize === 'number') target.elsize = elsize;
    return;
  }
  if (isNdarray(target)) {
    // (version, shape, dtype, is_fortran, raw data)
    if (!Array.isArray(state) || state.length !== 5) throw new PickleFormatError(file, 'bad ndarray state');
    const [, shape, dt, fortran, raw] = state as unknown[];
    if (!(dt instanceof DtypeObj)) throw new PickleFormatError(file, 'ndarray state without a dtype');
    if (fortran === true || fortran === 1) throw new PickleFormatError(file, 'Fortran-order arrays are not supported');
    Object.assign(target, makeArray(dt.descr(file), shape, raw, file));
    return;
  }
  throw new PickleFormatError(file, 'BUILD on an object that is not a NumPy array or dtype');
}

/** Rejects internal objects escaping into the result (a bare global or dtype). */
function finish(v: unknown, file: string, maxDepth: number): unknown {
  // Iterative walk: a crafted pickle can nest lists (APPEND into APPEND) far deeper than the JS stack.
  const seen = new Set<unknown>();
  const todo: Array<[unknown, number]> = [[v, 0]];
  while (todo.length) {
    const [x, depth] = todo.pop()!;
    if (typeof x !== 'object' || x === null || seen.has(x)) continue;
    seen.add(x);
    if (depth > maxDepth) throw new PickleFormatError(file, `containers nested more than ${maxDepth} levels deep`);
    if (x instanceof GlobalRef) throw new PickleFormatError(file, `unpickled value contains the bare global ${x.name}`);
    if (x instanceof DtypeObj) continue; // a dtype object on its own is harmless; leave as is
    if (Array.isArray(x)) for (const y of x) todo.push([y, depth + 1]);
    else if (!isNdarray(x) && !Buffer.isBuffer(x) && !ArrayBuffer.isView(x))
      for (const y of Object.values(x)) todo.push([y, depth + 1]);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PickleDumpOptions {
  /** 2 (Python 2 compatible; bytes via _codecs.encode), 3, or 4 (Paddle's default). Default 4. */
  protocol?: 2 | 3 | 4;
  /** Module path of NumPy's `_reconstruct`/`scalar`; default the NumPy-1 path (NumPy 2 also loads it). */
  numpyModule?: 'numpy.core.multiarray' | 'numpy._core.multiarray';
}

class Writer {
  private chunks: Buffer[] = [];
  private cur: number[] = [];
  private memo = new Map<string, number>();
  constructor(
    readonly protocol: number,
    readonly npModule: string,
  ) {}

  op(...bytes: number[]): void {
    for (const b of bytes) this.cur.push(b);
  }
  raw(b: Buffer | Uint8Array): void {
    this.flush();
    this.chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  private flush(): void {
    if (this.cur.length) this.chunks.push(Buffer.from(this.cur));
    this.cur = [];
  }
  result(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }
  u32(n: number): void {
    this.op(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.op(...b);
  }
  memoize(key: string): void {
    const idx = this.memo.size;
    this.memo.set(key, idx);
    if (this.protocol >= 4) this.op(0x94);
    else if (idx < 256) this.op(0x71, idx);
    else {
      this.op(0x72);
      this.u32(idx);
    }
  }
  /** Pushes a memoized object if `key` was memoized before; returns whether it did. */
  get(key: string): boolean {
    const idx = this.memo.get(key);
    if (idx === undefined) return false;
    if (idx < 256) this.op(0x68, idx);
    else {
      this.op(0x6a);
      this.u32(idx);
    }
    return true;
  }
  /** Pushes a module-level global, memoized so repeats cost one BINGET. */
  global(module: string, name: string): void {
    const key = `${module}\n${name}`;
    if (this.get(key)) return;
    if (this.protocol >= 4) {
      this.str(module);
      this.str(name);
      this.op(0x93);
    } else {
      this.op(0x63, ...Buffer.from(`${module}\n${name}\n`, 'utf8'));
    }
    this.memoize(key);
  }
  int(v: number | bigint): void {
    if (typeof v === 'number' && v >= 0 && v < 256) this.op(0x4b, v);
    else if (typeof v === 'number' && v >= 0 && v < 65536) this.op(0x4d, v & 0xff, v >> 8);
    else if (typeof v === 'number' && v >= -0x80000000 && v <= 0x7fffffff) {
      this.op(0x4a);
      this.u32(v >>> 0);
    } else {
      // LONG1: minimal two's-complement little-endian
      let x = BigInt(v);
      const out: number[] = [];
      for (;;) {
        out.push(Number(x & 0xffn));
        x >>= 8n;
        const signBit = (out[out.length - 1] & 0x80) !== 0;
        if ((x === 0n && !signBit) || (x === -1n && signBit)) break;
      }
      this.op(0x8a, out.length, ...out);
    }
  }
  float(v: number): void {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    this.op(0x47, ...b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    if (this.protocol >= 4 && b.length < 256) this.op(0x8c, b.length);
    else {
      this.op(0x58);
      this.u32(b.length);
    }
    this.raw(b);
  }
  bytes(b: Uint8Array): void {
    if (this.protocol < 3) {
      // What Python 3 does for bytes under protocol 2: _codecs.encode(latin1 text, 'latin1').
      this.global('_codecs', 'encode');
      this.str(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
      this.str('latin1');
      this.op(0x86, 0x52); // TUPLE2 REDUCE
      return;
    }
    if (b.length < 256) this.op(0x43, b.length);
    else if (b.length <= 0xffffffff) {
      this.op(0x42);
      this.u32(b.length);
    } else {
      this.op(0x8e);
      this.u64(b.length);
    }
    this.raw(b);
  }
  tuple(items: unknown[], dump: (v: unknown) => void): void {
    if (items.length === 0) return this.op(0x29);
    if (items.length <= 3) {
      items.forEach(dump);
      this.op([0x85, 0x86, 0x87][items.length - 1]);
      return;
    }
    this.op(0x28);
    items.forEach(dump);
    this.op(0x74);
  }
}

function dtypeCode(descr: string): string {
  // numpy.dtype() constructor argument: 'f4', 'i8', 'S20', 'u1', 'b1'
  return descr.slice(1);
}

function writeDtype(w: Writer, descr: string, dump: (v: unknown) => void): void {
  // NumPy dtypes are shared objects, so Python memoizes them; so do we.
  if (w.get(`dtype:${descr}`)) return;
  w.global('numpy', 'dtype');
  w.tuple([dtypeCode(descr), false, true], dump);
  w.op(0x52);
  const size = dtypeItemSize(descr)!;
  const isS = descr.startsWith('|S');
  w.tuple([3, descr[0], null, null, null, isS ? size : -1, isS ? 1 : -1, 0], dump);
  w.op(0x62);
  w.memoize(`dtype:${descr}`);
}

/**
 * Serialises plain data: object/Map (dict, insertion order), Array (list), PyTuple (tuple),
 * string (str), Buffer/Uint8Array (bytes), number (int if integral, else float), bigint (int),
 * PyFloat (float), boolean, null/undefined (None), PyNdarray and PyScalar (NumPy reduce protocol).
 */
export function pickleDump(value: unknown, opts: PickleDumpOptions = {}): Buffer {
  const protocol = opts.protocol ?? 4;
  if (![2, 3, 4].includes(protocol))
    throw new RangeError(`pickle protocol ${protocol} is not supported for writing (use 2, 3 or 4)`);
  const w = new Writer(protocol, opts.numpyModule ?? 'numpy.core.multiarray');
  const active = new Set<unknown>();
  const dump = (v: unknown): void => {
    if (v === null || v === undefined) return w.op(0x4e);
    if (v === true) return w.op(0x88);
    if (v === false) return w.op(0x89);
    if (typeof v === 'bigint') return w.int(v);
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return w.int(v);
      return w.float(v);
    }
    if (typeof v === 'string') return w.str(v);
    if (v instanceof PyFloat) return w.float(v.value);
    if (typeof v !== 'object') throw new TypeError(`pickleDump: cannot serialise a ${typeof v}`);
    if (active.has(v)) throw new TypeError('pickleDump: circular reference');
    active.add(v);
    try {
      if (isNdarray(v)) dumpNdarray(v);
      else if (isScalar(v)) dumpScalar(v);
      else if (v instanceof PyTuple) w.tuple(v.items, dump);
      else if (Buffer.isBuffer(v) || v instanceof Uint8Array) w.bytes(v);
      else if (ArrayBuffer.isView(v))
        throw new TypeError('pickleDump: wrap typed arrays with ndarray(data, shape) to write NumPy arrays');
      else if (Array.isArray(v)) {
        w.op(0x5d);
        batched(v.length, (s, e) => {
          if (e - s === 1) {
            dump(v[s]);
            w.op(0x61);
          } else {
            w.op(0x28);
            for (let i = s; i < e; i++) dump(v[i]);
            w.op(0x65);
          }
        });
      } else {
        const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
        w.op(0x7d);
        batched(entries.length, (s, e) => {
          if (e - s === 1) {
            dump(entries[s][0]);
            dump(entries[s][1]);
            w.op(0x73);
          } else {
            w.op(0x28);
            for (let i = s; i < e; i++) {
              dump(entries[i][0]);
              dump(entries[i][1]);
            }
            w.op(0x75);
          }
        });
      }
    } finally {
      active.delete(v);
    }
  };
  // Python batches APPENDS/SETITEMS by 1000 items.
  const batched = (n: number, emit: (s: number, e: number) => void) => {
    for (let s = 0; s < n; s += 1000) emit(s, Math.min(n, s + 1000));
  };
  const dumpNdarray = (a: PyNdarray) => {
    const size = dtypeItemSize(a.dtype);
    if (!size) throw new TypeError(`pickleDump: unsupported ndarray dtype ${a.dtype}`);
    const count = a.shape.reduce((x, y) => x * y, 1);
    if (a.data.byteLength !== count * size)
      throw new TypeError(
        `pickleDump: ndarray ${a.dtype} (${a.shape.join(', ')}) needs ${count * size} bytes, data has ${a.data.byteLength}`,
      );
    // _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, False, raw)
    w.global(w.npModule, '_reconstruct');
    w.global('numpy', 'ndarray');
    dump(new PyTuple([0]));
    dump(Buffer.from('b'));
    w.op(0x87, 0x52); // TUPLE3 (ndarray, (0,), b'b'), REDUCE
    w.op(0x28);
    w.int(1);
    w.tuple(a.shape, dump);
    writeDtype(w, a.dtype, dump);
    w.op(0x89);
    w.bytes(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
    w.op(0x74, 0x62);
  };
  const dumpScalar = (s: PyScalar) => {
    const size = dtypeItemSize(s.dtype);
    if (!size) throw new TypeError(`pickleDump: unsupported scalar dtype ${s.dtype}`);
    const b = Buffer.alloc(size);
    const val = s.value;
    switch (s.dtype) {
      case '<f4':
        b.writeFloatLE(Number(val));
        break;
      case '<f8':
        b.writeDoubleLE(Number(val));
        break;
      case '<i8':
        b.writeBigInt64LE(BigInt(val));
        break;
      case '<i4':
        b.writeInt32LE(Number(val));
        break;
      case '|i1':
        b.writeInt8(Number(val));
        break;
      case '|u1':
      case '|b1':
        b[0] = Number(val);
        break;
      default:
        b.write(String(val), 'latin1');
    }
    w.global(w.npModule, 'scalar');
    writeDtype(w, s.dtype, dump);
    dump(b);
    w.op(0x86, 0x52);
  };
  w.op(0x80, protocol);
  dump(value);
  w.op(0x2e);
  return w.result();
}
