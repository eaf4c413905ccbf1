import { describe, expect, it } from 'vitest';
import { countNetwork, type NetworkLayer } from './network-layer';

const conv = { kind: 'conv', stride: 1, dilation: 1 } as const;

describe('countNetwork', () => {
  it('counts dense and depthwise conv weights (no bias) and their MACs over the output map', () => {
    const layers: NetworkLayer[] = [
      { ...conv, name: 'dense', inChannels: 3, outChannels: 8, kernel: 3, groups: 1, outputSize: 4 },
      { ...conv, name: 'dw', inChannels: 8, outChannels: 8, kernel: 5, groups: 8, outputSize: 2 },
    ];
    expect(countNetwork(layers)).toEqual({ params: 8 * 3 * 9 + 8 * 25, macs: 8 * 3 * 9 * 16 + 8 * 25 * 4 });
  });

  it('counts BN scale + shift and linear weights + bias, with no BN MACs', () => {
    const layers: NetworkLayer[] = [
      { kind: 'batch-norm', name: 'bn', channels: 16 },
      { kind: 'linear', name: 'fc', inFeatures: 16, outFeatures: 10 },
    ];
    expect(countNetwork(layers)).toEqual({ params: 32 + 160 + 10, macs: 160 });
  });

  it('is zero for no layers', () => {
    expect(countNetwork([])).toEqual({ params: 0, macs: 0 });
  });
});
