import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Cluster, Prisma } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { LABELS, clusterPaths, containerName, instanceId, kafkaImage, type ContainerSpec } from '@openmsk/runtime';
import { portRange } from '@openmsk/config';
import { writeFileAtomic } from '@openmsk/pki';
import { accountCa, ensureNodeCertificate } from './certificates';
import { ProvisionError, type WorkerDeps } from './deps';
import { exporterEnv, renderMonitoring } from './monitoring';
import { allocatePorts } from './ports';

const QUORUM_HEAP_MIB = 256;
const QUORUM_MEMORY_MIB = 640;

/** Rows for every node of the layout (ids, zones, ports); existing rows are kept as they are. */
export async function prepareNodes(deps: WorkerDeps, cluster: Cluster): Promise<void> {
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const layout = domain.nodeLayout(cluster.kafkaVersion, cluster.numberOfBrokerNodes, spec.BrokerNodeGroupInfo.ClientSubnets, domain.securityOf(spec));
  for (const n of layout) {
    const ports = await allocatePorts(deps.db, portRange(deps.config), deps.config.OPENMSK_ADVERTISED_HOST, cluster.id, n.nodeId, n.purposes);
    await deps.db.node.upsert({
      where: { clusterId_nodeId: { clusterId: cluster.id, nodeId: n.nodeId } },
      update: {},
      create: {
        clusterId: cluster.id,
        nodeId: n.nodeId,
        role: n.role,
        ordinal: n.ordinal,
        zone: n.zone,
        instanceType: n.role === 'broker' ? spec.BrokerNodeGroupInfo.InstanceType : null,
        ports: ports as Prisma.InputJsonValue,
        nodeUuid: randomUUID(),
      },
    });
  }
  if (domain.isKraft(cluster.kafkaVersion) && !cluster.kraftClusterId) {
    await deps.db.cluster.updateMany({ where: { id: cluster.id, kraftClusterId: null }, data: { kraftClusterId: domain.newKraftClusterId() } });
  }
}

/**
 * The client listener ports the brokers need under the cluster's (target) security settings (UpdateSecurity): ports
 * for new listeners are allocated; with `release`, those of listeners the settings no longer have are given back
 * (after the roll, when no broker listens on them any more).
 */
export async function reconcileListenerPorts(deps: WorkerDeps, cluster: Cluster, opts: { release?: boolean } = {}): Promise<void> {
  const wanted = domain.brokerPurposes(domain.securityOf(cluster.spec as unknown as domain.ClusterSpec));
  for (const n of await deps.db.node.findMany({ where: { clusterId: cluster.id, role: 'broker' } })) {
    const ports = await allocatePorts(deps.db, portRange(deps.config), deps.config.OPENMSK_ADVERTISED_HOST, cluster.id, n.nodeId, wanted);
    const keep = opts.release ? Object.fromEntries(Object.entries(ports).filter(([p]) => wanted.includes(p as domain.PortPurpose))) : ports;
    await deps.db.$transaction([
      deps.db.node.update({ where: { clusterId_nodeId: { clusterId: cluster.id, nodeId: n.nodeId } }, data: { ports: keep as Prisma.InputJsonValue } }),
      deps.db.portAllocation.deleteMany({ where: { clusterId: cluster.id, nodeId: n.nodeId, purpose: { notIn: Object.keys(keep) } } }),
    ]);
  }
}

/**
 * The exporter ports (jmx_exporter, node_exporter) of every broker and controller: allocated where missing (nodes of
 * clusters made before open monitoring was built). A node given them now runs without the agents until its
 * container is re-created (nodeDrift sees the environment differ).
 */
export async function reconcileExporterPorts(deps: WorkerDeps, cluster: Cluster): Promise<void> {
  for (const n of await deps.db.node.findMany({ where: { clusterId: cluster.id, role: { not: 'zookeeper' } } })) {
    const have = n.ports as Record<string, number>;
    if (domain.MONITORING_PURPOSES.every((p) => have[p] !== undefined)) continue;
    const ports = await allocatePorts(deps.db, portRange(deps.config), deps.config.OPENMSK_ADVERTISED_HOST, cluster.id, n.nodeId, [...domain.MONITORING_PURPOSES]);
    await deps.db.node.update({ where: { clusterId_nodeId: { clusterId: cluster.id, nodeId: n.nodeId } }, data: { ports: { ...have, ...ports } as Prisma.InputJsonValue } });
  }
}

/** Brokers and controllers always have a certificate; ZooKeeper nodes when they serve TLS clients. */
export const speaksTls = (n: domain.PlacedNode) => n.role !== 'zookeeper' || n.ports.zk_client_tls !== undefined;

/**
 * Certificates for every node that speaks TLS, and the cluster's ca.pem for clients: issued where missing, renewed
 * where less than OPENMSK_CERT_RENEW_DAYS are left. Returns the nodes that got a new certificate.
 */
