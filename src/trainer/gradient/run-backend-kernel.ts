import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError } from '../../core';

/** The arguments tfjs passes a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Runs another kernel of the same backend directly, as backends compose their own kernels: the output is a bare
 * TensorInfo the engine does not track, so the caller frees intermediates with {@link freeBackendData}.
 */
export function runBackendKernel(
  backendName: string,
  backend: KernelArgs['backend'],
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (kernel === undefined) {
    throw new NashubError(ErrorCode.BACKEND_UNAVAILABLE, `backend ${backendName} has no ${kernelName} kernel`, {
      details: { backend: backendName, kernel: kernelName },
    });
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Frees intermediate outputs of {@link runBackendKernel}. */
export function freeBackendData(backend: KernelArgs['backend'], ...infos: tf.TensorInfo[]): void {
  for (const info of infos) (backend as tf.KernelBackend).disposeData(info.dataId);
}
