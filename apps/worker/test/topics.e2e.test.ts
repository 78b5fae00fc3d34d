/**
 * The Topics API through @aws-sdk/client-kafka against a real 3-broker cluster (3.9.x, ZooKeeper, TLS in the
 * cluster), with what each call did checked through separate clients: kcat (librdkafka) for partitions, leaders,
 * replicas and deletion, Kafka's own kafka-configs tool inside a broker for topic settings.
 */
import {
  CreateTopicCommand,
  DeleteTopicCommand,
  DescribeTopicCommand,
  DescribeTopicPartitionsCommand,
  ListTopicsCommand,
  UpdateTopicCommand,
  paginateDescribeTopicPartitions,
  paginateListTopics,
  type KafkaClient,
} from '@aws-sdk/client-kafka';
import { EXAMPLE_CLUSTER_ARN } from '../../api/src/examples';
import { raw } from '../../api/test/helpers';
import { createTestCluster, kcat, sh, startStack, tlsArgs, type Stack } from './stack';

let s: Stack;
let kafka: KafkaClient;
let ClusterArn: string;
let id: string;
let bootstrap: string;
let ca: string;

const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');

/** Topics as librdkafka sees them: name -> partitions with leader, replicas, ISR. */
async function seen(): Promise<Map<string, { partition: number; leader: number; replicas: number[]; isrs: number[] }[]>> {
  const meta = JSON.parse(await kcat(['-b', bootstrap, ...tlsArgs(ca), '-L', '-J', '-m', '10'])) as {
    topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
  };
  return new Map(meta.topics.filter((t) => !t.topic.startsWith('__')).map((t) => [t.topic, t.partitions.map((p) => ({
    partition: p.partition, leader: p.leader, replicas: p.replicas.map((r) => r.id).sort(), isrs: p.isrs.map((r) => r.id).sort(),
  })).sort((a, b) => a.partition - b.partition)]));
}

/** The topic's own settings as Kafka's kafka-configs tool reports them. */
async function toolConfigs(topic: string): Promise<Record<string, string>> {
  const port = ((await s.db.node.findFirstOrThrow({ where: { clusterId: id, nodeId: 'broker-1' } })).ports as { replication: number }).replication;
  const out = await sh('docker', ['exec', `openmsk-${id}-broker-1`, '/opt/kafka/bin/run', 'configs', '--bootstrap-server', `127.0.0.1:${port}`,
    '--command-config', '/etc/kafka/client.properties', '--describe', '--entity-type', 'topics', '--entity-name', topic]);
  // "Dynamic configs for topic orders are:\n  retention.ms=3600000 sensitive=false synonyms={...}"
  return Object.fromEntries([...out.matchAll(/^\s+([a-z0-9._-]+)=(\S*) sensitive=/gm)].map((m) => [m[1], m[2]]));
}

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  ({ ClusterArn, id, ca, bootstrap } = await createTestCluster(s, kafka, 'topics', '3.9.x'));
}, 240_000);
afterAll(() => s?.close());

test("Swagger UI's Topics examples succeed as they stand, once the cluster ARN is pasted", async () => {
  const doc = (await raw(s, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, any>> };
  const ops = new Map(Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => [op.operationId as string, { path, method, op }])));
  for (const name of ['CreateTopic', 'ListTopics', 'DescribeTopic', 'DescribeTopicPartitions', 'UpdateTopic', 'DeleteTopic']) {
    const { path, method, op } = ops.get(name)!;
    const paste = (v: unknown) => JSON.parse(JSON.stringify(v).split(EXAMPLE_CLUSTER_ARN).join(ClusterArn));
    let url = path;
    const query = new URLSearchParams();
    for (const p of op.parameters as { name: string; in: string; example?: unknown }[]) {
      if (p.example === undefined) continue;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(paste(p.example))));
      else query.append(p.name, String(paste(p.example)));
    }
    const example = op.requestBody?.content['application/json'].example;
    const body = example === undefined ? undefined : JSON.stringify(paste(example));
    const res = await raw(s, method.toUpperCase(), `${url}${query.size ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${s.token}`, ...(body && { 'content-type': 'application/json' }) }, body,
    });
    expect({ name, status: res.status, body: res.status === 200 ? undefined : res.text }).toEqual({ name, status: 200, body: undefined });
    const expected = op.responses['200'].content?.['application/json']?.example;
    if (expected && name !== 'DescribeTopicPartitions') expect(Object.keys(res.json).sort()).toEqual(Object.keys(expected).sort());
  }
  expect((await seen()).has('orders')).toBe(false);
});

