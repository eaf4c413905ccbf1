export * from './catalog-source';
export * from './find-names';
export * from './resolve-record-target';
