import { ErrorCode, NashubError } from '../../core';
import type { SearchPreset } from './search-preset';

/**
 * NAS-Bench-201's search protocol (Dong & Yang, ICLR 2020, sec. 6; the authors' `exps/NAS-Bench-201-algos/*.py` and
 * `scripts-search/NAS-Bench-201-algos/*.sh` in D-X-Y/AutoDL-Projects), as far as our data allows:
 * - observed: the 12-epoch schedule's validation accuracy (`hp=12`), as `train_and_eval(..., use_012_epoch_training=True)`;
 * - cost of one evaluation: the script's `train-all-time + valid-per-time` of that 12-epoch run. Our data has
 *   training time for hp=200 only, so the cost is 12/200 of the 200-epoch time (same network, same per-epoch time)
 *   and the one validation pass (`valid-per-time`) is left out;
 * - budget 12,000 simulated seconds (`--time_budget 12000`), one worker; an evaluation that would end past the budget
 *   is not counted (RANDOM.py and R_EA.py break before adding it; REA's first P are always counted, well within);
 * - REA: population 10, tournament size 3 drawn with replacement (`R-EA.sh cifar10 3`, `--ea_population 10`);
 * - REINFORCE: Adam, EMA momentum 0.9 (`REINFORCE.sh`), returning the best observation (`max(trace)`). The learning
 *   rate is the script's argument: its usage line shows 0.001, `hps/GRID-RL.sh` sweeps 0.01–0.5, and the authors'
 *   NATS-Bench `reinforce.py` runs 0.01, which we use (`docs/results/` has 0.001, 0.01 and 0.1 side by side);
 * - reported: the returned architecture's 200-epoch validation accuracy on cifar10-valid (`hp=200`), seed mean.
 * Departures: the scripts observe one random seed's 12-epoch result per evaluation (`get_more_info(..., hp='12',
 * is_random=True)`); our table has the 12-epoch seed means only, a less noisy signal. Core's mutation picks an edge
 * uniformly; the script picks a node, then one of its incoming edges (edges of node 1 twice as likely as of node 3).
 * For 150 cells NB201's summary carries another cell's cost metadata (docs/search-spaces.md), so their
 * simulated costs are unreliable.
 */
const NB201_CIFAR10_VALID: SearchPreset = {
  name: 'nb201-cifar10-valid',
  description:
    "NAS-Bench-201's search protocol on cifar10-valid: observe hp=12 validation accuracy, 12,000 simulated s, report hp=200",
  space: 'nb201',
  dataset: 'cifar10-valid',
  fidelities: [
    { protocol: 'hp=12', metric: 'validAcc', costFrom: 'hp=200' },
    { protocol: 'hp=200', metric: 'validAcc', costFrom: 'hp=200' },
  ],
  observe: 0,
  final: { protocol: 'hp=200', metric: 'validAcc' },
  budgetSeconds: 12_000,
  strategyOptions: {
    REGULARIZED_EVOLUTION: { population: 10, sampleSize: 3 },
    REINFORCE: { learningRate: 0.01, emaMomentum: 0.9 },
    HYPERBAND: { eta: 3 },
  },
  data: { space: 'nb201', file: 'nb201_summary.csv', map: 'nb201/summary' },
  // NAS-Bench-201 Table 5, cifar10-valid validation accuracy, 500 runs each.
  published: {
    RANDOM: { method: 'RS', mean: 90.93, std: 0.36 },
    REGULARIZED_EVOLUTION: { method: 'REA', mean: 91.19, std: 0.31 },
    REINFORCE: { method: 'REINFORCE', mean: 91.09, std: 0.37 },
    HYPERBAND: { method: 'BOHB', mean: 90.82, std: 0.53 },
  },
};

/** The same protocol on cifar100 (`--dataset cifar100` of the same scripts: same budget, population and sample size). */
const NB201_CIFAR100: SearchPreset = {
  ...NB201_CIFAR10_VALID,
  name: 'nb201-cifar100',
  description:
    "NAS-Bench-201's search protocol on cifar100: observe hp=12 validation accuracy, 12,000 simulated s, report hp=200",
  dataset: 'cifar100',
  published: {},
};

/** Every preset, by name. */
export const SEARCH_PRESETS: ReadonlyMap<string, SearchPreset> = new Map(
  [NB201_CIFAR10_VALID, NB201_CIFAR100].map((p) => [p.name, p]),
);

/** The preset named `name`, or UNKNOWN_PRESET listing the known ones. */
export function findSearchPreset(name: string): SearchPreset {
  const preset = SEARCH_PRESETS.get(name);
  if (!preset)
    throw new NashubError(
      ErrorCode.UNKNOWN_PRESET,
      `unknown search preset "${name}"; known: ${[...SEARCH_PRESETS.keys()].join(', ')}`,
      { details: { preset: name } },
    );
  return preset;
}
