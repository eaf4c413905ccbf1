import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';

/** The hardware behind a tfjs backend, in words, for run rows and logs. */
export async function describeDevice(backend: string): Promise<string> {
  const cores = `${cpus().length} cores`;
  if (backend === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
    return `cpu (${cores}; wasm${simd ? ' SIMD' : ''}, ${threads ? 'multi-threaded' : '1 thread'})`;
  }
  if (backend === 'cpu') return `cpu (${cores}; pure JS)`;
  if (backend === 'webgpu') {
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } }).adapterInfo;
    return `gpu (${[info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'webgpu adapter'})`;
  }
  if (backend === 'tensorflow') return 'libtensorflow';
  return backend;
}
