export * from './predictor-bytes';
export * from './fit-support';
export * from './fit-stored-predictor';
export * from './fit-stored-extrapolator';
export * from './serve-predictions';
export * from './fit-job';
export * from './resolve-fit-request';
export * from './serve-extrapolators';
