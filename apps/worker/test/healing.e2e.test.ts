/**
 * Self-healing on a real 3-broker cluster (3.9.x, ZooKeeper, TLS): a broker killed, a broker removed, a ZooKeeper
 * node killed. Each time the cluster shows HEALING (updates refused), the node comes back on its own volume, the
 * cluster is ACTIVE again once in sync, and an acks=all producer on an RF3 / min.insync.replicas=2 topic loses no
 * acknowledged write.
 */
import { CreateTopicCommand, DescribeClusterCommand, RebootBrokerCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { createTestCluster, expectNothingLost, sh, startProducer, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

let s: Stack;
let kafka: KafkaClient;
let c: TestCluster;
let ClusterArn: string;
let id: string;
const topic = 'healing';
const times: Record<string, { healingSeenMs: number; activeMs: number }> = {};

const state = async () => (await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo!.State;
const binds = async (name: string) => JSON.parse(await sh('docker', ['inspect', '-f', '{{json .HostConfig.Binds}}', name])) as string[];

/** Polls DescribeCluster every 100 ms until `want`; returns ms since `t0`. */
async function until(want: string, t0: number, timeoutMs = 120_000): Promise<number> {
  for (;;) {
    if ((await state()) === want) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) throw new Error(`not ${want} after ${timeoutMs} ms (${await state()}):\n${s.logs.slice(-15).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  c = await createTestCluster(s, kafka, 'healing', '3.9.x');
  ({ ClusterArn, id } = c);
  await kafka.send(new CreateTopicCommand({ ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
}, 240_000);
afterAll(async () => {
  console.log('healing times (ms since the container went down):', JSON.stringify(times));
  await s?.close();
});

async function heal(what: string, node: string, breakIt: (name: string) => Promise<unknown>) {
  const name = `openmsk-${id}-${node}`;
  const before = await binds(name);
  const producer = startProducer(c.bootstrap, tlsArgs(c.ca), topic, 5);
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = Date.now();
  await breakIt(name);
  const healingSeenMs = await until('HEALING', t0);
  // Updates are refused while the cluster heals.
  const refused = await kafka.send(new RebootBrokerCommand({ ClusterArn, BrokerIds: ['1'] })).then(() => undefined, (e) => e);
  expect([refused?.name, refused?.message]).toEqual(['BadRequestException', "You can't update a cluster in HEALING state."]);
  const activeMs = await until('ACTIVE', t0);
  times[what] = { healingSeenMs, activeMs };
  expect((await sh('docker', ['inspect', '-f', '{{.State.Running}}', name])).trim()).toBe('true');
  expect(await binds(name)).toEqual(before); // the same volume, configuration and certificates
  await expectNothingLost(producer, c, topic);
}

test('docker kill of a broker: HEALING, back on its volume, ACTIVE once in sync, nothing lost', async () => {
  await heal('kill broker', 'broker-2', (name) => sh('docker', ['kill', name]));
}, 240_000);

test('docker rm -f of a broker: the container is re-created on the same volume', async () => {
  const oldId = (await sh('docker', ['inspect', '-f', '{{.Id}}', `openmsk-${id}-broker-3`])).trim();
  await heal('rm -f broker', 'broker-3', (name) => sh('docker', ['rm', '-f', name]));
  expect((await sh('docker', ['inspect', '-f', '{{.Id}}', `openmsk-${id}-broker-3`])).trim()).not.toBe(oldId);
}, 240_000);

test('docker kill of a ZooKeeper node: HEALING, then ACTIVE', async () => {
  await heal('kill zookeeper', 'zookeeper-1', (name) => sh('docker', ['kill', name]));
}, 240_000);
