/** What a healthz sampler saw. */
export interface HealthzSamples {
  /** Slowest answer (or failure), milliseconds. */
  maxMs: number;
  samples: number;
  /** Requests that failed or did not answer 200. */
  failures: number;
}

/**
 * Asks `/healthz` again and again (one at a time, `pauseMs` apart) until stopped: how long the server makes a
 * health check wait while it works on something else.
 */
export function sampleHealthz(baseUrl: string, pauseMs = 50): { stop(): Promise<HealthzSamples> } {
  let running = true;
  const result: HealthzSamples = { maxMs: 0, samples: 0, failures: 0 };
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(30_000) });
        await res.text();
        if (res.status !== 200) result.failures += 1;
      } catch {
        result.failures += 1;
      }
      result.maxMs = Math.max(result.maxMs, performance.now() - started);
      result.samples += 1;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return result;
    },
  };
}