test('CreateTopic: partitions, replication and configs are what the brokers run; the answer is ACTIVE at once', async () => {
  const out = await kafka.send(new CreateTopicCommand({
    ClusterArn, TopicName: 'payments', PartitionCount: 6, ReplicationFactor: 3, Configs: b64('retention.ms=3600000\nmin.insync.replicas=2\n'),
  }));
  expect(out).toMatchObject({ TopicName: 'payments', Status: 'ACTIVE', TopicArn: ClusterArn.replace(':cluster/', ':topic/') + '/payments' });
  const t = (await seen()).get('payments')!;
  expect(t).toHaveLength(6);
  for (const p of t) {
    expect(p.replicas).toEqual([1, 2, 3]);
    expect(p.isrs).toEqual([1, 2, 3]);
  }
  expect(await toolConfigs('payments')).toEqual({ 'retention.ms': '3600000', 'min.insync.replicas': '2' });

  // Terraform and Pulumi send base64 of a JSON object: accepted the same way.
  await kafka.send(new CreateTopicCommand({ ClusterArn, TopicName: 'events.v1', PartitionCount: 2, ReplicationFactor: 2, Configs: b64(JSON.stringify({ 'cleanup.policy': 'compact', 'segment.ms': 600000 })) }));
  expect(await toolConfigs('events.v1')).toEqual({ 'cleanup.policy': 'compact', 'segment.ms': '600000' });
  expect((await seen()).get('events.v1')!.map((p) => p.replicas.length)).toEqual([2, 2]);
});

test('DescribeTopic, ListTopics (prefix, paging, out-of-sync replicas) and DescribeTopicPartitions read the brokers', async () => {
  const d = await kafka.send(new DescribeTopicCommand({ ClusterArn, TopicName: 'payments' }));
  expect(d).toMatchObject({ TopicName: 'payments', PartitionCount: 6, ReplicationFactor: 3, Status: 'ACTIVE' });
  expect(unb64(d.Configs)).toBe('min.insync.replicas=2\nretention.ms=3600000');

  const names: string[] = [];
  for await (const page of paginateListTopics({ client: kafka, pageSize: 1 }, { ClusterArn })) {
    expect(page.Topics!.length).toBeLessThanOrEqual(1);
    names.push(...page.Topics!.map((t) => t.TopicName!));
  }
  expect(names).toEqual(['events.v1', 'payments']);
  const filtered = await kafka.send(new ListTopicsCommand({ ClusterArn, TopicNameFilter: 'pay' }));
  expect(filtered.Topics).toEqual([{ TopicArn: d.TopicArn, TopicName: 'payments', PartitionCount: 6, ReplicationFactor: 3, OutOfSyncReplicaCount: 0 }]);

  const parts: { Partition?: number; Leader?: number; Replicas?: number[]; Isr?: number[] }[] = [];
  for await (const page of paginateDescribeTopicPartitions({ client: kafka, pageSize: 4 }, { ClusterArn, TopicName: 'payments' })) parts.push(...page.Partitions!);
  const live = (await seen()).get('payments')!;
  expect(parts.map((p) => [p.Partition, p.Leader, [...p.Replicas!].sort(), [...p.Isr!].sort()])).toEqual(live.map((p) => [p.partition, p.leader, p.replicas, p.isrs]));
});

