/**
 * openmsk's own read endpoints (apps/api/src/openmsk-api.ts) against a real 3-broker KRaft cluster (3.9.x.kraft, TLS
 * in the cluster), each answer checked against what was done to the cluster with kcat (librdkafka): messages
 * produced with known keys, values and headers, a consumer group that committed part of a topic, the brokers'
 * metadata as kcat reads it, and a stopped broker.
 */
import { DescribeTopicCommand, CreateTopicCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from '../../api/test/helpers';
import { createTestCluster, kcat, sh, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

let s: Stack;
let kafka: KafkaClient;
let c: TestCluster;
const dir = mkdtempSync(join(tmpdir(), 'openmsk-own-api-'));
const TOPIC = 'orders';
const BINARY = Buffer.from([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x0a]);
const started = Date.now();

const path = (rest: string) => `/openmsk/v1/clusters/${encodeURIComponent(c.ClusterArn)}${rest}`;
const get = async (rest: string) => {
  const res = await bearer(s, 'GET', path(rest));
  if (res.status !== 200) throw new Error(`GET ${rest}: ${res.status} ${res.text}`);
  return res.json;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');
const produce = (partition: number, args: string[], input?: string) =>
  kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-P', '-t', TOPIC, '-p', String(partition), ...args], input);

/** Retries an assertion until it holds or `ms` passed. */
async function eventually(check: () => Promise<void>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  c = await createTestCluster(s, kafka, 'own-api', '3.9.x.kraft');
  await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: TOPIC, PartitionCount: 3, ReplicationFactor: 3 }));
  // Partition 0: three keyed messages with headers, one without a key, one binary value (a file is one message).
  await produce(0, ['-K', '|', '-H', 'trace=t-1', '-H', 'source=e2e'], 'k1|v1\nk2|v2\nk3|v3\n');
  await produce(0, [], 'no key\n');
  writeFileSync(join(dir, 'binary'), BINARY);
  await produce(0, [join(dir, 'binary')]);
  await produce(1, ['-K', '|'], 'a|1\nb|2\n');
  // The group reads everything there is (and commits it on closing); three more come to partition 0 afterwards.
  await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-G', 'billing', TOPIC, '-e', '-q', '-X', 'auto.commit.interval.ms=100', '-X', 'auto.offset.reset=earliest']);
  await produce(0, ['-K', '|'], 'k6|later-6\nk7|later-7\nk8|later-8\n');
}, 300_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('brokers: leaders and replicas as the metadata has them, the active KRaft controller, disk figures', async () => {
  const meta = JSON.parse(await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-L', '-J', '-m', '10'])) as {
    brokers: { id: number }[]; topics: { topic: string; partitions: { leader: number; replicas: { id: number }[] }[] }[];
  };
  const partitions = meta.topics.flatMap((t) => t.partitions);
  const nodes = await s.db.node.findMany({ where: { clusterId: c.id }, orderBy: { ordinal: 'asc' } });
  const out = await get('/brokers');
  expect(out.controller.kind).toBe('controller');
  expect(nodes.filter((n) => n.role === 'controller').map((n) => n.ordinal)).toContain(out.controller.id);
  expect(out.brokers.map((b: { brokerId: number; zone: string; online: boolean }) => [b.brokerId, b.zone, b.online]))
    .toEqual(nodes.filter((n) => n.role === 'broker').map((n) => [n.ordinal, n.zone, true]));
  // __consumer_offsets (made by the group) counts too: every partition of the cluster has one leader.
  expect(meta.topics.map((t) => t.topic)).toContain('__consumer_offsets');
  expect(out.brokers.reduce((sum: number, b: { leaderCount: number }) => sum + b.leaderCount, 0)).toBe(partitions.length);
  for (const b of out.brokers) {
    expect(b.leaderCount).toBe(partitions.filter((p) => p.leader === b.brokerId).length);
    expect(b.partitionCount).toBe(partitions.filter((p) => p.replicas.some((r) => r.id === b.brokerId)).length);
    expect(b.diskUsedBytes).toBeGreaterThan(0);
    expect(b.diskUsedBytes).toBeLessThanOrEqual(b.diskTotalBytes);
    // The broker's 10 GiB volume (an XFS image, or a plain directory where the host offers no loop devices).
    expect(b.diskTotalBytes).toBeGreaterThan(0);
  }
});

