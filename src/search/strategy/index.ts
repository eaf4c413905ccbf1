export * from './strategy';
export * from './strategy-name';
export * from './strategy-registry';
export * from './option-reader';
export * from './incumbent';
export * from './random-search';
export * from './regularized-evolution';
export * from './decision/decision-view';