test('ListTopics counts out-of-sync replicas at once: a stopped broker shows, and clears when it is back', async () => {
  await sh('docker', ['stop', '-t', '30', `openmsk-${id}-broker-3`]);
  try {
    const deadline = Date.now() + 60_000;
    let count = 0;
    while (count === 0 && Date.now() < deadline) {
      count = (await kafka.send(new ListTopicsCommand({ ClusterArn, TopicNameFilter: 'payments' }))).Topics![0].OutOfSyncReplicaCount!;
      if (count === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(count).toBe(6); // one replica of each of the six partitions
  } finally {
    await sh('docker', ['start', `openmsk-${id}-broker-3`]);
  }
  const deadline = Date.now() + 90_000;
  for (;;) {
    const n = (await kafka.send(new ListTopicsCommand({ ClusterArn, TopicNameFilter: 'payments' }))).Topics![0].OutOfSyncReplicaCount;
    if (n === 0) break;
    if (Date.now() > deadline) throw new Error(`still ${n} out-of-sync replicas`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 180_000);

test('UpdateTopic: settings and partitions change on the brokers', async () => {
  const out = await kafka.send(new UpdateTopicCommand({ ClusterArn, TopicName: 'payments', PartitionCount: 8, Configs: b64('retention.ms=7200000') }));
  expect(out).toMatchObject({ TopicName: 'payments', Status: 'ACTIVE' });
  expect((await seen()).get('payments')).toHaveLength(8);
  expect(await toolConfigs('payments')).toEqual({ 'retention.ms': '7200000', 'min.insync.replicas': '2' });
});

test('refusals get MSK errors and change nothing', async () => {
  const before = await seen();
  const configsBefore = await toolConfigs('payments');
  const refuse = async (cmd: { input: object }, name: string, status: number, param?: string, message?: RegExp) => {
    const e = await kafka.send(cmd as never).then(() => undefined, (x) => x);
    expect(e).toBeDefined();
    expect([e.name, e.$metadata.httpStatusCode, e.name === name ? '' : e.message]).toEqual([name, status, '']);
    if (param) expect(e.InvalidParameter).toBe(param);
    if (message) expect(e.message).toMatch(message);
  };
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'payments', PartitionCount: 1, ReplicationFactor: 1 }), 'ConflictException', 409, 'topicName', /already exists/);
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'bad name', PartitionCount: 1, ReplicationFactor: 1 }), 'BadRequestException', 400, 'topicName', /illegal/);
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'rf4', PartitionCount: 1, ReplicationFactor: 4 }), 'BadRequestException', 400, 'replicationFactor');
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'zero', PartitionCount: 0, ReplicationFactor: 1 }), 'BadRequestException', 400, 'partitionCount');
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'badcfg', PartitionCount: 1, ReplicationFactor: 1, Configs: b64('retention.ms=soon') }), 'BadRequestException', 400, 'configs');
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'nokey', PartitionCount: 1, ReplicationFactor: 1, Configs: b64('no.such.setting=1') }), 'BadRequestException', 400, 'configs');
  await refuse(new CreateTopicCommand({ ClusterArn, TopicName: 'notb64', PartitionCount: 1, ReplicationFactor: 1, Configs: 'retention.ms=1' }), 'BadRequestException', 400, 'configs');
  await refuse(new UpdateTopicCommand({ ClusterArn, TopicName: 'payments', PartitionCount: 3 }), 'BadRequestException', 400, 'partitionCount');
  // A refused half of an update leaves the other half undone too.
  await refuse(new UpdateTopicCommand({ ClusterArn, TopicName: 'payments', PartitionCount: 12, Configs: b64('retention.ms=soon') }), 'BadRequestException', 400, 'configs');
  await refuse(new UpdateTopicCommand({ ClusterArn, TopicName: 'payments' }), 'BadRequestException', 400);
  await refuse(new UpdateTopicCommand({ ClusterArn, TopicName: '__consumer_offsets', PartitionCount: 60 }), 'BadRequestException', 400, 'topicName');
  await refuse(new DescribeTopicCommand({ ClusterArn, TopicName: 'missing' }), 'NotFoundException', 404, 'topicName');
  await refuse(new DeleteTopicCommand({ ClusterArn, TopicName: 'missing' }), 'NotFoundException', 404, 'topicName');
  await refuse(new DescribeTopicPartitionsCommand({ ClusterArn, TopicName: 'payments', NextToken: 'not-a-token!' }), 'BadRequestException', 400, 'nextToken');
  await refuse(new ListTopicsCommand({ ClusterArn, MaxResults: 0 }), 'BadRequestException', 400, 'maxResults');
  await refuse(new ListTopicsCommand({ ClusterArn: ClusterArn.replace(/-\d+$/, '-9') }), 'NotFoundException', 404);
  // Another account's cluster is a missing one.
  const other = await s.newAccount('other');
  const stranger = s.client({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
  const e = await stranger.send(new DescribeTopicCommand({ ClusterArn, TopicName: 'payments' })).then(() => undefined, (x) => x);
  expect(e?.name).toBe('NotFoundException');

  expect(await seen()).toEqual(before);
  expect(await toolConfigs('payments')).toEqual(configsBefore);
});

test('DeleteTopic: the brokers no longer have it', async () => {
  const out = await kafka.send(new DeleteTopicCommand({ ClusterArn, TopicName: 'events.v1' }));
  expect(out).toMatchObject({ TopicName: 'events.v1', Status: 'DELETING' });
  expect([...(await seen()).keys()]).toEqual(['payments']);
  expect((await kafka.send(new ListTopicsCommand({ ClusterArn }))).Topics!.map((t) => t.TopicName)).toEqual(['payments']);
});
