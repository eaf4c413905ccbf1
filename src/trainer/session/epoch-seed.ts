/**
 * Seed of an epoch's RNG (shuffle and augmentation), mixed from the run's seed and the 0-based epoch, so that a
 * resumed run draws exactly what an uninterrupted one would: the RNG state is (seed, epochsDone).
 */
export function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(epoch + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}
