import { createRng, listSpaces, type SearchSpace } from '../core';

/** Options of {@link runArchBench}. */
export interface ArchBenchOptions {
  /** Spaces to measure; every registered space unless given. */
  spaces?: readonly SearchSpace[];
  /** Distinct sampled inputs per space, cycled through while timing. */
  inputs?: number;
  /** Time spent timing each space, in milliseconds (after a short warm-up). */
  durationMs?: number;
  /** Seed of the sampler that makes the inputs. */
  seed?: number;
}

/** Throughput of one space in {@link runArchBench}. */
export interface ArchBenchResult {
  /** Texts canonicalised per second: parse + format + id + isoClass of one arch text. */
  canonicalisationsPerS: number;
  /** Distinct input texts cycled through. */
  inputs: number;
  /** Canonicalisations timed. */
  iterations: number;
}

function canonicaliseLoop(
  space: SearchSpace,
  texts: readonly string[],
  durationMs: number,
): { iterations: number; seconds: number } {
  let iterations = 0;
  let checksum = 0;
  const startedAt = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (const text of texts) {
      const arch = space.parse(text);
      checksum += space.format(arch).length + space.id(arch).length + space.isoClass(arch).length;
    }
    iterations += texts.length;
    elapsed = performance.now() - startedAt;
  }
  // Keeps the work observable so no engine can drop it.
  if (checksum < 0) throw new Error('unreachable');
  return { iterations, seconds: elapsed / 1000 };
}

/**
 * Canonicalisations per second for each space: inputs are `format(sample(rng))` texts, and one canonicalisation is
 * parse + format + id + isoClass, the work the API does for every architecture it is asked about.
 */
export function runArchBench(options: ArchBenchOptions = {}): Record<string, ArchBenchResult> {
  const { inputs = 1000, durationMs = 1000, seed = 0 } = options;
  const results: Record<string, ArchBenchResult> = {};
  for (const space of options.spaces ?? listSpaces()) {
    const rng = createRng(seed);
    const texts = Array.from({ length: inputs }, () => space.format(space.sample(rng)));
    canonicaliseLoop(space, texts, Math.min(200, durationMs));
    const { iterations, seconds } = canonicaliseLoop(space, texts, durationMs);
    results[space.name] = { canonicalisationsPerS: Math.round(iterations / seconds), inputs, iterations };
  }
  return results;
}
