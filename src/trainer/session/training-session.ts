import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError, createRng } from '../../core';
import { loadDataset } from '../data/load-dataset';
import { parseTrainableArchitecture } from '../network/trainable-architecture';
import { SgdOptimizer } from '../optimizer/sgd-optimizer';
import { learningRateAt } from '../protocol/learning-rate';
import type { TrainingProtocol } from '../protocol/training-protocol';
import { describeDevice } from '../backend/describe-device';
import { epochSeed } from './epoch-seed';
import { splitDataset } from './split-dataset';
import type { EpochMetrics } from './epoch-metrics';
import { evaluateNetwork } from './evaluate-network';
import { encodeSessionCheckpoint, restoreSessionCheckpoint } from './session-checkpoint';
import { trainEpoch } from './train-epoch';

/** Options of {@link openTrainingSession}. */
export interface OpenTrainingSessionOptions {
  /** Search space of the architecture: one the trainer builds networks for (`nb201`, `nb101`). */
  space: string;
  /** Architecture text of that space, e.g. NB201's `|nor_conv_3x3~0|+|...|` or NB101's `{"matrix":…,"ops":…}`. */
  arch: string;
  /** How to train. */
  protocol: TrainingProtocol;
  /** Seed of the weights, the shuffles and the augmentation (the run's seed). */
  seed: number;
  /** Where datasets are: a dataset's own folder or a folder holding it (`--datasets`, `NASHUB_DATASETS`). */
  datasetsDir: string;
  /** A checkpoint from {@link TrainingSession.checkpoint} of the same space, arch, protocol and seed, to continue from. */
  resumeFrom?: Uint8Array;
}

/** One architecture being trained under one protocol, epoch by epoch, on the active tfjs backend. */
export interface TrainingSession {
  /** Epochs finished so far (including those of the checkpoint it resumed from). */
  readonly epochsDone: number;
  /** The protocol's epochs. */
  readonly totalEpochs: number;
  /** The tfjs backend it trains on (`wasm`, `webgpu`, …). */
  readonly backend: string;
  /** The hardware, e.g. `cpu (2 cores; wasm SIMD, 1 thread)`. */
  readonly device: string;
  /** Trainable parameters of the network (core's `cost(arch).params` × 1e6). */
  readonly parameterCount: number;
  /** Trains the next epoch (at its cosine learning rate), then evaluates on the validation and test sets. */
  runEpoch(): Promise<EpochMetrics>;
  /** Weights, batch-norm statistics, momentum slots, RNG state and epochs done, as one self-describing blob. */
  checkpoint(): Promise<Uint8Array>;
  /** Frees the network's and optimiser's tensors. */
  dispose(): void;
}

/** Images per forward pass when evaluating (eval mode needs no gradients, so larger batches are cheap). */
const EVAL_BATCH = 500;

/**
 * Loads the protocol's dataset, draws its splits, builds the architecture's network and optimiser, and restores a
 * checkpoint when given one. The protocol's C and N size the network as `parseTrainableArchitecture` maps them (NB201:
 * first-stage channels and cells per stage; NB101: stem channels and cells per stack, 3 stacks). Training runs on
 * whatever tfjs backend is active (see `selectTrainingBackend`). Errors: INVALID_ARCHITECTURE, DATASET_MISSING,
 * FILE_INVALID, INVALID_ARGUMENT (a space the trainer does not build, subset sizes, an NB101 C smaller than a cell's
 * output fan-in), CHECKPOINT_INVALID.
 */
