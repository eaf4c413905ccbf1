import { registerEnumType } from 'type-graphql';
import { CurveScale, type CurveScaleValue } from '../../predictor/lce';

/** GraphQL spelling of a curve's scale. */
export enum CurveScaleEnum {
  PERCENT = 'PERCENT',
  FRACTION = 'FRACTION',
}

registerEnumType(CurveScaleEnum, {
  name: 'CurveScale',
  description: 'How accuracies in a curve are written: PERCENT in [0, 100] (as NAS-Bench-201 reports them) or FRACTION in [0, 1].',
});

/** The predictor's scale for a GraphQL scale. */
export function toCurveScale(scale: CurveScaleEnum): CurveScaleValue {
  return CurveScale[scale];
}
