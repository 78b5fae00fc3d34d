import { CreateClusterCommand, DeleteClusterCommand, GetBootstrapBrokersCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { clusterPaths } from '@openmsk/runtime';
import { kcat, sh, startStack, tlsArgs, waitForState, type Stack } from './stack';

let s: Stack;
let kafka: KafkaClient;
beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
}, 60_000);
afterAll(() => s?.close());

const clusterId = (arn: string) => arn.split('/')[2].replace(/-\d+$/, '');

/** Creates a topic with Kafka's own tool inside broker 1, then produces and consumes `count` messages on `bootstrap`. */
async function roundTrip(id: string, topic: string, bootstrap: string, extra: string[], rf: number, count = 200) {
  const port = ((await s.db.node.findFirstOrThrow({ where: { clusterId: id, nodeId: 'broker-1' } })).ports as { replication: number }).replication;
  await sh('docker', ['exec', `openmsk-${id}-broker-1`, '/opt/kafka/bin/run', 'topics', '--bootstrap-server', `127.0.0.1:${port}`,
    '--command-config', '/etc/kafka/client.properties', '--create', '--if-not-exists', '--topic', topic, '--partitions', '2', '--replication-factor', String(rf)]);
  const lines = Array.from({ length: count }, (_, i) => `${topic}-${i}`);
  await kcat(['-b', bootstrap, ...extra, '-X', 'acks=all', '-P', '-t', topic], lines.join('\n') + '\n');
  const got = await kcat(['-b', bootstrap, ...extra, '-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
  expect(got.trim().split('\n').sort()).toEqual(lines.sort());
}

test('KRaft (4.1.x.kraft, TLS): ACTIVE with 3 brokers, no ZooKeeper, produce and consume over TLS', async () => {
  const { ClusterArn } = await kafka.send(new CreateClusterCommand({
    ClusterName: 'kraft41', KafkaVersion: '4.1.x.kraft', NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
  }));
  const info = (await waitForState(kafka, ClusterArn!, 'ACTIVE')) as { ZookeeperConnectString?: string };
  expect(info.ZookeeperConnectString).toBeUndefined();
  const id = clusterId(ClusterArn!);
  const bs = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn }));
  expect(bs.BootstrapBrokerString).toBeUndefined();
  const ca = clusterPaths(s.config.OPENMSK_HOME, id).ca;
  await roundTrip(id, 'kraft-topic', bs.BootstrapBrokerStringTls!, tlsArgs(ca), 3);
  // The brokers really run Kafka 4.1 in KRaft mode: controllers are containers of their own.
  const roles = await sh('docker', ['ps', '--filter', `label=openmsk.cluster=${id}`, '--format', '{{.Label "openmsk.role"}} {{.Image}}']);
  expect(roles.trim().split('\n').sort()).toEqual([...Array(3).fill('broker openmsk/kafka:4.1.1'), ...Array(3).fill('controller openmsk/kafka:4.1.1')].sort());
  await kafka.send(new DeleteClusterCommand({ ClusterArn }));
  await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
}, 300_000);

test('TLS_PLAINTEXT (3.8.x, ZooKeeper, inCluster off): both listeners reported, both serve', async () => {
  const { ClusterArn } = await kafka.send(new CreateClusterCommand({
    ClusterName: 'mixed38', KafkaVersion: '3.8.x', NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 5 } } },
    EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT', InCluster: false } },
  }));
  await waitForState(kafka, ClusterArn!, 'ACTIVE');
  const id = clusterId(ClusterArn!);
  const bs = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn }));
  expect(bs.BootstrapBrokerString).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
  expect(bs.BootstrapBrokerStringTls).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
  const ca = clusterPaths(s.config.OPENMSK_HOME, id).ca;
  await roundTrip(id, 'plain-topic', bs.BootstrapBrokerString!, [], 2);
  await roundTrip(id, 'tls-topic', bs.BootstrapBrokerStringTls!, tlsArgs(ca), 2);
  await kafka.send(new DeleteClusterCommand({ ClusterArn }));
  await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
}, 300_000);
