import { registerEnumType } from 'type-graphql';
import { ExtrapolationMethod, type ExtrapolationMethodValue } from '../../predictor/lce';

/** GraphQL spelling of how a forecast was made. */
export enum ExtrapolationMethodEnum {
  LAST_VALUE = 'LAST_VALUE',
  BEST_SO_FAR = 'BEST_SO_FAR',
  PARAMETRIC_ENSEMBLE = 'PARAMETRIC_ENSEMBLE',
  RIDGE = 'RIDGE',
  KERNEL_RIDGE = 'KERNEL_RIDGE',
  KERNEL_RIDGE_ARCH = 'KERNEL_RIDGE_ARCH',
  KERNEL_RIDGE_SURROGATE = 'KERNEL_RIDGE_SURROGATE',
}

registerEnumType(ExtrapolationMethodEnum, {
  name: 'ExtrapolationMethod',
  description:
    'PARAMETRIC_ENSEMBLE: Domhan et al. (2015) curve families fitted to the curve, no training data; RIDGE, KERNEL_RIDGE, KERNEL_RIDGE_ARCH, KERNEL_RIDGE_SURROGATE: trained on stored curves of the protocol (with the architecture for _ARCH, with an architecture surrogate prediction of the final value for _SURROGATE); LAST_VALUE, BEST_SO_FAR: baselines.',
});

/** The GraphQL value of a predictor method. */
export function toExtrapolationMethodEnum(method: ExtrapolationMethodValue): ExtrapolationMethodEnum {
  return ExtrapolationMethodEnum[ExtrapolationMethod[method]];
}
