export * from './names';
export * from './docker';
export * from './kafka-probe';
export * from './storage';
export * from './encryption';
