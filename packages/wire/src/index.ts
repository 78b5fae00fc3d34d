export * from './errors';
export * from './model-exports';
export * from './sigv4';
export * from './iam-token';
