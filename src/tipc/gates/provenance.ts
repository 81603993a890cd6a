// provenance: what the accuracy gate certifies is what was exported from what training selected —
//   1. the export was made from the checkpoint training selected (its sha256 in the export record
//      equals the selected checkpoint's; a chain without a selection: the checkpoint the params file names);
//   2. the evaluated fp32 model is byte for byte the file the export step wrote: the sha256 the eval
//      recorded equals the one the export recorded for that file.
// A missing hash on either side fails: nothing proves the link.
import path from 'node:path';
import type { GatesConfig } from '../params/index.js';
import { failed, type Evidence, type Gate } from './types.js';

const THRESHOLD = 'evaluated file = exported file, exported from the selected checkpoint';
const short = (h: string | null | undefined) => (h ? `${h.slice(0, 12)}…` : 'none');

export function provenanceGates(ev: Evidence, _cfg: GatesConfig): Gate[] {
  const out: Gate[] = [];
  const units = [...new Set(ev.results.filter((r) => r.kind === 'export' && r.origin === 'driver').map((r) => r.dir))];
  for (const unit of units) {
    const name = ev.named('provenance', unit);
    const exp = ev.results.find((x) => x.kind === 'export' && x.origin === 'driver' && x.dir === unit)!;
    const rec = ev.data.last(exp.id, 'export');
    const c = ev.ms.certified.find((x) => x.unit === unit);
    const evaluated = ev.ms.accuracy.find((a) => a.unit === unit && a.model === 'fp32');
    if (!c && !evaluated) continue; // nothing trained, nothing evaluated: no model is certified (whole_infer)
    if (exp.status !== 'pass') {
      out.push(failed(name, '', THRESHOLD, `export ${exp.status}: nothing exported`));
      continue;
    }
    if (!rec) {
      out.push(failed(name, '', THRESHOLD, `no export record from ${exp.name}: the exported file's hash is unknown`));
      continue;
    }
    const problems: string[] = [];
    const facts: string[] = [];
    // 1. exported from the selected / named checkpoint
    if (c) {
      if (!c.sha256 || !rec.source.sha256)
        problems.push(
          `missing sha256 (selected checkpoint ${short(c.sha256)}, export source ${short(rec.source.sha256)})`,
        );
      else if (rec.source.sha256 !== c.sha256)
        problems.push(
          `the export was made from ${rec.source.weights} (sha256 ${short(rec.source.sha256)}), not from the selected ${c.checkpoint} (${short(c.sha256)})`,
        );
      else facts.push(`${c.checkpoint} (${c.reason}) → ${rec.dir}`);
    } else
      facts.push(`exported from ${rec.source.weights} (sha256 ${short(rec.source.sha256)}; no training in this mode)`);
    // 2. the evaluated file is the exported file
    if (evaluated) {
      const file = path.posix.basename(evaluated.path.replace(/\\/g, '/'));
      const recorded = rec.files_sha256?.[file];
      if (!evaluated.sha256 || !recorded)
        problems.push(
          `missing sha256 (evaluated ${evaluated.path}: ${short(evaluated.sha256)}; recorded by ${exp.name} for ${file}: ${short(recorded)})`,
        );
      else if (evaluated.sha256 !== recorded)
        problems.push(
          `the evaluated ${evaluated.path} (sha256 ${short(evaluated.sha256)}) is not the file ${exp.name} wrote (${short(recorded)})`,
        );
      else facts.push(`evaluated ${evaluated.path} = exported (sha256 ${short(recorded)})`);
    } else if (!c) continue; // nothing trained, nothing evaluated: no model is certified (whole_infer)
    out.push({
      name,
      status: problems.length ? 'fail' : 'pass',
      value: c?.rule ?? 'export',
      threshold: THRESHOLD,
      unit: '',
      detail: problems.length ? problems.join('; ') : facts.join('; '),
    });
  }
  return out;
}
