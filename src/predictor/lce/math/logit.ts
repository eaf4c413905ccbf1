/** Smallest distance from 0 and 1 that {@link logit} keeps, so that accuracies of exactly 0 or 1 stay finite. */
export const LOGIT_EPSILON = 1e-3;

/** log(p / (1 − p)) of a fraction, clamped to [ε, 1 − ε]. */
export function logit(p: number): number {
  const q = Math.min(1 - LOGIT_EPSILON, Math.max(LOGIT_EPSILON, p));
  return Math.log(q / (1 - q));
}

/** The inverse of {@link logit}: 1 / (1 + e^−z). */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
