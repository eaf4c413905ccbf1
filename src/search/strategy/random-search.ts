import { StrategyName } from './strategy-name';
import { Incumbent } from './incumbent';
import type { Observation, Strategy, StrategyContext, Suggestion } from './strategy';
import { OptionReader } from './option-reader';

/** RANDOM has no options; the type exists so every strategy has one. */
export type RandomSearchOptions = Record<string, never>;

/** Reads RANDOM's options (there are none: any key is INVALID_ARGUMENT). */
export function parseRandomSearchOptions(raw: Readonly<Record<string, unknown>>): RandomSearchOptions {
  new OptionReader(StrategyName.RANDOM, raw).done();
  return {};
}

/**
 * Random search (NAS-Bench-201's `RANDOM.py`): uniform samples from the space at the default fidelity, no
 * de-duplication (the benchmark's baseline re-evaluates a repeat too); returns the best observation.
 */
export class RandomSearch<A> implements Strategy<A> {
  readonly name = StrategyName.RANDOM;
  private readonly incumbent = new Incumbent<A>();

  constructor(private readonly context: StrategyContext<A>) {}

  async ask(n: number): Promise<Suggestion<A>[]> {
    const { space, rng, defaultFidelity } = this.context;
    return Array.from({ length: n }, () => ({ arch: space.sample(rng), fidelity: defaultFidelity }));
  }

  tell(observations: readonly Observation<A>[]): void {
    for (const observation of observations) this.incumbent.offer(observation);
  }

  recommend(): A | null {
    return this.incumbent.arch;
  }
}
