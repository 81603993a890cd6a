// Weight files without a runtime: state dicts (PaddleVideo names) checked against a block tree, and
// files in either format — safetensors or Paddle `.pdparams` (pickle of name → float32 ndarray plus
// the `StructuredToParameterName@@` table) — told apart by content, not by extension. The exporter
// and `weights convert` need only this; weights.ts binds state dicts to a tfjs model.
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { FILE_LIMITS, readFileBounded } from '../util/file-limits.js';
import { isNdarray, pickleDump, unpickle, type PyNdarray } from '../util/pickle.js';
import type { ModelTree } from './block-tree.js';
import { mapCheckpointKeys } from './key-map.js';
import { parseSafetensors, writeSafetensors, type TensorMap } from './safetensors.js';
import { backbones } from './registry.js';
import { variantTree } from './variants.js';

export { writeSafetensors, type TensorMap };

export const STRUCTURED_TO_PARAMETER_NAME = 'StructuredToParameterName@@';

export interface StateDictReport {
  missing: string[];
  unexpected: string[];
  /** `name: file [..] vs model [..]`. */
  shapeMismatch: string[];
  loaded: number;
}

export class StateDictMismatchError extends CodedError {
  constructor(
    readonly report: StateDictReport,
    source: string,
  ) {
    const parts: string[] = [];
    const list = (label: string, xs: string[]) => {
      if (xs.length)
        parts.push(
          `${xs.length} ${label}: ${xs.slice(0, 20).join(', ')}${xs.length > 20 ? `, … (${xs.length - 20} more)` : ''}`,
        );
    };
    list('missing', report.missing);
    list('unexpected', report.unexpected);
    list('with a different shape', report.shapeMismatch);
    super('E_WEIGHTS_MISMATCH', `${source}: weights do not fit the model — ${parts.join('; ')}`);
    this.name = 'StateDictMismatchError';
  }
}

export class WeightsFormatError extends CodedError {
  constructor(file: string, detail: string) {
    super('E_WEIGHTS_FORMAT', `${file}: ${detail}`);
    this.name = 'WeightsFormatError';
  }
}

export const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Compares a tensor map against the tensors of a tree (names and shapes). */
export function checkTensors(tree: ModelTree, map: TensorMap): StateDictReport {
  const report: StateDictReport = { missing: [], unexpected: [], shapeMismatch: [], loaded: 0 };
  const known = new Set(tree.tensors.map((s) => s.name));
  for (const s of tree.tensors) {
    const t = map.get(s.name);
    if (!t) report.missing.push(s.name);
    else if (!sameShape(t.shape, s.shape))
      report.shapeMismatch.push(`${s.name}: file [${t.shape.join(',')}] vs model [${s.shape.join(',')}]`);
  }
  for (const k of map.keys()) if (!known.has(k)) report.unexpected.push(k);
  return report;
}

/**
 * The tensors of `map` that belong to `tree`, in state-dict order, after the key map (a
 * RecognizerDistillation checkpoint's `Student.*` names). Throws StateDictMismatchError listing
 * every missing, unexpected or mis-shaped tensor.
 */
export function selectTensors(tree: ModelTree, map: TensorMap, source: string): TensorMap {
  const mapped = mapCheckpointKeys(map).tensors;
  const report = checkTensors(tree, mapped);
  if (report.missing.length || report.unexpected.length || report.shapeMismatch.length)
    throw new StateDictMismatchError(report, source);
  const ordered: TensorMap = new Map();
  for (const s of tree.tensors) ordered.set(s.name, mapped.get(s.name)!);
  return ordered;
}

function ndarrayToFloat32(a: PyNdarray, name: string, file: string): Float32Array {
  const d = a.data;
  if (d instanceof Float32Array) return d;
  if (d instanceof Float64Array || d instanceof Int32Array) return Float32Array.from(d);
  throw new WeightsFormatError(file, `tensor ${name} has dtype ${a.dtype}; expected float32`);
}

