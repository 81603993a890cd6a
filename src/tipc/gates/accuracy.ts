// accuracy: the shipped model (the exported fp32 ONNX when the chain evaluates exports, else the
// checkpoint) ≥ gates.accuracy.minTop1, the checkpoint beside it, and every quantised export twice: its
// top-1 ≥ quantizedMinRatio × fp32 top-1, and its per-sample top-1 agreement with the fp32 export ≥
// quantizedMinAgreement (on a few hundred samples one sample is a third of a point, so the ratio alone is
// mostly noise). A unit with a minTop1 but no evaluation at all (whole_infer: export + predict only)
// fails: a threshold nobody measured is not met.
import type { GatesConfig } from '../params/index.js';
import type { StepResult } from '../plan/index.js';
import { failed, pct, stepFailure, verdict, type Evidence, type Gate } from './types.js';

export function accuracyGates(ev: Evidence, cfg: GatesConfig): Gate[] {
  const out: Gate[] = [];
  const { results, ms, data } = ev;
  const minTop1 = cfg.accuracy.minTop1;
  const exportUnits = results.filter((r) => r.kind === 'export' && r.origin === 'driver').map((r) => r.dir);
  const trainUnits = results.filter((r) => r.kind === 'train' && r.origin === 'driver').map((r) => r.dir);
  const why = (r: StepResult | undefined, what: string) =>
    !r
      ? undefined
      : stepFailure(r, what) ||
        `no accuracy in ${data.get(r.id)?.records ? `the records of ${r.name} (${r.records})` : r.stdout}`;
  const top1Gate = (name: string, value: number | null, what: string, failure: string | undefined) =>
    verdict({ name, unit: 'top1', value, threshold: minTop1, cmp: '≥', key: 'gates.accuracy.minTop1', what, failure });

  for (const unit of [...new Set([...exportUnits, ...trainUnits])]) {
    const ev0 = results.find((r) => r.kind === 'eval' && r.origin === 'driver' && r.dir === unit);
    const arts = results.filter((r) => r.role === 'artifact-eval' && r.unit === unit);
    const ckpt = ms.accuracy.find((a) => a.unit === unit && a.model === 'checkpoint');
    const ckptWhat = `top-1 of the checkpoint ${ckpt?.path ?? ''} (${ckpt?.source === 'paddlevideo-log' ? "eval log's [TEST] finished line" : 'eval record'})`;
    if (!arts.length) {
      if (ev0) out.push(top1Gate(ev.named('accuracy', unit), ckpt?.top1 ?? null, ckptWhat, why(ev0, 'eval')));
      else if (minTop1 !== null)
        out.push(
          failed(
            ev.named('accuracy', unit),
            'top1',
            minTop1,
            `gates.accuracy.minTop1 = ${minTop1} is set but this mode evaluates no model of ${unit} (no eval step, no evaluated export): unmeasured`,
          ),
        );
      continue;
    }
    const fp32Step = arts.find((r) => r.precision === 'fp32');
    const fp32 = ms.accuracy.find((a) => a.unit === unit && a.model === 'fp32');
    out.push(
      top1Gate(
        ev.named('accuracy', unit),
        fp32?.top1 ?? null,
        `top-1 of the exported model ${fp32?.path ?? ''} on ${fp32?.samples ?? '?'} samples (onnxruntime)`,
        why(fp32Step, 'eval of the fp32 export'),
      ),
    );
    if (ev0) out.push(top1Gate(ev.named('accuracy[checkpoint]', unit), ckpt?.top1 ?? null, ckptWhat, why(ev0, 'eval')));
    for (const r of arts.filter((x) => x.precision !== 'fp32')) {
      const p = r.precision!;
      const a = ms.accuracy.find((x) => x.unit === unit && x.model === p);
      const ratio = cfg.accuracy.quantizedMinRatio;
      const minAgree = cfg.accuracy.quantizedMinAgreement;
      const name = ev.named(`accuracy[${p}]`, unit);
      const agreeName = ev.named(`agreement[${p}]`, unit);
      if (!a || !fp32) {
        const d = !a ? (why(r, `eval of the ${p} export`) ?? '') : 'no fp32 accuracy to compare with';
        out.push(failed(name, 'top1', `≥ ${ratio} × fp32`, d, a?.top1 ?? null));
        out.push(failed(agreeName, 'share of samples', minAgree, d));
        continue;
      }
      const need = Number((ratio * fp32.top1).toFixed(6));
      out.push(
        verdict({
          name,
          unit: 'top1',
          value: a.top1,
          threshold: Number.isFinite(fp32.top1) ? need : NaN,
          cmp: '≥',
          key: 'gates.accuracy.quantizedMinRatio',
          what: `top-1 of the ${p} export ${a.path}`,
          thresholdText: `${need} (${ratio} × fp32 ${fp32.top1})`,
        }),
      );
      out.push(
        verdict({
          name: agreeName,
          unit: 'share of samples',
          value: a.agreementWithFp32 ?? null,
          threshold: minAgree,
          cmp: '≥',
          key: 'gates.accuracy.quantizedMinAgreement',
          what: `per-sample top-1 of the ${p} export equal to the fp32 export's${a.changedVsFp32 !== undefined ? ` (${a.changedVsFp32} of ${a.samples ?? '?'} changed${a.agreementWithFp32 !== undefined ? `, ${pct(a.agreementWithFp32)} agree` : ''})` : ''}`,
          failure:
            a.agreementWithFp32 === undefined
              ? `no per-sample predictions of the ${p} and fp32 exports over the same samples to compare`
              : undefined,
        }),
      );
    }
  }
  return out;
}
