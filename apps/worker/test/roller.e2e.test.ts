/**
 * The roller's checks on a real KRaft cluster (3 brokers, 3 controllers, TLS): a version upgrade rolls the
 * controllers before the brokers, followers before the active controller; RebootBroker waits while a partition the
 * broker is in sync for sits at min.insync.replicas (a follower paused by hand), records why on the operation, and
 * goes on once the follower is back. An acks=all producer loses nothing throughout.
 */
import {
  CreateTopicCommand,
  DescribeClusterOperationV2Command,
  RebootBrokerCommand,
  UpdateClusterKafkaVersionCommand,
  DescribeClusterCommand,
  type KafkaClient,
} from '@aws-sdk/client-kafka';
import { CONTROLLER_ID_BASE } from '@openmsk/domain';
import { KafkaAdmin } from '@openmsk/kafka';
import { createTestCluster, expectNothingLost, sh, startProducer, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

let s: Stack;
let kafka: KafkaClient;
let c: TestCluster;
let ClusterArn: string;
let id: string;
const topic = 'rolled';

const startedAt = async (node: string) => new Date((await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-${node}`])).trim()).getTime();

async function waitOperation(arn: string, want: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = (await kafka.send(new DescribeClusterOperationV2Command({ ClusterOperationArn: arn }))).ClusterOperationInfo!;
    if (op.OperationState === want) return op;
    if (/FAILED/.test(op.OperationState ?? '')) throw new Error(`operation ${op.OperationState}: ${JSON.stringify(op.ErrorInfo)}\n${s.logs.slice(-10).join('\n')}`);
    if (Date.now() > deadline) throw new Error(`operation still ${op.OperationState}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The cluster's admin client as the worker uses it, to look at ISR from outside the roller. */
async function admin(): Promise<KafkaAdmin> {
  const nodes = await s.db.node.findMany({ where: { clusterId: id, role: 'broker' } });
  const { readFileSync } = await import('node:fs');
  return new KafkaAdmin({ brokers: nodes.map((n) => `127.0.0.1:${(n.ports as { replication: number }).replication}`), caPem: readFileSync(c.ca, 'utf8') });
}

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  c = await createTestCluster(s, kafka, 'roller', '3.9.x.kraft');
  ({ ClusterArn, id } = c);
  await kafka.send(new CreateTopicCommand({ ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
}, 240_000);
afterAll(() => s?.close());

async function lossless<T>(run: () => Promise<T>): Promise<T> {
  const producer = startProducer(c.bootstrap, tlsArgs(c.ca), topic, 5);
  await new Promise((r) => setTimeout(r, 1000));
  const out = await run();
  await expectNothingLost(producer, c, topic);
  return out;
}

test('UpdateClusterKafkaVersion 3.9.x.kraft -> 4.1.x.kraft: controllers before brokers, the active controller last', async () => {
  const a = await admin();
  const leader = (await a.describeQuorum()).leaderId;
  await a.close();
  const t0 = Date.now();
  const currentVersion = (await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo!.CurrentVersion;
  await lossless(async () => {
    const { ClusterOperationArn } = await kafka.send(new UpdateClusterKafkaVersionCommand({ ClusterArn, CurrentVersion: currentVersion, TargetKafkaVersion: '4.1.x.kraft' }));
    await waitOperation(ClusterOperationArn!, 'UPDATE_COMPLETE', 400_000);
  });
  const controllers = await Promise.all([1, 2, 3].map(async (n) => ({ n, at: await startedAt(`controller-${n}`) })));
  const brokers = await Promise.all([1, 2, 3].map((n) => startedAt(`broker-${n}`)));
  for (const c of controllers) expect(c.at).toBeGreaterThan(t0);
  expect(Math.max(...controllers.map((c) => c.at))).toBeLessThan(Math.min(...brokers));
  const last = controllers.reduce((m, c) => (c.at > m.at ? c : m));
  expect(CONTROLLER_ID_BASE + last.n).toBe(leader);
  expect((await sh('docker', ['inspect', '-f', '{{.Config.Image}}', `openmsk-${id}-controller-1`])).trim()).toBe('openmsk/kafka:4.1.1');
}, 600_000);

test('RebootBroker waits while a partition is at min.insync.replicas with the broker in it, records why, then goes on', async () => {
  const a = await admin();
  await sh('docker', ['pause', `openmsk-${id}-broker-2`]);
  let paused = true;
  try {
    // Broker 2 is fenced once its heartbeats stop: every partition's ISR shrinks to {1, 3}, exactly min ISR.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const m = await a.metadata({ topics: [topic] }).catch(() => undefined);
      if (m && m.topics[0].partitions.every((p) => !p.isr.includes(2))) break;
      if (Date.now() > deadline) throw new Error('ISR did not shrink');
      await new Promise((r) => setTimeout(r, 500));
    }
    const { ClusterOperationArn } = await kafka.send(new RebootBrokerCommand({ ClusterArn, BrokerIds: ['1'] }));
    const opId = ClusterOperationArn!.split('/').pop()!;
    const waitsOf = async () => ((await s.db.clusterOperation.findUniqueOrThrow({ where: { id: opId } })).waits as { reason: string }[]);
    const deadline2 = Date.now() + 60_000;
    while ((await waitsOf()).length === 0) {
      if (Date.now() > deadline2) throw new Error(`no wait recorded:\n${s.logs.slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect((await waitsOf())[0].reason).toMatch(/^waiting to restart broker 1: 3 partition\(s\) at or below min.insync.replicas/);
    // It really waits: broker 1 keeps running while the follower is away.
    const before = await startedAt('broker-1');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await startedAt('broker-1')).toBe(before);
    expect((await kafka.send(new DescribeClusterOperationV2Command({ ClusterOperationArn }))).ClusterOperationInfo!.OperationState).toBe('REBOOT_IN_PROGRESS');
    await sh('docker', ['unpause', `openmsk-${id}-broker-2`]);
    paused = false;
    await waitOperation(ClusterOperationArn!, 'REBOOT_COMPLETE');
    expect(await startedAt('broker-1')).toBeGreaterThan(before);
  } finally {
    if (paused) await sh('docker', ['unpause', `openmsk-${id}-broker-2`]).catch(() => undefined);
    await a.close();
  }
}, 300_000);
