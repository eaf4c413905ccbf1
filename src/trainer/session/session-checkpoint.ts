import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { ErrorCode, NashubError, parseWithSchema } from '../../core';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointTensor } from '../checkpoint/checkpoint-format';
import type { TrainableNetwork } from '../network/trainable-network';
import type { SgdOptimizer } from '../optimizer/sgd-optimizer';
import type { TrainingProtocol } from '../protocol/training-protocol';

/** What a checkpoint must match to be resumed: the same network, training settings and seed. */
export interface SessionIdentity {
  /** Search space of the architecture. */
  space: string;
  /** Canonical architecture text of that space. */
  arch: string;
  protocol: TrainingProtocol;
  seed: number;
}

/**
 * Which engine's tensors a checkpoint holds: tfjs (NHWC filters [k, k, in, out], any tfjs backend reads them) or
 * PyTorch (NCHW [out, in, k, k], its own batch-norm and momentum conventions). Neither reads the other's: a resumed job
 * whose checkpoint came from the other engine restarts from epoch 0, with this as the reason.
 */
export const CheckpointFramework = { TFJS: 'tfjs', PYTORCH: 'pytorch' } as const;

/** One of {@link CheckpointFramework}'s values. */
export type CheckpointFrameworkValue = (typeof CheckpointFramework)[keyof typeof CheckpointFramework];

/** The checkpoint's JSON metadata. */
interface SessionMeta extends Omit<SessionIdentity, 'space'> {
  /** Absent from checkpoints written before the PyTorch backend: those are tfjs's. */
  framework?: CheckpointFrameworkValue;
  /** Absent from checkpoints written before the trainer built other spaces than nb201. */
  space?: string;
  epochsDone: number;
  /** The backend that wrote it (informative: a checkpoint moves between the backends of its framework). */
  backend: string;
  /** The RNG state: each epoch's RNG is mulberry32 seeded with epochSeed(seed, epoch), so (seed, next epoch) is all of it. */
  rng: { algorithm: 'mulberry32/epochSeed'; seed: number; nextEpoch: number };
}

/**
 * What a checkpoint's metadata must hold before it is compared with the session. The protocol stays as stored
 * (`unknown`): it is compared as JSON text with the session's, so a reordered copy would not do.
 */
const sessionMetaSchema = z.looseObject({
  space: z.string().optional(),
  framework: z.enum([CheckpointFramework.TFJS, CheckpointFramework.PYTORCH]).optional(),
  arch: z.string(),
  protocol: z.custom<TrainingProtocol>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { error: 'must be an object' },
  ),
  seed: z.number().int(),
  epochsDone: z.number().int().min(0),
  backend: z.string(),
  rng: z.object({
    algorithm: z.literal('mulberry32/epochSeed'),
    seed: z.number().int(),
    nextEpoch: z.number().int().min(0),
  }),
});

const PARAM = 'param:';
const BUFFER = 'buffer:';
const SLOT = 'momentum:';
/** The space of a checkpoint whose metadata names none: it was written when only nb201 trained. */
const LEGACY_SPACE = 'nb201';

/** Options of {@link encodeSessionCheckpoint}. */
export interface EncodeSessionCheckpointOptions {
  identity: SessionIdentity;
  epochsDone: number;
  backend: string;
  network: TrainableNetwork;
  optimizer: SgdOptimizer;
}

/** Serialises a session's whole training state (see `checkpoint-format`). */
export async function encodeSessionCheckpoint(options: EncodeSessionCheckpointOptions): Promise<Uint8Array> {
  const { network, optimizer } = options;
  const groups: [string, Map<string, tf.Variable>][] = [
    [PARAM, network.parameters],
    [BUFFER, network.buffers],
    [SLOT, optimizer.slots],
  ];
  const tensors: CheckpointTensor[] = [];
  for (const [prefix, variables] of groups) {
    for (const [name, variable] of variables)
      tensors.push({ name: prefix + name, shape: variable.shape, values: (await variable.data()) as Float32Array });
  }
  return writeSessionCheckpoint({ ...options, framework: CheckpointFramework.TFJS, tensors });
}

/** Options of {@link writeSessionCheckpoint}. */
export interface WriteSessionCheckpointOptions {
  identity: SessionIdentity;
  epochsDone: number;
  /** The backend that wrote it (`wasm`, `pytorch`, …). */
  backend: string;
  framework: CheckpointFrameworkValue;
  /** The engine's state tensors, named as that engine names them. */
  tensors: CheckpointTensor[];
}

