import * as tf from '@tensorflow/tfjs';
import { dense, heNormal, type Network, type NetworkParams } from './network';

/** Options of {@link createMlpNetwork}. */
export interface MlpNetworkOptions {
  /** Width of each hidden layer. */
  hidden: number;
  /** Number of hidden layers. */
  layers: number;
}

/** Fully connected ReLU network on a vector encoding (one-hot or path). */
export function createMlpNetwork(options: MlpNetworkOptions): Network {
  return {
    init(inputs, seed) {
      const params: NetworkParams = {};
      let fanIn = inputs[0]!.shape[1]!;
      for (let l = 0; l < options.layers; l++) {
        params[`w${l}`] = heNormal(fanIn, options.hidden, seed * 97 + l);
        params[`b${l}`] = tf.zeros([options.hidden]);
        fanIn = options.hidden;
      }
      params.wOut = heNormal(fanIn, 1, seed * 97 + options.layers).mul(0.5);
      params.bOut = tf.zeros([1]);
      return params;
    },
    forward(params, inputs) {
      let h = inputs[0]!;
      for (let l = 0; l < options.layers; l++) h = tf.relu(dense(h, params[`w${l}`]!, params[`b${l}`]!));
      return dense(h, params.wOut!, params.bOut!).reshape([-1]) as tf.Tensor1D;
    },
  };
}
