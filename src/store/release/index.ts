export * from './release-columns';
export * from './release-files';
export * from './release-manifest';
export * from './parse-manifest';
export * from './publish-release';
export * from './verify-release';
export * from './import-release';
export * from './release-mapping';
