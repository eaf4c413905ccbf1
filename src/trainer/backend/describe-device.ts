import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';

/** What Dawn says of its adapter (GPUAdapterInfo). */
export interface WebgpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  /** A CPU implementation of WebGPU (llvmpipe, lavapipe, SwiftShader). */
  software?: boolean;
}

/** The adapter the webgpu backend was activated with (tfjs 4.22 keeps only its vendor and architecture). */
let webgpuAdapter: WebgpuAdapterInfo | undefined;

/** Remembers the webgpu adapter for {@link describeDevice}. */
export function rememberWebgpuAdapter(info: WebgpuAdapterInfo | undefined): void {
  webgpuAdapter = info;
}

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
    const info = webgpuAdapter ?? (tf.backend() as unknown as { adapterInfo?: WebgpuAdapterInfo }).adapterInfo;
    const name = [info?.vendor, info?.architecture, info?.device].filter(Boolean).join(' ') || 'webgpu adapter';
    const detail = `${name}${info?.description ? `; ${info.description}` : ''}`;
    return info?.software === true ? `cpu (software webgpu: ${detail})` : `gpu (${detail})`;
  }
  if (backend === 'tensorflow') return 'libtensorflow';
  return backend;
}
