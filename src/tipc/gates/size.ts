// size: every export of the model (the driver's and our extra precisions) within gates.size.maxBytes,
// summed over the files matching gates.size.artifact on disk, and equal to what the export recorded.
import type { GatesConfig } from '../params/index.js';
import { unitOf } from '../evidence/index.js';
import { failed, verdict, type Evidence, type Gate } from './types.js';

export function sizeGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  const out: Gate[] = [];
  const { maxBytes, artifact } = cfg.size;
  for (const r of ev.results.filter((x) => x.kind === 'export' && x.role !== 'reference-export')) {
    const p = r.precision ?? 'fp32';
    const name = ev.named(r.origin === 'driver' ? 'size' : `size[${p}]`, unitOf(r));
    const sm = ev.ms.sizes.find((s) => s.dir === r.dir && s.role !== 'reference');
    if (r.status !== 'pass' || !sm) {
      out.push(
        failed(
          name,
          'B',
          maxBytes,
          r.status !== 'pass'
            ? `export ${r.status}: nothing to measure in ${r.dir}`
            : `no file matching ${artifact} in ${r.dir}`,
        ),
      );
      continue;
    }
    if (sm.totalBytes <= 0) {
      out.push(failed(name, 'B', maxBytes, `artifact ${r.dir}/${artifact} is empty (0 B): not a model`, 0));
      continue;
    }
    const rec = ev.data.last(r.id, 'export');
    const mismatch = rec
      ? Object.entries(rec.files).filter(([f, b]) => sm.files[f] !== undefined && sm.files[f] !== b)
      : [];
    const files = Object.entries(sm.files)
      .map(([f, b]) => `${f} ${b} B`)
      .join(' + ');
    const g = verdict({
      name,
      unit: 'B',
      value: sm.totalBytes,
      threshold: maxBytes,
      cmp: '≤',
      key: 'gates.size.maxBytes',
      what: `artifact ${r.dir}/${artifact} (${files}) in bytes`,
    });
    if (mismatch.length && g.status !== 'not-set')
      out.push({
        ...g,
        status: 'fail',
        detail: `${g.detail}; the export record disagrees with the disk: ${mismatch.map(([f, b]) => `${f} ${b} B recorded`).join(', ')}`,
      });
    else out.push(g);
  }
  return out;
}
