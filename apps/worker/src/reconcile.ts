import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, Db } from '@openmsk/db';
import type { OperationQueue } from '@openmsk/queue';
import * as domain from '@openmsk/domain';
import { adminBootstrap, type ClusterSpec, type ClusterTopology } from '@openmsk/domain';
import { KafkaAdmin } from '@openmsk/kafka';
import { LABELS, clusterPaths, containerName, instanceId, removeStaleBrokerRegistration, waitFor, zookeeperOk, zookeeperServing } from '@openmsk/runtime';
import { containerSpec, issueCertificates, speaksTls, type PlacedWithType } from './nodes';
import { leafDue } from './certificates';
import { BROKER_STOP_SECONDS, adminTarget, clusterAdmin, keystoreNewerThan, loadTopology, rollControllers, waitInSync } from './rolling';
import type { WorkerDeps } from './deps';
import { releasePorts } from './ports';

/**
 * Outbox sweep: every unfinished operation has a job. Operations written while Redis was down, or
 * whose job Redis lost (it keeps nothing on disk), are enqueued again; jobId = operation id makes
 * this a no-op for jobs that still exist.
 */
export async function reconcileQueue(db: Db, queue: OperationQueue): Promise<number> {
  const open = await db.clusterOperation.findMany({ where: { endTime: null }, select: { id: true, enqueued: true }, orderBy: { createdAt: 'asc' }, take: 500 });
  let n = 0;
  for (const { id, enqueued } of open) {
    if (!(await queue.enqueue(id))) break; // Redis unreachable: try again next sweep
    if (!enqueued) {
      await db.clusterOperation.update({ where: { id }, data: { enqueued: true } });
      n++;
    }
  }
  return n;
}

/**
 * Docker against Postgres: containers, volumes and files of clusters that no longer exist are
 * removed (nothing else is touched: only what carries openmsk's labels or lives in its folders).
 */
export async function reconcileOrphans(deps: WorkerDeps): Promise<string[]> {
  const known = new Set((await deps.db.cluster.findMany({ select: { id: true } })).map((c) => c.id));
  const containers = await deps.docker.listManaged({ [LABELS.instance]: instanceId(deps.config.OPENMSK_HOME) });
  const orphanIds = new Set<string>();
  for (const c of containers) {
    const id = c.labels[LABELS.cluster];
    if (id && !known.has(id)) orphanIds.add(id);
  }
  for (const v of await deps.storage.list()) if (!known.has(v.clusterId)) orphanIds.add(v.clusterId);
  for (const id of orphanIds) {
    deps.log('removing orphaned cluster resources', { clusterId: id });
    const mine = containers.filter((c) => c.labels[LABELS.cluster] === id);
    await Promise.all(mine.filter((c) => c.labels[LABELS.role] === 'broker').map((c) => deps.docker.stop(c.name, BROKER_STOP_SECONDS)));
    await Promise.all(mine.map((c) => deps.docker.remove(c.name)));
    await deps.storage.removeCluster(id);
    rmSync(clusterPaths(deps.config.OPENMSK_HOME, id).root, { recursive: true, force: true });
    await releasePorts(deps.db, id);
  }
  return [...orphanIds];
}

/** Clusters a heal may act on: ACTIVE or HEALING, no operation in flight (a roll stops nodes on purpose). */
const healable = (only?: string) => ({ state: { in: ['ACTIVE', 'HEALING'] }, operations: { none: { endTime: null } }, ...(only ? { id: only } : {}) });

/**
 * The clusters a sweep asks to heal: a node's container is not running, or the cluster is still HEALING (a heal that
 * stopped with its worker is taken up again).
 */
export async function clustersToHeal(deps: WorkerDeps): Promise<string[]> {
  const out: string[] = [];
  for (const cluster of await deps.db.cluster.findMany({ where: healable() })) {
    if (cluster.state === 'HEALING') out.push(cluster.id);
    else {
      for (const n of await deps.db.node.findMany({ where: { clusterId: cluster.id }, select: { nodeId: true } })) {
        if (!(await deps.docker.inspect(containerName(cluster.id, n.nodeId)))?.running) {
          out.push(cluster.id);
          break;
        }
      }
    }
  }
  return out;
}

