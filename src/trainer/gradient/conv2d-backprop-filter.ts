import * as tf from '@tensorflow/tfjs';
import { ErrorCode, NashubError } from '../../core';
import { freeBackendData, runBackendKernel, type KernelArgs } from './run-backend-kernel';

/** What the forward-convolution filter gradient needs from the Conv2DBackpropFilter kernel's attributes. */
interface FilterGradientAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Conv2DBackpropFilter computed with forward convolutions, as a kernel function for any backend that has Conv2D,
 * Transpose and Slice kernels (wasm, webgpu). With x [B,H,W,Ci] padded by (top, left), stride s and dy [B,OH,OW,Co]:
 *   dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s + kh − top, ow·s + kw − left, ci] · dy[b,oh,ow,co],
 * which is a stride-1 conv of x transposed to [Ci,H,W,B] (channels become the batch) with dy transposed to the filter
 * [OH,OW,B,Co], dilated by s, giving [Ci,kh,kw,Co]. The conv's padding is the forward pass's top/left, and at the
 * bottom/right whatever makes the output at least the kernel size (rows the forward pass never read are cut off).
 * Porting note: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, and webgpu's is ~40× slower than its forward conv.
 */
export function conv2dBackpropFilterByForwardConv(backendName: string, args: KernelArgs): tf.TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as FilterGradientAttrs;
  if (attrs.dataFormat !== 'NHWC') {
    throw new NashubError(
      ErrorCode.INVALID_ARGUMENT,
      `the forward-conv filter gradient supports NHWC only, got ${attrs.dataFormat}`,
      {
        details: { dataFormat: attrs.dataFormat },
      },
    );
  }
  const [kh, kw, inChannels, outChannels] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { top, left } = info.padInfo;
  const [, height, width] = x.shape;
  const bottom = Math.max(0, kh + (info.outHeight - 1) * info.strideHeight - height - top);
  const right = Math.max(0, kw + (info.outWidth - 1) * info.strideWidth - width - left);

  const run = (kernelName: string, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap): tf.TensorInfo =>
    runBackendKernel(backendName, backend, kernelName, inputs, kernelAttrs);
  const free = (...infos: tf.TensorInfo[]): void => freeBackendData(backend, ...infos);

  const xT = run('Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const product = run(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
    },
  );
  free(xT, dyT);
  let kernelSized = product;
  if (product.shape[1] !== kh || product.shape[2] !== kw) {
    kernelSized = run('Slice', { x: product }, { begin: [0, 0, 0, 0], size: [inChannels, kh, kw, outChannels] });
    free(product);
  }
  const dw = run('Transpose', { x: kernelSized }, { perm: [1, 2, 0, 3] });
  free(kernelSized);
  return dw;
}

/** Registers {@link conv2dBackpropFilterByForwardConv} as a backend's Conv2DBackpropFilter kernel, replacing any stock one. */
export function registerConv2dBackpropFilter(backendName: string): void {
  if (tf.getKernel('Conv2DBackpropFilter', backendName) !== undefined)
    tf.unregisterKernel('Conv2DBackpropFilter', backendName);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: (args) => conv2dBackpropFilterByForwardConv(backendName, args),
  });
}
