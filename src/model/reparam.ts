// Weights between parameterisations of one function: per-subset CTR-GC convs ↔ one fused conv1
// (↔ one shared relation map), per-branch entry convs ↔ one conv_pw, a shortcut at the block ↔
// inside tcn1, a bias before a BatchNorm ↔ none (folded into the running mean: BN(x + b) with mean
// μ is BN(x) with mean μ − b, in training the batch mean absorbs b). Both trees are walked into
// logical slots (what each tensor row means); the blocks must compute the same function
// (blockSignature), otherwise the conversion is refused with E_NOT_REPARAM.
import { blockSignature, type BlockNode, type BnRef, type ConvRef, type ModelTree } from './block-tree.js';
import type { TensorMap } from './safetensors.js';
import { CodedError } from '../util/errors.js';

export class NotReparameterisationError extends CodedError {
  constructor(message: string) {
    super('E_NOT_REPARAM', message);
    this.name = 'NotReparameterisationError';
  }
}

/** Rows [start, start + count) of a physical tensor whose rows hold `rowSize` values each. */
interface Place {
  tensor: string;
  start: number;
  count: number;
  rowSize: number;
}

/** Logical slot → physical place; undefined for a bias the form does not store. */
type Slots = Map<string, Place | undefined>;

function walk(tree: ModelTree): { slots: Slots; shapes: Map<string, number[]> } {
  const slots: Slots = new Map();
  const shapes = new Map(tree.tensors.map((t) => [t.name, t.shape]));
  const full = (tensor: string): Place => {
    const shape = shapes.get(tensor)!;
    return { tensor, start: 0, count: shape[0], rowSize: shape.slice(1).reduce((a, b) => a * b, 1) };
  };
  const rowsOf = (tensor: string | undefined, start: number, count: number): Place | undefined =>
    tensor === undefined ? undefined : { ...full(tensor), start, count };
  const bn = (key: string, b: BnRef, start = 0, count = b.channels) => {
    for (const f of ['weight', 'bias', 'mean', 'variance'] as const)
      slots.set(`${key}.bn.${f}`, rowsOf(b[f], start, count));
  };
  const conv = (key: string, c: ConvRef, start = 0, count = c.out) => {
    slots.set(`${key}.w`, rowsOf(c.weight, start, count));
    slots.set(`${key}.b`, rowsOf(c.bias, start, count));
  };
  bn('data', tree.dataBn);
  for (const b of tree.blocks) block(b);
  slots.set('fc.w', full(tree.head.weight));
  slots.set('fc.b', full(tree.head.bias));
  return { slots, shapes };

  function block(b: BlockNode): void {
    const n = b.name;
    const g = b.gcn;
    if (g) {
      slots.set(`${n}.pa`, full(g.pa));
      slots.set(`${n}.alpha`, full(g.alpha));
      for (let s = 0; s < g.subsets; s++) {
        const j = g.relationSets === 1 ? 0 : s;
        for (const [role, r] of [
          ['q', g.query[j]],
          ['k', g.key[j]],
          ['v', g.value[s]],
          ['lift', g.lift[s]],
        ] as const)
          conv(`${n}.${role}${s}`, r.conv, r.start, r.count);
      }
      if (g.down) {
        conv(`${n}.down`, g.down.conv);
        bn(`${n}.down`, g.down.bn);
      }
      bn(`${n}.gcn`, g.bn);
    }
    const t = b.tcn;
    // Entry convs: one per conv/pool branch, or one fused conv_pw whose rows are the branches.
    let branch = 0;
    for (const e of t.entry) {
      let off = 0;
      while (off < e.conv.out) {
        const w = t.widths[branch];
        conv(`${n}.entry${branch}`, e.conv, off, w);
        bn(`${n}.entry${branch}`, e.bn, off, w);
        off += w;
        branch++;
      }
    }
    t.temporal.forEach((tc, i) => {
      conv(`${n}.temporal${i}`, tc.conv);
      bn(`${n}.temporal${i}`, tc.bn);
    });
    bn(`${n}.pool`, t.pool.bn);
    conv(`${n}.last`, t.last.conv);
    bn(`${n}.last`, t.last.bn);
    if (b.shortcut.kind === 'conv') {
      conv(`${n}.shortcut`, b.shortcut.conv);
      bn(`${n}.shortcut`, b.shortcut.bn);
    }
  }
}

