import { describe, expect, it } from 'vitest';
import { formatMiB, MIB, toMiB } from './size-units.js';

describe('size units', () => {
  it('formats bytes as MiB (2^20 B) with the unit named', () => {
    expect(MIB).toBe(1_048_576);
    expect(formatMiB(3 * MIB)).toBe('3.00 MiB');
    expect(formatMiB(4_112_685)).toBe(`${(4_112_685 / 1_048_576).toFixed(2)} MiB`);
    expect(formatMiB(1.5 * MIB, 1)).toBe('1.5 MiB');
    expect(toMiB(MIB / 4)).toBe(0.25);
  });
});
