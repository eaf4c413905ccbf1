import { registerEnumType } from 'type-graphql';
import { CurveScale } from '../../predictor/lce';

registerEnumType(CurveScale, {
  name: 'CurveScale',
  description:
    'How accuracies in a curve are written: PERCENT in [0, 100] (as NAS-Bench-201 reports them) or FRACTION in [0, 1].',
});

/** The predictor's `CurveScale`, registered as GraphQL `CurveScale` (import it from here so the registration runs). */
export { CurveScale };
