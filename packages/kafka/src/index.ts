export * from './admin';
export * from './pool';
export { errorName, type ElectLeadersPartitionResult } from './protocol';