/** A checkpoint of any engine's tensors with the session's identity, epochs done and RNG state as metadata. */
export function writeSessionCheckpoint(options: WriteSessionCheckpointOptions): Uint8Array {
  const { identity, epochsDone } = options;
  const meta: SessionMeta = {
    ...identity,
    framework: options.framework,
    epochsDone,
    backend: options.backend,
    rng: { algorithm: 'mulberry32/epochSeed', seed: identity.seed, nextEpoch: epochsDone },
  };
  return encodeCheckpoint({ meta, tensors: options.tensors });
}

/** Options of {@link readSessionCheckpoint}. */
export interface ReadSessionCheckpointOptions {
  blob: Uint8Array;
  /** What the session was opened for; the checkpoint must match it. */
  identity: SessionIdentity;
  /** The engine of the session reading it. */
  framework: CheckpointFrameworkValue;
}

/**
 * Decodes a checkpoint and checks that it was written for this session (space, arch, seed, protocol, epochs) by the
 * same engine; CHECKPOINT_INVALID with the reason otherwise. Returns its epochs done and tensors.
 */
export function readSessionCheckpoint(options: ReadSessionCheckpointOptions): {
  epochsDone: number;
  backend: string;
  tensors: CheckpointTensor[];
} {
  const decoded = decodeCheckpoint<unknown>(options.blob);
  const meta: SessionMeta = parseWithSchema(sessionMetaSchema, decoded.meta, {
    code: ErrorCode.CHECKPOINT_INVALID,
    what: 'checkpoint metadata',
  });
  const fail = (reason: string, details: Record<string, unknown>): never => {
    throw new NashubError(ErrorCode.CHECKPOINT_INVALID, `checkpoint does not fit this session: ${reason}`, { details });
  };
  const { identity } = options;
  const framework = meta.framework ?? CheckpointFramework.TFJS;
  if (framework !== options.framework)
    fail(
      `written by the ${meta.backend} backend (${framework} tensors), which the ${options.framework} backends do not read`,
      { checkpoint: framework, backend: meta.backend, session: options.framework },
    );
  if ((meta.space ?? LEGACY_SPACE) !== identity.space)
    fail('another search space', { checkpoint: meta.space ?? LEGACY_SPACE, session: identity.space });
  if (meta.arch !== identity.arch) fail('another architecture', { checkpoint: meta.arch, session: identity.arch });
  if (meta.seed !== identity.seed) fail('another seed', { checkpoint: meta.seed, session: identity.seed });
  if (JSON.stringify(meta.protocol) !== JSON.stringify(identity.protocol))
    fail('another protocol or protocol settings', { checkpoint: meta.protocol?.name, session: identity.protocol.name });
  if (!Number.isInteger(meta.epochsDone) || meta.epochsDone < 0 || meta.epochsDone > identity.protocol.epochs)
    fail('impossible epochs done', { epochsDone: meta.epochsDone });
  return { epochsDone: meta.epochsDone, backend: meta.backend, tensors: decoded.tensors };
}

/** Options of {@link restoreSessionCheckpoint}. */
export interface RestoreSessionCheckpointOptions {
  blob: Uint8Array;
  /** What the session was opened for; the checkpoint must match it. */
  identity: SessionIdentity;
  network: TrainableNetwork;
  optimizer: SgdOptimizer;
}

/**
 * Loads a checkpoint into a freshly built network and optimiser and returns its epochs done. A blob that is corrupt,
 * written for another space, arch, protocol or seed or by the PyTorch backend, or whose tensors do not match the
 * network is CHECKPOINT_INVALID.
 */
export function restoreSessionCheckpoint(options: RestoreSessionCheckpointOptions): number {
  const { epochsDone, tensors } = readSessionCheckpoint({ ...options, framework: CheckpointFramework.TFJS });
  const fail = (reason: string, details: Record<string, unknown>): never => {
    throw new NashubError(ErrorCode.CHECKPOINT_INVALID, `checkpoint does not fit this session: ${reason}`, { details });
  };
  const targets = new Map<string, tf.Variable>();
  for (const [name, v] of options.network.parameters) targets.set(PARAM + name, v);
  for (const [name, v] of options.network.buffers) targets.set(BUFFER + name, v);
  for (const [name, v] of options.optimizer.slots) targets.set(SLOT + name, v);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  if (byName.size !== targets.size)
    fail(`${byName.size} tensors for ${targets.size} variables`, { tensors: byName.size, variables: targets.size });
  for (const [name, variable] of targets) {
    const saved = byName.get(name);
    if (saved === undefined || saved.shape.join('x') !== variable.shape.join('x'))
      fail(`tensor ${name} is missing or has another shape`, { tensor: name });
  }
  for (const [name, variable] of targets) {
    const saved = byName.get(name)!;
    tf.tidy(() => variable.assign(tf.tensor(saved.values, saved.shape)));
  }
  return epochsDone;
}
