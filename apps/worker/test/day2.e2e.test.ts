import {
  CreateClusterCommand, CreateConfigurationCommand, DescribeClusterCommand, DescribeClusterOperationCommand, GetBootstrapBrokersCommand,
  RebootBrokerCommand, UpdateBrokerCountCommand, UpdateBrokerStorageCommand, UpdateBrokerTypeCommand, UpdateClusterConfigurationCommand,
  UpdateClusterKafkaVersionCommand, type KafkaClient,
} from '@aws-sdk/client-kafka';
import { clusterPaths } from '@openmsk/runtime';
import { kcat, sh, startProducer, startStack, tlsArgs, waitForState, type Stack } from './stack';

let s: Stack;
let kafka: KafkaClient;
let arn: string;
let id: string;
let bootstrap: string;
let tls: string[];
const timings: Record<string, number> = {};

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  const out = await kafka.send(new CreateClusterCommand({
    ClusterName: 'day2', KafkaVersion: '3.8.x', NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
  }));
  arn = out.ClusterArn!;
  id = arn.split('/')[2].replace(/-\d+$/, '');
  await waitForState(kafka, arn, 'ACTIVE');
  bootstrap = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }))).BootstrapBrokerStringTls!;
  tls = tlsArgs(clusterPaths(s.config.OPENMSK_HOME, id).ca);
  await tool('topics', ['--create', '--topic', 'events', '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2']);
}, 300_000);
afterAll(async () => {
  console.log(`day-2 operation times (ms): ${JSON.stringify(timings)}`);
  await s?.close();
});

async function tool(name: string, args: string[], broker = 1) {
  const port = ((await s.db.node.findFirstOrThrow({ where: { clusterId: id, nodeId: `broker-${broker}` } })).ports as { replication: number }).replication;
  return sh('docker', ['exec', `openmsk-${id}-broker-${broker}`, '/opt/kafka/bin/run', name, '--bootstrap-server', `127.0.0.1:${port}`,
    '--command-config', '/etc/kafka/client.properties', ...args]);
}
const currentVersion = async () => (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!.CurrentVersion!;

/** Runs an update, waits for the operation to end, checks it completed and the cluster is ACTIVE again. */
async function operate(label: string, send: () => Promise<{ ClusterOperationArn?: string }>, done = 'UPDATE_COMPLETE') {
  const t0 = Date.now();
  const { ClusterOperationArn } = await send();
  for (;;) {
    const { ClusterOperationInfo: op } = await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn }));
    if (op?.EndTime) {
      expect({ state: op.OperationState, error: op.ErrorInfo }).toEqual({ state: done, error: undefined });
      break;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  timings[label] = Date.now() - t0;
  await waitForState(kafka, arn, 'ACTIVE', 10_000);
}

/** A producer runs through `during`; afterwards every message it sent is consumed, counted exactly. */
async function lossless(topic: string, during: () => Promise<void>) {
  await tool('topics', ['--create', '--topic', topic, '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2']);
  const producer = startProducer(bootstrap, tls, topic);
  await new Promise((r) => setTimeout(r, 1000));
  await during();
  await new Promise((r) => setTimeout(r, 1000));
  const { sent, failed, stderr, exitCode } = await producer.stop();
  expect({ exitCode, lastError: exitCode ? stderr.trim().split('\n').slice(-3) : [] }).toEqual({ exitCode: 0, lastError: [] });
  // Connection-refused lines while a broker restarts are expected; an undelivered message is not.
  expect({ failed, deliveryErrors: stderr.split('\n').filter((l) => l.includes('Delivery failed')).slice(0, 3) }).toEqual({ failed: 0, deliveryErrors: [] });
  const got = (await kcat(['-b', bootstrap, ...tls, '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], undefined, 120_000)).trim().split('\n');
  expect(new Set(got).size).toBe(sent.length);
  expect(got.length).toBe(sent.length);
}

test('UpdateClusterConfiguration with dynamic keys only: applied without restarting brokers', async () => {
  const started = await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-1`]);
  const cfg = await kafka.send(new CreateConfigurationCommand({ Name: 'dyn', KafkaVersions: ['3.8.x', '3.9.x'], ServerProperties: Buffer.from('log.retention.ms=3600000\n') }));
  await operate('dynamicConfiguration', async () => kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: await currentVersion(), ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 } })));
  expect(await tool('configs', ['--describe', '--entity-type', 'brokers', '--entity-name', '2', '--all'])).toMatch(/log\.retention\.ms=3600000/);
  expect(await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-1`])).toBe(started);
  const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
  expect(info.CurrentBrokerSoftwareInfo).toMatchObject({ ConfigurationArn: cfg.Arn, ConfigurationRevision: 1 });
}, 300_000);

