/**
 * The MSK part of a broker's server.properties: MSK's default configuration (docs/msk-behaviour.md §6), sized to
 * the cluster, with the custom configuration revision on top. Listeners, ids, ports, TLS and log
 * dirs are the control plane's and are layered on by the node builder, after this.
 */
import { isKraft } from './catalog';

/**
 * Keys only the control plane sets. The allowlist never admits them, and
 * {@link buildServerProperties} drops them from custom input as a second guard.
 */
export const CONTROL_PLANE_KEYS: readonly string[] = [
  // identity and metadata quorum
  'broker.id', 'node.id', 'process.roles', 'broker.id.generation.enable', 'reserved.broker.max.id',
  'zookeeper.connect', 'zookeeper.set.acl', 'zookeeper.ssl.client.enable',
  'controller.quorum.voters', 'controller.quorum.bootstrap.servers', 'controller.listener.names',
  // listeners and ports (MSK: `listeners` can never be set [doc])
  'listeners', 'advertised.listeners', 'listener.security.protocol.map', 'inter.broker.listener.name',
  'security.inter.broker.protocol', 'port', 'host.name', 'advertised.host.name', 'advertised.port',
  // authentication and authorization, driven by clientAuthentication / encryptionInfo
  'sasl.enabled.mechanisms', 'sasl.mechanism.inter.broker.protocol', 'sasl.mechanism.controller.protocol',
  'authorizer.class.name', 'super.users', 'ssl.client.auth',
  // storage, racks and tiering, driven by brokerNodeGroupInfo / storageMode
  'log.dir', 'log.dirs', 'metadata.log.dir', 'broker.rack', 'remote.log.storage.system.enable',
];

/** Whole families owned by the control plane (`ssl.keystore.location`, `listener.name.tls.ssl...`). */
export const CONTROL_PLANE_PREFIXES: readonly string[] = ['ssl.', 'listener.name.', 'zookeeper.ssl.', 'remote.log.storage.manager.', 'remote.log.metadata.manager.'];

export function isControlPlaneKey(key: string): boolean {
  return CONTROL_PLANE_KEYS.includes(key) || CONTROL_PLANE_PREFIXES.some((p) => key.startsWith(p));
}

/** MSK's default configuration, except the two replication keys sized in {@link buildServerProperties}. */
const MSK_DEFAULTS: readonly [string, string][] = [
  ['allow.everyone.if.no.acl.found', 'true'],
  ['auto.create.topics.enable', 'false'],
  ['auto.leader.rebalance.enable', 'true'],
  ['num.io.threads', '8'],
  ['num.network.threads', '5'],
  ['num.partitions', '1'],
  ['num.replica.fetchers', '2'],
  ['replica.lag.time.max.ms', '30000'],
  ['socket.receive.buffer.bytes', '102400'],
  ['socket.send.buffer.bytes', '102400'],
  ['socket.request.max.bytes', '104857600'],
  ['unclean.leader.election.enable', 'true'],
];

/** MSK defaults that exist only for ZooKeeper-mode brokers (Kafka 4 has no ZooKeeper keys at all). */
const ZOOKEEPER_DEFAULTS: readonly [string, string][] = [
  ['zookeeper.session.timeout.ms', '18000'],
  ['zookeeper.set.acl', 'false'],
];

export interface BuildServerPropertiesInput {
  brokerCount: number;
  /** Distinct client subnets (= availability zones) of the cluster. */
  zoneCount: number;
  /** Keys of the custom configuration revision, already validated by the allowlist. */
  custom?: ReadonlyMap<string, string>;
  /** Cluster's MSK version label; KRaft versions get no ZooKeeper defaults. */
  kafkaVersion?: string;
}

/** Replication factor and min ISR MSK would pick, lowered so small clusters can create topics. */
export function replicationDefaults(brokerCount: number, zoneCount: number): { replicationFactor: number; minInsyncReplicas: number } {
  const mskRf = zoneCount <= 2 ? 2 : 3; // 3 for 3-AZ clusters, 2 for 2-AZ [doc msk-default-configuration]
  const mskMinIsr = zoneCount <= 2 ? 1 : 2;
  // The create rules keep brokers >= zones, so this cap is a guard: should a smaller cluster
  // ever exist (a relaxed dev rule), topics with RF > brokers could not be created at all.
  const replicationFactor = Math.max(1, Math.min(mskRf, brokerCount));
  const minInsyncReplicas = Math.min(mskMinIsr, Math.max(1, replicationFactor - 1));
  return { replicationFactor, minInsyncReplicas };
}

/**
 * MSK defaults + sized replication keys + custom revision (custom wins), as an ordered map.
 * Internal topics (`__consumer_offsets`, transaction state) get the same sizing, because Kafka's
 * own default of 3 makes the first consumer group hang on a 1- or 2-broker cluster.
 */
export function buildServerProperties(input: BuildServerPropertiesInput): Map<string, string> {
  const { brokerCount, zoneCount, custom, kafkaVersion } = input;
  const { replicationFactor, minInsyncReplicas } = replicationDefaults(brokerCount, zoneCount);
  const out = new Map<string, string>(MSK_DEFAULTS);
  out.set('default.replication.factor', String(replicationFactor));
  out.set('min.insync.replicas', String(minInsyncReplicas));
  out.set('offsets.topic.replication.factor', String(replicationFactor));
  out.set('transaction.state.log.replication.factor', String(replicationFactor));
  out.set('transaction.state.log.min.isr', String(minInsyncReplicas));
  if (!(kafkaVersion && isKraft(kafkaVersion))) for (const [k, v] of ZOOKEEPER_DEFAULTS) out.set(k, v);
  for (const [k, v] of custom ?? []) if (!isControlPlaneKey(k)) out.set(k, v);
  return out;
}
