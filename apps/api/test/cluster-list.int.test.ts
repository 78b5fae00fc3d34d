/**
 * ListClusters keeps each cluster's wire JSON by row version: what it answers must always be the current row, right
 * after any change (an API update, a worker's write straight to Postgres, a delete), and the same as DescribeCluster.
 */
import {
  CreateClusterCommand, DescribeClusterCommand, DescribeClusterV2Command, KafkaClient, ListClustersCommand, ListClustersV2Command,
  TagResourceCommand,
} from '@aws-sdk/client-kafka';
import { startApi, type Harness } from './harness';

let h: Harness;
let kafka: KafkaClient;
const arns: string[] = [];
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  for (const name of ['kept-a', 'kept-b', 'kept-c']) {
    const out = await kafka.send(new CreateClusterCommand({
      ClusterName: name, KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] },
    }));
    arns.push(out.ClusterArn!);
  }
});
afterAll(() => h.close());

const list = async () => (await kafka.send(new ListClustersCommand({}))).ClusterInfoList ?? [];
const listV2 = async () => (await kafka.send(new ListClustersV2Command({}))).ClusterInfoList ?? [];

test('each listed cluster is exactly what DescribeCluster (v1 and v2) says', async () => {
  for (let round = 0; round < 2; round++) { // the second round answers from what the first kept
    const [v1, v2] = [await list(), await listV2()];
    expect(v1.map((c) => c.ClusterArn)).toEqual(arns);
    for (const [i, arn] of arns.entries()) {
      expect(v1[i]).toEqual((await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo);
      expect(v2[i]).toEqual((await kafka.send(new DescribeClusterV2Command({ ClusterArn: arn }))).ClusterInfo);
    }
  }
});

test('a change is listed at once: through the API, straight in Postgres (as the worker writes), and a delete', async () => {
  await list();
  await kafka.send(new TagResourceCommand({ ResourceArn: arns[0], Tags: { team: 'platform' } }));
  expect((await list())[0].Tags).toEqual({ team: 'platform' });

  await h.db.cluster.update({ where: { arn: arns[1] }, data: { state: 'ACTIVE', activeOperationArn: null, currentVersion: 'KNEWVERSION0001' } });
  const [, b] = await list();
  expect(b).toMatchObject({ State: 'ACTIVE', CurrentVersion: 'KNEWVERSION0001' });
  expect(b.ActiveOperationArn).toBeUndefined();
  expect((await listV2())[1]).toMatchObject({ State: 'ACTIVE', CurrentVersion: 'KNEWVERSION0001' });

  await h.db.cluster.delete({ where: { arn: arns[2] } });
  expect((await list()).map((c) => c.ClusterArn)).toEqual(arns.slice(0, 2));
});