export async function issueCertificates(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<PlacedWithType[]> {
  const ca = await accountCa(deps, cluster.accountId);
  const paths = clusterPaths(deps.config.OPENMSK_HOME, cluster.id);
  mkdirSync(paths.root, { recursive: true });
  writeFileAtomic(paths.ca, ca.certPem);
  const validity = { validDays: deps.config.OPENMSK_LEAF_CERT_DAYS, renewDays: deps.config.OPENMSK_CERT_RENEW_DAYS };
  const renewed: PlacedWithType[] = [];
  const clientCas = await clientCertificateAuthorities(deps, cluster);
  for (const n of (t.nodes as PlacedWithType[]).filter(speaksTls)) {
    const tls = join(paths.node(n.nodeId).config, 'tls');
    if (await ensureNodeCertificate(ca, tls, domain.INTERNAL_COMMON_NAME, t.host, validity)) renewed.push(n);
    if (n.role === 'broker' && clientCas !== undefined) writeFileAtomic(join(tls, basename(domain.CONTAINER_PATHS.clientTruststore)), clientCas);
  }
  return renewed;
}

/**
 * With mutual TLS: the certificates of the cluster's certificateAuthorityArnList (the account's ACM Private CAs), one
 * PEM bundle, the client truststore of the brokers' TLS listener. Undefined without mutual TLS.
 */
async function clientCertificateAuthorities(deps: WorkerDeps, cluster: Cluster): Promise<string | undefined> {
  const tls = (cluster.spec as unknown as domain.ClusterSpec).ClientAuthentication?.Tls;
  if (!tls?.Enabled) return undefined;
  const cas = await deps.db.privateCa.findMany({ where: { arn: { in: tls.CertificateAuthorityArnList }, accountId: cluster.accountId } });
  const pems = cas.map((c) => c.certPem).filter((p): p is string => !!p);
  if (pems.length === 0) throw new ProvisionError('NO_CLIENT_CA', 'None of the certificate authorities in certificateAuthorityArnList has a certificate.');
  return pems.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
}

/** server.properties (or zoo.cfg + myid) for every node, written atomically. */
export async function renderConfigs(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology, custom: Map<string, string>): Promise<void> {
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const msk = domain.buildServerProperties({
    brokerCount: cluster.numberOfBrokerNodes,
    zoneCount: spec.BrokerNodeGroupInfo.ClientSubnets.length,
    custom,
    kafkaVersion: cluster.kafkaVersion,
  });
  const paths = clusterPaths(deps.config.OPENMSK_HOME, cluster.id);
  for (const n of t.nodes) {
    const p = paths.node(n.nodeId);
    mkdirSync(p.config, { recursive: true });
    const props =
      n.role === 'broker' ? domain.brokerProperties(t, n, msk)
      : n.role === 'controller' ? domain.controllerProperties(t, n, msk)
      : domain.zookeeperProperties(t, n);
    writeFileAtomic(join(p.config, 'server.properties'), domain.renderProperties(props));
    if (n.role === 'broker') writeFileAtomic(join(p.config, 'client.properties'), domain.renderProperties(domain.adminClientProperties(t)));
    if (n.role !== 'broker') mkdirSync(p.data, { recursive: true });
    if (n.role === 'zookeeper') writeFileAtomic(join(p.data, 'myid'), `${n.ordinal}\n`);
  }
  renderMonitoring(deps, cluster, t);
}

/** Each broker's log directory: its own file system of volumeSizeGB. */
export async function provisionStorage(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): Promise<Map<string, string>> {
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const size = spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize;
  const mounts = new Map<string, string>();
  for (const n of t.nodes.filter((x) => x.role === 'broker')) {
    const v = await deps.storage.ensure({ clusterId: cluster.id, nodeId: n.nodeId }, size);
    mkdirSync(join(v.path, 'data'), { recursive: true });
    mounts.set(n.nodeId, v.path);
  }
  return mounts;
}

/** The container of one node, as Docker should run it. */
export function containerSpec(deps: WorkerDeps, cluster: Cluster, n: PlacedWithType, brokerMount?: string): ContainerSpec {
  const release = domain.findKafkaVersion(cluster.kafkaVersion)?.apacheVersion;
  if (!release) throw new ProvisionError('UNSUPPORTED_VERSION', `Kafka version ${cluster.kafkaVersion} has no image.`);
  const paths = clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(n.nodeId);
  const props = domain.CONTAINER_PATHS.properties;
  const instance = n.role === 'broker' ? domain.findInstanceType(n.instanceType ?? '') : undefined;
  const heap = instance?.heapMiB ?? QUORUM_HEAP_MIB;
  const kraftId = cluster.kraftClusterId;
  const run = '/opt/kafka/bin/run';
  const cmd =
    n.role === 'zookeeper' ? ['zookeeper', props]
    : [`${run} format ${props} ${kraftId} >/dev/null && exec ${run} ${n.role} ${props}`];
  if (n.role !== 'zookeeper' && domain.isKraft(cluster.kafkaVersion) && !kraftId) {
    throw new ProvisionError('PROVISIONING_FAILED', 'KRaft cluster id missing.');
  }
  const kraft = domain.isKraft(cluster.kafkaVersion);
  return {
    name: containerName(cluster.id, n.nodeId),
    image: kafkaImage(release),
    ...(n.role === 'zookeeper' || !kraft ? {} : { entrypoint: ['/bin/sh', '-c'] }),
    cmd: n.role === 'zookeeper' ? cmd : kraft ? cmd : ['broker', props],
    env: [`KAFKA_HEAP_OPTS=-Xms${heap}m -Xmx${heap}m`, ...exporterEnv(deps.config.OPENMSK_ADVERTISED_HOST, n)],
    labels: { [LABELS.instance]: instanceId(deps.config.OPENMSK_HOME), [LABELS.cluster]: cluster.id, [LABELS.node]: n.nodeId, [LABELS.role]: n.role },
    binds: [
      `${paths.config}:${domain.CONTAINER_PATHS.config}:ro`,
      n.role === 'broker' ? `${brokerMount}:${domain.CONTAINER_PATHS.data}` : n.role === 'zookeeper' ? `${paths.data}:${domain.CONTAINER_PATHS.zkData}` : `${paths.data}:${domain.CONTAINER_PATHS.data}`,
    ],
    memoryMiB: instance?.memoryMiB ?? QUORUM_MEMORY_MIB,
    cpus: instance?.cpus,
  };
}

/** Node rows of a cluster with their instance type, for containerSpec. */
export type PlacedWithType = domain.PlacedNode & { instanceType?: string | null };
