import { createRng, type Rng } from '../../src/core';

/** A standard normal draw by Box–Muller from a seeded uniform source. */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Options of {@link syntheticCurve}. */
export interface SyntheticCurveOptions {
  /** Noise-free value at epoch x ≥ 1, as a fraction. */
  shape: (x: number) => number;
  /** Epochs to generate. */
  epochs: number;
  /** Standard deviation of the added noise, as a fraction. */
  noise: number;
  /** Seed of the noise. */
  seed: number;
}

/** A noisy curve of fractions (epochs 1..n), clamped to [0, 1]. */
export function syntheticCurve(options: SyntheticCurveOptions): number[] {
  const rng = createRng(options.seed);
  return Array.from({ length: options.epochs }, (_, i) =>
    Math.min(1, Math.max(0, options.shape(i + 1) + options.noise * gaussian(rng))),
  );
}

/**
 * A population of complete curves in percent that end at different accuracies: a saturating rise whose plateau,
 * speed and noise vary per curve, like a family of architectures trained under one protocol.
 */
export function syntheticPopulation(count: number, epochs: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    const plateau = 0.55 + 0.4 * rng.next();
    const speed = 0.02 + 0.08 * rng.next();
    const start = 0.1 + 0.2 * rng.next();
    const curve = syntheticCurve({
      shape: (x) => plateau - (plateau - start) * Math.exp(-speed * x),
      epochs,
      noise: 0.005,
      seed: seed * 1000 + k,
    });
    return curve.map((v) => v * 100);
  });
}
