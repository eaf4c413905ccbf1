import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { torchRuntimeOrSkip } from '../../../test/support/torch-runtime';
import { isSoftwareAdapter, parseTrainingBackendPreference, selectTrainingBackend } from './select-training-backend';

function tensorflowInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

/** An environment without PyTorch: NASHUB_PYTHON names an interpreter that does not exist. */
const NO_TORCH = { ...process.env, NASHUB_PYTHON: '/nonexistent/python3' };
const runtime = torchRuntimeOrSkip();

async function errorOf(promise: Promise<unknown>): Promise<NashubError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NashubError);
  return error as NashubError;
}

describe('selectTrainingBackend', () => {
  it('parses --backend values and refuses others with INVALID_ARGUMENT', () => {
    expect(parseTrainingBackendPreference('auto')).toBe('auto');
    expect(parseTrainingBackendPreference('wasm')).toBe('wasm');
    expect(parseTrainingBackendPreference('pytorch')).toBe('pytorch');
    let error: unknown;
    try {
      parseTrainingBackendPreference('gpu');
    } catch (e) {
      error = e;
    }
    expect((error as NashubError).code).toBe(ErrorCode.INVALID_ARGUMENT);
  });

  it('activates wasm and cpu by name, and says which device', async () => {
    const wasm = await selectTrainingBackend('wasm');
    expect([wasm.backend, tf.getBackend()]).toEqual(['wasm', 'wasm']);
    expect(wasm.device).toMatch(/^cpu \(\d+ cores; wasm/);
    const cpu = await selectTrainingBackend('cpu');
    expect([cpu.backend, tf.getBackend()]).toEqual(['cpu', 'cpu']);
  });

  it.skipIf(tensorflowInstalled())(
    'names a backend that cannot load BACKEND_UNAVAILABLE, and auto skips it with the reason',
    async () => {
      const error = await selectTrainingBackend('tensorflow').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NashubError);
      expect((error as NashubError).code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
      const auto = await selectTrainingBackend('auto', { env: NO_TORCH });
      expect(auto.skipped[0]).toMatchObject({ backend: 'tensorflow' });
      expect(['webgpu', 'wasm']).toContain(auto.backend);
    },
  );

  it('skips webgpu under auto, saying why, when NASHUB_DAWN_FLAGS is not something Dawn understands', async () => {
    process.env.NASHUB_DAWN_FLAGS = 'backend=nonsense';
    try {
      const auto = await selectTrainingBackend('auto', { env: NO_TORCH });
      expect(auto.backend).not.toBe('webgpu');
      expect(auto.skipped.find((s) => s.backend === 'webgpu')?.reason).toMatch(
        /^Dawn could not start \(NASHUB_DAWN_FLAGS: backend=nonsense\): unrecognised backend 'nonsense'/,
      );
    } finally {
      delete process.env.NASHUB_DAWN_FLAGS;
    }
  });

  it('--backend pytorch without a usable Python is BACKEND_UNAVAILABLE; auto skips it with the reason, for tfjs', async () => {
    const named = await errorOf(selectTrainingBackend('pytorch', { env: NO_TORCH }));
    expect(named.code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    expect(named.message).toMatch(/NASHUB_PYTHON=\/nonexistent\/python3 cannot run the PyTorch backend/);
    const auto = await selectTrainingBackend('auto', { env: NO_TORCH });
    expect(['wasm', 'tensorflow', 'webgpu']).toContain(auto.backend);
    expect(auto.skipped.find((s) => s.backend === 'pytorch')?.reason).toMatch(/NASHUB_PYTHON=\/nonexistent/);
    expect(auto.measured).toBeUndefined();
  });

  it.skipIf(runtime === null)('--backend pytorch names its interpreter, threads and device', async () => {
    const choice = await selectTrainingBackend('pytorch', { env: { ...process.env, NASHUB_TORCH_THREADS: '1' } });
    expect(choice).toMatchObject({ backend: 'pytorch', torch: { runtime, threads: 1 }, skipped: [] });
    expect(choice.device).toBe(
      runtime!.cuda
        ? `gpu (${runtime!.cudaDevice}; torch ${runtime!.torch})`
        : `cpu (1 thread; torch ${runtime!.torch})`,
    );
    const threads = await errorOf(
      selectTrainingBackend('pytorch', { env: { ...process.env, NASHUB_TORCH_THREADS: '0' } }),
    );
    expect(threads.code).toBe(ErrorCode.CONFIG_INVALID);
  });

  it.skipIf(runtime === null || runtime.cuda)(
    'auto without CUDA weighs PyTorch on CPU against wasm once, and takes the faster, saying so',
    async () => {
      const auto = await selectTrainingBackend('auto');
      const { pytorchImagesPerSecond, wasmImagesPerSecond } = auto.measured ?? {
        pytorchImagesPerSecond: 0,
        wasmImagesPerSecond: 0,
      };
      if (auto.backend === 'pytorch') {
        expect(pytorchImagesPerSecond).toBeGreaterThan(wasmImagesPerSecond);
        expect(auto.torch?.device).toBe('cpu');
      } else {
        expect(auto.backend).toBe('wasm');
        expect(auto.skipped.find((s) => s.backend === 'pytorch')?.reason).toMatch(/is not faster than wasm's/);
      }
    },
  );

  it('tells software WebGPU adapters from hardware ones', () => {
    expect(
      isSoftwareAdapter({
        device: 'llvmpipe-llvm-15-0-6-256-bits-',
        description: 'OpenGL version 4.5 (Core Profile) Mesa 22.3.6',
      }),
    ).toBe(true);
    expect(
      isSoftwareAdapter({
        vendor: 'mesa',
        device: 'llvmpipe (LLVM 15.0.6, 256 bits)',
        description: 'Mesa 22.3.6 lavapipe',
      }),
    ).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', device: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(
      isSoftwareAdapter({
        vendor: 'nvidia',
        architecture: 'hopper',
        device: 'NVIDIA H200',
        description: 'NVIDIA: 570.0',
      }),
    ).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'nvidia', device: 'NVIDIA H200', isFallbackAdapter: true })).toBe(true);
  });
});
