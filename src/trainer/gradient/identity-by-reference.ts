import * as tf from '@tensorflow/tfjs';

/**
 * Replaces a backend's Identity kernel with one that shares the input's data (a reference count, as the cpu
 * backend's does) instead of copying it. Porting note: tfjs clones every tensor it saves for the backward pass
 * through Identity, and tfjs-backend-wasm 4.22 copies there, which doubled the memory of a training step (the
 * fmnist-c16n5 network at batch 128 ran out of the 4 GB wasm heap) and cost a copy per saved tensor.
 * tfjs tensors are immutable (a Variable's assign swaps its data), so sharing is safe.
 */
export function registerIdentityByReference(backendName: string): void {
  if (tf.getKernel('Identity', backendName) === undefined) return;
  tf.unregisterKernel('Identity', backendName);
  tf.registerKernel({
    kernelName: 'Identity',
    backendName,
    kernelFunc: ({ inputs, backend }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}
