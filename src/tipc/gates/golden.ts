// golden: the model's outputs against stored results (PaddleVideo's compare_results), two ways:
//   - a GT file (gates.golden.gtFile, PaddleVideo's `top-k class` / `top-k score` lines): the top-k
//     classes and scores of the inference cells (model: cells) or of the pinned reference model
//     (model: reference) within atol + rtol·|value|. A GT file that is missing, empty, or holds a
//     class without its score (or a value that is not a number) fails: nothing to compare is no pass;
//   - logits (gates.golden.logits): the raw logits of the exported fp32 model on a stored, preprocessed
//     input (`chain.logits` runs it, role golden-logits) against stored logits, element by element
//     within atol + rtol·|expected|. Logits see what a saturated softmax hides: a top-1 score of 1.0
//     stays 1.0 when every logit moves by 1e-3, the logits do not.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readNpyFloat32 } from '../../data/npy.js';
import { compareValues, expandGlob, parseGt, precisionOf, type Precision } from '../evidence/index.js';
import type { GatesConfig } from '../params/index.js';
import { failed, notSet, type Evidence, type Gate } from './types.js';

export interface GtFile {
  file: string;
  values: Map<string, number>;
}

/** The GT files of a glob by precision, or why they cannot be used. */
export function readGtFiles(pattern: string, cwd: string): { files: Map<Precision, GtFile>; problems: string[] } {
  const files = new Map<Precision, GtFile>();
  const problems: string[] = [];
  for (const f of expandGlob(pattern, cwd)) {
    const p = precisionOf(f);
    if (!p) continue;
    let text: string;
    try {
      if (statSync(f).size > 1 << 20) {
        problems.push(`${f}: larger than 1 MiB, not a GT file`);
        continue;
      }
      text = readFileSync(f, 'utf8');
    } catch (e) {
      problems.push(`${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const values = parseGt(text);
    const bad = checkGt(values);
    if (bad) problems.push(`${f}: ${bad}`);
    else files.set(p, { file: f, values });
  }
  return { files, problems };
}

/** A usable GT: at least top-1, every `top-k class` with its `top-k score`, every value a finite number. */
export function checkGt(values: Map<string, number>): string | null {
  if (!values.has('top-1 class') || !values.has('top-1 score'))
    return `no top-1 class and score in it (${values.size ? [...values.keys()].join(', ') : 'empty or truncated'})`;
  for (const [k, v] of values) {
    if (!Number.isFinite(v)) return `${k} is not a number`;
    const other = k.endsWith('class') ? k.replace('class', 'score') : k.replace('score', 'class');
    if (!values.has(other)) return `${k} without ${other}`;
  }
  return null;
}

function gtGate(ev: Evidence, G: GatesConfig['golden']): Gate {
  const thr = `atol ${G.atol}, rtol ${G.rtol}`;
  const name = 'golden';
  const unit = 'abs diff';
  if (!G.gtFile)
    return notSet(
      name,
      unit,
      thr,
      'no GT file configured (gates.golden.gtFile; `ctrgcn tipc golden PARAMS` writes one from the reference model)',
    );
  const { files, problems } = readGtFiles(G.gtFile, ev.cwd);
  const fp32 = files.get('fp32');
  if (!fp32)
    return failed(
      name,
      unit,
      thr,
      `no usable fp32 GT file matches ${G.gtFile}${problems.length ? `: ${problems.join('; ')}` : ' (write it with `ctrgcn tipc golden PARAMS`)'}`,
    );
  const cells =
    G.model === 'reference'
      ? ev.results.filter((r) => r.role === 'latency' && r.target === 'reference' && r.cell?.device !== 'gpu')
      : ev.results.filter((r) => r.kind === 'infer' && r.origin === 'driver' && r.status === 'pass');
  const msgs: string[] = [...problems];
  let pass = problems.length === 0;
  let maxd = 0;
  let n = 0;
  for (const r of cells) {
    if (r.status !== 'pass') {
      pass = false;
      msgs.push(`${r.name} ${r.status}`);
      continue;
    }
    const prec = G.model === 'reference' ? 'fp32' : precisionOf(r.log);
    const g = prec ? files.get(prec) : undefined;
    if (!g) continue;
    n++;
    const c = compareValues(
      new Map([...fp32.values.keys()].map((k) => [k, g.values.get(k) ?? fp32.values.get(k)!])),
      ev.data.predictKeys(r.id, fp32.values.keys()),
      G.atol,
      G.rtol,
      r.name,
    );
    if (!Number.isFinite(c.maxAbsDiff)) {
      c.pass = false;
      msgs.push(`${r.name}: an output is not a number`);
    }
    pass &&= c.pass;
    maxd = Math.max(maxd, c.maxAbsDiff);
    msgs.push(...c.messages);
  }
  const who = G.model === 'reference' ? 'reference model' : 'inference cells';
  return {
    name,
    status: n === 0 ? 'fail' : pass ? 'pass' : 'fail',
    value: n && Number.isFinite(maxd) ? maxd : null,
    threshold: thr,
    unit,
    detail: n
      ? msgs.length
        ? msgs.join('; ')
        : `${n} output(s) of the ${who} (${[...fp32.values.keys()].join(', ')}) consistent with ${fp32.file}`
      : msgs.length
        ? msgs.join('; ')
        : `no ${G.model === 'reference' ? 'reference-model benchmark' : 'inference cell'} with a matching GT precision`,
  };
}

export interface LogitsComparison {
  pass: boolean;
  maxAbsDiff: number;
  /** Elements outside atol + rtol·|expected|. */
  outside: number;
  message: string;
}

/** Element-wise comparison of logits with stored logits (shapes must be equal, every value finite). */
export function compareLogits(
  got: { shape: number[]; data: Float32Array },
  want: { shape: number[]; data: Float32Array },
  atol: number,
  rtol: number,
): LogitsComparison {
  if (got.shape.join(',') !== want.shape.join(',') || got.data.length !== want.data.length)
    return {
      pass: false,
      maxAbsDiff: NaN,
      outside: want.data.length,
      message: `shape (${got.shape.join(', ')}) vs expected (${want.shape.join(', ')})`,
    };
  if (want.data.length === 0) return { pass: false, maxAbsDiff: NaN, outside: 0, message: 'no logits to compare' };
  let maxd = 0;
  let outside = 0;
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i];
    const b = want.data[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      outside++;
      maxd = NaN;
      continue;
    }
    const d = Math.abs(a - b);
    if (d > maxd) {
      maxd = d;
      worst = i;
    }
    if (!(d <= atol + rtol * Math.abs(b))) outside++;
  }
  return {
    pass: outside === 0,
    maxAbsDiff: maxd,
    outside,
    message: Number.isNaN(maxd)
      ? `${outside} logit(s) not a number`
      : `max |Δ| ${maxd.toExponential(3)} at element ${worst} (got ${got.data[worst]}, expected ${want.data[worst]}); ${outside} of ${want.data.length} outside atol ${atol} + rtol ${rtol}·|expected|`,
  };
}

function logitsGates(ev: Evidence, G: GatesConfig['golden']): Gate[] {
  const L = G.logits;
  if (!L) return [];
  const thr = `atol ${L.atol}, rtol ${L.rtol}`;
  const unit = 'max abs diff (logits)';
  const steps = ev.results.filter((r) => r.role === 'golden-logits');
  if (!ev.chain.logits)
    return [
      notSet('golden[logits]', unit, thr, 'gates.golden.logits needs chain.logits (the command that prints logits)'),
    ];
  if (!steps.length)
    return [
      failed(
        'golden[logits]',
        unit,
        thr,
        `no logits step ran (${G.model === 'reference' ? 'no reference export' : 'no passed export of the model'})`,
      ),
    ];
  let want: { shape: number[]; data: Float32Array };
  try {
    want = readNpyFloat32(path.resolve(ev.cwd, L.expected));
  } catch (e) {
    return [failed('golden[logits]', unit, thr, `expected logits ${L.expected}: ${(e as Error).message}`)];
  }
  return steps.map((r) => {
    const name = ev.named('golden[logits]', r.unit ?? r.dir);
    if (r.status !== 'pass') return failed(name, unit, thr, `${r.name} ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    const out = r.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? '';
    let got: { shape: number[]; data: Float32Array };
    try {
      got = readNpyFloat32(path.resolve(ev.cwd, out));
    } catch (e) {
      return failed(name, unit, thr, `${r.name} output ${out}: ${(e as Error).message}`);
    }
    const c = compareLogits(got, want, L.atol, L.rtol);
    return {
      name,
      status: c.pass ? 'pass' : 'fail',
      value: Number.isFinite(c.maxAbsDiff) ? c.maxAbsDiff : null,
      threshold: thr,
      unit,
      detail: `logits of ${r.reason?.match(/model (\S+)/)?.[1] ?? r.dir} on ${L.input} vs ${L.expected}: ${c.message}`,
    };
  });
}

export function goldenGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  return [gtGate(ev, cfg.golden), ...logitsGates(ev, cfg.golden)];
}