test('UpdateClusterConfiguration with a static key: rolling restart, lossless', async () => {
  const cfg = await kafka.send(new CreateConfigurationCommand({ Name: 'static', KafkaVersions: ['3.8.x', '3.9.x'], ServerProperties: Buffer.from('auto.create.topics.enable=true\nlog.retention.ms=7200000\n') }));
  await lossless('during-config', () => operate('rollingConfiguration', async () =>
    kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: await currentVersion(), ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 } }))));
  for (const b of [1, 2, 3]) {
    const all = await tool('configs', ['--describe', '--entity-type', 'brokers', '--entity-name', String(b), '--all']);
    expect(all).toMatch(/auto\.create\.topics\.enable=true/);
    expect(all).toMatch(/log\.retention\.ms=7200000/);
  }
}, 600_000);

test('UpdateBrokerStorage grows every broker volume online', async () => {
  const started = await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-2`]);
  await lossless('during-storage', () => operate('storageGrow', async () => kafka.send(new UpdateBrokerStorageCommand({
    ClusterArn: arn, CurrentVersion: await currentVersion(), TargetBrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 25 }] }))));
  for (const b of [1, 2, 3]) {
    const df = await sh('docker', ['exec', `openmsk-${id}-broker-${b}`, 'df', '-BG', '--output=size', '/var/lib/kafka']);
    expect(Number(df.trim().split('\n').pop()!.replace('G', ''))).toBe(25);
  }
  expect(await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-2`])).toBe(started);
  const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
  expect(info.BrokerNodeGroupInfo?.StorageInfo?.EbsStorageInfo?.VolumeSize).toBe(25);
}, 300_000);

test('RebootBroker restarts exactly one broker', async () => {
  const before = await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-2`]);
  const other = await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-1`]);
  await operate('reboot', () => kafka.send(new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ['2'] })), 'REBOOT_COMPLETE');
  expect(await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-2`])).not.toBe(before);
  expect(await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-1`])).toBe(other);
}, 300_000);

test('UpdateClusterKafkaVersion 3.8.x → 3.9.x: rolling image swap, lossless', async () => {
  await lossless('during-upgrade', () => operate('versionUpgrade', async () =>
    kafka.send(new UpdateClusterKafkaVersionCommand({ ClusterArn: arn, CurrentVersion: await currentVersion(), TargetKafkaVersion: '3.9.x' }))));
  for (const b of [1, 2, 3]) {
    expect((await sh('docker', ['inspect', '-f', '{{.Config.Image}}', `openmsk-${id}-broker-${b}`])).trim()).toBe('openmsk/kafka:3.9.1');
  }
  expect(await tool('configs', ['--describe', '--entity-type', 'brokers', '--entity-name', '1', '--all'])).toMatch(/inter\.broker\.protocol\.version=3\.9/);
  expect((await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!.CurrentBrokerSoftwareInfo?.KafkaVersion).toBe('3.9.x');
}, 900_000);

test('UpdateBrokerType changes container limits, rolling', async () => {
  await operate('brokerType', async () => kafka.send(new UpdateBrokerTypeCommand({ ClusterArn: arn, CurrentVersion: await currentVersion(), TargetInstanceType: 'kafka.t3.small' })));
  for (const b of [1, 2, 3]) {
    expect((await sh('docker', ['inspect', '-f', '{{.HostConfig.Memory}}', `openmsk-${id}-broker-${b}`])).trim()).toBe(String(768 * 1024 * 1024));
  }
  expect((await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!.BrokerNodeGroupInfo?.InstanceType).toBe('kafka.t3.small');
}, 600_000);

test('UpdateBrokerCount 3 → 6: new brokers join, spread across zones', async () => {
  await operate('brokerCount', async () => kafka.send(new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: await currentVersion(), TargetNumberOfBrokerNodes: 6 })));
  const meta = JSON.parse(await kcat(['-b', bootstrap, ...tls, '-L', '-J']));
  expect(meta.brokers.map((b: { id: number }) => b.id).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  const zones = (await s.db.node.findMany({ where: { clusterId: id, role: 'broker' }, orderBy: { ordinal: 'asc' } })).map((n) => n.zone);
  expect(zones).toEqual(['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc', 'subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc']);
  expect((await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!.NumberOfBrokerNodes).toBe(6);
}, 600_000);
