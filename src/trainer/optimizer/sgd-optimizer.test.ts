import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectTrainingBackend } from '../backend/select-training-backend';
import { SgdOptimizer } from './sgd-optimizer';

describe('SgdOptimizer', () => {
  it('follows torch.optim.SGD(momentum, nesterov, weight_decay) step for step', async () => {
    await selectTrainingBackend('cpu');
    const w = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new SgdOptimizer({
      parameters: new Map([['w', w]]),
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0.1,
    });
    // The same steps by hand, as PyTorch computes them.
    let weights = [1, -2];
    let buffer = [0, 0];
    for (const [grad, lr] of [
      [[0.5, 1], 0.1],
      [[-1, 2], 0.05],
      [[0.25, 0.25], 0.01],
    ] as [number[], number][]) {
      optimizer.step(new Map([['w', tf.tensor1d(grad)]]), lr);
      const g = grad.map((value, i) => value + 0.1 * weights[i]);
      buffer = buffer.map((b, i) => 0.9 * b + g[i]);
      weights = weights.map((value, i) => value - lr * (g[i] + 0.9 * buffer[i]));
      const actual = await w.data();
      weights.forEach((value, i) => expect(actual[i]).toBeCloseTo(value, 6));
    }
    expect([...(await optimizer.slots.get('w')!.data())].map((v) => Number(v.toFixed(6)))).toEqual(
      buffer.map((v) => Number(v.toFixed(6))),
    );
    optimizer.dispose();
    w.dispose();
  });
});
