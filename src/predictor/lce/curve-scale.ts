/** How accuracies in a curve are written: percent in [0, 100] (as NAS-Bench-201 reports them) or a fraction in [0, 1]. */
export const CurveScale = {
  PERCENT: 'PERCENT',
  FRACTION: 'FRACTION',
} as const;

/** One of {@link CurveScale}'s values. */
export type CurveScaleValue = (typeof CurveScale)[keyof typeof CurveScale];

/** The largest value a curve may hold on a scale: 100 for percent, 1 for a fraction. */
export function scaleMaximum(scale: CurveScaleValue): number {
  return scale === CurveScale.PERCENT ? 100 : 1;
}
