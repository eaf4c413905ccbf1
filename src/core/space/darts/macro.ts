import { ErrorCode, NashubError } from '../../error/nashub-error';

/** DARTS evaluation network settings (`NetworkCIFAR` in DARTS `cnn/model.py`, `train.py` flags). */
export interface DartsMacro {
  /** Initial channels (`--init_channels`); the stem has 3C, reduction cells double C. Even (FactorizedReduce halves it). */
  C: number;
  /** Number of cells (`--layers`); cells layers/3 and 2·layers/3 (integer division) are reduction cells. */
  layers: number;
  /** Classifier outputs. */
  numClasses: number;
  /** Include the auxiliary head (`--auxiliary`); it is trained but dropped at test time, and DARTS's reported size excludes it. */
  auxiliary: boolean;
  /** Channels of the input image (3 for CIFAR). */
  inputChannels: number;
  /** Height = width of the input image, in pixels (FLOPs only; the auxiliary head assumes 8 × 8 at its input). */
  inputSize: number;
}

/** DARTS's CIFAR-10 evaluation network: C = 36, 20 cells, 10 classes, no auxiliary head, 3 × 32 × 32 input. */
export const DARTS_DEFAULT_MACRO: Readonly<DartsMacro> = Object.freeze({
  C: 36,
  layers: 20,
  numClasses: 10,
  auxiliary: false,
  inputChannels: 3,
  inputSize: 32,
});

function invalid(field: string, value: unknown, rule: string): never {
  throw new NashubError(ErrorCode.INVALID_ARGUMENT, `darts macro ${field} must be ${rule}, got ${String(value)}`, {
    details: { space: 'darts', field, value },
  });
}

/** Fills a partial macro from the default and checks it (INVALID_ARGUMENT naming the field if not valid). */
export function resolveDartsMacro(macro: Partial<DartsMacro> = {}): DartsMacro {
  const resolved = { ...DARTS_DEFAULT_MACRO, ...macro };
  for (const field of ['C', 'layers', 'numClasses', 'inputChannels', 'inputSize'] as const) {
    const value = resolved[field];
    if (!Number.isSafeInteger(value) || value <= 0) invalid(field, value, 'a positive integer');
  }
  if (resolved.C % 2 !== 0) invalid('C', resolved.C, 'even');
  if (typeof resolved.auxiliary !== 'boolean') invalid('auxiliary', resolved.auxiliary, 'a boolean');
  return resolved;
}
