import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from './support/spawn-nashub';
import { torchRuntimeOrSkip } from './support/torch-runtime';

/** The standalone entry the GPU kit bundles (bench/gpu/pack.sh). */
const benchMain = join(__dirname, '..', 'dist', 'cli', 'bench-trainer.main.js');

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NASHUB_LOG_LEVEL: 'warn' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('nashub bench trainer', () => {
  it('measures only the backends named, counts kernels per step, and says why PyTorch was not run', () => {
    const { status, stdout, stderr } = run(cliPath, [
      'bench',
      'trainer',
      '--backends',
      'wasm',
      '--batch',
      '2',
      '--steps',
      '1',
      '--warmup',
      '0',
      '--no-pytorch',
    ]);
    expect(status, stderr).toBe(0);
    const result = JSON.parse(stdout.trim());
    expect(Object.keys(result.backends)).toEqual(['wasm']);
    expect(result.unavailable).toEqual({});
    expect(result.backends.wasm).toMatchObject({ batch: 2, steps: 1 });
    expect(result.backends.wasm.imagesPerSecond).toBeGreaterThan(0);
    // The fmnist-c16n5 network's step: 82 convs, each with forward, input and filter gradients, and much more.
    expect(result.backends.wasm.kernelsPerStep).toBeGreaterThan(3 * 82);
    expect(result.params).toBe(1288218);
    expect(result.wasmOverCpu).toBeNull();
    expect(result.pytorch).toBeNull();
    expect(result.pytorchReason).toBe('skipped (--no-pytorch)');
  }, 120_000);

  it.skipIf(torchRuntimeOrSkip() === null)(
    'runs the pytorch backend beside wasm and the bare PyTorch loop, and reports their ratios',
    () => {
      const { status, stdout, stderr } = run(cliPath, [
        'bench',
        'trainer',
        '--backends',
        'pytorch,wasm',
        '--batch',
        '4',
        '--steps',
        '1',
        '--warmup',
        '0',
      ]);
      expect(status, stderr).toBe(0);
      const result = JSON.parse(stdout.trim());
      expect(Object.keys(result.backends)).toEqual(['pytorch', 'wasm']);
      // The backend times at least 10 steps after 3, as the bare loop does.
      expect(result.backends.pytorch).toMatchObject({ batch: 4, steps: 10, kernelsPerStep: null });
      expect(result.backends.pytorch.device).toMatch(/torch /);
      expect(result.pytorch).toMatchObject({ batch: 4, params: result.params });
      expect(result.pytorchBackendOverWasm).toBeCloseTo(
        result.backends.pytorch.imagesPerSecond / result.backends.wasm.imagesPerSecond,
        9,
      );
      expect(result.pytorchBackendOverPytorch).toBeCloseTo(
        result.backends.pytorch.imagesPerSecond / result.pytorch.imagesPerSecond,
        9,
      );
      expect(result.bestOverPytorch).toBeCloseTo(
        result.backends.wasm.imagesPerSecond / result.pytorch.imagesPerSecond,
        9,
      );
    },
    120_000,
  );

  it('refuses a bad --backends list with a typed error and exit status 2, also from the GPU kit entry', () => {
    for (const [script, prefix] of [
      [cliPath, ['bench', 'trainer']],
      [benchMain, []],
    ] as const) {
      const twice = run(script, [...prefix, '--backends', 'wasm,wasm']);
      expect(twice.status).toBe(2);
      expect(twice.stderr).toContain('INVALID_ARGUMENT: --backends names a backend twice');
      const unknown = run(script, [...prefix, '--backends', 'wasm,gpu']);
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(
        /INVALID_ARGUMENT: backend must be auto, pytorch, tensorflow, webgpu, wasm, cpu; got "gpu"/,
      );
      expect(twice.stdout + unknown.stdout).toBe('');
    }
  });
});
