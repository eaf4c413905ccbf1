import * as tf from '@tensorflow/tfjs';
import { dense, heNormal, type Network, type NetworkParams } from './network';

/** Options of {@link createGnnNetwork}. */
export interface GnnNetworkOptions {
  /** Width of node embeddings. */
  hidden: number;
  /** Number of message-passing layers. */
  layers: number;
}

/**
 * Graph network on the op-as-node adjacency encoding. Each layer mixes a node's own embedding with the sums over its
 * predecessors (Aᵀ·H) and successors (A·H), through separate weights, as dense batched matmuls: tfjs wasm has no
 * UnsortedSegmentSum, and cells have at most 11 nodes. The graph readout is the output node's embedding.
 */
export function createGnnNetwork(options: GnnNetworkOptions): Network {
  return {
    init(inputs, seed) {
      const h = options.hidden;
      const params: NetworkParams = {
        wIn: heNormal(inputs[0]!.shape[2]!, h, seed * 97),
        bIn: tf.zeros([h]),
      };
      for (let l = 0; l < options.layers; l++) {
        params[`wSelf${l}`] = heNormal(h, h, seed * 97 + 3 * l + 1);
        params[`wPred${l}`] = heNormal(h, h, seed * 97 + 3 * l + 2);
        params[`wSucc${l}`] = heNormal(h, h, seed * 97 + 3 * l + 3);
        params[`b${l}`] = tf.zeros([h]);
      }
      params.wHead = heNormal(h, h, seed * 97 + 3 * options.layers + 1);
      params.bHead = tf.zeros([h]);
      params.wOut = heNormal(h, 1, seed * 97 + 3 * options.layers + 2).mul(0.5);
      params.bOut = tf.zeros([1]);
      return params;
    },
    forward(params, inputs) {
      const [features, adjacency, readout] = inputs as [tf.Tensor3D, tf.Tensor3D, tf.Tensor2D];
      let h = tf.relu(dense(features, params.wIn!, params.bIn!)) as tf.Tensor3D;
      for (let l = 0; l < options.layers; l++) {
        const fromPred = tf.matMul(adjacency, h, true, false);
        const fromSucc = tf.matMul(adjacency, h);
        const mixed = tf.addN([
          dense(h, params[`wSelf${l}`]!, params[`b${l}`]!),
          dense(fromPred, params[`wPred${l}`]!, tf.zeros([1])),
          dense(fromSucc, params[`wSucc${l}`]!, tf.zeros([1])),
        ]);
        h = tf.add(h, tf.relu(mixed)) as tf.Tensor3D;
      }
      const pooled = tf.matMul(readout.expandDims(1) as tf.Tensor3D, h).reshape([-1, options.hidden]);
      const head = tf.relu(dense(pooled, params.wHead!, params.bHead!));
      return dense(head, params.wOut!, params.bOut!).reshape([-1]) as tf.Tensor1D;
    },
  };
}
