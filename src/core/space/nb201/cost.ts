import { countNetwork } from '../network-layer';
import type { ArchitectureCost } from '../search-space';
import type { Nb201Arch } from './cell';
import { resolveNb201Macro, type Nb201Macro } from './macro';
import { describeNb201Network } from './network';

/**
 * Parameters and FLOPs of the NB201 network of a cell (see `describeNb201Network`), in millions, counted by
 * `countNetwork` (FLOPs are its multiply-accumulates). With the default macro the parameters equal NAS-Bench-201's
 * `params` for CIFAR-10.
 */
export function nb201Cost(arch: Nb201Arch, macro?: Partial<Nb201Macro>): ArchitectureCost {
  const { params, macs } = countNetwork(describeNb201Network(arch, resolveNb201Macro(macro)));
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
