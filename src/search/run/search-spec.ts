import { createRng, ErrorCode, getSpace, NashubError, type MetricName, type SearchSpace } from '../../core';
import { presetImportHint, type FidelitySpec } from '../preset/search-preset';
import { findSearchPreset } from '../preset/search-presets';
import { createStrategy, parseStrategyName, type StrategyNameValue } from '../strategy';
import { parseSearchBudget, type SearchBudget } from './search-budget';

/** A search as a user names it (`nashub search` flags, the bench, tests). */
export interface SearchRequest {
  /** Search space; a preset sets it (a different one is INVALID_ARGUMENT). */
  space?: string;
  /** Dataset; a preset sets it. */
  dataset?: string;
  /** A published protocol (`nb201-cifar10-valid`); or give `protocol`. */
  preset?: string;
  /** Observe and report this protocol's final metric (without a preset). */
  protocol?: string;
  strategy: string;
  /** The strategy's options over the preset's. */
  strategyOptions?: Readonly<Record<string, unknown>>;
  /** Budget on the evaluator's clock (default the preset's). */
  budgetSeconds?: number;
  /** Budget in evaluations. */
  budgetEvaluations?: number;
  /** Parallel evaluations (default 1). */
  workers?: number;
  /** The strategy's seed (default 0). */
  seed?: number;
}

/** A request with every name checked and every default applied; no database read yet. */
export interface SearchSpec {
  space: SearchSpace<unknown>;
  dataset: string;
  preset: string | null;
  fidelities: readonly FidelitySpec[];
  /** Index of the fidelity single-fidelity strategies observe. */
  observe: number;
  final: { protocol: string; metric: MetricName };
  strategy: StrategyNameValue;
  strategyOptions: Readonly<Record<string, unknown>>;
  budget: SearchBudget;
  workers: number;
  seed: number;
  /** The import to name when data is missing (a preset's), or null. */
  importHint: string | null;
}

function invalid(message: string, option: string): never {
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, message, { details: { option } });
}

/**
 * Checks a request's names and numbers before anything is opened: UNKNOWN_SPACE, UNKNOWN_STRATEGY, UNKNOWN_PRESET,
 * and INVALID_ARGUMENT for a missing or non-positive budget, bad workers or seed, a preset contradicted by --space or
 * --dataset, neither (or both of) a preset and a protocol, or a strategy option the strategy refuses. Unknown datasets and missing data show when the table loads.
 */
export function resolveSearchSpec(request: SearchRequest): SearchSpec {
  const spec = resolveNames(request);
  // Build the strategy once on the spec's ladder, so a bad option (or HYPERBAND on one fidelity) fails before any I/O.
  const fidelities = spec.fidelities.map((f) => ({ protocol: f.protocol, epochs: 0 }));
  createStrategy(
    spec.strategy,
    { space: spec.space, rng: createRng(spec.seed), fidelities, defaultFidelity: spec.observe },
    spec.strategyOptions,
  );
  return spec;
}

function resolveNames(request: SearchRequest): SearchSpec {
  const strategy = parseStrategyName(request.strategy);
  const workers = request.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 10_000)
    invalid(`workers must be a whole number in [1, 10000], got ${workers}`, 'workers');
  const seed = request.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    invalid(`seed must be a whole number in [0, 2^32), got ${seed}`, 'seed');
  if (request.preset !== undefined && request.protocol !== undefined)
    invalid('give a preset or a protocol, not both', 'protocol');

  if (request.preset !== undefined) {
    const preset = findSearchPreset(request.preset);
    if (request.space !== undefined && request.space !== preset.space)
      invalid(`preset ${preset.name} searches ${preset.space}, not ${request.space}`, 'space');
    if (request.dataset !== undefined && request.dataset !== preset.dataset)
      invalid(`preset ${preset.name} searches ${preset.dataset}, not ${request.dataset}`, 'dataset');
    const ownBudget = request.budgetSeconds !== undefined || request.budgetEvaluations !== undefined;
    return {
      space: getSpace(preset.space),
      dataset: preset.dataset,
      preset: preset.name,
      fidelities: preset.fidelities,
      observe: preset.observe,
      final: preset.final,
      strategy,
      strategyOptions: { ...preset.strategyOptions[strategy], ...request.strategyOptions },
      budget: parseSearchBudget(
        ownBudget
          ? { seconds: request.budgetSeconds, evaluations: request.budgetEvaluations }
          : { seconds: preset.budgetSeconds },
      ),
      workers,
      seed,
      importHint: presetImportHint(preset),
    };
  }

  if (request.space === undefined) invalid('a search needs --space (or a --preset)', 'space');
  const space = getSpace(request.space);
  if (request.dataset === undefined) invalid('a search needs --dataset (or a --preset)', 'dataset');
  if (request.protocol === undefined) invalid('a search needs --protocol (or a --preset)', 'protocol');
  return {
    space,
    dataset: request.dataset,
    preset: null,
    fidelities: [{ protocol: request.protocol, metric: 'validAcc', costFrom: request.protocol }],
    observe: 0,
    final: { protocol: request.protocol, metric: 'validAcc' },
    strategy,
    strategyOptions: { ...request.strategyOptions },
    budget: parseSearchBudget({ seconds: request.budgetSeconds, evaluations: request.budgetEvaluations }),
    workers,
    seed,
    importHint: null,
  };
}
