/** Options of {@link runClosedLoop}. */
export interface ClosedLoopOptions {
  /** Clients, each sending its next request when the previous one answers. */
  concurrency: number;
  /** Time before measuring starts: requests run but are not counted. */
  warmupMs: number;
  /** Measured time. */
  durationMs: number;
  /** One request of client `client`; throws on a wrong answer. */
  request(client: number): Promise<void>;
  /** Called once when the measured window starts and once when it ends, late by the event loop's lag at most. */
  onWindow?(edge: WindowEdge): void;
}

/** The two edges of the measured window. */
export type WindowEdge = 'start' | 'end';

/** What a closed loop measured. */
export interface ClosedLoopResult {
  /** Requests answered inside the measured window. */
  completed: number;
  /** The measured window in seconds. */
  seconds: number;
  /** Latency of each completed request in milliseconds. */
  latenciesMs: number[];
}

/**
 * N clients in a closed loop for warmup + duration: the standard way to measure throughput and latency together.
 * The first failed request stops all clients and rejects.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const stopAt = measureFrom + options.durationMs;
  const latenciesMs: number[] = [];
  let failed = false;
  const fired = new Set<WindowEdge>();
  const fire = (edge: WindowEdge): void => {
    if (fired.has(edge)) return;
    fired.add(edge);
    options.onWindow?.(edge);
  };
  const client = async (index: number): Promise<void> => {
    while (!failed) {
      const sent = performance.now();
      // Timers starve while requests resolve as microtasks only (PGlite runs in this thread): the first client to see
      // an edge reports it, whichever comes first.
      if (sent >= measureFrom) fire('start');
      if (sent >= stopAt) {
        fire('end');
        return;
      }
      try {
        await options.request(index);
      } catch (error) {
        failed = true;
        throw error;
      }
      const answered = performance.now();
      // Counting answers (not starts) inside the window keeps throughput unbiased: the requests straddling its start
      // and its end balance out.
      if (answered >= measureFrom && answered <= stopAt) latenciesMs.push(answered - sent);
    }
  };
  const timers = [
    setTimeout(() => fire('start'), options.warmupMs),
    setTimeout(() => fire('end'), options.warmupMs + options.durationMs),
  ];
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => client(i)));
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
  return { completed: latenciesMs.length, seconds: options.durationMs / 1000, latenciesMs };
}
