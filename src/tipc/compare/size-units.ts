// Model sizes on the compare outputs: one unit, MiB (2²⁰ B), the unit of the terminal table and of the
// published figures (Paddle's published "MB" are MiB, spec inference.md §7), so a chart label and the
// table cell beside it read the same.

export const MIB = 2 ** 20;

export const toMiB = (bytes: number): number => bytes / MIB;

/** `bytes` as MiB with its unit, e.g. 4,112,685 → "3.92 MiB". */
export function formatMiB(bytes: number, digits = 2): string {
  return `${toMiB(bytes).toFixed(digits)} MiB`;
}
