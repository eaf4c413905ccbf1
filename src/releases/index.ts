export * from './release-url';
export * from './import-release-url';
export * from './mirror-releases';
export * from './publish-job';
