import { normalCdf } from './normal-cdf';

/** One weighted normal component of a mixture. */
export interface NormalComponent {
  /** Weight; the weights of a mixture sum to 1. */
  weight: number;
  /** Mean. */
  mean: number;
  /** Standard deviation; 0 is a point mass. */
  std: number;
}

/** P(X ≤ x) for a mixture of normals. */
export function normalMixtureCdf(components: readonly NormalComponent[], x: number): number {
  let p = 0;
  for (const c of components) {
    p += c.weight * (c.std > 0 ? normalCdf((x - c.mean) / c.std) : x >= c.mean ? 1 : 0);
  }
  return p;
}

/**
 * The p-quantile of a normal mixture restricted to [lo, hi] (mass outside is piled on the ends, as for accuracies that
 * cannot leave their scale), by bisection to 1e-9 of the range.
 */
export function normalMixtureQuantile(
  components: readonly NormalComponent[],
  p: number,
  lo: number,
  hi: number,
): number {
  if (normalMixtureCdf(components, lo) >= p) return lo;
  if (normalMixtureCdf(components, hi) < p) return hi;
  let a = lo;
  let b = hi;
  while (b - a > 1e-9 * (hi - lo)) {
    const mid = (a + b) / 2;
    if (normalMixtureCdf(components, mid) < p) a = mid;
    else b = mid;
  }
  return (a + b) / 2;
}
