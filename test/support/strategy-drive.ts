import type { Observation, Strategy, Suggestion } from '../../src/search/strategy';
import type { SearchSpace } from '../../src/core';

/** One call a driver made: an ask with its answer, or a tell. */
export type StrategyCall<A> =
  { kind: 'ask'; n: number; answer: Suggestion<A>[] } | { kind: 'tell'; observations: Observation<A>[] };

/** Options of {@link driveStrategy}. */
export interface DriveOptions<A> {
  space: SearchSpace<A>;
  /** Value of an architecture at a fidelity (higher is better). */
  objective(arch: A, fidelity: number): number;
  /** Evaluations to start. */
  evaluations: number;
  /** Parallel evaluations: results come back in finish order, not ask order, when > 1. */
  workers: number;
}

/** FNV-1a of a string: a deterministic per-architecture cost jitter. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Runs a strategy against a synthetic objective on a simulated clock (each evaluation costs 1 to 3 seconds by its
 * id's hash, so several workers finish out of order) and returns every ask and tell in order.
 */
export async function driveStrategy<A>(strategy: Strategy<A>, options: DriveOptions<A>): Promise<StrategyCall<A>[]> {
  const calls: StrategyCall<A>[] = [];
  const pending: Array<{ finish: number; seq: number; observation: Observation<A> }> = [];
  let now = 0;
  let started = 0;
  let seq = 0;
  for (;;) {
    const free = Math.min(options.workers - pending.length, options.evaluations - started);
    if (free > 0) {
      const answer = await strategy.ask(free);
      calls.push({ kind: 'ask', n: free, answer });
      for (const { arch, fidelity } of answer) {
        const id = options.space.id(arch);
        const cost = 1 + (hash(id) % 3);
        pending.push({
          finish: now + cost,
          seq: seq++,
          observation: { arch, id, fidelity, value: options.objective(arch, fidelity), cost, stoppedEarly: false },
        });
        started++;
      }
      if (answer.length === 0 && pending.length === 0) break;
    }
    if (pending.length === 0) break;
    pending.sort((a, b) => a.finish - b.finish || a.seq - b.seq);
    const next = pending.shift()!;
    now = next.finish;
    calls.push({ kind: 'tell', observations: [next.observation] });
    strategy.tell([next.observation]);
  }
  return calls;
}

/** Replays a driver's calls into a fresh strategy and returns its answers to the same asks, as ids and fidelities. */
export async function replayAsks<A>(
  strategy: Strategy<A>,
  calls: readonly StrategyCall<A>[],
  space: SearchSpace<A>,
): Promise<string[][]> {
  const answers: string[][] = [];
  for (const call of calls) {
    if (call.kind === 'ask') answers.push((await strategy.ask(call.n)).map((s) => `${space.id(s.arch)}@${s.fidelity}`));
    else strategy.tell(call.observations);
  }
  return answers;
}

/** The asks of a log, as ids and fidelities. */
export function askedIds<A>(calls: readonly StrategyCall<A>[], space: SearchSpace<A>): string[][] {
  return calls
    .filter((c) => c.kind === 'ask')
    .map((c) => (c as { answer: Suggestion<A>[] }).answer.map((s) => `${space.id(s.arch)}@${s.fidelity}`));
}
