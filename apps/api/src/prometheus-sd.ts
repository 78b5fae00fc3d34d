/**
 * Prometheus HTTP service discovery (`http_sd_configs`): `GET /openmsk/prometheus/targets` lists the open-monitoring
 * exporters of the caller's clusters, one target group per exporter per node (docs/open-monitoring.md).
 *
 * Only exporters the cluster has enabled (`OpenMonitoring.Prometheus.*.EnabledInBroker`) are listed: the others ask
 * for openmsk's own credential, so a target for them would only fail its scrapes. The caller is an account,
 * authenticated as Prometheus' `basic_auth` sends it (access key id and secret access key) or with an API token
 * (`authorization: { type: Bearer }`); it sees its own clusters only, of every region.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import * as domain from '@openmsk/domain';
import { safeEqual } from '@openmsk/wire';
import type { AppDeps } from './context';
import { UNKNOWN_OPERATION } from './metrics';

/** Where Prometheus asks for the targets. */
export const PROMETHEUS_TARGETS_PATH = '/openmsk/prometheus/targets';

/** The exporters a node may run: the `exporter` label, the node's port purpose, and the spec flag that opens it. */
const EXPORTERS = [
  { exporter: 'jmx', purpose: 'jmx_exporter', enabled: (p: Prometheus) => p.JmxExporter.EnabledInBroker },
  { exporter: 'node', purpose: 'node_exporter', enabled: (p: Prometheus) => p.NodeExporter.EnabledInBroker },
] as const;

type Prometheus = domain.ClusterSpec['OpenMonitoring']['Prometheus'];

/** The roles that run exporters; ZooKeeper nodes run none. */
const EXPORTER_ROLES = ['broker', 'controller'];

/** One http_sd target group. */
export interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

type KeyLookup = (accessKeyId: string) => Promise<{ secretAccessKey: string; principal: { accountId: string } } | null>;

interface ClusterRow { id: string; arn: string; name: string; spec: unknown }
interface NodeRow { clusterId: string; nodeId: string; role: string; ordinal: number; ports: unknown }

/**
 * The target groups of these clusters' nodes (pure): enabled exporters only, nodes without the exporter's port (a
 * cluster made before the exporters) left out, sorted by cluster name, ARN, role (brokers first), ordinal, exporter.
 */
export function targetGroups(clusters: ClusterRow[], nodes: NodeRow[], host: string): TargetGroup[] {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const byId = new Map(clusters.map((c) => [c.id, c]));
  const rows: { cluster: ClusterRow; node: NodeRow; exporter: string; port: number }[] = [];
  for (const node of nodes) {
    const cluster = byId.get(node.clusterId);
    if (!cluster || !EXPORTER_ROLES.includes(node.role)) continue;
    const prometheus = (cluster.spec as Partial<domain.ClusterSpec>).OpenMonitoring?.Prometheus;
    const ports = (node.ports ?? {}) as Record<string, unknown>;
    for (const e of EXPORTERS) {
      const port = ports[e.purpose];
      if (prometheus && e.enabled(prometheus) && typeof port === 'number') rows.push({ cluster, node, exporter: e.exporter, port });
    }
  }
  const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  rows.sort((a, b) => cmp(a.cluster.name, b.cluster.name) || cmp(a.cluster.arn, b.cluster.arn)
    || cmp(EXPORTER_ROLES.indexOf(a.node.role), EXPORTER_ROLES.indexOf(b.node.role)) || cmp(a.node.ordinal, b.node.ordinal)
    || cmp(a.exporter, b.exporter));
  return rows.map(({ cluster, node, exporter, port }) => ({
    targets: [`${hostPart}:${port}`],
    labels: {
      cluster_name: cluster.name,
      cluster_arn: cluster.arn,
      node_id: node.nodeId,
      role: node.role,
      ...(node.role === 'broker' && { broker_id: String(node.ordinal) }),
      exporter,
    },
  }));
}

/** Registers `GET /openmsk/prometheus/targets`; `lookupKey` is the authenticator's cached access-key look-up. */
export function registerPrometheusSd(app: FastifyInstance, deps: AppDeps, lookupKey: KeyLookup) {
  const accountOf = async (authorization: string | undefined): Promise<string | undefined> => {
    if (deps.config.OPENMSK_AUTH === 'none') return (await deps.accounts.findAccount('default'))?.id;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (bearer) return (await deps.accounts.lookupToken(bearer))?.accountId;
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!basic) return undefined;
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const key = await lookupKey(decoded.slice(0, colon));
    // An unknown key id still costs one comparison, so the answer's timing does not tell which half was wrong.
    const matches = safeEqual(decoded.slice(colon + 1), key?.secretAccessKey ?? UNKNOWN_KEY_SECRET);
    return key && matches ? key.principal.accountId : undefined;
  };

  app.get(PROMETHEUS_TARGETS_PATH, async (req, reply) => {
    req.awsOperation = UNKNOWN_OPERATION;
    const accountId = await accountOf(req.headers.authorization);
    if (!accountId) return unauthorized(reply);
    const clusters = await deps.db.cluster.findMany({
      where: { accountId, state: { in: [...domain.SERVING_STATES] } },
      select: { id: true, arn: true, name: true, spec: true },
    });
    const nodes = clusters.length === 0 ? [] : await deps.db.node.findMany({
      where: { clusterId: { in: clusters.map((c) => c.id) }, role: { in: EXPORTER_ROLES } },
      select: { clusterId: true, nodeId: true, role: true, ordinal: true, ports: true },
    });
    const groups = targetGroups(clusters, nodes, deps.config.OPENMSK_ADVERTISED_HOST);
    return reply.type('application/json').header('cache-control', 'no-store').send(JSON.stringify(groups));
  });
}

/** Compared against when the access key id is unknown; no secret is ever equal to it (it has a character secrets lack). */
const UNKNOWN_KEY_SECRET = `\u0000${'x'.repeat(40)}`;

function unauthorized(reply: FastifyReply) {
  return reply.code(401).header('www-authenticate', 'Basic realm="openmsk"').send();
}
