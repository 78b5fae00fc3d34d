/**
 * What each container of a cluster runs with: the node layout (ids, zones, port purposes) and the
 * control plane's part of each node's configuration (ids, listeners, TLS, storage, quorum), one
 * function per concern. Pure: ports and paths come in, property maps go out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { INTERNAL_COMMON_NAME } from '@openmsk/pki';
import { isKraft } from './catalog';

export type NodeRole = 'broker' | 'controller' | 'zookeeper';
export type PortPurpose =
  | 'client_plaintext' | 'client_tls' | 'client_sasl_scram' | 'client_sasl_iam' | 'replication' | 'controller'
  | 'zk_client' | 'zk_client_tls' | 'zk_peer' | 'zk_election'
  /** Open monitoring (MSK's 11001 and 11002): the Prometheus JMX exporter and the node exporter of a broker or controller. */
  | 'jmx_exporter' | 'node_exporter';
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
  /** Client authentication as DescribeCluster reports it; absent: unauthenticated access only. */
  auth?: { scram: boolean; unauthenticated: boolean; mtls?: boolean; iam?: boolean };
}

/** The security settings of a cluster's desired state (`ClusterSpec`). */
export function securityOf(spec: {
  EncryptionInfo: { EncryptionInTransit: { ClientBroker: SecuritySettings['clientBroker']; InCluster: boolean } };
  ClientAuthentication?: { Sasl: { Scram: { Enabled: boolean }; Iam?: { Enabled: boolean } }; Tls?: { Enabled: boolean }; Unauthenticated: { Enabled: boolean } };
}): SecuritySettings {
  const a = spec.ClientAuthentication;
  return {
    clientBroker: spec.EncryptionInfo.EncryptionInTransit.ClientBroker,
    inCluster: spec.EncryptionInfo.EncryptionInTransit.InCluster,
    auth: {
      scram: a?.Sasl.Scram.Enabled ?? false,
      unauthenticated: a?.Unauthenticated.Enabled ?? true,
      mtls: a?.Tls?.Enabled ?? false,
      iam: a?.Sasl.Iam?.Enabled ?? false,
    },
  };
}

/**
 * The principal of openmsk's own certificates (every node's, and the admin client's): the subject DN Kafka makes of
 * a certificate whose subject is `CN=openmsk-internal`. It is the one super user of a cluster with an authorizer,
 * so no client certificate or SCRAM user may carry that name (see docs/client-authentication.md).
 */
export { INTERNAL_COMMON_NAME };
export const INTERNAL_PRINCIPAL = `User:CN=${INTERNAL_COMMON_NAME}`;

/**
 * The Kafka principal name of every IAM client of an account: the account's root ARN. The cluster's account may do
 * everything (it is a super user of its clusters), other accounts' tokens are refused at authentication
 * (docs/iam-authentication.md). SCRAM user names of this form are refused, so no SCRAM user can take it.
 */
export const iamPrincipalName = (accountId: string) => `arn:aws:iam::${accountId}:root`;

/** How brokers of an IAM cluster have their clients' tokens checked: openmsk's API, with the cluster's own credential. */
export interface IamVerifier {
  url: string;
  clusterId: string;
  accountId: string;
  credential: string;
}

/** Where the brokers' validator asks the API about a token (POST; see apps/api/src/iam-verifier.ts). */
export const IAM_TOKEN_VERIFY_PATH = '/openmsk/internal/iam-token';

/** The longest an IAM token lives (X-Amz-Expires at most 900 s), and so the longest an IAM session lasts. */
const IAM_TOKEN_MAX_SECONDS = 900;

/** The Java class (infra/images/kafka/plugins) that validates IAM tokens on the brokers by asking the API. */
export const IAM_TOKEN_VALIDATOR_CLASS = 'org.openmsk.kafka.IamTokenValidator';

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
  /** The certificate authorities a mutual-TLS cluster trusts for client certificates (its certificateAuthorityArnList). */
  clientTruststore: '/etc/kafka/tls/clients-ca.pem',
  data: '/var/lib/kafka',
  logDir: '/var/lib/kafka/data',
  zkData: '/var/lib/zookeeper',
} as const;

