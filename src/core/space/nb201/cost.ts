import type { ArchitectureCost } from '../search-space';
import type { Nb201Arch } from './cell';
import { resolveNb201Macro, type Nb201Macro } from './macro';
import { describeNb201Network } from './network';

/**
 * Parameters and FLOPs of the NB201 network of a cell (see `describeNb201Network`), in millions.
 * Parameters: conv weights (no bias), BN scale + shift (running statistics are not parameters), linear weights + bias;
 * with the default macro they equal NAS-Bench-201's `params` for CIFAR-10.
 * FLOPs are multiply-accumulates of one forward pass of one image: conv `Cout·Cin·k²·Hout·Wout`, linear
 * `in·out`; BN, ReLU, pooling, sums and biases are not counted.
 */
export function nb201Cost(arch: Nb201Arch, macro?: Partial<Nb201Macro>): ArchitectureCost {
  let params = 0;
  let macs = 0;
  for (const layer of describeNb201Network(arch, resolveNb201Macro(macro))) {
    if (layer.kind === 'conv') {
      const weights = layer.outChannels * layer.inChannels * layer.kernel * layer.kernel;
      params += weights;
      macs += weights * layer.outputSize * layer.outputSize;
    } else if (layer.kind === 'batch-norm') {
      params += 2 * layer.channels;
    } else {
      params += layer.inFeatures * layer.outFeatures + layer.outFeatures;
      macs += layer.inFeatures * layer.outFeatures;
    }
  }
  return { paramsM: params / 1e6, flopsM: macs / 1e6 };
}
