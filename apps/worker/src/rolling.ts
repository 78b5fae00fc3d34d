import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { internalClientIdentity, type Cluster } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { configDrift, partitionsBlockingRestart, underReplicated, type ClusterState, type KafkaAdmin, type KafkaTarget } from '@openmsk/kafka';
import { KEYSTORE_FILE } from '@openmsk/pki';
import { clusterPaths, containerName, waitFor } from '@openmsk/runtime';
import { ProvisionError, type WorkerDeps } from './deps';
import { jmxConfigNewerThan } from './monitoring';
import { containerSpec, type PlacedWithType } from './nodes';
import { clientEndpoints, toTopology } from './topology';

/** Seconds a broker gets to move its leadership away (controlled shutdown) before SIGKILL. */
export const BROKER_STOP_SECONDS = 60;

export async function loadTopology(deps: WorkerDeps, cluster: Cluster) {
  return toTopology(deps, cluster, await deps.db.node.findMany({ where: { clusterId: cluster.id } }));
}

/**
 * The cluster's admin listener: every broker's REPLICATION listener, TLS with the cluster's CA when in-cluster
 * encryption is on, presenting openmsk's own client certificate (required there when the cluster has an authorizer).
 */
export async function adminTarget(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<KafkaTarget> {
  const brokers = t.nodes.filter((n) => n.role === 'broker').map((n) => domain.adminBootstrap(t, n));
  const caPath = clusterPaths(deps.config.OPENMSK_HOME, cluster.id).ca;
  if (!t.security.inCluster || !existsSync(caPath)) return { brokers };
  return { brokers, caPem: readFileSync(caPath, 'utf8'), clientCert: await internalClientIdentity(deps.db, deps.box, cluster.accountId) };
}

/** The cluster's pooled admin client. */
export const clusterAdmin = async (deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<KafkaAdmin> =>
  deps.kafka.get(cluster.id, await adminTarget(deps, cluster, t));

/** Brokers and every partition (internal topics included) as the brokers report them. */
export async function clusterMetadata(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<ClusterState> {
  return (await clusterAdmin(deps, cluster, t)).metadata({ internal: true });
}

/** Every broker registered and no partition short of replicas: safe to take the next broker down. */
export async function waitInSync(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, brokerCount = cluster.numberOfBrokerNodes) {
  const timeout = deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000;
  let last = '';
  await waitFor('cluster in sync', async () => {
    const m = await clusterMetadata(deps, cluster, t);
    const lagging = underReplicated(m);
    const now = `${m.brokers.length}/${brokerCount} brokers, under-replicated: ${lagging.slice(0, 5).join(', ') || 'none'}`;
    if (now !== last) deps.log(`waiting for the cluster to be in sync: ${now}`, { clusterArn: cluster.arn }, 'debug');
    last = now;
    return m.brokers.length >= brokerCount && lagging.length === 0;
  }, timeout, 300).catch((e) => {
    throw new ProvisionError('BROKERS_NOT_IN_SYNC', `${(e as Error).message} (${last})`);
  });
}

/**
 * What a node needs for its container to match the cluster: nothing, a restart (it does not run with its
 * configuration file), or a new container (image or limits changed). A running broker is asked: its own
 * DescribeConfigs (configDrift) says which keys of its file it does not run with; dynamic keys already applied need
 * no restart. Controllers and ZooKeeper nodes, which the admin listener cannot ask, and a broker that does not
 * answer, are judged by their file's modification time against the container's start. This is also how a resumed
 * operation skips the brokers it had already rolled before a crash.
 */
export async function nodeDrift(deps: WorkerDeps, cluster: Cluster, node: PlacedWithType, t?: domain.ClusterTopology): Promise<'none' | 'restart' | 'recreate'> {
  const state = await deps.docker.inspect(containerName(cluster.id, node.nodeId));
  const mount = node.role === 'broker' ? (await deps.storage.status({ clusterId: cluster.id, nodeId: node.nodeId }))?.path : undefined;
  const spec = containerSpec(deps, cluster, node, mount);
  if (!state || state.image !== spec.image || (spec.memoryMiB !== undefined && state.memory !== spec.memoryMiB * 1024 * 1024)) return 'recreate';
  // An environment openmsk sets that differs (the exporters' agents and ports) needs a new container.
  if (state.env && spec.env?.some((e) => !state.env!.includes(e))) return 'recreate';
  if (!state.running || !state.startedAt) return 'restart';
  // The JMX exporter reads its authentication (open monitoring on or off) at start only.
  if (jmxConfigNewerThan(deps, cluster, node, state.startedAt)) return 'restart';
  const file = join(clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(node.nodeId).config, 'server.properties');
  if (node.role === 'broker' && t) {
    const running = await (await clusterAdmin(deps, cluster, t)).describeConfigs({ broker: node.ordinal }, undefined, { synonyms: true }).catch(() => undefined);
    if (running) {
      const keys = configDrift(domain.propertiesToMap(domain.parseProperties(readFileSync(file, 'utf8'))), running);
      if (keys.length) deps.log(`broker ${node.ordinal} does not run with its configuration: ${keys.join(', ')}`, { clusterArn: cluster.arn });
      return keys.length ? 'restart' : 'none';
    }
  }
  // A controller reads its certificate at start only (brokers reload theirs: see renewCertificates).
  const stale = state.startedAt < statSync(file).mtime || (node.role === 'controller' && keystoreNewerThan(deps, cluster, node, state.startedAt));
  return stale ? 'restart' : 'none';
}

/** The node's keystore was written after `startedAt` (a controller started then runs its old certificate). */
export function keystoreNewerThan(deps: WorkerDeps, cluster: Cluster, node: domain.PlacedNode, startedAt: Date): boolean {
  const keystore = join(clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(node.nodeId).config, 'tls', KEYSTORE_FILE);
  return existsSync(keystore) && statSync(keystore).mtime > startedAt;
}

/**
 * One step of a rolling change: stop the node gracefully (a broker's controlled shutdown hands its
 * leadership over), recreate its container when the spec changed (image, limits), start it, and
 * wait until the cluster is fully in sync again. Without `force`, a node already up to date is left alone.
 */
export async function rollNode(
  deps: WorkerDeps,
  cluster: Cluster,
  t: domain.ClusterTopology & { nodes: PlacedWithType[] },
  node: PlacedWithType,
  opts: { force?: boolean; onWait?: (reason: string) => Promise<void> } = {},
) {
  const drift = await nodeDrift(deps, cluster, node, t);
  if (drift === 'none' && !opts.force) return;
  const name = containerName(cluster.id, node.nodeId);
  const mount = node.role === 'broker' ? (await deps.storage.status({ clusterId: cluster.id, nodeId: node.nodeId }))?.path : undefined;
  const phases: Record<string, number> = {};
  let mark = Date.now();
  const phase = (what: string) => {
    phases[what] = Date.now() - mark;
    mark = Date.now();
  };
  if (node.role === 'broker' && (await deps.docker.inspect(name))?.running) await waitUntilSafeToStop(deps, cluster, t, node, opts.onWait);
  phase('safeToStopMs');
  await deps.docker.stop(name, node.role === 'broker' ? BROKER_STOP_SECONDS : 20);
  phase('stopMs');
  if (drift === 'recreate') await deps.docker.remove(name);
  await deps.docker.ensureRunning(containerSpec(deps, cluster, node, mount));
  phase('startMs');
  await waitInSync(deps, cluster, t);
  phase('inSyncMs');
  if (node.role === 'broker') await preferredLeaders(deps, cluster, t);
  phase('preferredLeadersMs');
  deps.log(`rolled ${node.nodeId}`, { clusterArn: cluster.arn, drift, ...phases });
}

/**
 * Hands leadership back to the preferred replicas once a restarted broker is in sync. Without it a
 * roll piles every leader onto the last broker, which then takes all of them down with it.
 */
export async function preferredLeaders(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology) {
  const results = await (await clusterAdmin(deps, cluster, t)).electPreferredLeaders().catch((e: Error) => {
    deps.log('preferred leader election did not complete', { clusterArn: cluster.arn, error: e.message });
    return [];
  });
  // ELECTION_NOT_NEEDED: the preferred replica leads already; PREFERRED_LEADER_NOT_AVAILABLE: it is not in sync yet.
  const failed = results.filter((r) => !['NONE', 'ELECTION_NOT_NEEDED', 'PREFERRED_LEADER_NOT_AVAILABLE'].includes(r.error));
  if (failed.length) deps.log('preferred leader election failed for some partitions', { clusterArn: cluster.arn, failed: failed.slice(0, 5) });
}

/**
 * Waits until stopping `broker` would leave every partition it is in sync for with at least min.insync.replicas
 * in-sync replicas (Strimzi's KafkaAvailability rule, packages/kafka partitionsBlockingRestart), reading the live
 * ISR and each topic's effective min.insync.replicas from the brokers. Each distinct reason to wait is logged and
 * passed to `onWait`, so the operation records why it paused.
 */
export async function waitUntilSafeToStop(
  deps: WorkerDeps,
  cluster: Cluster,
  t: domain.ClusterTopology,
  broker: domain.PlacedNode,
  onWait: (reason: string) => Promise<void> = async () => {},
) {
  const admin = await clusterAdmin(deps, cluster, t);
  const timeout = deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000;
  let last = '';
  await waitFor(`broker ${broker.ordinal} safe to restart`, async () => {
    const m = await admin.metadata({ internal: true });
    const minIsr = await minInsyncReplicas(admin, m.topics.map((x) => x.name));
    const blocking = partitionsBlockingRestart(m, broker.ordinal, (topic) => minIsr.get(topic) ?? 1);
    if (blocking.length === 0) return true;
    const reason = `waiting to restart broker ${broker.ordinal}: ${blocking.length} partition(s) at or below min.insync.replicas with it in sync: ${blocking.slice(0, 3).join('; ')}`;
    if (reason !== last) {
      last = reason;
      deps.log(reason, { clusterArn: cluster.arn });
      await onWait(reason);
    }
    return false;
  }, timeout, 500).catch((e) => {
    throw new ProvisionError('BROKERS_NOT_IN_SYNC', `${(e as Error).message} (${last})`);
  });
}

/**
 * Rolls the KRaft controllers that need it (Strimzi's KafkaQuorumCheck): the followers first and the active
 * controller last, each only once a majority of the quorum without it is caught up with the leader, so the
 * metadata quorum never loses its majority. Leadership may move during the roll: the order is decided again before
 * each controller.
 */
export async function rollControllers(
  deps: WorkerDeps,
  cluster: Cluster,
  t: domain.ClusterTopology & { nodes: PlacedWithType[] },
  opts: { force?: boolean; onWait?: (reason: string) => Promise<void> } = {},
) {
  const admin = await clusterAdmin(deps, cluster, t);
  const done = new Set<string>();
  for (;;) {
    const todo: PlacedWithType[] = [];
    for (const n of t.nodes.filter((x) => x.role === 'controller' && !done.has(x.nodeId))) {
      if (opts.force || (await nodeDrift(deps, cluster, n)) !== 'none') todo.push(n);
    }
    if (todo.length === 0) return;
    const leaderId = (await admin.describeQuorum()).leaderId;
    const next = todo.find((n) => n.ordinal !== leaderId) ?? todo[0];
    await waitQuorumWithout(deps, cluster, admin, next, opts.onWait);
    await rollNode(deps, cluster, t, next, { force: true, onWait: opts.onWait });
    done.add(next.nodeId);
  }
}

/** Voters caught up within this long of the most recent one count as caught up (KRaft's fetch timeout is 2 s). */
const QUORUM_CAUGHT_UP_MS = 2000n;

async function waitQuorumWithout(deps: WorkerDeps, cluster: Cluster, admin: KafkaAdmin, ctl: domain.PlacedNode, onWait?: (reason: string) => Promise<void>) {
  let last = '';
  await waitFor(`controller ${ctl.ordinal} safe to restart`, async () => {
    const q = await admin.describeQuorum();
    const newest = q.voters.reduce((m, v) => (v.lastCaughtUpTimestamp > m ? v.lastCaughtUpTimestamp : m), 0n);
    const others = q.voters.filter((v) => v.id !== ctl.ordinal);
    const caughtUp = others.filter((v) => v.lastCaughtUpTimestamp >= 0n && newest - v.lastCaughtUpTimestamp <= QUORUM_CAUGHT_UP_MS);
    const majority = Math.floor(q.voters.length / 2) + 1;
    if (caughtUp.length >= majority) return true;
    const reason = `waiting to restart controller ${ctl.ordinal}: ${caughtUp.length} of the other ${others.length} voters caught up, ${majority} needed`;
    if (reason !== last) {
      last = reason;
      deps.log(reason, { clusterArn: cluster.arn });
      await onWait?.(reason);
    }
    return false;
  }, deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000, 250).catch((e) => {
    throw new ProvisionError('QUORUM_NOT_IN_SYNC', `${(e as Error).message} (${last})`);
  });
}

/** Each topic's effective min.insync.replicas, as the brokers report it. */
async function minInsyncReplicas(admin: KafkaAdmin, topics: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(topics.map(async (topic) => {
    const v = (await admin.describeConfigs({ topic }, ['min.insync.replicas'])).get('min.insync.replicas')?.value;
    out.set(topic, Number(v ?? 1));
  }));
  return out;
}

/**
 * Runs one of Kafka's tools inside a running broker, over its replication listener. Used only for `kafka-features
 * upgrade --release-version`: UpdateFeatures itself is a plain request, but which feature levels a release means
 * (metadata.version and the rest) is a table inside each Kafka release, which the tool of that release knows.
 */
export async function kafkaTool(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, tool: string, args: string[]): Promise<string> {
  const broker = t.nodes.find((n) => n.role === 'broker')!;
  const res = await deps.docker.exec(containerName(cluster.id, broker.nodeId), [
    '/opt/kafka/bin/run', tool, '--bootstrap-server', domain.adminBootstrap(t, broker), '--command-config', domain.CLIENT_PROPERTIES, ...args,
  ]);
  if (res.exitCode !== 0) throw new ProvisionError('ADMIN_COMMAND_FAILED', `${tool} ${args.join(' ')}: ${res.output.trim().split('\n').slice(-3).join(' ')}`);
  return res.output;
}
