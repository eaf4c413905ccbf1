import { Incumbent } from './incumbent';
import { OptionReader } from './option-reader';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { StrategyName } from './strategy-name';

/** Options of {@link LocalSearch}. */
export interface LocalSearchOptions {
  /** Random draws for a fresh start point that the run has not evaluated yet, before taking a repeat. */
  restartTries: number;
}

/** Reads LOCAL_SEARCH's options. */
export function parseLocalSearchOptions(raw: Readonly<Record<string, unknown>>): LocalSearchOptions {
  const read = new OptionReader(StrategyName.LOCAL_SEARCH, raw);
  const options: LocalSearchOptions = {
    restartTries: read.number('restartTries', 100, { min: 1, max: 1_000_000, integer: true }),
  };
  read.done();
  return options;
}

/**
 * Best-improvement local search (White et al. 2021, "Local search is state of the art for NAS benchmarks"): evaluate
 * every one-edit neighbour of the current point (in a seeded shuffle of `space.neighbours`, so a budget that ends
 * mid-neighbourhood cuts a random part), move to the best one if it beats the point, and restart from a new random
 * point at a local optimum. Values the run already has are reused, never evaluated twice. With several workers,
 * asking waits while the neighbourhood's last results are out.
 */
export class LocalSearch<A> implements Strategy<A> {
  readonly name = StrategyName.LOCAL_SEARCH;
  private readonly incumbent = new Incumbent<A>();
  /** Values this run has observed, by id. */
  private readonly seen = new Map<string, number>();
  private center: { arch: A; id: string; value: number } | null = null;
  /** Start point asked and not yet told. */
  private starting: string | null = null;
  /** Neighbours of the center still to ask. */
  private queue: A[] = [];
  /** Neighbours of the center asked and not yet told, by id. */
  private outstanding = new Set<string>();
  private bestNeighbour: { arch: A; id: string; value: number } | null = null;

  constructor(
    private readonly context: StrategyContext<A>,
    private readonly options: LocalSearchOptions,
  ) {}

  async ask(n: number): Promise<Suggestion<A>[]> {
    const out: Suggestion<A>[] = [];
    const { defaultFidelity } = this.context;
    while (out.length < n) {
      if (this.center === null) {
        if (this.starting !== null) break;
        const arch = this.freshStart();
        this.starting = this.context.space.id(arch);
        out.push({ arch, fidelity: defaultFidelity });
        continue;
      }
      const next = this.queue.shift();
      if (next === undefined) break;
      this.outstanding.add(this.context.space.id(next));
      out.push({ arch: next, fidelity: defaultFidelity });
    }
    return out;
  }

  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) {
      this.incumbent.offer(observation);
      if (!this.seen.has(observation.id)) this.seen.set(observation.id, observation.value);
      if (observation.id === this.starting) {
        this.starting = null;
        this.moveTo({ arch: observation.arch, id: observation.id, value: observation.value });
      } else if (this.outstanding.delete(observation.id)) {
        this.consider({ arch: observation.arch, id: observation.id, value: observation.value });
      }
      this.stepIfDone();
    }
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }

  private moveTo(point: { arch: A; id: string; value: number }): void {
    this.center = point;
    this.bestNeighbour = null;
    const neighbours = this.context.space.neighbours(point.arch);
    const { rng } = this.context;
    for (let i = neighbours.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [neighbours[i], neighbours[j]] = [neighbours[j], neighbours[i]];
    }
    this.queue = [];
    for (const arch of neighbours) {
      const id = this.context.space.id(arch);
      const known = this.seen.get(id);
      if (known === undefined) this.queue.push(arch);
      else this.consider({ arch, id, value: known });
    }
  }

  private consider(point: { arch: A; id: string; value: number }): void {
    if (this.bestNeighbour === null || point.value > this.bestNeighbour.value) this.bestNeighbour = point;
  }

  /** Once the whole neighbourhood is known: climb to the best neighbour, or restart at a local optimum. */
  private stepIfDone(): void {
    while (this.center !== null && this.queue.length === 0 && this.outstanding.size === 0) {
      const best = this.bestNeighbour;
      if (best !== null && best.value > this.center.value) this.moveTo(best);
      else this.center = null;
    }
  }

  private freshStart(): A {
    const { space, rng } = this.context;
    let arch = space.sample(rng);
    for (let i = 1; i < this.options.restartTries && this.seen.has(space.id(arch)); i++) arch = space.sample(rng);
    return arch;
  }
}
