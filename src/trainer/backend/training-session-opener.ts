import { openPytorchSession } from '../pytorch/pytorch-session';
import {
  openTrainingSession,
  type OpenTrainingSessionOptions,
  type TrainingSession,
} from '../session/training-session';
import { TrainingBackend, type TrainingBackendChoice } from './select-training-backend';

/** Opens a training session on a chosen backend. */
export type TrainingSessionOpener = (options: OpenTrainingSessionOptions) => Promise<TrainingSession>;

/**
 * How sessions open on a backend: in a PyTorch process of their own for `pytorch` (one per session, so concurrent
 * jobs train in parallel processes), on the process's active tfjs backend otherwise.
 */
export function trainingSessionOpener(choice: Pick<TrainingBackendChoice, 'backend' | 'torch'>): TrainingSessionOpener {
  const { torch } = choice;
  if (choice.backend !== TrainingBackend.PYTORCH || torch === undefined) return openTrainingSession;
  return (options) => openPytorchSession({ ...options, ...torch });
}
