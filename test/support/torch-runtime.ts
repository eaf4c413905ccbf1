import { findTorchRuntime, type TorchRuntime } from '../../src/trainer/pytorch/find-torch';

/**
 * The Python with torch the PyTorch backend would use, or null where there is none: tests of the PyTorch backend skip
 * locally then, but fail under NASHUB_REQUIRE_PYTORCH=1 (as .ci/run sets it, after installing Debian's python3-torch),
 * so that CI never passes by skipping them.
 */
export function torchRuntimeOrSkip(): TorchRuntime | null {
  try {
    return findTorchRuntime();
  } catch (error) {
    if (process.env.NASHUB_REQUIRE_PYTORCH === '1')
      throw new Error(`NASHUB_REQUIRE_PYTORCH=1 but the PyTorch backend cannot run: ${String(error)}`, {
        cause: error,
      });
    return null;
  }
}
