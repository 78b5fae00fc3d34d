/**
 * Broker settings Kafka changes at runtime for the whole cluster (Kafka's "cluster-wide" dynamic
 * update mode), so a configuration revision touching only these needs no restart. MSK always rolls;
 * openmsk applies these through the admin API instead. Everything else takes a rolling restart.
 * Source: Kafka broker configuration docs, "Dynamic Update Mode: cluster-wide" (3.8–4.1).
 */
export const DYNAMIC_CLUSTER_WIDE_KEYS: ReadonlySet<string> = new Set([
  'compression.type',
  'log.cleaner.delete.retention.ms',
  'log.cleaner.min.cleanable.ratio',
  'log.cleanup.policy',
  'log.flush.interval.messages',
  'log.flush.interval.ms',
  'log.message.timestamp.after.max.ms',
  'log.message.timestamp.before.max.ms',
  'log.message.timestamp.difference.max.ms',
  'log.message.timestamp.type',
  'log.retention.bytes',
  'log.retention.ms',
  'log.roll.ms',
  'log.segment.bytes',
  'message.max.bytes',
  'min.insync.replicas',
  'num.io.threads',
  'num.network.threads',
  'num.recovery.threads.per.data.dir',
  'num.replica.fetchers',
  'unclean.leader.election.enable',
]);

export interface ConfigDiff {
  /** keys whose value is new or changed */
  set: Map<string, string>;
  /** keys the new revision no longer has */
  removed: string[];
}

export function diffProperties(from: Map<string, string>, to: Map<string, string>): ConfigDiff {
  const set = new Map([...to].filter(([k, v]) => from.get(k) !== v));
  const removed = [...from.keys()].filter((k) => !to.has(k));
  return { set, removed };
}

/** True when every change can be applied at runtime, without restarting a broker. */
export function isDynamicOnly(diff: ConfigDiff): boolean {
  return [...diff.set.keys(), ...diff.removed].every((k) => DYNAMIC_CLUSTER_WIDE_KEYS.has(k));
}