function read(map: TensorMap, p: Place): Float32Array {
  const t = map.get(p.tensor);
  if (!t) throw new NotReparameterisationError(`source weights lack ${p.tensor}`);
  return t.data.subarray(p.start * p.rowSize, (p.start + p.count) * p.rowSize);
}

/** Why `src` and `dst` are not one function, or undefined when they are. */
export function functionMismatch(src: ModelTree, dst: ModelTree): string | undefined {
  const a = src.blocks.map(blockSignature);
  const b = dst.blocks.map(blockSignature);
  const head = (t: ModelTree) => `data_bn ${t.dataBn.channels}, fc ${t.head.in}→${t.head.out}`;
  const name = (t: ModelTree) => `${t.backbone} (base ${t.baseChannel})`;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i])
      return `${name(src)} ${a[i] ?? '(no such block)'}  vs  ${name(dst)} ${b[i] ?? '(no such block)'}`;
  if (head(src) !== head(dst)) return `${name(src)}: ${head(src)}  vs  ${name(dst)}: ${head(dst)}`;
  return undefined;
}

/**
 * Converts `map` (weights of `src`) into the tensors of `dst`, in dst's state-dict order. Throws
 * NotReparameterisationError when the two do not compute the same function, or when dst cannot
 * hold the values (three different relation maps into a shared one; a bias dst has no place for).
 */
export function convertWeights(src: ModelTree, dst: ModelTree, map: TensorMap): TensorMap {
  const why = functionMismatch(src, dst);
  if (why) throw new NotReparameterisationError(`not a re-parameterisation of one function: ${why}`);
  const from = walk(src).slots;
  const { slots: to, shapes } = walk(dst);
  const out = new Map<string, Float32Array>();
  const written = new Map<string, string>();
  for (const [name, shape] of shapes) out.set(name, new Float32Array(shape.reduce((a, b) => a * b, 1)));

  // Values of every logical slot, biases the source does not store as zeros.
  const value = (slot: string): Float32Array | undefined => {
    const p = from.get(slot);
    return p ? read(map, p) : undefined;
  };
  for (const [slot, p] of to) {
    if (!p) continue;
    const v = value(slot) ?? new Float32Array(p.count * p.rowSize);
    const target = out.get(p.tensor)!.subarray(p.start * p.rowSize, (p.start + p.count) * p.rowSize);
    const region = `${p.tensor}[${p.start}:${p.start + p.count}]`;
    const prev = written.get(region);
    if (prev !== undefined) {
      // Several logical slots share this place (a relation map shared by the subsets): equal values only.
      if (target.some((x, i) => x !== v[i]))
        throw new NotReparameterisationError(
          `${dst.backbone} stores ${slot} and ${prev} in one tensor (${p.tensor}), but the source's differ: ` +
            `it computes separate relation maps that a shared one cannot express`,
        );
      continue;
    }
    target.set(v);
    written.set(region, slot);
  }
  // A source bias with no place in dst: fold it into the running mean of the BN it feeds.
  for (const [slot, p] of from) {
    if (!slot.endsWith('.b') || !p || to.get(slot)) continue;
    const b = read(map, p);
    const mean = to.get(`${slot.slice(0, -2)}.bn.mean`);
    if (!mean) {
      if (b.some((x) => x !== 0))
        throw new NotReparameterisationError(
          `${dst.backbone} has no bias for ${slot} and no BatchNorm to fold it into`,
        );
      continue;
    }
    const m = out.get(mean.tensor)!.subarray(mean.start, mean.start + mean.count);
    for (let i = 0; i < m.length; i++) m[i] = m[i] - b[i];
  }
  const result: TensorMap = new Map();
  for (const t of dst.tensors) result.set(t.name, { shape: [...t.shape], data: out.get(t.name)! });
  return result;
}