/** Parses a Paddle `.pdparams` pickle (safe unpickler: only NumPy reconstruction is allowed). */
export function parsePdparams(buf: Buffer, file = '<pdparams>'): TensorMap {
  const obj = unpickle(buf, file);
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new WeightsFormatError(file, 'pickle does not hold a dict of tensors');
  const out: TensorMap = new Map();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k === STRUCTURED_TO_PARAMETER_NAME) continue;
    if (!isNdarray(v)) throw new WeightsFormatError(file, `entry ${k} is not an array`);
    out.set(k, { shape: [...v.shape], data: ndarrayToFloat32(v, k, file) });
  }
  return out;
}

export type WeightsFormat = 'safetensors' | 'pdparams';

/** Tells the format from the first bytes (extension-agnostic). */
export function sniffWeightsFormat(buf: Buffer): WeightsFormat | undefined {
  // A JSON header after the 8-byte length: safetensors (its length is checked by the parser, by name).
  if (buf.length >= 9 && buf[8] === 0x7b) return 'safetensors';
  if (buf.length >= 2 && buf[0] === 0x80 && buf[1] >= 2 && buf[1] <= 5) return 'pdparams';
  return undefined;
}

/** Reads a weights file of either format. */
export function readWeightsFile(file: string): TensorMap {
  const buf = readFileBounded(file, {
    what: 'weights file',
    maxBytes: Math.max(FILE_LIMITS.safetensors, FILE_LIMITS.pickle),
    code: 'E_WEIGHTS_READ',
    missingCode: 'E_WEIGHTS_MISSING',
  });
  const fmt = sniffWeightsFormat(buf);
  if (fmt === 'safetensors') return parseSafetensors(buf, file).tensors;
  if (fmt === 'pdparams') return parsePdparams(buf, file);
  throw new WeightsFormatError(file, 'not a safetensors file nor a Paddle .pdparams pickle');
}

/**
 * Recovers the registered backbone a state dict was made for (best effort, for internal names when
 * no tree is given): each backbone's tree, sized from the file's head (its classes, and its width
 * over the tree's own head width per base channel), is checked against the file; the first whose
 * tensors match it exactly (names and shapes, nothing missing or extra) is the one.
 */
export function inferTree(map: TensorMap): ModelTree | undefined {
  for (const e of backbones()) {
    try {
      const probe = variantTree(e.variant);
      const fc = map.get(probe.head.weight);
      if (!fc || fc.shape.length !== 2) continue;
      const base = fc.shape[0] / (probe.head.in / probe.baseChannel);
      if (!Number.isInteger(base)) continue;
      const tree = variantTree(e.variant, { baseChannel: base, numClasses: fc.shape[1] });
      const r = checkTensors(tree, map);
      if (!r.missing.length && !r.unexpected.length && !r.shapeMismatch.length) return tree;
    } catch {
      // A base channel this backbone cannot be built at: not this one.
    }
  }
  return undefined;
}

/**
 * Serialises a Paddle-compatible `.pdparams`: pickle protocol 4, dict structured name → float32
 * ndarray, plus `StructuredToParameterName@@` → { structured → internal name } with Paddle's
 * per-layer-type counters in construction order (from the tree; inferred when not given).
 */
export function serializePdparams(map: TensorMap, tree?: ModelTree): Buffer {
  const t = tree ?? inferTree(map);
  const internal = new Map(t ? t.tensors.map((s) => [s.name, s.internalName] as const) : []);
  const dict = new Map<string, unknown>();
  const names = new Map<string, string>();
  for (const [k, v] of map) {
    const nd: PyNdarray = { kind: 'ndarray', dtype: '<f4', shape: [...v.shape], data: v.data };
    dict.set(k, nd);
    names.set(k, internal.get(k) ?? k);
  }
  dict.set(STRUCTURED_TO_PARAMETER_NAME, names);
  return pickleDump(dict, { protocol: 4 });
}

/** Writes a `.pdparams` atomically (temp file, then rename). */
export function writePdparams(file: string, map: TensorMap, tree?: ModelTree): void {
  writeFileAtomic(file, serializePdparams(map, tree));
}

/** Writes by extension: `.pdparams` → pickle, anything else → safetensors. */
export function writeWeightsFile(file: string, map: TensorMap, tree?: ModelTree): void {
  if (file.endsWith('.pdparams')) writePdparams(file, map, tree);
  else writeSafetensors(file, map);
}
