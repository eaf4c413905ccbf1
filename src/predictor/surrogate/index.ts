export * from './predictor';
export * from './create-predictor';
export * from './network-predictor';
export * from './ensemble-predictor';
export * from './ridge-predictor';
export * from './network';
export * from './mlp-network';
export * from './gnn-network';
