import * as tf from '@tensorflow/tfjs';
import { freeBackendData, runBackendKernel, type KernelArgs } from './run-backend-kernel';

/** What the forward-convolution input gradient needs from the Conv2DBackpropInput kernel's attributes. */
interface InputGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * Conv2DBackpropInput at stride 1 as one forward convolution: dx is dy correlated with the filter rotated 180° and
 * its in/out channels swapped, padded by k − 1 − top (left) and k − 1 − bottom (right). Other strides and NCHW go
 * to `fallback` (the backend's stock kernel).
 * Porting note: on wasm the stock kernel is ~6× slower than a forward conv of the same size (XNNPACK has no fast
 * deconvolution path for it), and it dominated the training step.
 */
export function conv2dBackpropInputByForwardConv(
  backendName: string,
  fallback: tf.KernelFunc,
  args: KernelArgs,
): tf.TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as InputGradientAttrs;
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const usable =
    attrs.dataFormat === 'NHWC' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    Math.max(top, bottom) < kh &&
    Math.max(left, right) < kw;
  if (!usable) return fallback(args) as tf.TensorInfo;

  const run = (kernelName: string, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap): tf.TensorInfo =>
    runBackendKernel(backendName, backend, kernelName, inputs, kernelAttrs);
  const swapped = run('Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  let rotated = swapped;
  if (kh > 1 || kw > 1) {
    rotated = run('Reverse', { x: swapped }, { dims: [0, 1] });
    freeBackendData(backend, swapped);
  }
  const dx = run(
    'Conv2D',
    { x: dy, filter: rotated },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [kh - 1 - top, kh - 1 - bottom],
        [kw - 1 - left, kw - 1 - right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  freeBackendData(backend, rotated);
  return dx;
}

/**
 * Registers {@link conv2dBackpropInputByForwardConv} as a backend's Conv2DBackpropInput kernel, keeping the stock
 * kernel for the cases it does not cover. Registering twice keeps the first stock kernel.
 */
export function registerConv2dBackpropInput(backendName: string): void {
  const current = tf.getKernel('Conv2DBackpropInput', backendName);
  if (current === undefined) return;
  const stock = (current as { stock?: tf.KernelFunc }).stock ?? current.kernelFunc;
  tf.unregisterKernel('Conv2DBackpropInput', backendName);
  const config: tf.KernelConfig & { stock: tf.KernelFunc } = {
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: (args) => conv2dBackpropInputByForwardConv(backendName, stock, args),
    stock,
  };
  tf.registerKernel(config);
}
