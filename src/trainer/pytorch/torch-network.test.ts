import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { torchRuntimeOrSkip } from '../../../test/support/torch-runtime';
import { createRng, nb101Cost, nb101Space, nb201Cost, nb201Space, sampleNb101, sampleNb201 } from '../../core';
import { NB101_TRAINER_STACKS } from '../network/trainable-architecture';
import { initialWeights } from './initial-weights';
import { writeTensorFile } from './tensor-file';
import { describeTorchNetwork } from './torch-network-spec';
import { TorchProcess } from './torch-process';

const runtime = torchRuntimeOrSkip();

/** The fmnist protocols' sizes and a CIFAR one, as the tfjs network tests use. */
const SIZES = [
  { C: 8, N: 1, inputChannels: 1, inputSize: 28 },
  { C: 16, N: 5, inputChannels: 1, inputSize: 28 },
  { C: 16, N: 2, inputChannels: 3, inputSize: 32 },
];

describe.skipIf(runtime === null)('the PyTorch networks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nashub-torch-network-'));
  let torch: TorchProcess;
  beforeAll(async () => {
    torch = (await TorchProcess.start({ runtime: runtime!, threads: 1, device: 'cpu' })).process;
  });
  afterAll(() => {
    torch?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Builds the network in the Python process and returns its parameter count. */
  const build = async (space: string, arch: string, size: (typeof SIZES)[number]): Promise<number> => {
    const spec = describeTorchNetwork({ space, arch, ...size, numClasses: 10 });
    const path = join(dir, 'weights');
    const tensors = writeTensorFile(path, initialWeights(spec.layers, 1));
    const built = await torch.request<{ parameterCount: number }>('build', {
      layers: spec.layers,
      network: spec.network,
      weights: { path, tensors },
      optimizer: { momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    });
    return built.parameterCount;
  };

  it("has core's cost(arch).params for 20 sampled nb201 cells at three sizes", async () => {
    const rng = createRng(201);
    for (let i = 0; i < 20; i++) {
      const arch = sampleNb201(rng);
      for (const size of SIZES) {
        const expected = Math.round(nb201Cost(arch, { ...size, numClasses: 10 }).paramsM * 1e6);
        expect(await build('nb201', nb201Space.format(arch), size)).toBe(expected);
      }
    }
  });

  it("has core's cost(arch).params for 20 sampled nb101 cells at three sizes", async () => {
    const rng = createRng(101);
    for (let i = 0; i < 20; i++) {
      const arch = sampleNb101(rng);
      for (const size of SIZES) {
        const macro = {
          stemChannels: size.C,
          stacks: NB101_TRAINER_STACKS,
          cellsPerStack: size.N,
          numClasses: 10,
          inputChannels: size.inputChannels,
          inputSize: size.inputSize,
        };
        const expected = Math.round(nb101Cost(arch, macro).paramsM * 1e6);
        expect(await build('nb101', nb101Space.format(arch), size)).toBe(expected);
      }
    }
  });

  it('refuses a layer list that does not match the wiring, with the layer named', async () => {
    const spec = describeTorchNetwork({
      space: 'nb201',
      arch: nb201Space.format(sampleNb201(createRng(1))),
      ...SIZES[0],
      numClasses: 10,
    });
    const error = await torch
      .request('build', {
        layers: spec.layers.slice(1),
        network: spec.network,
        weights: { path: '', tensors: [] },
        optimizer: {},
      })
      .then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
    expect(error?.code).toBe('BACKEND_UNAVAILABLE');
    expect(error?.message).toMatch(/stem\.conv/);
  });
});
