import { countNetwork, type NetworkSize } from '../network-layer';
import type { ArchitectureCost } from '../search-space';
import type { DartsGenotype } from './genotype';
import { resolveDartsMacro, type DartsMacro } from './macro';
import { describeDartsNetwork } from './network';

/**
 * Exact parameter and MAC counts of the DARTS evaluation network of a genotype (see `describeDartsNetwork` and
 * `countNetwork`); with the default macro, `params` is DARTS's `param size` × 10⁶.
 */
export function dartsNetworkSize(genotype: DartsGenotype, macro?: Partial<DartsMacro>): NetworkSize {
  return countNetwork(describeDartsNetwork(genotype, resolveDartsMacro(macro)));
}

/**
 * Parameters and FLOPs of the DARTS CIFAR evaluation network of a genotype, in millions (see `dartsNetworkSize`;
 * FLOPs are multiply-accumulates). The auxiliary head is counted only with `macro.auxiliary` (DARTS reports sizes
 * without it: 3.3M for DARTS-V2).
 */
export function dartsCost(genotype: DartsGenotype, macro?: Partial<DartsMacro>): ArchitectureCost {
  const { params, macs } = dartsNetworkSize(genotype, macro);
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
