import { ErrorCode, NashubError } from '../../error/nashub-error';

/** NB101 macro skeleton settings: the network around a cell that `cost` counts (NAS-Bench-101 `config.py`). */
export interface Nb101Macro {
  /** Output channels of the stem conv3x3 (`stem_filter_size`); each stack after the first doubles them. */
  stemChannels: number;
  /** Number of stacks (`num_stacks`); a 2 × 2 max-pool (stride 2) precedes every stack but the first. */
  stacks: number;
  /** Cells per stack (`num_modules_per_stack`). */
  cellsPerStack: number;
  /** Classifier outputs (`num_labels`). */
  numClasses: number;
  /** Channels of the input image (3 for CIFAR). */
  inputChannels: number;
  /** Height = width of the input image, in pixels (FLOPs only). */
  inputSize: number;
}

/** NAS-Bench-101's CIFAR-10 network: stem 128 channels, 3 stacks of 3 cells, 10 classes, 3 × 32 × 32 input. */
export const NB101_DEFAULT_MACRO: Readonly<Nb101Macro> = Object.freeze({
  stemChannels: 128,
  stacks: 3,
  cellsPerStack: 3,
  numClasses: 10,
  inputChannels: 3,
  inputSize: 32,
});

/** Fills a partial macro from the default and checks every field is a positive integer (INVALID_ARGUMENT if not). */
export function resolveNb101Macro(macro: Partial<Nb101Macro> = {}): Nb101Macro {
  const resolved = { ...NB101_DEFAULT_MACRO, ...macro };
  for (const [field, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `nb101 macro ${field} must be a positive integer, got ${value}`,
        {
          details: { space: 'nb101', field, value },
        },
      );
    }
  }
  return resolved;
}
