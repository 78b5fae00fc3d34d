export * from './client';
export * from './reads';
export * from './migrate';
export * from './secrets';
export * from './accounts';
export * from './ca';
export * from './scram';
export * from './metrics';
