/**
 * The spaces whose networks nashub's trainer builds (NB201 and NB101 macro skeletons; DARTS has no trainer network).
 * The one list: the trainer keys its network builders by it, and training requests and training-mode searches check
 * against it before anything is queued.
 */
export const TRAINABLE_SPACES = ['nb201', 'nb101'] as const;

/** One of {@link TRAINABLE_SPACES}. */
export type TrainableSpace = (typeof TRAINABLE_SPACES)[number];

/** True for a space the trainer builds networks for. */
export function isTrainableSpace(space: string): space is TrainableSpace {
  return (TRAINABLE_SPACES as readonly string[]).includes(space);
}
