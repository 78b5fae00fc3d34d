/**
 * Every paged operation pages to the end with maxResults 1 through the SDK's own paginators (what the AWS SDKs'
 * paginators and Terraform do): each page holds at most one item, and the pages together hold every item once.
 */
import {
  CreateClusterCommand, CreateConfigurationCommand, KafkaClient, UpdateConfigurationCommand, UpdateMonitoringCommand,
  paginateListClusterOperations, paginateListClusterOperationsV2, paginateListClusters, paginateListClustersV2,
  paginateListConfigurationRevisions, paginateListConfigurations, paginateListKafkaVersions, paginateListNodes,
} from '@aws-sdk/client-kafka';
import { listKafkaVersions } from '@openmsk/domain';
import { provisionNodes } from './fixtures';
import { startApi, type Harness } from './harness';

let h: Harness;
let kafka: KafkaClient;
const clusters: string[] = [];
let configuration = '';
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  for (const [name, version] of [['page-zk', '3.9.x'], ['page-kraft', '3.9.x.kraft'], ['page-three', '3.8.x']]) {
    const out = await kafka.send(new CreateClusterCommand({
      ClusterName: name,
      KafkaVersion: version,
      NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'] },
    }));
    clusters.push(out.ClusterArn!);
  }
  await provisionNodes(h, clusters[0], 'zookeeper');
  await provisionNodes(h, clusters[1], 'controller');
  // Three operations on the first cluster: its CREATE, then two monitoring updates (made ACTIVE in between). No worker
  // completes them, so the cluster keeps DEFAULT and each must ask for another level.
  for (const level of ['PER_BROKER', 'PER_TOPIC_PER_BROKER'] as const) {
    const row = await h.db.cluster.update({ where: { arn: clusters[0] }, data: { state: 'ACTIVE', activeOperationArn: null } });
    await kafka.send(new UpdateMonitoringCommand({ ClusterArn: clusters[0], CurrentVersion: row.currentVersion, EnhancedMonitoring: level }));
  }
  const props = new TextEncoder().encode('num.partitions=3\n');
  for (const name of ['page-cfg-a', 'page-cfg-b']) {
    const c = await kafka.send(new CreateConfigurationCommand({ Name: name, ServerProperties: props }));
    configuration ||= c.Arn!;
  }
  for (let i = 0; i < 3; i++) await kafka.send(new UpdateConfigurationCommand({ Arn: configuration, ServerProperties: props }));
});
afterAll(() => h.close());

/** Collects every page; asserts each holds at most one item. */
async function pages<P, T>(paginator: AsyncIterable<P>, items: (p: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  let count = 0;
  for await (const page of paginator) {
    const got = items(page) ?? [];
    expect(got.length).toBeLessThanOrEqual(1);
    all.push(...got);
    if (++count > 100) throw new Error('paginator does not end');
  }
  return all;
}

const config = () => ({ client: kafka, pageSize: 1 });
const unique = (xs: unknown[]) => new Set(xs.map((x) => JSON.stringify(x))).size;

describe('paging with maxResults 1 through the SDK paginators', () => {
  test('ListClusters and ListClustersV2', async () => {
    const v1 = await pages(paginateListClusters(config(), {}), (p) => p.ClusterInfoList);
    expect(v1.map((c) => c.ClusterArn)).toEqual(clusters);
    const v2 = await pages(paginateListClustersV2(config(), {}), (p) => p.ClusterInfoList);
    expect(v2.map((c) => c.ClusterArn)).toEqual(clusters);
  });

  test('ListNodes, ZooKeeper and KRaft: brokers, then quorum nodes, each once, none under broker/ unless a broker', async () => {
    for (const [arn, quorum] of [[clusters[0], 'ZookeeperNodeInfo'], [clusters[1], 'ControllerNodeInfo']] as const) {
      const nodes = await pages(paginateListNodes(config(), { ClusterArn: arn }), (p) => p.NodeInfoList);
      expect(nodes).toHaveLength(6);
      expect(unique(nodes.map((n) => n.NodeARN))).toBe(6);
      const brokers = nodes.filter((n) => n.BrokerNodeInfo);
      expect(brokers.map((n) => n.BrokerNodeInfo!.BrokerId)).toEqual([1, 2, 3]);
      for (const b of brokers) expect(b).toMatchObject({ NodeType: 'BROKER', NodeARN: expect.stringContaining(':broker/') });
      const others = nodes.filter((n) => !n.BrokerNodeInfo);
      expect(others).toHaveLength(3);
      for (const n of others) {
        expect(n[quorum]).toBeDefined();
        expect(n.NodeType).toBeUndefined();
        expect(n.NodeARN).toMatch(quorum === 'ZookeeperNodeInfo' ? /:zookeeper\// : /:controller\//);
        expect((n[quorum] as { Endpoints?: string[] }).Endpoints).toEqual(['127.0.0.1']);
      }
    }
  });

  test('ListClusterOperations and ListClusterOperationsV2', async () => {
    const v1 = await pages(paginateListClusterOperations(config(), { ClusterArn: clusters[0] }), (p) => p.ClusterOperationInfoList);
    expect(v1.map((o) => o.OperationType).sort()).toEqual(['CREATE', 'UPDATE_MONITORING', 'UPDATE_MONITORING']);
    expect(unique(v1.map((o) => o.OperationArn))).toBe(3);
    const v2 = await pages(paginateListClusterOperationsV2(config(), { ClusterArn: clusters[0] }), (p) => p.ClusterOperationInfoList);
    expect(v2.map((o) => o.OperationArn).sort()).toEqual(v1.map((o) => o.OperationArn).sort());
  });

  test('ListConfigurations and ListConfigurationRevisions', async () => {
    const cfgs = await pages(paginateListConfigurations(config(), {}), (p) => p.Configurations);
    expect(cfgs.map((c) => c.Name)).toEqual(['page-cfg-a', 'page-cfg-b']);
    const revs = await pages(paginateListConfigurationRevisions(config(), { Arn: configuration }), (p) => p.Revisions);
    expect(revs.map((r) => r.Revision)).toEqual([1, 2, 3, 4]);
  });

  test('ListKafkaVersions', async () => {
    const versions = await pages(paginateListKafkaVersions(config(), {}), (p) => p.KafkaVersions);
    expect(versions.map((v) => v.Version)).toEqual(listKafkaVersions().map((v) => v.label));
  });
});
