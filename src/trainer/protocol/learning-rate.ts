import { LearningRateSchedule, type TrainingProtocol } from './training-protocol';

/**
 * Learning rate of a (0-based) epoch: constant, or cosine annealing per epoch from `learningRate` at epoch 0 towards
 * `minLearningRate` after the last one (PyTorch CosineAnnealingLR with T_max = epochs, stepped once per epoch).
 */
export function learningRateAt(
  protocol: Pick<TrainingProtocol, 'learningRate' | 'minLearningRate' | 'lrSchedule' | 'epochs'>,
  epoch: number,
): number {
  if (protocol.lrSchedule === LearningRateSchedule.CONSTANT) return protocol.learningRate;
  const { learningRate: max, minLearningRate: min } = protocol;
  return min + ((max - min) * (1 + Math.cos((Math.PI * epoch) / protocol.epochs))) / 2;
}