test('topic offsets: what was produced, and the leader replica holds the bytes', async () => {
  const out = await get(`/topics/${TOPIC}/offsets`);
  expect(out.partitions.map((p: { partition: number; earliestOffset: number; latestOffset: number }) => [p.partition, p.earliestOffset, p.latestOffset]))
    .toEqual([[0, 0, 8], [1, 0, 2], [2, 0, 0]]);
  expect(out.partitions[0].sizeBytes).toBeGreaterThan(out.partitions[1].sizeBytes);
  expect(out.partitions[1].sizeBytes).toBeGreaterThan(0);
  expect(out.partitions[2].sizeBytes).toBe(0);
});

test('topic stats: every topic in one answer, internal ones included, as the metadata and offsets have them', async () => {
  const meta = JSON.parse(await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-L', '-J', '-m', '10'])) as {
    topics: { topic: string; partitions: { replicas: unknown[]; isrs: unknown[] }[] }[];
  };
  const out = await get('/topic-stats');
  const names = out.topics.map((t: { topicName: string }) => t.topicName);
  expect(names).toEqual(meta.topics.map((t) => t.topic).sort());
  expect(names).toContain('__consumer_offsets');
  const mine = out.topics.find((t: { topicName: string }) => t.topicName === TOPIC);
  const offsets = await get(`/topics/${TOPIC}/offsets`);
  expect(mine).toEqual({
    topicName: TOPIC, internal: false, partitionCount: 3, replicationFactor: 3, outOfSyncReplicaCount: 0, underReplicatedPartitions: 0,
    messageCount: 10, // 8 in partition 0, 2 in partition 1
    sizeBytes: offsets.partitions.reduce((n: number, p: { sizeBytes: number }) => n + p.sizeBytes, 0),
  });
  const internal = out.topics.find((t: { topicName: string }) => t.topicName === '__consumer_offsets');
  const listed = meta.topics.find((t) => t.topic === '__consumer_offsets')!;
  expect([internal.internal, internal.partitionCount, internal.replicationFactor]).toEqual([true, listed.partitions.length, listed.partitions[0].replicas.length]);
  expect(internal.messageCount).toBeGreaterThan(0); // the group's commits
  // An internal topic's own offsets too (the client library's ListOffsets cannot look it up).
  const own = await get('/topics/__consumer_offsets/offsets');
  expect(own.partitions).toHaveLength(listed.partitions.length);
  expect(own.partitions.reduce((n: number, p: { earliestOffset: number; latestOffset: number }) => n + p.latestOffset - p.earliestOffset, 0)).toBe(internal.messageCount);
});

test('messages: the last N of a partition with their exact keys, values and headers, ascending', async () => {
  const out = await get(`/topics/${TOPIC}/partitions/0/messages?limit=100`);
  expect({ topic: out.topic, partition: out.partition, earliestOffset: out.earliestOffset, latestOffset: out.latestOffset })
    .toEqual({ topic: TOPIC, partition: 0, earliestOffset: 0, latestOffset: 8 });
  const headers = [{ key: 'trace', value: b64('t-1') }, { key: 'source', value: b64('e2e') }];
  expect(out.messages.map((m: { offset: number; key: string | null; value: string | null; headers: unknown[] }) => ({ offset: m.offset, key: m.key, value: m.value, headers: m.headers }))).toEqual([
    { offset: 0, key: b64('k1'), value: b64('v1'), headers },
    { offset: 1, key: b64('k2'), value: b64('v2'), headers },
    { offset: 2, key: b64('k3'), value: b64('v3'), headers },
    { offset: 3, key: null, value: b64('no key'), headers: [] },
    { offset: 4, key: null, value: BINARY.toString('base64'), headers: [] },
    { offset: 5, key: b64('k6'), value: b64('later-6'), headers: [] },
    { offset: 6, key: b64('k7'), value: b64('later-7'), headers: [] },
    { offset: 7, key: b64('k8'), value: b64('later-8'), headers: [] },
  ]);
  for (const m of out.messages) {
    expect(m.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(m.timestamp)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(m.timestamp)).toBeLessThanOrEqual(Date.now());
  }
  // The default is 20; a limit gives the last N.
  expect((await get(`/topics/${TOPIC}/partitions/0/messages`)).messages).toHaveLength(8);
  expect((await get(`/topics/${TOPIC}/partitions/0/messages?limit=2`)).messages.map((m: { offset: number; value: string }) => [m.offset, m.value]))
    .toEqual([[6, b64('later-7')], [7, b64('later-8')]]);
  expect(await get(`/topics/${TOPIC}/partitions/2/messages`)).toEqual({ topic: TOPIC, partition: 2, earliestOffset: 0, latestOffset: 0, messages: [] });
});

