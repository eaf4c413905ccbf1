import type { ArchitectureCost } from '../search-space';
import type { Nb101Arch } from './cell';
import { resolveNb101Macro, type Nb101Macro } from './macro';
import { describeNb101Network } from './network';

/** Exact size of the NB101 network of a cell: parameter count and multiply-accumulates. */
export interface Nb101NetworkSize {
  /** Trainable parameters; with the default macro, NAS-Bench-101's `trainable_parameters`. */
  params: number;
  /** Multiply-accumulates of one forward pass of one image (see `nb101Cost`). */
  macs: number;
}

/** Exact parameter and MAC counts of the NB101 network of a canonical cell (see `describeNb101Network`). */
export function nb101NetworkSize(arch: Nb101Arch, macro?: Partial<Nb101Macro>): Nb101NetworkSize {
  let params = 0;
  let macs = 0;
  for (const layer of describeNb101Network(arch, resolveNb101Macro(macro))) {
    if (layer.kind === 'conv') {
      const weights = layer.outChannels * layer.inChannels * layer.kernel * layer.kernel;
      params += weights;
      macs += weights * layer.size * layer.size;
    } else if (layer.kind === 'batch-norm') {
      params += 2 * layer.channels;
    } else {
      params += layer.inFeatures * layer.outFeatures + layer.outFeatures;
      macs += layer.inFeatures * layer.outFeatures;
    }
  }
  return { params, macs };
}

/**
 * Parameters and FLOPs of the NB101 network of a cell, in millions.
 * Parameters: conv weights (no bias), BN gamma + beta (moving statistics are not trainable), linear weights + bias;
 * with the default macro they equal NAS-Bench-101's `trainable_parameters` (2,694,282 for the README's
 * Inception-like cell). FLOPs are multiply-accumulates of one forward pass of one image: conv
 * `Cout·Cin·k²·H·W`, linear `in·out`; BN, ReLU, pooling, truncation, sums and biases are not counted.
 */
export function nb101Cost(arch: Nb101Arch, macro?: Partial<Nb101Macro>): ArchitectureCost {
  const { params, macs } = nb101NetworkSize(arch, macro);
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
