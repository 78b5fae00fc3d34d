export * from './errors';
export * from './model-exports';
export * from './sigv4';
export * from './iam-token';
export * from './prometheus-text';
