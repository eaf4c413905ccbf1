export * from './api-key-info';
export * from './create-api-key';
export * from './find-active-api-key-by-hash';
export * from './generate-api-key';
export * from './hash-api-key';
export * from './list-api-keys';
export * from './parse-api-key-role';
export * from './revoke-api-key';
