export * from './load-protocol-values';
