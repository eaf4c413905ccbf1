export * from './predictor-row';
export * from './predictor-repository';
export * from './prediction-cache';
export * from './load-training-targets';
export * from './load-training-curves';
