import { ErrorCode, NashubError } from '../../core';
import { parseRandomSearchOptions, RandomSearch } from './random-search';
import { parseRegularizedEvolutionOptions, RegularizedEvolution } from './regularized-evolution';
import { parseReinforceOptions, Reinforce } from './reinforce';
import { LocalSearch, parseLocalSearchOptions } from './local-search';
import { Hyperband, parseHyperbandOptions } from './hyperband';
import { Bananas, parseBananasOptions } from './bananas';
import { EvolutionWithPredictor, parseEvolutionWithPredictorOptions } from './evolution-with-predictor';
import type { Strategy, StrategyContext } from './strategy';
import { STRATEGY_NAMES, type StrategyNameValue } from './strategy-name';

/** Builds one strategy from its context and its loose options (checked by the strategy's own parser). */
export type StrategyFactory = <A>(
  context: StrategyContext<A>,
  options: Readonly<Record<string, unknown>>,
) => Strategy<A>;

/** One factory per name; the mapped type makes a name without a factory a compile error. */
const FACTORIES: { readonly [K in StrategyNameValue]: StrategyFactory } = {
  RANDOM: (context, options) => {
    parseRandomSearchOptions(options);
    return new RandomSearch(context);
  },
  REGULARIZED_EVOLUTION: (context, options) =>
    new RegularizedEvolution(context, parseRegularizedEvolutionOptions(options)),
  REINFORCE: (context, options) => new Reinforce(context, parseReinforceOptions(options)),
  LOCAL_SEARCH: (context, options) => new LocalSearch(context, parseLocalSearchOptions(options)),
  HYPERBAND: (context, options) => new Hyperband(context, parseHyperbandOptions(options)),
  BANANAS: (context, options) => new Bananas(context, parseBananasOptions(options)),
  EVOLUTION_WITH_PREDICTOR: (context, options) =>
    new EvolutionWithPredictor(context, parseEvolutionWithPredictorOptions(options)),
};

/** Each strategy's option parser: loose options in, every option with its default filled in out. */
const OPTION_PARSERS: { readonly [K in StrategyNameValue]: (options: Readonly<Record<string, unknown>>) => object } = {
  RANDOM: parseRandomSearchOptions,
  REGULARIZED_EVOLUTION: parseRegularizedEvolutionOptions,
  REINFORCE: parseReinforceOptions,
  LOCAL_SEARCH: parseLocalSearchOptions,
  HYPERBAND: parseHyperbandOptions,
  BANANAS: parseBananasOptions,
  EVOLUTION_WITH_PREDICTOR: parseEvolutionWithPredictorOptions,
};

/**
 * A strategy's options with every default filled in, as plain JSON that its parser reads back to the same options: what
 * a stored search run keeps, so that a later release changing a default does not change how the run's log replays
 * (it would no longer rebuild the strategy that asked). An option left to the space (null) is left out. Errors as
 * {@link createStrategy}'s.
 */
export function resolveStrategyOptions(
  name: string,
  options: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const parsed = OPTION_PARSERS[parseStrategyName(name)](options) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>).filter(([, value]) => value !== null),
  );
}

/** The strategy name `name` spells, or UNKNOWN_STRATEGY listing the known ones. */
export function parseStrategyName(name: string): StrategyNameValue {
  if ((STRATEGY_NAMES as readonly string[]).includes(name)) return name as StrategyNameValue;
  throw new NashubError(ErrorCode.UNKNOWN_STRATEGY, `unknown strategy "${name}"; known: ${STRATEGY_NAMES.join(', ')}`, {
    details: { strategy: name },
  });
}

/**
 * The one lookup from a strategy name to a new strategy: UNKNOWN_STRATEGY for a name the registry lacks,
 * INVALID_ARGUMENT (with `details.option`) for an option the strategy refuses.
 */
export function createStrategy<A>(
  name: string,
  context: StrategyContext<A>,
  options: Readonly<Record<string, unknown>> = {},
): Strategy<A> {
  return FACTORIES[parseStrategyName(name)](context, options);
}
