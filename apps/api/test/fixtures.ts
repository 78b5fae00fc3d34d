import { randomUUID } from 'node:crypto';
import type { Harness } from './harness';

/**
 * The node rows the worker's PREPARE_NODES step writes (no worker runs in API tests): one broker per subnet,
 * round robin, plus three KRaft controllers or ZooKeeper nodes.
 */
export async function provisionNodes(h: Harness, arn: string, quorum: 'controller' | 'zookeeper' = 'controller') {
  const cluster = await h.db.cluster.findUniqueOrThrow({ where: { arn } });
  const subnets = (cluster.spec as { BrokerNodeGroupInfo: { ClientSubnets: string[] } }).BrokerNodeGroupInfo.ClientSubnets;
  const brokers = Array.from({ length: cluster.numberOfBrokerNodes }, (_, i) => ({
    nodeId: `broker-${i + 1}`, role: 'broker', ordinal: i + 1, zone: subnets[i % subnets.length], instanceType: 'kafka.t3.small',
    ports: { client_tls: 20000 + i, replication: 20100 + i },
  }));
  const quorumNodes = [1, 2, 3].map((i) => ({
    nodeId: `${quorum}-${i}`, role: quorum, ordinal: quorum === 'controller' ? 3000 + i : i, zone: subnets[(i - 1) % subnets.length],
    instanceType: null, ports: quorum === 'controller' ? { controller: 20200 + i } : { zk_client: 20300 + i },
  }));
  await h.db.node.createMany({ data: [...brokers, ...quorumNodes].map((r) => ({ ...r, clusterId: cluster.id, nodeUuid: randomUUID() })) });
}
