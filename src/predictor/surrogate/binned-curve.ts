import { quantile } from './quantile';

/** A smooth-enough curve y(x) kept as knots (plain JSON numbers): a quantile of y in bins of equal count along x. */
export interface BinnedCurve {
  /** Increasing bin centres (mean x of each bin). */
  knots: number[];
  /** The quantile of y in each bin. */
  values: number[];
}

/** Options of {@link fitBinnedCurve}. */
export interface FitBinnedCurveOptions {
  /** Number of bins (fewer when there are fewer points). */
  bins: number;
  /** Quantile of y kept per bin, in [0, 1] (0.5: median), linearly interpolated between order statistics. */
  quantile: number;
}

/** Sorts by x, cuts into bins of (nearly) equal count, and keeps each bin's mean x and the quantile of its y. */
export function fitBinnedCurve(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: FitBinnedCurveOptions,
): BinnedCurve {
  const { bins } = options;
  const order = Array.from({ length: x.length }, (_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const count = Math.max(1, Math.min(bins, order.length));
  const curve: BinnedCurve = { knots: [], values: [] };
  for (let b = 0; b < count; b++) {
    const members = order.slice(Math.floor((b * order.length) / count), Math.floor(((b + 1) * order.length) / count));
    const knot = members.reduce((s, i) => s + x[i]!, 0) / members.length;
    const value = quantile(
      members.map((i) => y[i]!),
      options.quantile,
    );
    if (curve.knots.length > 0 && knot <= curve.knots[curve.knots.length - 1]!) {
      // Tied x across a bin edge: fold into the previous knot rather than break the increasing order.
      curve.values[curve.values.length - 1] = (curve.values[curve.values.length - 1]! + value) / 2;
      continue;
    }
    curve.knots.push(knot);
    curve.values.push(value);
  }
  return curve;
}

/** The curve at `x`: linear between knots, flat outside them. */
export function applyBinnedCurve(curve: BinnedCurve, x: number): number {
  const { knots, values } = curve;
  const last = knots.length - 1;
  if (x <= knots[0]!) return values[0]!;
  if (x >= knots[last]!) return values[last]!;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - knots[lo]!) / (knots[hi]! - knots[lo]!);
  return values[lo]! + t * (values[hi]! - values[lo]!);
}
