/** Percentiles of per-request latencies, in milliseconds. */
export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** Summarises latencies by sorting them (a run records at most a few hundred thousand). */
export function summarizeLatencies(latenciesMs: readonly number[]): LatencySummary {
  if (latenciesMs.length === 0) return { p50Ms: NaN, p99Ms: NaN, meanMs: NaN, maxMs: NaN };
  const sorted = Float64Array.from(latenciesMs).sort();
  // Nearest-rank percentile: the smallest value with at least q of the samples at or below it.
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    p50Ms: round3(at(0.5)),
    p99Ms: round3(at(0.99)),
    meanMs: round3(sum / sorted.length),
    maxMs: round3(sorted[sorted.length - 1]),
  };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
