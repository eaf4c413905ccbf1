import type { Rng } from '../../../core';

/** A standard normal draw by Box–Muller from a seeded uniform source. */
export function gaussianDraw(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
