import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, NashubError, createRng, isNashubError } from '../../core';
import type { CheckpointTensor } from '../checkpoint/checkpoint-format';
import { loadDataset } from '../data/load-dataset';
import { learningRateAt } from '../protocol/learning-rate';
import type { EpochMetrics } from '../session/epoch-metrics';
import { epochSeed } from '../session/epoch-seed';
import { CheckpointFramework, readSessionCheckpoint, writeSessionCheckpoint } from '../session/session-checkpoint';
import { splitDataset } from '../session/split-dataset';
import type { OpenTrainingSessionOptions, TrainingSession } from '../session/training-session';
import { planEpoch } from './epoch-plan';
import type { TorchRuntime } from './find-torch';
import { initialWeights } from './initial-weights';
import { readTensorFile, writeTensorFile, type TensorEntry } from './tensor-file';
import { describeTorchNetwork } from './torch-network-spec';
import { compactSet } from './compact-set';
import { TorchProcess, describeTorchDevice, type TorchHello } from './torch-process';

/** The backend name PyTorch sessions report (job rows, run hardware, checkpoints). */
export const PYTORCH_BACKEND = 'pytorch';

/** Options of {@link openPytorchSession}: a session's, plus the interpreter and its settings. */
export interface OpenPytorchSessionOptions extends OpenTrainingSessionOptions {
  runtime: TorchRuntime;
  /** torch threads on CPU (fixed per session: the same seed then gives the same curve). */
  threads: number;
  /** `cuda`, `cpu`, or `auto` (CUDA when available). */
  device?: 'auto' | 'cuda' | 'cpu';
}

/** Images per forward pass when evaluating, as the tfjs session. */
const EVAL_BATCH = 500;

/**
 * A {@link TrainingSession} whose network trains in a PyTorch process (torch_session.py). This side keeps every random
 * draw, so a run is the tfjs run of the same seed, up to floating point: the protocol's split, the initial weights
 * (`initialWeights`), each epoch's batch order and augmentations (`planEpoch`); PyTorch computes with the same SGD
 * (Nesterov, weight decay on every parameter), the same cosine rate per epoch and the same batch norm. Errors: those
 * of openTrainingSession, and BACKEND_UNAVAILABLE when the process cannot start, refuses a request or dies.
 */
