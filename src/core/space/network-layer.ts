/**
 * A 2-D convolution without bias, square kernel. Padding is not listed: each space's `describeXNetwork` states it,
 * and `outputSize` is its result.
 */
export interface ConvLayer {
  kind: 'conv';
  /** Dotted path of the layer in the network, e.g. `stage1.cell0.edge[2<-1].conv`. */
  name: string;
  inChannels: number;
  outChannels: number;
  /** Height = width of the kernel. */
  kernel: number;
  stride: number;
  /** Spacing between kernel taps; 1 for an ordinary conv. */
  dilation: number;
  /** 1 for a dense conv; `inChannels` for a depthwise conv. */
  groups: number;
  /** Height = width of the output feature map. */
  outputSize: number;
}

/** Batch normalisation with learnable scale and shift (affine); its running statistics are not parameters. */
export interface BatchNormLayer {
  kind: 'batch-norm';
  /** Dotted path of the layer in the network. */
  name: string;
  channels: number;
}

/** Fully connected layer with bias. */
export interface LinearLayer {
  kind: 'linear';
  /** Dotted path of the layer in the network. */
  name: string;
  inFeatures: number;
  outFeatures: number;
}

/** One parametrised layer of a search space's network; parameter-free layers (ReLU, pooling, sums) are not listed. */
export type NetworkLayer = ConvLayer | BatchNormLayer | LinearLayer;

/** Exact size of a network: parameter count and multiply-accumulates. */
export interface NetworkSize {
  /** Trainable parameters (PyTorch `numel`, TF `trainable_variables`). */
  params: number;
  /** Multiply-accumulates of one forward pass of one image. */
  macs: number;
}

/**
 * Parameters and multiply-accumulates of a list of layers.
 * Parameters: conv weights `Cout·(Cin/groups)·k²` (no bias), BN scale + shift (`2·channels`), linear weights + bias
 * (`in·out + out`). MACs: conv `weights·Hout·Wout`, linear `in·out`; BN, biases and parameter-free layers are not
 * counted.
 */
export function countNetwork(layers: Iterable<NetworkLayer>): NetworkSize {
  let params = 0;
  let macs = 0;
  for (const layer of layers) {
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
