import { PredictorKind } from '../predictor/surrogate/predictor';

/** Kinds a stored predictor can have: the surrogate kinds, then LCE (a learning-curve extrapolator fitted on stored curves). */
export const StoredPredictorKind = { ...PredictorKind, LCE: 'LCE' } as const;

/** One of {@link StoredPredictorKind}'s values. */
export type StoredPredictorKindValue = (typeof StoredPredictorKind)[keyof typeof StoredPredictorKind];
