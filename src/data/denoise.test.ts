import { describe, expect, it } from 'vitest';
import { NOISE_SPREAD_THRESHOLD, denoise, validFramesBySpread } from './denoise.js';
import { rawBodies } from './raw-bodies.js';
import { parseSkeleton } from './skeleton-file.js';
import { skeletonText, spreadBody, standing, type Joints, type TestBody } from './skeleton-builder.test-util.js';

const id = (n: number) => `7205759403700000${n}`;

/** Builds frames from body tracks: track = { id, from, to (inclusive), joints(frame) }. */
function frames(
  n: number,
  tracks: { id: string; from: number; to: number; joints: (f: number) => Joints }[],
): TestBody[][] {
  return Array.from({ length: n }, (_, f) =>
    tracks.filter((t) => f >= t.from && f <= t.to).map((t) => ({ id: t.id, joints: t.joints(f) })),
  );
}

const run = (name: string, fr: TestBody[][]) =>
  denoise(rawBodies(parseSkeleton(skeletonText(fr), `${name}.skeleton`), name));
const moving =
  (amp: number, cx = 0) =>
  (f: number) =>
    standing(cx, 0, 3, amp * Math.sin(f));
const A = (n: number) => `S001C001P001R001A${String(n).padStart(3, '0')}`;

describe('stage 1 (raw bodies)', () => {
  it('drops B = 0 frames, keeps the contiguous-interval quirk and computes motion only for ≥ 2 bodies', () => {
    const fr = frames(8, [{ id: id(1), from: 0, to: 7, joints: moving(0.1) }]);
    fr[2] = [];
    fr[5] = [{ id: id(2), joints: standing(1) }];
    const raw = rawBodies(parseSkeleton(skeletonText(fr), 'x'), 'x');
    expect(raw.dropped).toEqual([2]);
    expect(raw.numFrames).toBe(7);
    const [b1, b2] = raw.bodies;
    // body 1 skipped kept-frame 4 (original frame 5) but its interval stays contiguous
    expect(b1.interval).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b2.interval).toEqual([4]);
    expect(b1.motion).toBeGreaterThan(0);
    const single = rawBodies(
      parseSkeleton(skeletonText(frames(3, [{ id: id(1), from: 0, to: 2, joints: moving(0.1) }])), 'y'),
      'y',
    );
    expect(single.bodies[0].motion).toBeUndefined();
  });

  it('fails when every frame is empty', () => {
    expect(() => rawBodies(parseSkeleton('2\n0\n0\n', 'e.skeleton'), 'e')).toThrow(
      /E_SKELETON_EMPTY|all 2 frames have no body/,
    );
  });
});