export async function openPytorchSession(options: OpenPytorchSessionOptions): Promise<TrainingSession> {
  const { protocol, seed } = options;
  const dataset = await loadDataset(protocol.dataset, options.datasetsDir);
  const spec = describeTorchNetwork({
    space: options.space,
    arch: options.arch,
    C: protocol.C,
    N: protocol.N,
    numClasses: dataset.classes,
    inputChannels: dataset.channels,
    inputSize: dataset.height,
  });
  const identity = { space: options.space, arch: spec.arch, protocol, seed };
  const resumed =
    options.resumeFrom === undefined
      ? undefined
      : readSessionCheckpoint({ blob: options.resumeFrom, identity, framework: CheckpointFramework.PYTORCH });
  const { trainIndices, validIndices, testIndices } = splitDataset(protocol, dataset);

  const dir = mkdtempSync(join(tmpdir(), 'nashub-torch-'));
  const file = (name: string, data: ArrayBufferView): string => {
    const path = join(dir, name);
    writeFileSync(path, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return path;
  };
  let torch: TorchProcess | undefined;
  try {
    const started = await TorchProcess.start({
      runtime: options.runtime,
      threads: options.threads,
      device: options.device ?? 'auto',
    });
    torch = started.process;
    const { height, width, channels } = dataset;
    const train = compactSet(dataset.train, [trainIndices, validIndices]);
    const test = compactSet(dataset.test, [testIndices]);
    await torch.request('dataset', {
      height,
      width,
      channels,
      mean: dataset.mean,
      std: dataset.std,
      train: {
        count: train.set.count,
        images: file('train-images', train.set.images),
        labels: file('train-labels', train.set.labels),
      },
      test: {
        count: test.set.count,
        images: file('test-images', test.set.images),
        labels: file('test-labels', test.set.labels),
      },
    });
    const weightsPath = join(dir, 'initial-weights');
    const built = await torch.request<{ parameterCount: number }>('build', {
      layers: spec.layers,
      network: spec.network,
      weights: { path: weightsPath, tensors: writeTensorFile(weightsPath, initialWeights(spec.layers, seed)) },
      optimizer: { momentum: protocol.momentum, nesterov: protocol.nesterov, weightDecay: protocol.weightDecay },
    });
    if (resumed !== undefined) await load(torch, resumed.tensors, join(dir, 'resume'));
    return session({
      torch,
      hello: started.hello,
      parameterCount: built.parameterCount,
      epochsDone: resumed?.epochsDone ?? 0,
      write: file,
      dir,
      dispose: () => rmSync(dir, { recursive: true, force: true }),
      evaluation: {
        valid: { path: file('valid-indices', train.remap(validIndices)), count: validIndices.length },
        test: { path: file('test-indices', test.remap(testIndices)), count: testIndices.length },
      },
      trainIndices: train.remap(trainIndices),
      options,
      identity,
    });
  } catch (error) {
    torch?.kill();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** What {@link session} needs from the opening. */
interface SessionParts {
  torch: TorchProcess;
  hello: TorchHello;
  parameterCount: number;
  epochsDone: number;
  write(name: string, data: ArrayBufferView): string;
  /** The session's folder of exchanged files. */
  dir: string;
  dispose(): void;
  evaluation: Record<'valid' | 'test', { path: string; count: number }>;
  trainIndices: Int32Array;
  options: OpenPytorchSessionOptions;
  identity: Parameters<typeof writeSessionCheckpoint>[0]['identity'];
}

/** An epoch's training sent to the process: which epoch (0-based), when it was sent, its answer. */
interface Training {
  epoch: number;
  sent: number;
  answer: Promise<{ lossSum: number; correct: number; seen: number }>;
}

/**
 * The session over the process. Epoch k's evaluation overlaps epoch k+1's training: after epoch k trains, the process
 * copies the network into its snapshot (`snapshot`), this side sends epoch k+1's `train_epoch` (its plan and rate are
 * the seed's and the epoch's, drawn as they would be later), then evaluates the snapshot on the validation and test
 * sets; checkpoints are the snapshot's. So the second core evaluates while the first trains, and the curve, the
 * checkpoints and the draws are those of the sequential order. A failed epoch leaves the session failed (its network
 * may be an epoch ahead): later calls throw the same error; the trainer resumes from the last checkpoint.
 */
function session(parts: SessionParts): TrainingSession {
  const { torch, hello, options, identity, write } = parts;
  const { protocol, seed } = options;
  let epochsDone = parts.epochsDone;
  let disposed = false;
  let failed: unknown;
  let ahead: Training | undefined;
  let lastReturned = 0;
  const evalBatch = Math.max(EVAL_BATCH, protocol.batchSize);
  const evaluate = async (set: 'valid' | 'test') => {
    const { path, count } = parts.evaluation[set];
    const answer = await torch.request<{ lossSum: number; correct: number; seen: number }>('evaluate', {
      set: set === 'valid' ? 'train' : 'test',
      indices: path,
      count,
      batchSize: evalBatch,
      snapshot: true,
    });
    return { loss: answer.lossSum / answer.seen, acc: (100 * answer.correct) / answer.seen };
  };
  const sendEpoch = (epoch: number): Training => {
    const plan = planEpoch({
      indices: parts.trainIndices,
      batchSize: protocol.batchSize,
      augmentation: protocol.augmentation,
      rng: createRng(epochSeed(seed, epoch)),
    });
    const files = epoch % 2; // epoch k+1's plan is written while epoch k's may still be read
    const answer = torch.request<{ lossSum: number; correct: number; seen: number }>('train_epoch', {
      count: plan.order.length,
      batchSize: protocol.batchSize,
      steps: plan.steps,
      learningRate: learningRateAt(protocol, epoch),
      order: write(`order-${files}`, plan.order),
      dy: write(`offset-y-${files}`, plan.offsetY),
      dx: write(`offset-x-${files}`, plan.offsetX),
      flip: write(`flip-${files}`, plan.flip),
    });
    answer.catch(() => undefined); // an epoch sent ahead may fail unawaited (the session disposed, the process killed)
    return { epoch, sent: performance.now(), answer };
  };
  return {
    get epochsDone() {
      return epochsDone;
    },
    totalEpochs: protocol.epochs,
    backend: PYTORCH_BACKEND,
    device: describeTorchDevice(hello),
    parameterCount: parts.parameterCount,
    async runEpoch(): Promise<EpochMetrics> {
      if (failed !== undefined) throw failed;
      if (disposed || epochsDone >= protocol.epochs)
        throw new NashubError(
          ErrorCode.INVALID_ARGUMENT,
          disposed ? 'the training session was disposed' : `all ${protocol.epochs} epochs of ${protocol.name} are done`,
          { details: { epochsDone, epochs: protocol.epochs } },
        );
      const epoch = epochsDone;
      const learningRate = learningRateAt(protocol, epoch);
      let training: Training, valid: { loss: number; acc: number }, test: { loss: number; acc: number };
      let trained: { lossSum: number; correct: number; seen: number };
      try {
        training = ahead?.epoch === epoch ? ahead : sendEpoch(epoch);
        ahead = undefined;
        trained = await training.answer;
        await torch.request('snapshot');
        if (epoch + 1 < protocol.epochs) ahead = sendEpoch(epoch + 1);
        valid = await evaluate('valid');
        test = await evaluate('test');
      } catch (error) {
        failed = error;
        throw error;
      }
      epochsDone++;
      // Wall seconds this epoch held the session: from its training's start, or the previous epoch's return if later.
      const now = performance.now();
      const seconds = (now - Math.max(training.sent, lastReturned)) / 1000;
      lastReturned = now;
      return {
        epoch: epochsDone,
        trainLoss: trained.lossSum / trained.seen,
        trainAcc: (100 * trained.correct) / trained.seen,
        validLoss: valid.loss,
        validAcc: valid.acc,
        testLoss: test.loss,
        testAcc: test.acc,
        learningRate,
        seconds,
      };
    },
    async checkpoint(): Promise<Uint8Array> {
      const path = join(parts.dir, 'checkpoint');
      const saved = await torch.request<{ tensors: TensorEntry[] }>('save', { path, snapshot: true });
      const tensors = readTensorFile(path, saved.tensors);
      return writeSessionCheckpoint({
        identity,
        epochsDone,
        backend: PYTORCH_BACKEND,
        framework: CheckpointFramework.PYTORCH,
        tensors,
      });
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      torch.kill();
      parts.dispose();
    },
  };
}

/** Loads a checkpoint's tensors into the process; tensors that are not the network's are CHECKPOINT_INVALID. */
async function load(torch: TorchProcess, tensors: CheckpointTensor[], path: string): Promise<void> {
  try {
    await torch.request('load', { path, tensors: writeTensorFile(path, tensors) });
  } catch (error) {
    if (isNashubError(error) && error.details.kind === 'request')
      throw new NashubError(ErrorCode.CHECKPOINT_INVALID, `checkpoint does not fit this session: ${error.message}`, {
        details: { backend: PYTORCH_BACKEND },
        cause: error,
      });
    throw error;
  }
}
