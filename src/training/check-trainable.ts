import {
  ErrorCode,
  NashubError,
  TRAINABLE_SPACES,
  isNashubError,
  isTrainableSpace,
  nb101VertexChannels,
  type Nb101Arch,
} from '../core';
import type { DatasetRow, ProtocolRow } from '../store/catalog/catalog';

/** Refuses a space whose networks the trainer cannot build (checked before the architectures are parsed). */
export function checkTrainableSpace(space: string): void {
  if (!isTrainableSpace(space)) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `the trainer builds ${TRAINABLE_SPACES.join(', ')} networks, not ${space}`,
      {
        details: { argument: 'space', space, trainable: TRAINABLE_SPACES },
      },
    );
  }
}

/**
 * Refuses requests the trainer could not carry out, before anything is queued: a protocol
 * that is not a trainer protocol (its hyperparameters name no `dataset`, channels `C` and cells `N`, as the shipped
 * `fmnist-*` protocols do; imported benchmark protocols don't), or one written for another dataset. The trainer
 * validates the protocol fully when it claims the job and fails it for good if it does not parse.
 */
export function checkTrainable(dataset: DatasetRow, protocol: ProtocolRow): void {
  const hp = protocol.hyperparameters;
  if (typeof hp.dataset !== 'string' || typeof hp.C !== 'number' || typeof hp.N !== 'number') {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `protocol ${protocol.name} is not a trainer protocol (its hyperparameters name no dataset, C and N)`,
      {
        details: { argument: 'protocol', protocol: protocol.name },
      },
    );
  }
  if (hp.dataset !== dataset.name) {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `protocol ${protocol.name} trains on ${hp.dataset}, not ${dataset.name}`,
      {
        details: { argument: 'dataset', protocol: protocol.name, protocolDataset: hp.dataset, dataset: dataset.name },
      },
    );
  }
}

/**
 * Refuses, before anything is queued, an architecture whose network the protocol's channels cannot hold: an nb101 cell
 * whose output concatenates more vertices than the first stack's `C` channels can be split among (the trainer would
 * fail the job for good). `index` is the architecture's place in `archs`.
 */
export function checkNetworkFits(space: string, arch: unknown, protocol: ProtocolRow, index: number): void {
  if (space !== 'nb101') return;
  const C = protocol.hyperparameters.C as number;
  try {
    // The first stack has the fewest channels: C in, C out; later stacks double both.
    nb101VertexChannels(C, C, (arch as Nb101Arch).matrix);
  } catch (error) {
    if (!isNashubError(error)) throw error;
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `archs[${index}]: protocol ${protocol.name} (C=${C}) is too narrow for this cell: ${error.message}`,
      {
        details: { ...error.details, argument: 'archs', index, protocol: protocol.name },
        cause: error,
      },
    );
  }
}
