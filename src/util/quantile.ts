// Latency statistics shared by the predict benchmark (which measures) and the TIPC driver (which asks
// for enough queries and judges): percentiles (numpy's linear interpolation), distribution-free
// confidence intervals of a quantile from order statistics (binomial ranks), and MLPerf's minimum
// query count for estimating a percentile, n = z² · q(1 − q) / margin².

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lowTail = (x: number) => {
    const q = Math.sqrt(-2 * Math.log(x));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  };
  if (p < 0.02425) return lowTail(p);
  if (p > 1 - 0.02425) return -lowTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * Queries needed to estimate the q-quantile within ±margin (in probability) at the given two-sided
 * confidence: MLPerf's rule (its single-stream p90 uses confidence 0.99, margin (1 − q)/20).
 */
export function minQueryCount(q: number, confidence: number, margin: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`minQueryCount: quantile must be in (0, 1), got ${q}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`minQueryCount: confidence must be in (0, 1)`);
  if (!(margin > 0 && margin < 1)) throw new RangeError(`minQueryCount: margin must be in (0, 1)`);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return Math.ceil((z * z * q * (1 - q)) / (margin * margin));
}

/** Binomial(n, p) CDF at k = 0..n (iterative pmf in log space; fine for n up to ~10⁶). */
function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let logPmf = n * lq; // k = 0
  let acc = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logPmf += Math.log((n - k + 1) / k) + lp - lq;
    acc += Math.exp(logPmf);
    cdf[k] = Math.min(1, acc);
  }
  return cdf;
}

export interface QuantileCi {
  /** Lower / upper bound: order statistics of the sample. */
  lo: number;
  hi: number;
  /** Their 1-based ranks in the sorted sample. */
  loRank: number;
  hiRank: number;
  /** Coverage actually achieved (≥ the requested confidence when `exact`). */
  coverage: number;
  /** False when the sample is too small for the requested confidence (the bounds are then min/max). */
  exact: boolean;
}

/**
 * Distribution-free two-sided CI of the q-quantile: ranks l < u with P(X_(l) ≤ ξ_q ≤ X_(u)) ≥
 * confidence, from B ~ Binomial(n, q): l = max{ r : P(B < r) ≤ α/2 }, u = min{ r : P(B ≥ r) ≤ α/2 }.
 */
export function quantileCi(sorted: readonly number[], q: number, confidence: number): QuantileCi {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantileCi: empty sample');
  const alpha = 1 - confidence;
  const F = binomialCdf(n, q);
  let l = 0; // 0 = no lower order statistic qualifies
  for (let r = 1; r <= n; r++) if (F[r - 1] <= alpha / 2) l = r;
  let u = n + 1;
  for (let r = n; r >= 1; r--) if (1 - F[r - 1] <= alpha / 2) u = r;
  const exact = l >= 1 && u <= n;
  const loRank = Math.max(1, l);
  const hiRank = Math.min(n, u);
  // P(l ≤ B < u) = F(u − 1) − F(l − 1)
  const coverage = F[hiRank - 1] - F[loRank - 1];
  return { lo: sorted[loRank - 1], hi: sorted[hiRank - 1], loRank, hiRank, coverage, exact };
}
