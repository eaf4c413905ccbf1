import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** Backends {@link selectBackend} can end up on, in order of preference. */
export const PredictorBackend = { WASM: 'wasm', CPU: 'cpu' } as const;

/** One of {@link PredictorBackend}'s values. */
export type PredictorBackendValue = (typeof PredictorBackend)[keyof typeof PredictorBackend];

/** What {@link selectBackend} chose, and why it fell back when it did. */
export interface BackendChoice {
  /** The active tfjs backend. */
  backend: PredictorBackendValue;
  /** Why wasm was not used, when it was not. */
  fallbackReason?: string;
}

let choice: Promise<BackendChoice> | undefined;

/**
 * Chooses the tfjs backend once per process: wasm (SIMD; the .wasm files come from the package's dist folder, since
 * there is no CDN to fetch them from), else cpu. Later calls return the first choice.
 */
export function selectBackend(): Promise<BackendChoice> {
  choice ??= initialise();
  return choice;
}

/** Points tfjs-backend-wasm at the .wasm files in its package's dist folder: there is no CDN to fetch them from. */
export function usePackagedWasmFiles(): void {
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(`${join(dist, '/')}`);
}

async function initialise(): Promise<BackendChoice> {
  try {
    usePackagedWasmFiles();
    if (await tf.setBackend(PredictorBackend.WASM)) {
      await tf.ready();
      return { backend: PredictorBackend.WASM };
    }
    return await fallBack('tf.setBackend("wasm") returned false');
  } catch (error) {
    // The fallback is recorded in the choice (and the bench prints it), not swallowed.
    return fallBack(error instanceof Error ? error.message : String(error));
  }
}

async function fallBack(reason: string): Promise<BackendChoice> {
  await tf.setBackend(PredictorBackend.CPU);
  await tf.ready();
  return { backend: PredictorBackend.CPU, fallbackReason: reason };
}
