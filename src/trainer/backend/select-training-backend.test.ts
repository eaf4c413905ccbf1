import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ErrorCode, NashubError } from '../../core';
import { parseTrainingBackendPreference, selectTrainingBackend } from './select-training-backend';

function tensorflowInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

describe('selectTrainingBackend', () => {
  it('parses --backend values and refuses others with INVALID_ARGUMENT', () => {
    expect(parseTrainingBackendPreference('auto')).toBe('auto');
    expect(parseTrainingBackendPreference('wasm')).toBe('wasm');
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

  it.skipIf(tensorflowInstalled())('names a backend that cannot load BACKEND_UNAVAILABLE, and auto skips it with the reason', async () => {
    const error = await selectTrainingBackend('tensorflow').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NashubError);
    expect((error as NashubError).code).toBe(ErrorCode.BACKEND_UNAVAILABLE);
    const auto = await selectTrainingBackend('auto');
    expect(auto.skipped[0]).toMatchObject({ backend: 'tensorflow' });
    expect(['webgpu', 'wasm']).toContain(auto.backend);
  });
});
