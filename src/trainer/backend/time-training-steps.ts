import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { createRng, type Nb201Arch, type Nb201Macro } from '../../core';
import { Nb201Network } from '../network/nb201-network';
import { SgdOptimizer } from '../optimizer/sgd-optimizer';
import { trainStep } from '../session/train-step';

/** Options of {@link trainingStepper}. */
export interface TrainingStepperOptions {
  arch: Nb201Arch;
  macro: Nb201Macro;
  /** Images per step. */
  batch: number;
}

/** A network, its optimiser and a random batch on the active tfjs backend, one training step on them; `dispose` frees all. */
export function trainingStepper(options: TrainingStepperOptions): { step: () => Promise<void>; dispose: () => void } {
  const { macro, batch } = options;
  const network = new Nb201Network({ arch: options.arch, macro, seed: 0 });
  const optimizer = new SgdOptimizer({
    parameters: network.parameters,
    momentum: 0.9,
    nesterov: true,
    weightDecay: 5e-4,
  });
  const rng = createRng(1);
  const shape: [number, number, number, number] = [batch, macro.inputSize, macro.inputSize, macro.inputChannels];
  const x = tf.tensor4d(
    Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.next() * 2 - 1),
    shape,
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: batch }, () => rng.int(macro.numClasses)),
    'int32',
  );
  return {
    step: async () => {
      const totals = trainStep({ network, optimizer, x, labels, classes: macro.numClasses, learningRate: 0.01 });
      await totals.data();
      totals.dispose();
    },
    dispose: () => {
      tf.dispose([x, labels]);
      optimizer.dispose();
      network.dispose();
    },
  };
}

/** Milliseconds per training step (forward, backward, SGD update) on the active tfjs backend, warm-up excluded. */
export async function timeTrainingSteps(
  options: TrainingStepperOptions & { steps: number; warmup: number },
): Promise<number> {
  const { step, dispose } = trainingStepper(options);
  try {
    for (let i = 0; i < options.warmup; i++) await step();
    const start = performance.now();
    for (let i = 0; i < options.steps; i++) await step();
    return (performance.now() - start) / options.steps;
  } finally {
    dispose();
  }
}