describe('stage 2 (denoising)', () => {
  it('case A: one body, rows from its interval, zeros elsewhere, no missing-frame removal', () => {
    const d = run(
      A(1),
      frames(6, [{ id: id(1), from: 2, to: 5, joints: moving(0.1) }]).map((b, f) =>
        f < 2 ? [{ id: id(9), joints: standing() }].slice(0, 0) : b,
      ),
    );
    // frames 0-1 have B = 0 → dropped; body occupies kept rows 0..3
    expect(d.case).toBe('A');
    expect(d.numFrames).toBe(4);
    const d2 = denoise({
      name: A(1),
      numFrames: 5,
      dropped: [],
      bodies: [
        { bodyID: '1', joints: new Float32Array(75 * 2).fill(1), colors: new Float32Array(100), interval: [3, 4] },
      ],
    });
    expect(d2.cols).toBe(75);
    expect(d2.numFrames).toBe(5);
    expect(Array.from(d2.joints.subarray(0, 3 * 75)).every((v) => v === 0)).toBe(true);
    expect(d2.joints[3 * 75]).toBe(1);
  });

  it('length rule: ≤ 11 frames removed, 12 kept', () => {
    const d = run(
      A(1),
      frames(30, [
        { id: id(1), from: 0, to: 29, joints: moving(0.2) },
        { id: id(2), from: 0, to: 10, joints: moving(0.5, 2) },
      ]),
    );
    expect(d.record.lengthRemoved).toEqual([{ bodyID: id(2), motion: expect.any(Number), length: 11 }]);
    expect(d.cols).toBe(75);
    const d12 = run(
      A(1),
      frames(30, [
        { id: id(1), from: 0, to: 29, joints: moving(0.2) },
        { id: id(2), from: 0, to: 11, joints: moving(0.5, 2) },
      ]),
    );
    expect(d12.record.lengthRemoved).toEqual([]);
    expect(d12.cols).toBe(150);
    expect(d12.record.failed1).toBe(true);
  });

  it('spread: a frame is valid iff x-extent ≤ 0.8 · y-extent', () => {
    // y-extent 1.25 → threshold exactly 1.0; x-extent 1.0 is valid (≤), the next float32 up is not
    const j = (xExtent: number) => Float32Array.from(spreadBody(1).flatMap(([x, y, z]) => [x * xExtent, y * 1.25, z]));
    expect(validFramesBySpread(j(1))).toEqual([0]);
    expect(validFramesBySpread(j(1.0000001))).toEqual([]);
    expect(validFramesBySpread(j(0.5))).toEqual([0]);
    expect(validFramesBySpread(Float32Array.from(spreadBody(0.81).flat()))).toEqual([]);
  });

  it('spread rule: noisy rate just below 0.69754 is kept (motion updated), at/above removed', () => {
    // 5000 frames: 3487 noisy = 0.6974 < 0.69754 (kept), 3488 = 0.6976 (removed); built directly
    const n = 5000;
    const track = (fn: (f: number) => Joints) => {
      const a = new Float32Array(n * 75);
      for (let f = 0; f < n; f++) a.set(fn(f).flat(), f * 75);
      return a;
    };
    const mk = (noisy: number) =>
      denoise({
        name: A(1),
        numFrames: n,
        dropped: [],
        bodies: [
          {
            bodyID: id(2),
            joints: track((f) => (f < noisy ? spreadBody(2, 1) : standing(1, 0, 3, 0.01 * Math.sin(f)))),
            colors: new Float32Array(n * 50),
            interval: [...Array(n).keys()],
            motion: 5,
          },
          {
            bodyID: id(1),
            joints: track(moving(0.3)),
            colors: new Float32Array(n * 50),
            interval: [...Array(n).keys()],
            motion: 1,
          },
        ],
      });
    expect(3487 / n).toBeLessThan(NOISE_SPREAD_THRESHOLD);
    expect(3488 / n).toBeGreaterThanOrEqual(NOISE_SPREAD_THRESHOLD);
    const kept = mk(3487);
    expect(kept.record.spreadRemoved).toEqual([]);
    expect(kept.cols).toBe(150);
    // motion of the kept body drops to the variance over its valid frames, so it becomes actor 2
    expect(kept.record.actorsInfo).toMatch(new RegExp(`${id(2)}: motion 5\\.000000 -> 0\\.\\d+`));
    expect(kept.joints[0]).toBeLessThan(0.5);
    const removed = mk(3488);
    expect(removed.record.spreadRemoved).toEqual([{ bodyID: id(2), motion: 5, rate: 3488 / n }]);
    expect(removed.cols).toBe(75);
  });

  it('spread rule stops as soon as one body remains (insertion order)', () => {
    // both bodies fully noisy: the first visited is removed, the second survives
    const d = run(
      A(1),
      frames(20, [
        { id: id(1), from: 0, to: 19, joints: () => spreadBody(2) },
        { id: id(2), from: 0, to: 19, joints: () => spreadBody(3, 2) },
      ]),
    );
    expect(d.record.spreadRemoved.map((r) => r.bodyID)).toEqual([id(1)]);
    expect(d.cols).toBe(75);
  });

  it('orders by motion (descending, stable on ties) and assembles actor 1 / actor 2', () => {
    const d = run(
      A(50),
      frames(20, [
        { id: id(1), from: 0, to: 19, joints: moving(0.05) },
        { id: id(2), from: 0, to: 19, joints: moving(0.4, 1) },
      ]),
    );
    expect(d.cols).toBe(150);
    // actor 1 = the more active body 2 (x centred near 1), actor 2 = body 1
    const row = d.joints.subarray(0, 150);
    expect(row[0]).toBeGreaterThan(0.5);
    expect(row[75]).toBeLessThan(0.5);
    expect(d.record.failed1).toBe(false);
    // ties keep first-appearance order
    const t = run(
      A(50),
      frames(20, [
        { id: id(3), from: 0, to: 19, joints: () => standing(-1) },
        { id: id(4), from: 0, to: 19, joints: () => standing(1) },
      ]),
    );
    expect(t.joints[0]).toBeLessThan(0);
  });

  it('touching intervals go to actor 1, overlapping ones to actor 2, overlapping both are discarded', () => {
    const fr = frames(60, [
      { id: id(1), from: 0, to: 29, joints: moving(0.5, 0) }, // actor 1 [0, 29], most motion
      { id: id(2), from: 29, to: 59, joints: moving(0.3, 1) }, // touches at 29 → actor 1 columns
      { id: id(3), from: 10, to: 40, joints: moving(0.2, 2) }, // overlaps actor 1 → actor 2 [10, 40]
      { id: id(4), from: 20, to: 50, joints: moving(0.1, 3) }, // overlaps both → discarded
    ]);
    const d = run(A(50), fr);
    expect(d.cols).toBe(150);
    expect(d.numFrames).toBe(60);
    const x = (t: number, col: number) => d.joints[t * 150 + col];
    expect(x(45, 0)).toBeGreaterThan(0.5); // body 2 in actor-1 columns
    expect(x(45, 0)).toBeLessThan(1.5);
    expect(x(15, 75)).toBeGreaterThan(1.5); // body 3 in actor-2 columns
    expect(x(45, 75)).toBe(0); // body 4 discarded
    expect(d.record.actorMissing).toEqual({ numFrames: 60, cnt1: 0, cnt2: 29, start: 0, end: 0 });
    expect(d.record.actorsInfo).toContain('Actor2');
  });

  it('removes all-zero rows in case B and records per-actor gaps', () => {
    // ghost occupies frames 0-2 alone, main body starts at frame 3; the ghost is removed by length
    const d = run(
      A(1),
      frames(30, [
        { id: id(1), from: 0, to: 2, joints: moving(0.1, 3) },
        { id: id(2), from: 3, to: 29, joints: moving(0.2) },
      ]),
    );
    expect(d.case).toBe('B');
    expect(d.record.missing).toEqual({ numFrames: 30, numMissing: 3 });
    expect(d.numFrames).toBe(27);
    expect(d.joints.length).toBe(27 * 75);
    // two actors where actor 1 is missing at the end: logged with cnt1 > cnt2 and End = 1
    const d2 = run(
      A(55),
      frames(30, [
        { id: id(1), from: 0, to: 24, joints: moving(0.4) },
        { id: id(2), from: 0, to: 29, joints: moving(0.1, 1) },
      ]),
    );
    expect(d2.record.actorMissing).toEqual({ numFrames: 30, cnt1: 5, cnt2: 0, start: 0, end: 1 });
    expect(d2.record.missing).toBeUndefined();
    expect(d2.record.failed2).toBe(false);
  });

  it('flags a two-person action that kept one actor', () => {
    const d = run(
      A(60),
      frames(20, [
        { id: id(1), from: 0, to: 19, joints: moving(0.4) },
        { id: id(2), from: 0, to: 5, joints: moving(0.1, 1) },
      ]),
    );
    expect(d.record.failed2).toBe(true);
    expect(d.cols).toBe(75);
  });

  it('is a hard error when the length rule removes every body', () => {
    expect(() =>
      run(
        A(1),
        frames(10, [
          { id: id(1), from: 0, to: 9, joints: moving(0.4) },
          { id: id(2), from: 0, to: 9, joints: moving(0.1, 1) },
        ]),
      ),
    ).toThrow(/S001C001P001R001A001: every body is shorter than 12 frames/);
  });
});
