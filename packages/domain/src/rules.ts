/** Request rules, one module per operation family; see rules/*.ts. */
export * from './rules/common';
export * from './rules/security';
export * from './rules/formats';
export * from './rules/create-cluster';
export * from './rules/configuration';
export * from './rules/updates';
export * from './rules/topics';
