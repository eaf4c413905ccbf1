import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../core';
import { encodeCheckpoint } from '../checkpoint/checkpoint-format';
import type { TrainableNetwork } from '../network/trainable-network';
import type { SgdOptimizer } from '../optimizer/sgd-optimizer';
import { parseTrainingProtocol } from '../protocol/parse-training-protocol';
import { FMNIST_C8N1_E12 } from '../protocol/shipped-protocols';
import { restoreSessionCheckpoint, type SessionIdentity } from './session-checkpoint';

const identity: SessionIdentity = {
  space: 'nb201',
  arch: 'a',
  protocol: parseTrainingProtocol(FMNIST_C8N1_E12),
  seed: 3,
};
const meta = {
  ...identity,
  epochsDone: 2,
  backend: 'cpu',
  rng: { algorithm: 'mulberry32/epochSeed', seed: 3, nextEpoch: 2 },
};
// A network and optimiser without variables: the metadata is checked before any tensor is matched.
const network = { parameters: new Map(), buffers: new Map() } as unknown as TrainableNetwork;
const optimizer = { slots: new Map() } as unknown as SgdOptimizer;

function restore(metadata: unknown): unknown {
  try {
    return restoreSessionCheckpoint({
      blob: encodeCheckpoint({ meta: metadata, tensors: [] }),
      identity,
      network,
      optimizer,
    });
  } catch (error) {
    return error;
  }
}

describe('session checkpoint metadata schema', () => {
  it('accepts what the session writes, and a checkpoint from before spaces were named', () => {
    expect(restore(meta)).toBe(2);
    expect(restore({ ...meta, space: undefined })).toBe(2);
  });

  it.each([
    ['metadata that is a list', [meta], ''],
    ['an architecture that is a number', { ...meta, arch: 1 }, 'arch'],
    ['no protocol', { ...meta, protocol: undefined }, 'protocol'],
    ['a seed as text', { ...meta, seed: '3' }, 'seed'],
    ['negative epochs done', { ...meta, epochsDone: -1 }, 'epochsDone'],
    ['no backend', { ...meta, backend: undefined }, 'backend'],
    ['another RNG', { ...meta, rng: { ...meta.rng, algorithm: 'xorshift' } }, 'rng.algorithm'],
  ])('refuses %s with CHECKPOINT_INVALID naming the field', (_, metadata, field) => {
    expect(restore(metadata)).toMatchObject({ code: ErrorCode.CHECKPOINT_INVALID, details: { field } });
  });

  it('still refuses a checkpoint of other protocol settings', () => {
    const protocol = { ...identity.protocol, batchSize: identity.protocol.batchSize + 1 };
    expect(restore({ ...meta, protocol })).toMatchObject({ code: ErrorCode.CHECKPOINT_INVALID });
  });
});
