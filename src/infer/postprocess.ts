// Softmax + top-k and the stable result print (spec inference.md §3, tipc.md §7).

export interface TopK {
  classes: number[];
  scores: number[];
}

/** Softmax (float64) of one row of logits, then the k best classes (ties → lower index). */
export function softmaxTopK(logits: ArrayLike<number>, k = 1): TopK {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const e = new Float64Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += e[i] = Math.exp(logits[i] - max);
  const order = Array.from(e.keys())
    .sort((a, b) => e[b] - e[a] || a - b)
    .slice(0, k);
  return { classes: order, scores: order.map((i) => e[i] / sum) };
}

/** A score as a plain decimal with ≥ 8 significant digits and never an exponent. */
export function formatScore(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p === 0) return '0.0';
  const mag = Math.floor(Math.log10(Math.abs(p)));
  const decimals = Math.min(100, Math.max(1, 7 - mag));
  return p.toFixed(decimals);
}

export function formatResult(file: string, top: TopK): string[] {
  const lines = [`Current video file: ${file}`];
  top.classes.forEach((c, j) => {
    lines.push(`\ttop-${j + 1} class: ${c}`);
    lines.push(`\ttop-${j + 1} score: ${formatScore(top.scores[j])}`);
  });
  return lines;
}
