import { registerEnumType } from 'type-graphql';
import { ExtrapolationMethod } from '../../predictor/lce';

registerEnumType(ExtrapolationMethod, {
  name: 'ExtrapolationMethod',
  description:
    'PARAMETRIC_ENSEMBLE: Domhan et al. (2015) curve families fitted to the curve, no training data; RIDGE, KERNEL_RIDGE, KERNEL_RIDGE_ARCH, KERNEL_RIDGE_SURROGATE: trained on stored curves of the protocol (with the architecture for _ARCH, with an architecture surrogate prediction of the final value for _SURROGATE); LAST_VALUE, BEST_SO_FAR: baselines.',
});

/** The predictor's `ExtrapolationMethod`, registered as GraphQL `ExtrapolationMethod` (import it from here so the registration runs). */
export { ExtrapolationMethod };
