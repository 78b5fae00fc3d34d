/**
 * What each container of a cluster runs with: the node layout (ids, zones, port purposes) and the
 * control plane's part of each node's configuration (ids, listeners, TLS, storage, quorum), one
 * function per concern. Pure: ports and paths come in, property maps go out.
 */
import { randomBytes } from 'node:crypto';
import { isKraft } from './catalog';

export type NodeRole = 'broker' | 'controller' | 'zookeeper';
export type PortPurpose = 'client_plaintext' | 'client_tls' | 'replication' | 'controller' | 'zk_client' | 'zk_peer' | 'zk_election';
export type NodePorts = Partial<Record<PortPurpose, number>>;

export interface NodeLayout {
  nodeId: string;
  role: NodeRole;
  /** broker.id / node.id / ZooKeeper myid */
  ordinal: number;
  zone: string;
  purposes: PortPurpose[];
}

export interface SecuritySettings {
  clientBroker: 'TLS' | 'TLS_PLAINTEXT' | 'PLAINTEXT';
  inCluster: boolean;
}

/**
 * A KRaft cluster id: 16 random bytes in URL-safe base64 without padding, as Kafka's own. Never one
 * starting with `-`, which kafka-storage's argument parser would take for an option.
 */
export function newKraftClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

/** MSK always runs three ZooKeeper nodes, and we give KRaft clusters three controllers likewise. */
export const QUORUM_SIZE = 3;
/** KRaft controller node ids sit apart from broker ids (brokers are 1..N as on MSK). */
export const CONTROLLER_ID_BASE = 3000;

/** Paths inside every container (the image's /opt/kafka/bin/run reads the properties file given). */
export const CONTAINER_PATHS = {
  config: '/etc/kafka',
  properties: '/etc/kafka/server.properties',
  tls: '/etc/kafka/tls',
  keystore: '/etc/kafka/tls/keystore.pem',
  truststore: '/etc/kafka/tls/ca.pem',
  data: '/var/lib/kafka',
  logDir: '/var/lib/kafka/data',
  zkData: '/var/lib/zookeeper',
} as const;

export const hasPlaintextClients = (s: SecuritySettings) => s.clientBroker !== 'TLS';
export const hasTlsClients = (s: SecuritySettings) => s.clientBroker !== 'PLAINTEXT';

/** Brokers spread round-robin over the zones (one zone per client subnet), then the metadata quorum. */
export function nodeLayout(kafkaVersion: string, brokerCount: number, zones: string[], security: SecuritySettings): NodeLayout[] {
  const clientPurposes: PortPurpose[] = [
    ...(hasPlaintextClients(security) ? (['client_plaintext'] as const) : []),
    ...(hasTlsClients(security) ? (['client_tls'] as const) : []),
  ];
  const brokers: NodeLayout[] = Array.from({ length: brokerCount }, (_, i) => ({
    nodeId: `broker-${i + 1}`,
    role: 'broker',
    ordinal: i + 1,
    zone: zones[i % zones.length],
    purposes: [...clientPurposes, 'replication'],
  }));
  const quorum: NodeLayout[] = Array.from({ length: QUORUM_SIZE }, (_, i) =>
    isKraft(kafkaVersion)
      ? { nodeId: `controller-${i + 1}`, role: 'controller', ordinal: CONTROLLER_ID_BASE + i + 1, zone: zones[i % zones.length], purposes: ['controller'] }
      : { nodeId: `zookeeper-${i + 1}`, role: 'zookeeper', ordinal: i + 1, zone: zones[i % zones.length], purposes: ['zk_client', 'zk_peer', 'zk_election'] },
  );
  return [...brokers, ...quorum];
}

export interface PlacedNode extends NodeLayout {
  ports: NodePorts;
}

export interface ClusterTopology {
  kafkaVersion: string;
  host: string;
  security: SecuritySettings;
  nodes: PlacedNode[];
}

const brokersOf = (t: ClusterTopology) => t.nodes.filter((n) => n.role === 'broker');
const quorumOf = (t: ClusterTopology) => t.nodes.filter((n) => n.role !== 'broker');
const port = (n: PlacedNode, p: PortPurpose) => {
  const v = n.ports[p];
  if (v === undefined) throw new Error(`node ${n.nodeId} has no ${p} port`);
  return v;
};

/** `zookeeperConnectString` as MSK reports it: every ZooKeeper node's client endpoint. */
export function zookeeperConnect(t: ClusterTopology): string {
  return quorumOf(t).filter((n) => n.role === 'zookeeper').map((n) => `${t.host}:${port(n, 'zk_client')}`).join(',');
}

function controllerVoters(t: ClusterTopology): string {
  return quorumOf(t).map((n) => `${n.ordinal}@${t.host}:${port(n, 'controller')}`).join(',');
}

function tlsProperties(): Map<string, string> {
  // PEM straight from the control plane's CA: no keytool, no JKS passwords.
  return new Map([
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', CONTAINER_PATHS.keystore],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', CONTAINER_PATHS.truststore],
    ['ssl.client.auth', 'none'],
    ['ssl.endpoint.identification.algorithm', 'https'],
  ]);
}

