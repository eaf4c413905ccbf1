export * from './import-file';
export * from './import-mapping';
export * from './import-progress';
export * from './bad-row';
