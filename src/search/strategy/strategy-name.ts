/** Every strategy the registry can build, by the name the CLI, presets and bench use. */
export const StrategyName = {
  RANDOM: 'RANDOM',
  REGULARIZED_EVOLUTION: 'REGULARIZED_EVOLUTION',
  REINFORCE: 'REINFORCE',
  LOCAL_SEARCH: 'LOCAL_SEARCH',
  HYPERBAND: 'HYPERBAND',
  BANANAS: 'BANANAS',
  EVOLUTION_WITH_PREDICTOR: 'EVOLUTION_WITH_PREDICTOR',
} as const;

/** One of {@link StrategyName}'s values. */
export type StrategyNameValue = (typeof StrategyName)[keyof typeof StrategyName];

/** Every strategy name, in declaration order. */
export const STRATEGY_NAMES: readonly StrategyNameValue[] = Object.values(StrategyName);
