import { describe, expect, it } from 'vitest';
import type { Gate } from '../gates/index.js';
import { headlineFigures, latencyRatio } from './headline.js';

const gate = (name: string, status: Gate['status'], value: number | null, threshold: number | null = 1): Gate => ({
  name,
  status,
  value,
  threshold,
  unit: 'x',
});

const byKey = (gates: Gate[]) => Object.fromEntries(headlineFigures({ gates }).map((h) => [h.key, h]));

describe('headlineFigures', () => {
  it('lists size, top-1, latency and agreement in that order, from their gates', () => {
    const h = headlineFigures({
      gates: [gate('latency', 'pass', 0.6), gate('size', 'pass', 5e6), gate('accuracy', 'pass', 0.9)],
    });
    expect(h.map((x) => x.key)).toEqual(['size', 'top1', 'latency', 'agreement']);
    expect(h.map((x) => x.gate?.value ?? null)).toEqual([5e6, 0.9, 0.6, null]);
  });

  it('a figure without its gate is not-measured, with no number', () => {
    const h = byKey([gate('size', 'pass', 5e6), gate('size[int8]', 'pass', 1e6)]);
    expect(h.top1.status).toBe('not-measured');
    expect(h.top1.gate).toBeUndefined();
    // size[int8] is not the exported fp32 model's size.
    expect(h.size.gates.map((g) => g.name)).toEqual(['size']);
  });

  it('summarises the quantised precisions by the lowest agreement', () => {
    const h = byKey([gate('agreement[fp16]', 'pass', 1), gate('agreement[int8]', 'pass', 0.995)]);
    expect(h.agreement.gate?.name).toBe('agreement[int8]');
    expect(h.agreement.gates).toHaveLength(2);
  });

  it('a failed gate leads its figure, whatever the values', () => {
    const h = byKey([gate('agreement[fp16]', 'fail', 1), gate('agreement[int8]', 'pass', 0.995)]);
    expect(h.agreement.status).toBe('fail');
    expect(h.agreement.gate?.name).toBe('agreement[fp16]');
  });

  it('over several units takes the worst: the largest size, the lowest top-1, not-set before pass', () => {
    const h = byKey([
      gate('size@a', 'pass', 4e6),
      gate('size@b', 'pass', 6e6),
      gate('accuracy@a', 'pass', 0.9),
      gate('accuracy@b', 'pass', 0.85),
      gate('latency@a', 'pass', 0.5),
      gate('latency@b', 'not-set', null, null),
    ]);
    expect(h.size.gate?.name).toBe('size@b');
    expect(h.top1.gate?.name).toBe('accuracy@b');
    expect(h.latency.status).toBe('not-set');
  });
});

describe('latencyRatio', () => {
  const bench = (unit: string, target: 'trained' | 'reference', p50: number, ci: [number, number], device = 'cpu') =>
    ({ unit, target, device, p50, p50Ci: ci }) as never;
  const ms = (latency: never[]) => ({ measurements: { latency } }) as never;

  it('is the model p50 over the reference p50, its bounds from the two intervals', () => {
    const r = ms([bench('./o/u', 'trained', 3, [2, 4]), bench('./o/reference', 'reference', 6, [5, 8])]);
    const q = latencyRatio(r, { name: 'latency' })!;
    expect([q.lo, q.point, q.hi]).toEqual([2 / 8, 0.5, 4 / 5]);
    expect(q.model.unit).toBe('./o/u');
  });

  it('over several units takes the gate’s own unit; the GPU benchmark never', () => {
    const r = ms([
      bench('./o/a', 'trained', 3, [2, 4]),
      bench('./o/b', 'trained', 9, [8, 10], 'gpu'),
      bench('./o/b', 'trained', 6, [5, 7]),
      bench('./o/reference', 'reference', 6, [5, 8]),
    ]);
    expect(latencyRatio(r, { name: 'latency@b' })?.point).toBe(1);
    expect(latencyRatio(r, { name: 'latency@a' })?.point).toBe(0.5);
  });

  it('is undefined without both benchmarks or without a real timing', () => {
    expect(latencyRatio(ms([bench('./o/u', 'trained', 3, [2, 4])]), { name: 'latency' })).toBeUndefined();
    const zero = ms([bench('./o/u', 'trained', 3, [2, 4]), bench('./o/r', 'reference', 0, [0, 1])]);
    expect(latencyRatio(zero, { name: 'latency' })).toBeUndefined();
  });
});