export async function openTrainingSession(options: OpenTrainingSessionOptions): Promise<TrainingSession> {
  const { protocol, seed } = options;
  const architecture = parseTrainableArchitecture(options.space, options.arch);
  const canonicalArch = architecture.arch;
  const dataset = await loadDataset(protocol.dataset, options.datasetsDir);
  const { trainIndices, validIndices, testIndices } = splitDataset(protocol, dataset);

  const network = architecture.build({
    C: protocol.C,
    N: protocol.N,
    numClasses: dataset.classes,
    inputChannels: dataset.channels,
    inputSize: dataset.height,
    seed,
  });
  const optimizer = new SgdOptimizer({
    parameters: network.parameters,
    momentum: protocol.momentum,
    nesterov: protocol.nesterov,
    weightDecay: protocol.weightDecay,
  });
  const identity = { space: architecture.space, arch: canonicalArch, protocol, seed };
  let epochsDone = 0;
  if (options.resumeFrom !== undefined) {
    try {
      epochsDone = restoreSessionCheckpoint({ blob: options.resumeFrom, identity, network, optimizer });
    } catch (error) {
      network.dispose();
      optimizer.dispose();
      throw error;
    }
  }
  const backend = tf.getBackend();
  const device = await describeDevice(backend);
  let disposed = false;

  return {
    get epochsDone() {
      return epochsDone;
    },
    totalEpochs: protocol.epochs,
    backend,
    device,
    parameterCount: network.parameterCount(),
    async runEpoch(): Promise<EpochMetrics> {
      if (disposed)
        throw new NashubError(ErrorCode.INVALID_ARGUMENT, 'the training session was disposed', {
          details: { arch: canonicalArch },
        });
      if (epochsDone >= protocol.epochs) {
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          `all ${protocol.epochs} epochs of ${protocol.name} are done`,
          { details: { epochsDone, epochs: protocol.epochs } },
        );
      }
      const started = performance.now();
      const learningRate = learningRateAt(protocol, epochsDone);
      const train = await runOnBackend(backend, protocol, () =>
        trainEpoch({
          network,
          optimizer,
          dataset,
          indices: trainIndices,
          batchSize: protocol.batchSize,
          learningRate,
          augmentation: protocol.augmentation,
          rng: createRng(epochSeed(seed, epochsDone)),
        }),
      );
      const evalBatch = Math.max(EVAL_BATCH, protocol.batchSize);
      const valid = await runOnBackend(backend, protocol, () =>
        evaluateNetwork({ network, dataset, set: dataset.train, indices: validIndices, batchSize: evalBatch }),
      );
      const test = await runOnBackend(backend, protocol, () =>
        evaluateNetwork({ network, dataset, set: dataset.test, indices: testIndices, batchSize: evalBatch }),
      );
      epochsDone++;
      return {
        epoch: epochsDone,
        trainLoss: train.loss,
        trainAcc: train.acc,
        validLoss: valid.loss,
        validAcc: valid.acc,
        testLoss: test.loss,
        testAcc: test.acc,
        learningRate,
        seconds: (performance.now() - started) / 1000,
      };
    },
    async checkpoint(): Promise<Uint8Array> {
      return encodeSessionCheckpoint({ identity, epochsDone, backend, network, optimizer });
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      network.dispose();
      optimizer.dispose();
    },
  };
}

/**
 * Runs tfjs work, turning a WebAssembly abort (the wasm heap is capped at 4 GB; the fmnist-c16n5 network needs
 * about 2.5 GB at batch 128 and twice that at 256) into LIMIT_EXCEEDED. After such an abort the wasm backend is
 * unusable in this process, which the error says, so that a worker can exit and be restarted.
 */
async function runOnBackend<T>(backend: string, protocol: TrainingProtocol, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // WebAssembly.RuntimeError (lib.dom types are not in this build, so by name).
    if (!(error instanceof Error) || error.name !== 'RuntimeError') throw error;
    throw new NashubError(
      ErrorCode.LIMIT_EXCEEDED,
      `the ${backend} backend aborted (${error.message}), most likely out of its 4 GB heap: lower ${protocol.name}'s batchSize or train on webgpu/tensorflow; restart the process before using ${backend} again`,
      {
        details: {
          backend,
          protocol: protocol.name,
          batchSize: protocol.batchSize,
          C: protocol.C,
          N: protocol.N,
          isBackendBroken: true,
        },
        cause: error,
      },
    );
  }
}
