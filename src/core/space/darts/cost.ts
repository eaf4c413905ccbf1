import type { ArchitectureCost } from '../search-space';
import type { DartsGenotype } from './genotype';
import { resolveDartsMacro, type DartsMacro } from './macro';
import { describeDartsNetwork } from './network';

/** Exact size of the DARTS evaluation network of a genotype: parameter count and multiply-accumulates. */
export interface DartsNetworkSize {
  /** Parameters (PyTorch `numel` of every parameter; with the default macro, DARTS's `param size` × 10⁶). */
  params: number;
  /** Multiply-accumulates of one forward pass of one image (see `dartsCost`). */
  macs: number;
}

/** Exact parameter and MAC counts of the DARTS evaluation network of a genotype (see `describeDartsNetwork`). */
export function dartsNetworkSize(genotype: DartsGenotype, macro?: Partial<DartsMacro>): DartsNetworkSize {
  let params = 0;
  let macs = 0;
  for (const layer of describeDartsNetwork(genotype, resolveDartsMacro(macro))) {
    if (layer.kind === 'conv') {
      const weights = layer.outChannels * (layer.inChannels / layer.groups) * layer.kernel * layer.kernel;
      params += weights;
      macs += weights * layer.outputSize * layer.outputSize;
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
 * Parameters and FLOPs of the DARTS CIFAR evaluation network of a genotype, in millions.
 * Parameters: conv weights (no bias), BN weight + bias, linear weights + bias; the auxiliary head only with
 * `macro.auxiliary` (DARTS reports sizes without it: 3.3M for DARTS-V2). FLOPs are multiply-accumulates of one
 * forward pass of one image: conv `Cout·(Cin/groups)·k²·Hout·Wout`, linear `in·out`; BN, ReLU, pooling, sums
 * and biases are not counted.
 */
export function dartsCost(genotype: DartsGenotype, macro?: Partial<DartsMacro>): ArchitectureCost {
  const { params, macs } = dartsNetworkSize(genotype, macro);
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
