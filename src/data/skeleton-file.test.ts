import { describe, expect, it } from 'vitest';
import { SkeletonFormatError, parseSkeleton } from './skeleton-file.js';
import { skeletonText, standing } from './skeleton-builder.test-util.js';

const ID = '72057594037931101';

describe('parseSkeleton', () => {
  it('reads every field of body-info and joint lines (CRLF accepted, bodyID kept as text)', () => {
    const text = skeletonText([[{ id: ID, joints: standing() }], []], '\r\n');
    const sk = parseSkeleton(text, 'a.skeleton');
    expect(sk.frameCount).toBe(2);
    expect(sk.frames[1].bodies).toEqual([]);
    const b = sk.frames[0].bodies[0];
    expect(b.bodyID).toBe(ID);
    expect([
      b.clippedEdges,
      b.handLeftConfidence,
      b.handLeftState,
      b.handRightConfidence,
      b.handRightState,
      b.isRestricted,
      b.trackingState,
    ]).toEqual([0, 1, 1, 1, 1, 0, 2]);
    expect(b.leanX).toBeCloseTo(0.1);
    expect(b.leanY).toBeCloseTo(-0.2);
    expect(b.joints.length).toBe(75);
    expect(b.joints[3 * 7 + 1]).toBeCloseTo(standing()[7][1], 6);
    expect(Array.from(b.depth.subarray(0, 2))).toEqual([200, 100]);
    expect(Array.from(b.colors.subarray(48, 50))).toEqual([924, 524]);
    expect(Array.from(b.orientations.subarray(0, 4))).toEqual([0.5, 0.1, 0.2, 0.3].map(Math.fround));
    expect(b.jointTracking[24]).toBe(2);
  });

  it('parses exponents and a missing final newline', () => {
    const lines = skeletonText([[{ id: ID, joints: standing() }]])
      .trimEnd()
      .split('\n');
    lines[4] = lines[4].replace(/^\S+/, '1.5e-3');
    const sk = parseSkeleton(lines.join('\n'));
    expect(sk.frames[0].bodies[0].joints[0]).toBeCloseTo(0.0015, 7);
  });

  it('reads unusual number spellings exactly like Number() (fast and checked paths agree)', () => {
    const spellings = [
      '1e-3',
      '+.5',
      '-0.0000001',
      '12345678.123456789',
      '-4.32E+02',
      '0',
      '-0',
      '3.',
      '7e22',
      '1e-30',
    ];
    for (const v of spellings) {
      const lines = skeletonText([[{ id: ID, joints: standing() }]]).split('\n');
      lines[4] = [v, v, v, ...lines[4].split(' ').slice(3)].join(' ');
      const b = parseSkeleton(lines.join('\n')).frames[0].bodies[0];
      expect(Array.from(b.joints.subarray(0, 3))).toEqual([Number(v), Number(v), Number(v)].map(Math.fround));
    }
    for (const bad of ['0x10', 'Infinity', '1e', '.', '--1', '1.2.3']) {
      const lines = skeletonText([[{ id: ID, joints: standing() }]]).split('\n');
      lines[4] = [bad, ...lines[4].split(' ').slice(1)].join(' ');
      expect(() => parseSkeleton(lines.join('\n'), 'n.skeleton')).toThrow(
        `n.skeleton:5: expected x (a number), got "${bad}"`,
      );
    }
  });

  const good = () => skeletonText([[{ id: ID, joints: standing() }], [{ id: ID, joints: standing() }]]).split('\n');

  it('names file, line and expectation for a truncated file', () => {
    const lines = good().slice(0, 40);
    expect(() => parseSkeleton(lines.join('\n'), 'cut.skeleton')).toThrow(SkeletonFormatError);
    expect(() => parseSkeleton(lines.join('\n'), 'cut.skeleton')).toThrow(
      /cut\.skeleton:\d+: unexpected end of file, expected joint 9 of 25 of body 1 in frame 2/,
    );
  });

  it('rejects a wrong joint count', () => {
    const lines = good();
    lines[3] = '24';
    expect(() => parseSkeleton(lines.join('\n'), 'j.skeleton')).toThrow(/j\.skeleton:4: expected 25 joints, got 24/);
    // 25 announced but 24 lines present: the next frame's count line shows up as a joint line
    const l2 = good();
    l2.splice(10, 1);
    expect(() => parseSkeleton(l2.join('\n'), 'k.skeleton')).toThrow(
      /k\.skeleton:29: expected joint 25 of 25 \(12 fields\), got a count line "1": too few joint lines/,
    );
  });

  it('rejects non-numeric fields and wrong field counts', () => {
    const lines = good();
    lines[5] = lines[5].replace(/^\S+/, 'abc');
    expect(() => parseSkeleton(lines.join('\n'), 'n.skeleton')).toThrow(
      /n\.skeleton:6: expected x \(a number\), got "abc"/,
    );
    const l2 = good();
    l2[2] = l2[2].split(' ').slice(0, 9).join(' ');
    expect(() => parseSkeleton(l2.join('\n'), 'b.skeleton')).toThrow(/b\.skeleton:3: expected 10 body-info fields/);
    const l3 = good();
    l3[0] = 'two';
    expect(() => parseSkeleton(l3.join('\n'), 'f.skeleton')).toThrow(
      /f\.skeleton:1: expected the frame count \(an integer\), got "two"/,
    );
    const l4 = good();
    l4[0] = '1';
    expect(() => parseSkeleton(l4.join('\n'), 't.skeleton')).toThrow(
      /t\.skeleton:\d+: expected end of file after 1 frames/,
    );
    expect(() => parseSkeleton('', 'e.skeleton')).toThrow(
      /e\.skeleton:1: unexpected end of file, expected the frame count/,
    );
  });

  it('errors carry the E_SKELETON_FORMAT code', () => {
    try {
      parseSkeleton('x', 'c.skeleton');
    } catch (e) {
      expect((e as SkeletonFormatError).code).toBe('E_SKELETON_FORMAT');
      return;
    }
    throw new Error('no error');
  });
});
