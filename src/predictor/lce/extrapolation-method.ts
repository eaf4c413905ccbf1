/** How a forecast was made. */
export const ExtrapolationMethod = {
  /** The last observed value, as a point forecast. */
  LAST_VALUE: 'LAST_VALUE',
  /** The best observed value, as a point forecast. */
  BEST_SO_FAR: 'BEST_SO_FAR',
  /** Domhan et al.'s parametric families, fitted by least squares and weighted by their fit. */
  PARAMETRIC_ENSEMBLE: 'PARAMETRIC_ENSEMBLE',
  /** Ridge regression from the resampled partial curve, trained on complete curves. */
  RIDGE: 'RIDGE',
  /** Ridge plus an RBF-kernel correction (kernel ridge regression), trained on complete curves. */
  KERNEL_RIDGE: 'KERNEL_RIDGE',
  /** Kernel ridge whose kernel also compares architecture encodings (curve plus architecture, as in LcSVR). */
  KERNEL_RIDGE_ARCH: 'KERNEL_RIDGE_ARCH',
  /** Kernel ridge that also takes an architecture surrogate's prediction of the final value as features (curve plus surrogate). */
  KERNEL_RIDGE_SURROGATE: 'KERNEL_RIDGE_SURROGATE',
} as const;

/** One of {@link ExtrapolationMethod}'s values. */
export type ExtrapolationMethodValue = (typeof ExtrapolationMethod)[keyof typeof ExtrapolationMethod];
