import { ErrorCode, NashubError } from '../../core';
import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** Options of {@link Hyperband}. */
export interface HyperbandOptions {
  /** Halving rate η: each rung keeps the best 1/η of the previous one (Li et al. 2018; BOHB and NAS-Bench-201: 3). */
  eta: number;
}

/** Reads HYPERBAND's options. */
export function parseHyperbandOptions(raw: Readonly<Record<string, unknown>>): HyperbandOptions {
  const read = new OptionReader(StrategyName.HYPERBAND, raw);
  const options: HyperbandOptions = { eta: read.number('eta', 3, { min: 1.01, max: 1000 }) };
  read.done();
  return options;
}

/** One successive-halving iteration of a bracket. */
interface Iteration<A> {
  /** Rung (fidelity index) its members are evaluated at now. */
  rung: number;
  /** Members at the current rung, in the order they were drawn or promoted. */
  members: A[];
  /** Members asked so far at this rung. */
  asked: number;
  /** Results at this rung, by member index. */
  results: Array<number | undefined>;
  /** Members each later rung keeps. */
  keep: number[];
}

/**
 * Hyperband (Li et al. 2018) over the run's fidelity ladder (NB201: hp=12, then hp=200). The rungs are the ladder's
 * fidelities, not powers of η of a continuous budget: with K fidelities, bracket s (s = K−1 … 0, cycling) draws
 * ⌈K/(s+1) · η^s⌉ random architectures at rung K−1−s and promotes the best ⌊n · η^−i⌋ to each next rung, where they are
 * trained again from scratch at that fidelity (NB201's two schedules share no weights). With several workers, a new
 * bracket starts while the current rung waits for its last results. Returns the best observation at the highest
 * fidelity reached (hpbandster's incumbent).
 */
export class Hyperband<A> implements Strategy<A> {
  readonly name = StrategyName.HYPERBAND;
  private readonly incumbent = new Incumbent<A>();
  private readonly iterations: Iteration<A>[] = [];
  /** Where each suggestion not yet told came from, by `id@fidelity` (FIFO). */
  private readonly pending = new Map<string, Array<{ iteration: Iteration<A>; index: number }>>();
  private bracketsStarted = 0;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: HyperbandOptions,
  ) {
    if (context.fidelities.length < 2) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `HYPERBAND needs at least two fidelities; this run has ${context.fidelities.length}`,
        {
          details: { strategy: this.name, fidelities: context.fidelities.map((f) => f.protocol) },
        },
      );
    }
  }

  async ask(n: number): Promise<Suggestion<A>[]> {
    const out: Suggestion<A>[] = [];
    while (out.length < n) {
      const iteration = this.iterations.find((it) => it.asked < it.members.length) ?? this.startBracket();
      const index = iteration.asked++;
      const arch = iteration.members[index];
      const key = `${this.context.space.id(arch)}@${iteration.rung}`;
      const queue = this.pending.get(key);
      if (queue) queue.push({ iteration, index });
      else this.pending.set(key, [{ iteration, index }]);
      out.push({ arch, fidelity: iteration.rung });
    }
    return out;
  }

  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) {
      this.incumbent.offer(observation);
      const key = `${observation.id}@${observation.fidelity}`;
      const origin = this.pending.get(key)?.shift();
      if (this.pending.get(key)?.length === 0) this.pending.delete(key);
      if (origin === undefined) continue;
      origin.iteration.results[origin.index] = observation.value;
      this.promoteIfDone(origin.iteration);
    }
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }

  private startBracket(): Iteration<A> {
    const { space, rng, fidelities } = this.context;
    const sMax = fidelities.length - 1;
    const s = sMax - (this.bracketsStarted++ % (sMax + 1));
    const eta = this.options.eta;
    const n = Math.ceil(((sMax + 1) / (s + 1)) * eta ** s);
    const keep = Array.from({ length: s }, (_, i) => Math.max(1, Math.floor(n * eta ** -(i + 1))));
    const iteration: Iteration<A> = {
      rung: sMax - s,
      members: Array.from({ length: n }, () => space.sample(rng)),
      asked: 0,
      results: [],
      keep,
    };
    this.iterations.push(iteration);
    return iteration;
  }

  private promoteIfDone(iteration: Iteration<A>): void {
    const { members, results } = iteration;
    for (let i = 0; i < members.length; i++) if (results[i] === undefined) return;
    const next = iteration.keep.shift();
    if (next === undefined) {
      this.iterations.splice(this.iterations.indexOf(iteration), 1);
      return;
    }
    // Stable: equal values keep their draw order.
    const ranked = members
      .map((arch, i) => ({ arch, value: results[i]!, i }))
      .sort((a, b) => b.value - a.value || a.i - b.i);
    iteration.members = ranked.slice(0, next).map((r) => r.arch);
    iteration.results = [];
    iteration.asked = 0;
    iteration.rung++;
  }
}
