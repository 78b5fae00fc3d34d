import { CreateClusterCommand, DeleteClusterCommand, GetBootstrapBrokersCommand, ListClusterOperationsCommand, ListNodesCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { clusterPaths } from '@openmsk/runtime';
import { kcat, sh, startStack, tlsArgs, waitForState, type Stack } from './stack';

let s: Stack;
let kafka: KafkaClient;
beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
}, 60_000);
afterAll(() => s?.close());

test('a 3-broker ZooKeeper-mode TLS cluster becomes ACTIVE and serves over TLS only', async () => {
  const { ClusterArn } = await kafka.send(new CreateClusterCommand({
    ClusterName: 'zk-tls',
    KafkaVersion: '3.9.x',
    NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 1000 } } },
  }));
  const info = (await waitForState(kafka, ClusterArn!, 'ACTIVE')) as { ZookeeperConnectString?: string };
  expect(info.ZookeeperConnectString).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);

  const bs = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn }));
  expect(bs.BootstrapBrokerString).toBeUndefined();
  expect(bs.BootstrapBrokerStringTls).toMatch(/^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/);
  const id = ClusterArn!.split('/')[2].replace(/-\d+$/, '');
  const ca = clusterPaths(s.config.OPENMSK_HOME, id).ca;

  const meta = JSON.parse(await kcat(['-b', bs.BootstrapBrokerStringTls!, ...tlsArgs(ca), '-L', '-J']));
  expect(meta.brokers.map((b: { id: number }) => b.id).sort()).toEqual([1, 2, 3]);

  // Topics are created the way a user would, with Kafka's own tool (MSK's default: no auto-create).
  const brokerPort = (await s.db.node.findFirstOrThrow({ where: { clusterId: id, nodeId: 'broker-1' } })).ports as { replication: number };
  await sh('docker', ['exec', `openmsk-${id}-broker-1`, '/opt/kafka/bin/run', 'topics', '--bootstrap-server', `127.0.0.1:${brokerPort.replication}`,
    '--command-config', '/etc/kafka/client.properties', '--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3',
    '--config', 'min.insync.replicas=2']);
  const lines = Array.from({ length: 1000 }, (_, i) => `m${i}`).join('\n') + '\n';
  await kcat(['-b', bs.BootstrapBrokerStringTls!, ...tlsArgs(ca), '-X', 'acks=all', '-P', '-t', 'orders'], lines);
  const consumed = await kcat(['-b', bs.BootstrapBrokerStringTls!, ...tlsArgs(ca), '-C', '-t', 'orders', '-o', 'beginning', '-e', '-q']);
  expect(consumed.trim().split('\n').sort()).toEqual(lines.trim().split('\n').sort());

  // No plaintext listener: a plaintext client gets nowhere on any broker port.
  for (const hp of bs.BootstrapBrokerStringTls!.split(',')) {
    await expect(kcat(['-b', hp, '-L', '-m', '3'], undefined, 15_000)).rejects.toThrow();
  }

  // Each broker's log directory is its own file system of volumeSizeGB.
  for (let b = 1; b <= 3; b++) {
    const df = await sh('docker', ['exec', `openmsk-${id}-broker-${b}`, 'df', '-BG', '--output=size', '/var/lib/kafka']);
    const gib = Number(df.trim().split('\n').pop()!.replace('G', ''));
    expect(gib).toBeGreaterThanOrEqual(1000);
    expect(gib).toBeLessThan(1002);
  }

  // The worker reports real, sized volumes to /health.
  const health = (await (await fetch(`${s.url}/health`)).json()) as { worker: { status: string; storage: string; images: string[] } };
  expect(health.worker).toMatchObject({ status: 'up', storage: 'xfs-loop' });
  expect(health.worker.images).toEqual(expect.arrayContaining(['3.8.1', '3.9.1', '4.1.1']));

  const nodes = await kafka.send(new ListNodesCommand({ ClusterArn }));
  const brokers = nodes.NodeInfoList!.filter((n) => n.NodeType === 'BROKER');
  expect(brokers.map((n) => [n.BrokerNodeInfo?.BrokerId, n.BrokerNodeInfo?.ClientSubnet]).sort()).toEqual([[1, 'subnet-aaaaaaaa'], [2, 'subnet-bbbbbbbb'], [3, 'subnet-cccccccc']]);
  expect(nodes.NodeInfoList!.filter((n) => n.ZookeeperNodeInfo).length).toBe(3);

  const ops = await kafka.send(new ListClusterOperationsCommand({ ClusterArn }));
  expect(ops.ClusterOperationInfoList?.[0]).toMatchObject({ OperationType: 'CREATE', OperationState: 'UPDATE_COMPLETE' });

  await kafka.send(new DeleteClusterCommand({ ClusterArn }));
  await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
  expect(await sh('docker', ['ps', '-a', '--filter', `label=openmsk.cluster=${id}`, '-q'])).toBe('');
  expect((await sh('losetup', ['-a'])).includes(id)).toBe(false);
  expect((await sh('cat', ['/proc/mounts'])).includes(id)).toBe(false);
  expect(await s.db.portAllocation.count({ where: { clusterId: id } })).toBe(0);
}, 300_000);