/**
 * MSK's HEALING: a node of an ACTIVE cluster whose container stopped, was killed, OOM-killed or removed (a crash,
 * an engine or host restart) is noticed (Docker events, and every sweep), the cluster shows HEALING (updates are
 * refused meanwhile; clients keep producing and consuming on the other brokers), the container is re-created on its
 * existing volume with its configuration and certificates, and the cluster is ACTIVE again once every partition is
 * back in sync. Clusters with an operation in flight are left to it: a roll stops nodes on purpose. Runs as a `heal`
 * job of the maintenance queue, which runs one job at a time across every worker: a cluster is never healed twice at
 * once. `only` limits the pass to one cluster (a Docker event names it).
 */
export async function healClusters(deps: WorkerDeps, only?: string): Promise<string[]> {
  const healed: string[] = [];
  for (const cluster of await deps.db.cluster.findMany({ where: healable(only) })) healed.push(...(await healCluster(deps, cluster)));
  return healed;
}

/** The cluster left HEALING while a heal ran (DeleteCluster): the heal stops starting nodes. */
class StandDown extends Error {}

async function healCluster(deps: WorkerDeps, cluster: Cluster): Promise<string[]> {
  const t = await loadTopology(deps, cluster);
  const down: PlacedWithType[] = [];
  for (const n of t.nodes) if (!(await deps.docker.inspect(containerName(cluster.id, n.nodeId)))?.running) down.push(n);
  if (down.length === 0 && cluster.state === 'ACTIVE') return [];
  if (cluster.state === 'ACTIVE') {
    // Only from ACTIVE with nothing in flight, in one statement: an update the API accepted meanwhile wins, and
    // the API refuses updates once this has happened.
    const flipped = await deps.db.cluster.updateMany({
      where: { id: cluster.id, state: 'ACTIVE', operations: { none: { endTime: null } } },
      data: { state: 'HEALING' },
    });
    if (flipped.count === 0) return [];
    deps.log('healing', { clusterArn: cluster.arn, down: down.map((n) => n.nodeId) });
  }
  const spec = cluster.spec as unknown as ClusterSpec;
  // DeleteCluster is accepted while HEALING: from then on the heal starts nothing, or it would re-create what the
  // delete is removing.
  const stillHealing = async () => (await deps.db.cluster.findUnique({ where: { id: cluster.id }, select: { state: true } }))?.state === 'HEALING';
  const start = async (n: PlacedWithType) => {
    if (!(await stillHealing())) throw new StandDown();
    const mount = n.role === 'broker'
      ? (await deps.storage.ensure({ clusterId: cluster.id, nodeId: n.nodeId }, spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize)).path
      : undefined;
    await deps.docker.ensureRunning(containerSpec(deps, cluster, n, mount));
  };
  // The metadata quorum first: brokers need it to register.
  const order = [...down].sort((a, b) => Number(a.role === 'broker') - Number(b.role === 'broker'));
  const zookeeper = t.nodes.some((n) => n.role === 'zookeeper') ? domain.zookeeperConnect(t) : undefined;
  const standDown = () => {
    deps.log('heal stopped: the cluster is no longer HEALING', { clusterArn: cluster.arn });
    return [];
  };
  try {
    for (const n of order) {
      if (zookeeper && n.role === 'broker') await dropStaleRegistration(deps, cluster, t, zookeeper, n);
      await start(n);
      deps.log('re-created or restarted a node', { clusterArn: cluster.arn, node: n.nodeId });
    }
  } catch (e) {
    if (e instanceof StandDown) return standDown();
    throw e;
  }
  // Up means the node itself answers, not that the others still list it. A node that exits again is started again,
  // until the deadline (a ZooKeeper-mode broker whose registration could not be dropped exits at once until its old
  // session expires).
  // Every node of the cluster is looked at on each pass, not only those down at first: an engine stopping takes its
  // containers down one after another, and the first die event starts this heal.
  const healing = new Set(order.map((n) => n.nodeId));
  const byRole = [...t.nodes].sort((a, b) => Number(a.role === 'broker') - Number(b.role === 'broker'));
  let stoodDown = false;
  await waitFor(`nodes ${order.map((n) => n.nodeId).join(', ')} up`, async () => {
    if (!(await stillHealing())) return (stoodDown = true);
    let all = true;
    for (const n of byRole) {
      if (!(await deps.docker.inspect(containerName(cluster.id, n.nodeId)))?.running) {
        if (zookeeper && n.role === 'broker') await dropStaleRegistration(deps, cluster, t, zookeeper, n);
        await start(n);
        if (!healing.has(n.nodeId)) deps.log('re-created or restarted a node', { clusterArn: cluster.arn, node: n.nodeId });
        healing.add(n.nodeId);
        all = false;
      } else if (healing.has(n.nodeId) && !(await nodeAnswers(deps, cluster, t, n))) all = false;
    }
    return all;
  }, deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000, 500);
  if (stoodDown) return standDown();
  await waitInSync(deps, cluster, t);
  await deps.db.cluster.updateMany({ where: { id: cluster.id, state: 'HEALING' }, data: { state: 'ACTIVE' } });
  deps.log('healed', { clusterArn: cluster.arn });
  return [...healing].map((id) => `${cluster.id}/${id}`);
}

