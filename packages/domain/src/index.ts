/** @openmsk/domain: pure MSK rules and catalogs shared by the API and the worker (no I/O). */
export * from './catalog';
export * from './properties';
export * from './allowlist';
export * from './arn';
export * from './current-version';
export * from './rules';
export * from './server-properties';
export * from './node-config';
export * from './dynamic-config';
export * from './regions';
