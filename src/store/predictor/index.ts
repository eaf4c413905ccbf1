export {
  PredictorStatus,
  type PredictorMetrics,
  type PredictorRow,
  type PredictorStatusValue,
} from '../entity/predictor.entity';
export * from './predictor-repository';
export * from './prediction-cache';
export * from './load-training-targets';
export * from './load-training-curves';
export * from './predictor-fit-claim';