const unauthenticated = (s: SecuritySettings) => s.auth?.unauthenticated ?? true;
export const hasScramClients = (s: SecuritySettings) => s.auth?.scram ?? false;
export const hasMutualTls = (s: SecuritySettings) => s.auth?.mtls ?? false;
export const hasIamClients = (s: SecuritySettings) => s.auth?.iam ?? false;
/** Any client authentication on: the brokers run Kafka's ACL authorizer and the internal listeners require certificates. */
export const hasAuthorizer = (s: SecuritySettings) => hasScramClients(s) || hasMutualTls(s) || hasIamClients(s);
// Plaintext carries unauthenticated clients only (MSK's rule: SASL and mTLS need clientBroker TLS / TLS_PLAINTEXT).
export const hasPlaintextClients = (s: SecuritySettings) => s.clientBroker !== 'TLS' && unauthenticated(s);
/** The TLS listener (MSK's 9094) serves unauthenticated TLS clients and mutual TLS. */
export const hasTlsClients = (s: SecuritySettings) => s.clientBroker !== 'PLAINTEXT' && (unauthenticated(s) || hasMutualTls(s));

/** Brokers spread round-robin over the zones (one zone per client subnet), then the metadata quorum. */
/** The ports a broker needs: one per client listener the security settings ask for, and its replication listener. */
export function brokerPurposes(security: SecuritySettings): PortPurpose[] {
  return [
    ...(hasPlaintextClients(security) ? (['client_plaintext'] as const) : []),
    ...(hasTlsClients(security) ? (['client_tls'] as const) : []),
    ...(hasScramClients(security) ? (['client_sasl_scram'] as const) : []),
    ...(hasIamClients(security) ? (['client_sasl_iam'] as const) : []),
    'replication',
    ...MONITORING_PURPOSES,
  ];
}

/**
 * Every broker and KRaft controller runs both exporters (docs/open-monitoring.md): openmsk's collector reads the node
 * exporter (its /openmsk/kafka too) for the CloudWatch metrics whatever the open-monitoring settings; those settings
 * decide whether anyone else may read either (without them the exporters ask for openmsk's own credential).
 *
 * AWS-PARITY: MSK's exporters listen on 11001 and 11002 of each broker's own host; here every node shares one host, so
 * each exporter has a port from the range, listed by the Prometheus targets endpoint (docs/open-monitoring.md).
 */
export const MONITORING_PURPOSES: readonly PortPurpose[] = ['jmx_exporter', 'node_exporter'];