/**
 * A killed ZooKeeper-mode broker stays registered, leader of its partitions and in their ISR (and controller, if it
 * was), until its ZooKeeper session expires (18 s), and a restarted broker with its id exits at once until then. Its
 * container is not running, so what it holds is stale: dropping it lets a new controller move leadership at once and
 * the new broker register.
 */
async function dropStaleRegistration(deps: WorkerDeps, cluster: Cluster, t: ClusterTopology, zookeeper: string, n: PlacedWithType) {
  if ((await deps.docker.inspect(containerName(cluster.id, n.nodeId)))?.running) return;
  // As openmsk's ZooKeeper super user: the brokers' secure ACLs let no one else delete what they registered.
  const removed = await removeStaleBrokerRegistration(zookeeper, n.ordinal, { auth: domain.hasZookeeperTls(t) ? t.zookeeperSuper : undefined }).catch((e: Error) => {
    deps.log(`could not drop the stale registration of broker ${n.ordinal}: ${e.message}`, { clusterArn: cluster.arn }, 'warn');
    return [];
  });
  if (removed.length) deps.log('dropped what a dead broker held in ZooKeeper', { clusterArn: cluster.arn, node: n.nodeId, removed });
}

/** The node answers for itself: a broker lists itself in its own metadata, ZooKeeper says imok, a controller is a voter the leader has caught up. */
async function nodeAnswers(deps: WorkerDeps, cluster: Cluster, t: ClusterTopology, n: PlacedWithType): Promise<boolean> {
  if (n.role === 'zookeeper') return zookeeperOk(t.host, n.ports.zk_client!);
  if (n.role === 'controller') {
    // Caught up since this container started: the leader remembers the old process's last fetch for a while.
    const started = (await deps.docker.inspect(containerName(cluster.id, n.nodeId)))?.startedAt?.getTime() ?? Infinity;
    const q = await (await clusterAdmin(deps, cluster, t)).describeQuorum().catch(() => undefined);
    const newest = q?.voters.reduce((m, v) => (v.lastCaughtUpTimestamp > m ? v.lastCaughtUpTimestamp : m), 0n) ?? 0n;
    const me = q?.voters.find((v) => v.id === n.ordinal);
    return !!me && Number(me.lastCaughtUpTimestamp) >= started && newest - me.lastCaughtUpTimestamp <= 2000n;
  }
  const { caPem, clientCert } = await adminTarget(deps, cluster, t);
  const own = new KafkaAdmin({ brokers: [adminBootstrap(t, n)], caPem, clientCert }, { clientId: 'openmsk-worker', timeoutMs: 2000 });
  try {
    const m = await own.metadata({ topics: [] });
    return m.brokers.some((b) => b.id === n.ordinal);
  } catch {
    return false;
  } finally {
    await own.close();
  }
}

/**
 * Asks for a heal of a cluster as soon as Docker reports one of its containers stopped, killed or removed (debounced:
 * one kill sends kill, die and stop), and for a sweep when the event stream re-opens after an engine restart. Returns a function that stops watching.
 */
export function watchContainers(deps: WorkerDeps, heal: (clusterId: string) => Promise<void>, sweep: () => Promise<void>): () => void {
  const pending = new Map<string, NodeJS.Timeout>();
  const unwatch = deps.docker.watch({ [LABELS.instance]: instanceId(deps.config.OPENMSK_HOME) }, (e) => {
    const clusterId = e.labels[LABELS.cluster];
    if (!clusterId || e.action === 'start' || pending.has(clusterId)) return;
    pending.set(clusterId, setTimeout(() => {
      pending.delete(clusterId);
      heal(clusterId).catch((err) => deps.log(`heal: ${(err as Error).message}`, { clusterId }, 'error'));
    }, 200));
  }, () => {
    // The engine came back (a restart stops every container and its events were missed): look at once.
    sweep().catch((err) => deps.log(`sweep: ${(err as Error).message}`, undefined, 'error'));
  });
  return () => {
    unwatch();
    for (const t of pending.values()) clearTimeout(t);
    pending.clear();
  };
}

