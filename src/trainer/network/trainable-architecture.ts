import {
  ErrorCode,
  NashubError,
  TRAINABLE_SPACES,
  isTrainableSpace,
  nb101Space,
  nb201Space,
  type TrainableSpace,
} from '../../core';
import { Nb101Network } from './nb101-network';
import { Nb201Network } from './nb201-network';
import type { TrainableNetwork } from './trainable-network';

/** Options of {@link TrainableArchitecture.build}: a protocol's network size and the dataset's images. */
export interface BuildNetworkOptions {
  /** The protocol's `C`: NB201's first-stage channels, NB101's stem channels. */
  C: number;
  /** The protocol's `N`: NB201's cells per stage, NB101's cells per stack. */
  N: number;
  /** Classifier outputs. */
  numClasses: number;
  /** Channels of the input images. */
  inputChannels: number;
  /** Height = width of the input images, in pixels. */
  inputSize: number;
  /** Seed of the weight initialisation. */
  seed: number;
}

/** An architecture parsed for training: its canonical text and how to build its network. */
export interface TrainableArchitecture {
  /** The search space. */
  space: string;
  /** Canonical text, `space.format(space.parse(text))`, as the store keeps it in `architecture.arch`. */
  arch: string;
  /** Builds the architecture's network, initialised from the seed. */
  build(options: BuildNetworkOptions): TrainableNetwork;
}

/** Stacks of an NB101 network built from a protocol: NAS-Bench-101's 3, with `C` stem channels and `N` cells per stack. */
export const NB101_TRAINER_STACKS = 3;

/**
 * How each trainable space parses an architecture and maps a protocol's C and N onto its macro. Parsing goes through
 * the core space the store canonicalises with, so a run lands on the architecture row that was requested.
 */
const PARSERS: { readonly [K in TrainableSpace]: (text: string) => TrainableArchitecture } = {
  nb201: (text) => {
    const arch = nb201Space.parse(text);
    return {
      space: nb201Space.name,
      arch: nb201Space.format(arch),
      build: ({ C, N, numClasses, inputChannels, inputSize, seed }) =>
        new Nb201Network({ arch, macro: { C, N, numClasses, inputChannels, inputSize }, seed }),
    };
  },
  nb101: (text) => {
    const arch = nb101Space.parse(text);
    return {
      space: nb101Space.name,
      arch: nb101Space.format(arch),
      build: ({ C, N, numClasses, inputChannels, inputSize, seed }) =>
        new Nb101Network({
          arch,
          macro: {
            stemChannels: C,
            stacks: NB101_TRAINER_STACKS,
            cellsPerStack: N,
            numClasses,
            inputChannels,
            inputSize,
          },
          seed,
        }),
    };
  },
};

/**
 * Parses architecture text of a space the trainer builds networks for. INVALID_ARGUMENT for any other space (darts,
 * an unknown name), INVALID_ARCHITECTURE for text the space refuses.
 */
export function parseTrainableArchitecture(space: string, text: string): TrainableArchitecture {
  if (!isTrainableSpace(space)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `the trainer builds ${TRAINABLE_SPACES.join(', ')} networks, not ${space}`,
      {
        details: { argument: 'space', space, trainable: TRAINABLE_SPACES },
      },
    );
  }
  return PARSERS[space](text);
}
