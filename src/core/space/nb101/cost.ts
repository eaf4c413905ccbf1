import { countNetwork, type NetworkSize } from '../network-layer';
import type { ArchitectureCost } from '../search-space';
import type { Nb101Arch } from './cell';
import { resolveNb101Macro, type Nb101Macro } from './macro';
import { describeNb101Network } from './network';

/**
 * Exact parameter and MAC counts of the NB101 network of a canonical cell (see `describeNb101Network` and
 * `countNetwork`); with the default macro, `params` is NAS-Bench-101's `trainable_parameters`.
 */
export function nb101NetworkSize(arch: Nb101Arch, macro?: Partial<Nb101Macro>): NetworkSize {
  return countNetwork(describeNb101Network(arch, resolveNb101Macro(macro)));
}

/**
 * Parameters and FLOPs of the NB101 network of a cell, in millions (see `nb101NetworkSize`; FLOPs are
 * multiply-accumulates). With the default macro the parameters equal NAS-Bench-101's `trainable_parameters`
 * (2,694,282 for NAS-Bench-101's Inception-like cell).
 */
export function nb101Cost(arch: Nb101Arch, macro?: Partial<Nb101Macro>): ArchitectureCost {
  const { params, macs } = nb101NetworkSize(arch, macro);
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