/** Listeners of one broker: client listeners as the security settings ask, and a replication listener. */
function brokerListeners(t: ClusterTopology, n: PlacedNode): Map<string, string> {
  const replication = t.security.inCluster ? 'SSL' : 'PLAINTEXT';
  const defs: [string, string, number][] = [];
  if (hasPlaintextClients(t.security)) defs.push(['CLIENT', 'PLAINTEXT', port(n, 'client_plaintext')]);
  if (hasTlsClients(t.security)) defs.push(['CLIENT_SECURE', 'SSL', port(n, 'client_tls')]);
  defs.push(['REPLICATION', replication, port(n, 'replication')]);
  const protocolMap = defs.map(([name, proto]) => `${name}:${proto}`);
  if (isKraft(t.kafkaVersion)) protocolMap.push(`CONTROLLER:${replication}`);
  return new Map([
    ['listeners', defs.map(([name, , p]) => `${name}://${t.host}:${p}`).join(',')],
    ['advertised.listeners', defs.map(([name, , p]) => `${name}://${t.host}:${p}`).join(',')],
    ['listener.security.protocol.map', protocolMap.join(',')],
    ['inter.broker.listener.name', 'REPLICATION'],
  ]);
}

function metadataQuorum(t: ClusterTopology, role: 'broker' | 'controller'): Map<string, string> {
  if (!isKraft(t.kafkaVersion)) {
    return new Map([
      ['zookeeper.connect', zookeeperConnect(t)],
      ['zookeeper.connection.timeout.ms', '30000'],
    ]);
  }
  return new Map([
    ['process.roles', role],
    ['controller.quorum.voters', controllerVoters(t)],
    ['controller.listener.names', 'CONTROLLER'],
  ]);
}

/** A broker's server.properties: MSK defaults + custom revision (`msk`), then everything the control plane owns. */
export function brokerProperties(t: ClusterTopology, n: PlacedNode, msk: Map<string, string>): Map<string, string> {
  const kraft = isKraft(t.kafkaVersion);
  return new Map([
    ...msk,
    [kraft ? 'node.id' : 'broker.id', String(n.ordinal)],
    ['broker.rack', n.zone],
    ['log.dirs', CONTAINER_PATHS.logDir],
    ...metadataQuorum(t, 'broker'),
    ...brokerListeners(t, n),
    ...(hasTlsClients(t.security) || t.security.inCluster ? tlsProperties() : []),
    // Leave a broker's leadership to the others before it stops: rolling restarts stay lossless.
    ['controlled.shutdown.enable', 'true'],
  ]);
}

/** A KRaft controller's server.properties. */
export function controllerProperties(t: ClusterTopology, n: PlacedNode): Map<string, string> {
  const proto = t.security.inCluster ? 'SSL' : 'PLAINTEXT';
  return new Map([
    ['node.id', String(n.ordinal)],
    ['log.dirs', CONTAINER_PATHS.logDir],
    ...metadataQuorum(t, 'controller'),
    ['listeners', `CONTROLLER://${t.host}:${port(n, 'controller')}`],
    ['listener.security.protocol.map', `CONTROLLER:${proto}`],
    ...(t.security.inCluster ? tlsProperties() : []),
  ]);
}

/** A ZooKeeper node's zoo.cfg (read by the image's run script as a properties file). */
export function zookeeperProperties(t: ClusterTopology, n: PlacedNode): Map<string, string> {
  const servers = quorumOf(t).map((z) => [`server.${z.ordinal}`, `${t.host}:${port(z, 'zk_peer')}:${port(z, 'zk_election')}`] as [string, string]);
  return new Map([
    ['dataDir', CONTAINER_PATHS.zkData],
    ['clientPort', String(port(n, 'zk_client'))],
    ['clientPortAddress', t.host],
    ['tickTime', '2000'],
    ['initLimit', '10'],
    ['syncLimit', '5'],
    ['maxClientCnxns', '0'],
    ['admin.enableServer', 'false'],
    ['4lw.commands.whitelist', 'ruok,srvr,mntr'],
    ...servers,
  ]);
}

/** client.properties for Kafka's tools inside a broker container, over the REPLICATION listener. */
export function adminClientProperties(t: ClusterTopology): Map<string, string> {
  return t.security.inCluster
    ? new Map([
        ['security.protocol', 'SSL'],
        ['ssl.truststore.type', 'PEM'],
        ['ssl.truststore.location', CONTAINER_PATHS.truststore],
      ])
    : new Map([['security.protocol', 'PLAINTEXT']]);
}

/** The bootstrap address Kafka's tools use from inside a broker container. */
export const adminBootstrap = (t: ClusterTopology, n: PlacedNode) => `${t.host}:${port(n, 'replication')}`;

export const CLIENT_PROPERTIES = '/etc/kafka/client.properties';

export { brokersOf, quorumOf };