export function nodeLayout(kafkaVersion: string, brokerCount: number, zones: string[], security: SecuritySettings): NodeLayout[] {
  const brokers: NodeLayout[] = Array.from({ length: brokerCount }, (_, i) => ({
    nodeId: `broker-${i + 1}`,
    role: 'broker',
    ordinal: i + 1,
    zone: zones[i % zones.length],
    purposes: brokerPurposes(security),
  }));
  const quorum: NodeLayout[] = Array.from({ length: QUORUM_SIZE }, (_, i) =>
    isKraft(kafkaVersion)
      ? { nodeId: `controller-${i + 1}`, role: 'controller', ordinal: CONTROLLER_ID_BASE + i + 1, zone: zones[i % zones.length], purposes: ['controller', ...MONITORING_PURPOSES] }
      : { nodeId: `zookeeper-${i + 1}`, role: 'zookeeper', ordinal: i + 1, zone: zones[i % zones.length], purposes: ['zk_client', 'zk_client_tls', 'zk_peer', 'zk_election'] },
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
  /** Set for a cluster with IAM client authentication on (brokers need it to check tokens). */
  iam?: IamVerifier;
  /** ZooKeeper mode: openmsk's own ZooKeeper super user (its digest goes into zoo.cfg; see zookeeperProperties). */
  zookeeperSuper?: ZookeeperCredential;
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

/** The ensemble serves TLS clients: every ZooKeeper node has a TLS client port (clusters made before it have none). */
export const hasZookeeperTls = (t: ClusterTopology) => {
  const zk = quorumOf(t).filter((n) => n.role === 'zookeeper');
  return zk.length > 0 && zk.every((n) => n.ports.zk_client_tls !== undefined);
};

/** `zookeeperConnectStringTls`: every ZooKeeper node's TLS client endpoint (client certificate required). */
export function zookeeperConnectTls(t: ClusterTopology): string {
  return quorumOf(t).filter((n) => n.role === 'zookeeper').map((n) => `${t.host}:${port(n, 'zk_client_tls')}`).join(',');
}

/** A ZooKeeper digest user (`addauth digest user:password`). */
export interface ZookeeperCredential {
  user: string;
  password: string;
}

/** ZooKeeper's digest of a digest user, as DigestAuthenticationProvider.superDigest wants it: base64(SHA-1(user:password)). */
export const zookeeperDigest = (c: ZookeeperCredential) => `${c.user}:${createHash('sha1').update(`${c.user}:${c.password}`).digest('base64')}`;

function controllerVoters(t: ClusterTopology): string {
  return quorumOf(t).map((n) => `${n.ordinal}@${t.host}:${port(n, 'controller')}`).join(',');
}

/**
 * With client authentication on: Kafka's ACL authorizer (ZooKeeper mode's AclAuthorizer, KRaft's StandardAuthorizer,
 * on brokers and controllers alike), openmsk's own principal its super user, and the internal listeners (REPLICATION,
 * CONTROLLER) requiring a certificate from the cluster's CA, so no client reaches them unauthenticated.
 * `allow.everyone.if.no.acl.found` stays as the configuration says (MSK's default: true).
 */
function authorizerProperties(t: ClusterTopology, internalListeners: string[], msk?: ReadonlyMap<string, string>): Map<string, string> {
  if (!hasAuthorizer(t.security)) return new Map();
  const allowEveryone = msk?.get('allow.everyone.if.no.acl.found');
  return new Map([
    // A controller authorizes what brokers forward to it (CreateTopics, CreateAcls, ...), so it needs the same rule.
    ...(allowEveryone !== undefined ? [['allow.everyone.if.no.acl.found', allowEveryone] as [string, string]] : []),
    ['authorizer.class.name', isKraft(t.kafkaVersion) ? 'org.apache.kafka.metadata.authorizer.StandardAuthorizer' : 'kafka.security.authorizer.AclAuthorizer'],
    ['super.users', [INTERNAL_PRINCIPAL, ...(hasIamClients(t.security) ? [`User:${iamPrincipalName(iamVerifier(t).accountId)}`] : [])].join(';')],
    ...internalListeners.map((l) => [`listener.name.${l.toLowerCase()}.ssl.client.auth`, 'required'] as [string, string]),
  ]);
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
  if (hasScramClients(t.security)) defs.push(['CLIENT_SASL_SCRAM', 'SASL_SSL', port(n, 'client_sasl_scram')]);
  if (hasIamClients(t.security)) defs.push(['CLIENT_SASL_IAM', 'SASL_SSL', port(n, 'client_sasl_iam')]);
  defs.push(['REPLICATION', replication, port(n, 'replication')]);
  const protocolMap = defs.map(([name, proto]) => `${name}:${proto}`);
  if (isKraft(t.kafkaVersion)) protocolMap.push(`CONTROLLER:${replication}`);
  return new Map([
    ['listeners', defs.map(([name, , p]) => `${name}://${t.host}:${p}`).join(',')],
    ['advertised.listeners', defs.map(([name, , p]) => `${name}://${t.host}:${p}`).join(',')],
    ['listener.security.protocol.map', protocolMap.join(',')],
    ['inter.broker.listener.name', 'REPLICATION'],
    // SCRAM-SHA-512 only, as on MSK; users are made through the admin API (AlterUserScramCredentials), no JAAS file.
    // Mutual TLS: client certificates from the cluster's certificateAuthorityArnList only (not openmsk's own CA), required
    // unless unauthenticated TLS clients are allowed too; the principal is the certificate's subject DN, as on MSK.
    ...(hasMutualTls(t.security) && hasTlsClients(t.security)
      ? ([
          ['listener.name.client_secure.ssl.client.auth', unauthenticated(t.security) ? 'requested' : 'required'],
          ['listener.name.client_secure.ssl.truststore.type', 'PEM'],
          ['listener.name.client_secure.ssl.truststore.location', CONTAINER_PATHS.clientTruststore],
        ] as [string, string][])
      : []),
    ...(hasScramClients(t.security)
      ? ([
          ['listener.name.client_sasl_scram.sasl.enabled.mechanisms', 'SCRAM-SHA-512'],
          ['listener.name.client_sasl_scram.scram-sha-512.sasl.jaas.config', 'org.apache.kafka.common.security.scram.ScramLoginModule required;'],
        ] as [string, string][])
      : []),
    ...(hasIamClients(t.security) ? iamListenerProperties(iamVerifier(t)) : []),
  ]);
}

const iamVerifier = (t: ClusterTopology) => {
  if (!t.iam) throw new Error('a cluster with IAM client authentication needs its token verifier (ClusterTopology.iam)');
  return t.iam;
};

/** JAAS option values are quoted strings: refuse what would end the quote rather than escape it. */
const jaasValue = (v: string) => {
  if (!/^[\w:/.@%+=,-]*$/.test(v)) throw new Error(`unexpected character in JAAS option value ${JSON.stringify(v)}`);
  return `"${v}"`;
};

/**
 * IAM: SASL/OAUTHBEARER on its own SASL_SSL listener (MSK's 9098), the token checked by openmsk's validator plugin,
 * which asks the API with the cluster's credential. `unsecuredLoginStringClaim_sub` only names the broker's own
 * (unused) client-side login, which Kafka's login module makes for every OAUTHBEARER listener. With
 * `connections.max.reauth.ms` set, a session ends when its token expires (KIP-368): the client re-authenticates with
 * a fresh token or is disconnected, so no connection outlives its credential.
 */
function iamListenerProperties(v: IamVerifier): [string, string][] {
  const jaas = [
    'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required',
    `unsecuredLoginStringClaim_sub=${jaasValue('openmsk-broker')}`,
    `openmskVerifyUrl=${jaasValue(v.url)}`,
    `openmskClusterId=${jaasValue(v.clusterId)}`,
    `openmskCredential=${jaasValue(v.credential)};`,
  ].join(' ');
  return [
    ['listener.name.client_sasl_iam.sasl.enabled.mechanisms', 'OAUTHBEARER'],
    ['listener.name.client_sasl_iam.oauthbearer.sasl.jaas.config', jaas],
    ['listener.name.client_sasl_iam.oauthbearer.sasl.server.callback.handler.class', IAM_TOKEN_VALIDATOR_CLASS],
    ['listener.name.client_sasl_iam.oauthbearer.connections.max.reauth.ms', String(IAM_TOKEN_MAX_SECONDS * 1000)],
  ];
}

function metadataQuorum(t: ClusterTopology, role: 'broker' | 'controller'): Map<string, string> {
  if (!isKraft(t.kafkaVersion)) {
    if (!hasZookeeperTls(t)) {
      return new Map([
        ['zookeeper.connect', zookeeperConnect(t)],
        ['zookeeper.connection.timeout.ms', '30000'],
      ]);
    }
    // ZooKeeper over TLS with the node's certificate (principal x509 CN=openmsk-internal), and Kafka's secure ACLs on
    // every znode it makes: only that principal writes, and sensitive ones (SCRAM credentials, broker configs) are
    // unreadable to anyone else, so the ensemble's plaintext port serves no one the cluster's secrets.
    return new Map([
      ['zookeeper.connect', zookeeperConnectTls(t)],
      ['zookeeper.connection.timeout.ms', '30000'],
      ['zookeeper.ssl.client.enable', 'true'],
      ['zookeeper.clientCnxnSocket', 'org.apache.zookeeper.ClientCnxnSocketNetty'],
      ['zookeeper.ssl.keystore.type', 'PEM'],
      ['zookeeper.ssl.keystore.location', CONTAINER_PATHS.keystore],
      ['zookeeper.ssl.truststore.type', 'PEM'],
      ['zookeeper.ssl.truststore.location', CONTAINER_PATHS.truststore],
      ['zookeeper.set.acl', 'true'],
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
    ...(hasTlsClients(t.security) || hasScramClients(t.security) || hasIamClients(t.security) || t.security.inCluster ? tlsProperties() : []),
    ...authorizerProperties(t, ['REPLICATION']),
    // Leave a broker's leadership to the others before it stops: rolling restarts stay lossless.
    ['controlled.shutdown.enable', 'true'],
  ]);
}

/** A KRaft controller's server.properties (`msk`: the brokers' configuration, for the authorizer's own settings). */
export function controllerProperties(t: ClusterTopology, n: PlacedNode, msk?: ReadonlyMap<string, string>): Map<string, string> {
  const proto = t.security.inCluster ? 'SSL' : 'PLAINTEXT';
  return new Map([
    ['node.id', String(n.ordinal)],
    ['log.dirs', CONTAINER_PATHS.logDir],
    ...metadataQuorum(t, 'controller'),
    ['listeners', `CONTROLLER://${t.host}:${port(n, 'controller')}`],
    ['listener.security.protocol.map', `CONTROLLER:${proto}`],
    ...(t.security.inCluster ? tlsProperties() : []),
    ...authorizerProperties(t, ['CONTROLLER'], msk),
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
    ...(n.ports.zk_client_tls !== undefined ? zookeeperTlsProperties(t, n) : []),
  ]);
}

/**
 * ZooKeeper's TLS client port (MSK's 2182): Netty, the node's own certificate, client certificates from the cluster's
 * CA required (they are authenticated as their subject DN, the x509 scheme of the brokers' ACLs); the client's host
 * name is not checked against its certificate (ZooKeeper would look it up in DNS). openmsk's own digest user is the
 * ensemble's super user, the one way past the brokers' ACLs, for what the control plane does in ZooKeeper (removing a
 * dead broker's registration). Keys ZooKeeper does not know itself become `zookeeper.`-prefixed system properties,
 * which is where the SSL and digest settings are read from.
 */
function zookeeperTlsProperties(t: ClusterTopology, n: PlacedNode): [string, string][] {
  if (!t.zookeeperSuper) throw new Error('a ZooKeeper ensemble with TLS needs openmsk\'s super user (ClusterTopology.zookeeperSuper)');
  return [
    ['secureClientPort', String(port(n, 'zk_client_tls'))],
    ['secureClientPortAddress', t.host],
    ['serverCnxnFactory', 'org.apache.zookeeper.server.NettyServerCnxnFactory'],
    ['authProvider.x509', 'org.apache.zookeeper.server.auth.X509AuthenticationProvider'],
    ['ssl.keyStore.type', 'PEM'],
    ['ssl.keyStore.location', CONTAINER_PATHS.keystore],
    ['ssl.trustStore.type', 'PEM'],
    ['ssl.trustStore.location', CONTAINER_PATHS.truststore],
    ['ssl.clientAuth', 'need'],
    ['ssl.hostnameVerification', 'false'],
    ['DigestAuthenticationProvider.superDigest', zookeeperDigest(t.zookeeperSuper)],
  ];
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