/**
 * Leaf certificates renewed before they expire, on every sweep, for ACTIVE clusters with nothing in flight (whether one
 * is due is read from the files; the CA is only decrypted when one is). A broker takes its new certificate without a
 * restart: altering `listener.name.<listener>.ssl.keystore.location` to the same file makes Kafka reload the keystore
 * of that listener (KIP-226), so open connections stay up and new ones get the new certificate. A KRaft controller
 * reads its keystore at start only, and the admin listener cannot reach it: the controllers whose keystore is newer
 * than their container are rolled (one at a time, the quorum kept, as in any roll) with the cluster in MSK's
 * MAINTENANCE state, which refuses updates meanwhile. A roll that stops midway is taken up again by the next sweep.
 */
/**
 * ZooKeeper nodes restarted one at a time, each back (imok, and serving as leader or follower) before the next: with
 * three nodes the ensemble keeps its majority throughout.
 */
async function rollZookeeper(deps: WorkerDeps, cluster: Cluster, t: ClusterTopology, nodes: PlacedWithType[]) {
  for (const n of nodes) {
    await deps.docker.stop(containerName(cluster.id, n.nodeId), 30);
    await deps.docker.ensureRunning(containerSpec(deps, cluster, n));
    await waitFor(`ZooKeeper ${n.nodeId} serving`, () => zookeeperServing(t.host, n.ports.zk_client!), deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000, 500);
  }
}

export async function renewCertificates(deps: WorkerDeps): Promise<string[]> {
  const out: string[] = [];
  const rows = await deps.db.cluster.findMany({ where: { state: 'ACTIVE', operations: { none: { endTime: null } } } });
  for (const cluster of rows) {
    const t = await loadTopology(deps, cluster);
    const paths = clusterPaths(deps.config.OPENMSK_HOME, cluster.id);
    const due = t.nodes.some((n) => speaksTls(n) && leafDue(join(paths.node(n.nodeId).config, 'tls'), deps.config.OPENMSK_CERT_RENEW_DAYS));
    const renewed = due ? await issueCertificates(deps, cluster, t) : [];
    const admin = await clusterAdmin(deps, cluster, t);
    for (const n of renewed) {
      out.push(`${cluster.id}/${n.nodeId}`);
      if (n.role !== 'broker') continue;
      const listeners = [
        ...(t.security.inCluster ? ['replication'] : []),
        ...(domain.hasTlsClients(t.security) ? ['client_secure'] : []),
        ...(domain.hasScramClients(t.security) ? ['client_sasl_scram'] : []),
        ...(domain.hasIamClients(t.security) ? ['client_sasl_iam'] : []),
      ];
      const set = Object.fromEntries(listeners.map((l) => [`listener.name.${l}.ssl.keystore.location`, domain.CONTAINER_PATHS.keystore]));
      await admin.alterConfigs({ broker: n.ordinal }, { set });
      deps.log('renewed a certificate', { clusterArn: cluster.arn, node: n.nodeId, listeners });
    }
    // Running controllers and TLS ZooKeeper nodes started before their keystore was written (a stopped one is the
    // healer's, not ours): both read it at start only.
    const stale: PlacedWithType[] = [];
    for (const n of t.nodes.filter((x) => x.role === 'controller' || (x.role === 'zookeeper' && speaksTls(x)))) {
      const state = await deps.docker.inspect(containerName(cluster.id, n.nodeId));
      if (state?.running && state.startedAt && keystoreNewerThan(deps, cluster, n, state.startedAt)) stale.push(n);
    }
    if (stale.length === 0) continue;
    const flipped = await deps.db.cluster.updateMany({ where: { id: cluster.id, state: 'ACTIVE', operations: { none: { endTime: null } } }, data: { state: 'MAINTENANCE' } });
    if (flipped.count === 0) continue; // an update was accepted meanwhile: the next sweep tries again
    try {
      deps.log('rolling the metadata quorum for its renewed certificates', { clusterArn: cluster.arn, nodes: stale.map((n) => n.nodeId) });
      if (domain.isKraft(cluster.kafkaVersion)) await rollControllers(deps, cluster, t);
      else await rollZookeeper(deps, cluster, t, stale);
    } finally {
      await deps.db.cluster.updateMany({ where: { id: cluster.id, state: 'MAINTENANCE' }, data: { state: 'ACTIVE' } });
    }
  }
  return out;
}
