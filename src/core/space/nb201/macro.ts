import { ErrorCode, NashubError } from '../../error/nashub-error';

/**
 * NB201 macro skeleton settings: the network the trainer builds (in tfjs) around a cell, and that `cost` counts.
 * NAS-Bench-201's own runs use {@link NB201_DEFAULT_MACRO}; low-fidelity protocols shrink C and N.
 */
export interface Nb201Macro {
  /** Channels of the first stage; stages 2 and 3 have 2C and 4C. */
  C: number;
  /** Cells per stage. */
  N: number;
  /** Classifier outputs. */
  numClasses: number;
  /** Channels of the input image (3 for CIFAR, 1 for Fashion-MNIST). */
  inputChannels: number;
  /** Height = width of the input image, in pixels. */
  inputSize: number;
}

/** NAS-Bench-201's CIFAR-10 network: C=16, N=5, 10 classes, 3×32×32 input. */
export const NB201_DEFAULT_MACRO: Readonly<Nb201Macro> = Object.freeze({
  C: 16,
  N: 5,
  numClasses: 10,
  inputChannels: 3,
  inputSize: 32,
});

/** Fills a partial macro from the default and checks every field is a positive integer (INVALID_ARGUMENT if not). */
export function resolveNb201Macro(macro: Partial<Nb201Macro> = {}): Nb201Macro {
  const resolved = { ...NB201_DEFAULT_MACRO, ...macro };
  for (const [field, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new NashubError(
        ErrorCode.INVALID_ARGUMENT,
        `nb201 macro ${field} must be a positive integer, got ${value}`,
        {
          details: { space: 'nb201', field, value },
        },
      );
    }
  }
  return resolved;
}
