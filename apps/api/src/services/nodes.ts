import type { GetBootstrapBrokersResponse, NodeInfo } from '@aws-sdk/client-kafka';
import type { Cluster, Node } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { RequestContext } from '../context';
import { findCluster, toClusterInfo } from './clusters';
import { decodeToken, page, pageSize } from './paging';


type Ports = domain.NodePorts;
const host = (ctx: RequestContext) => ctx.deps.config.OPENMSK_ADVERTISED_HOST;

async function brokersOf(ctx: RequestContext, cluster: Cluster): Promise<Node[]> {
  return ctx.deps.db.node.findMany({ where: { clusterId: cluster.id, role: 'broker' }, orderBy: { ordinal: 'asc' } });
}

/** One broker per zone first, at most three, like MSK's bootstrap strings. */
function bootstrapList(ctx: RequestContext, brokers: Node[], purpose: domain.PortPurpose): string | undefined {
  const picked: Node[] = [];
  for (const b of brokers) if (!picked.some((p) => p.zone === b.zone)) picked.push(b);
  for (const b of brokers) if (picked.length < 3 && !picked.includes(b)) picked.push(b);
  const list = picked.slice(0, 3).map((b) => (b.ports as Ports)[purpose]).filter((p) => p !== undefined);
  return list.length ? list.map((p) => `${host(ctx)}:${p}`).join(',') : undefined;
}

// AWS-PARITY: host:port on one machine instead of b-N.<cluster>...:9092/9094; see docs/bootstrap-brokers.md.
export async function getBootstrapBrokers(ctx: RequestContext, arn: string): Promise<GetBootstrapBrokersResponse> {
  const cluster = await findCluster(ctx, arn);
  domain.assertClusterState(cluster.state, domain.SERVING_STATES, 'get bootstrap broker nodes for');
  const brokers = await brokersOf(ctx, cluster);
  return {
    BootstrapBrokerString: bootstrapList(ctx, brokers, 'client_plaintext'),
    BootstrapBrokerStringTls: bootstrapList(ctx, brokers, 'client_tls'),
    BootstrapBrokerStringSaslScram: bootstrapList(ctx, brokers, 'client_sasl_scram'),
    BootstrapBrokerStringSaslIam: bootstrapList(ctx, brokers, 'client_sasl_iam'),
  };
}

/** zookeeperConnectString for DescribeCluster: only once the ensemble exists and the cluster serves. */
export async function withConnectStrings(ctx: RequestContext, cluster: Cluster) {
  const info = toClusterInfo(cluster);
  if (domain.isKraft(cluster.kafkaVersion) || !domain.SERVING_STATES.includes(cluster.state)) return info;
  const zk = await ctx.deps.db.node.findMany({ where: { clusterId: cluster.id, role: 'zookeeper' }, orderBy: { ordinal: 'asc' } });
  if (zk.length) info.ZookeeperConnectString = zk.map((z) => `${host(ctx)}:${(z.ports as Ports).zk_client}`).join(',');
  // Clusters made before ZooKeeper served TLS have no TLS port, and no zookeeperConnectStringTls.
  if (zk.length && zk.every((z) => (z.ports as Ports).zk_client_tls !== undefined)) {
    info.ZookeeperConnectStringTls = zk.map((z) => `${host(ctx)}:${(z.ports as Ports).zk_client_tls}`).join(',');
  }
  return info;
}

const ROLE_ARN_TYPE: Record<string, domain.NodeResourceType> = { broker: 'broker', zookeeper: 'zookeeper', controller: 'controller' };

function toNodeInfo(ctx: RequestContext, cluster: Cluster, n: Node): NodeInfo {
  const parsed = domain.parseArnOfType(cluster.arn, 'cluster')!;
  const endpoints = [host(ctx)];
  const base = {
    AddedToClusterTime: n.createdAt.toISOString(),
    NodeARN: domain.nodeArn(parsed, cluster.name, parsed.id, n.nodeUuid, ROLE_ARN_TYPE[n.role] ?? 'broker'),
  };
  if (n.role === 'broker') {
    return {
      ...base,
      NodeType: 'BROKER',
      InstanceType: n.instanceType ?? undefined,
      BrokerNodeInfo: {
        BrokerId: n.ordinal,
        ClientSubnet: n.zone,
        ClientVpcIpAddress: host(ctx),
        AttachedENIId: `eni-${n.nodeUuid.replace(/-/g, '').slice(0, 17)}`,
        CurrentBrokerSoftwareInfo: toClusterInfo(cluster).CurrentBrokerSoftwareInfo,
        Endpoints: endpoints,
      },
    };
  }
  // AWS-PARITY: the model's NodeType has only BROKER; metadata-quorum nodes are listed without one.
  if (n.role === 'zookeeper') {
    const version = domain.findKafkaVersion(cluster.kafkaVersion)?.apacheVersion;
    return { ...base, ZookeeperNodeInfo: { ZookeeperId: n.ordinal, ClientVpcIpAddress: host(ctx), Endpoints: endpoints, ZookeeperVersion: version, AttachedENIId: `eni-${n.nodeUuid.replace(/-/g, '').slice(0, 17)}` } };
  }
  return { ...base, ControllerNodeInfo: { Endpoints: endpoints } };
}

/** Keyset position of a node: (createdAt, nodeId); nodes have no uuid primary key. */
function afterNode(c: { createdAt: Date; id: string } | undefined) {
  return c ? { OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, nodeId: { gt: c.id } }] } : {};
}

export async function listNodes(ctx: RequestContext, arn: string, q: { MaxResults?: number; NextToken?: string }) {
  const cluster = await findCluster(ctx, arn);
  const size = pageSize(q.MaxResults);
  const rows = await ctx.deps.db.node.findMany({
    where: { clusterId: cluster.id, ...afterNode(decodeToken(q.NextToken)) },
    orderBy: [{ createdAt: 'asc' }, { nodeId: 'asc' }],
    take: size + 1,
  });
  // In the order the nodes were added; the (createdAt, nodeId) cursor keeps pages stable.
  const keyed = rows.map((r) => ({ ...r, id: r.nodeId }));
  const { items, nextToken } = page(keyed, size);
  return { NodeInfoList: items.map((n) => toNodeInfo(ctx, cluster, n)), NextToken: nextToken };
}
