export * from './predictor-bytes';
export * from './fit-stored-predictor';
export * from './serve-predictions';
export * from './fit-job';
export * from './resolve-fit-request';
