import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { clusterPaths, containerName, fetchMetadata, underReplicated, waitFor, type ClusterMetadata } from '@openmsk/runtime';
import { ProvisionError, type WorkerDeps } from './deps';
import { containerSpec, type PlacedWithType } from './nodes';
import { clientEndpoints, toTopology } from './topology';

/** Seconds a broker gets to move its leadership away (controlled shutdown) before SIGKILL. */
export const BROKER_STOP_SECONDS = 60;

export async function loadTopology(deps: WorkerDeps, cluster: Cluster) {
  return toTopology(deps, cluster, await deps.db.node.findMany({ where: { clusterId: cluster.id } }));
}

/** Metadata as a client of the cluster sees it, through any broker that answers. */
export async function clusterMetadata(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<ClusterMetadata> {
  const caPath = clusterPaths(deps.config.OPENMSK_HOME, cluster.id).ca;
  const endpoints = clientEndpoints(t);
  const tls = endpoints.filter((e) => e.purpose === 'client_tls');
  const use = tls.length ? tls : endpoints;
  return fetchMetadata({ bootstrap: use.map((e) => e.endpoint).join(','), tls: tls.length ? { caPath } : undefined }, 4000);
}

/** Every broker registered and no partition short of replicas: safe to take the next broker down. */
export async function waitInSync(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, brokerCount = cluster.numberOfBrokerNodes) {
  const timeout = deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000;
  let last = '';
  await waitFor('cluster in sync', async () => {
    const m = await clusterMetadata(deps, cluster, t);
    const lagging = underReplicated(m);
    last = `${m.brokers.length}/${brokerCount} brokers, under-replicated: ${lagging.slice(0, 5).join(', ') || 'none'}`;
    return m.brokers.length >= brokerCount && lagging.length === 0;
  }, timeout, 300).catch((e) => {
    throw new ProvisionError('BROKERS_NOT_IN_SYNC', `${(e as Error).message} (${last})`);
  });
}

/**
 * What a node needs for its container to match the cluster: nothing, a restart (its configuration
 * file changed after it started), or a new container (image or limits changed). This is how a
 * resumed operation skips the brokers it had already rolled before a crash.
 */
export async function nodeDrift(deps: WorkerDeps, cluster: Cluster, node: PlacedWithType): Promise<'none' | 'restart' | 'recreate'> {
  const state = await deps.docker.inspect(containerName(cluster.id, node.nodeId));
  const mount = node.role === 'broker' ? (await deps.storage.status({ clusterId: cluster.id, nodeId: node.nodeId }))?.path : undefined;
  const spec = containerSpec(deps, cluster, node, mount);
  if (!state || state.image !== spec.image || (spec.memoryMiB !== undefined && state.memory !== spec.memoryMiB * 1024 * 1024)) return 'recreate';
  const props = statSync(join(clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(node.nodeId).config, 'server.properties')).mtime;
  if (!state.running || !state.startedAt || state.startedAt < props) return 'restart';
  return 'none';
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
  opts: { force?: boolean } = {},
) {
  const drift = await nodeDrift(deps, cluster, node);
  if (drift === 'none' && !opts.force) return;
  const name = containerName(cluster.id, node.nodeId);
  const mount = node.role === 'broker' ? (await deps.storage.status({ clusterId: cluster.id, nodeId: node.nodeId }))?.path : undefined;
  await deps.docker.stop(name, node.role === 'broker' ? BROKER_STOP_SECONDS : 20);
  if (drift === 'recreate') await deps.docker.remove(name);
  await deps.docker.ensureRunning(containerSpec(deps, cluster, node, mount));
  await waitInSync(deps, cluster, t);
  if (node.role === 'broker') await preferredLeaders(deps, cluster, t, node);
}

/**
 * Hands leadership back to the preferred replicas once a restarted broker is in sync. Without it a
 * roll piles every leader onto the last broker, which then takes all of them down with it.
 */
export async function preferredLeaders(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, via: domain.PlacedNode) {
  const res = await deps.docker.exec(containerName(cluster.id, via.nodeId), [
    '/opt/kafka/bin/run', 'class', 'org.apache.kafka.tools.LeaderElectionCommand', '--bootstrap-server', domain.adminBootstrap(t, via),
    '--admin.config', domain.CLIENT_PROPERTIES, '--election-type', 'PREFERRED', '--all-topic-partitions',
  ]);
  // "already elected" for every partition is the usual, harmless non-zero outcome.
  if (res.exitCode !== 0 && !/already elected|Valid replica/i.test(res.output)) {
    deps.log('preferred leader election did not complete', { clusterArn: cluster.arn, output: res.output.trim().split('\n').slice(-2).join(' ') });
  }
}

/** Runs one of Kafka's tools inside a running broker, over its replication listener. */
export async function kafkaTool(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, tool: string, args: string[]): Promise<string> {
  const broker = t.nodes.find((n) => n.role === 'broker')!;
  const res = await deps.docker.exec(containerName(cluster.id, broker.nodeId), [
    '/opt/kafka/bin/run', tool, '--bootstrap-server', domain.adminBootstrap(t, broker), '--command-config', domain.CLIENT_PROPERTIES, ...args,
  ]);
  if (res.exitCode !== 0) throw new ProvisionError('ADMIN_COMMAND_FAILED', `${tool} ${args.join(' ')}: ${res.output.trim().split('\n').slice(-3).join(' ')}`);
  return res.output;
}