test('unknown topic and partition: NotFound, the topic one as DescribeTopic words it', async () => {
  const msk = await kafka.send(new DescribeTopicCommand({ ClusterArn: c.ClusterArn, TopicName: 'no-such-topic' })).catch((e) => e);
  expect(msk.name).toBe('NotFoundException');
  for (const rest of ['/topics/no-such-topic/offsets', '/topics/no-such-topic/partitions/0/messages']) {
    const res = await bearer(s, 'GET', path(rest));
    expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), message: res.json.message, invalidParameter: res.json.invalidParameter })
      .toEqual({ status: 404, type: 'NotFoundException', message: msk.message, invalidParameter: 'topicName' });
  }
  const res = await bearer(s, 'GET', path(`/topics/${TOPIC}/partitions/3/messages`));
  expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), invalidParameter: res.json.invalidParameter })
    .toEqual({ status: 404, type: 'NotFoundException', invalidParameter: 'partition' });
});

test('consumer groups: committed offsets and exact lag; a live member with its assignment', async () => {
  await eventually(async () => {
    const out = await get('/consumer-groups');
    const billing = out.groups.find((g: { groupId: string }) => g.groupId === 'billing');
    expect(billing).toEqual({
      groupId: 'billing', state: 'Empty', protocolType: 'consumer', members: [],
      partitions: [
        { topic: TOPIC, partition: 0, committedOffset: 5, endOffset: 8, lag: 3 },
        { topic: TOPIC, partition: 1, committedOffset: 2, endOffset: 2, lag: 0 },
      ],
      totalLag: 3,
    });
  });

  // A consumer that stays: its member, client id and the partitions assigned to it.
  const live = spawn('kcat', ['-b', c.bootstrap, ...tlsArgs(c.ca), '-G', 'live', TOPIC, '-q', '-X', 'client.id=own-api-e2e', '-X', 'auto.offset.reset=earliest'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await eventually(async () => {
      const out = await get('/consumer-groups');
      const g = out.groups.find((x: { groupId: string }) => x.groupId === 'live');
      expect(g).toMatchObject({ groupId: 'live', state: 'Stable', protocolType: 'consumer' });
      expect(g.members).toHaveLength(1);
      expect(g.members[0]).toMatchObject({ clientId: 'own-api-e2e', memberId: expect.stringMatching(/^own-api-e2e-/), clientHost: expect.stringContaining('127.0.0.1') });
      expect(g.members[0].assignments).toEqual([{ topic: TOPIC, partitions: [0, 1, 2] }]);
    }, 60_000);
  } finally {
    live.kill('SIGTERM');
  }
}, 120_000);

test('a stopped broker: offline, its replicas still counted, leading nothing, its disk unknown', async () => {
  await sh('docker', ['stop', '-t', '30', `openmsk-${c.id}-broker-3`]);
  try {
    await eventually(async () => {
      const out = await get('/brokers');
      const b3 = out.brokers.find((b: { brokerId: number }) => b.brokerId === 3);
      expect(b3).toMatchObject({ online: false, leaderCount: 0, diskUsedBytes: null, diskTotalBytes: null });
      expect(b3.partitionCount).toBeGreaterThan(0);
      expect(out.brokers.filter((b: { online: boolean }) => b.online)).toHaveLength(2);
      // Every partition of the RF3 topic had a replica on broker 3: all three under-replicated, nothing lost.
      const stats = (await get('/topic-stats')).topics.find((t: { topicName: string }) => t.topicName === TOPIC);
      expect(stats).toMatchObject({ underReplicatedPartitions: 3, outOfSyncReplicaCount: 3, messageCount: 10 });
    }, 60_000);
  } finally {
    await sh('docker', ['start', `openmsk-${c.id}-broker-3`]);
  }
}, 120_000);
