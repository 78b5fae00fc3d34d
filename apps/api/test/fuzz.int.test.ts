/**
 * Table-driven fuzz over every implemented operation: starting from a valid request, each label, query value and
 * body member (nested ones included, optional ones filled in from the model) is replaced in turn by a wrong type,
 * NUL, a lone surrogate, a huge or negative value; whole bodies are sent as non-UTF-8 bytes, non-JSON and deep
 * nesting. Every answer must be a success or an AWS-shaped 4xx (never 5xx), and a 4xx must leave every table as
 * it was.
 */
import { CreateClusterCommand, CreateConfigurationCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getOperation, type Shape } from '@openmsk/wire';
import { HANDLERS } from '../src/operations';
import { rowCounts, startApi, type Harness } from './harness';

let h: Harness;
let kafka: KafkaClient;
const arns = { cluster: '', scram: '', secret: '', configuration: '', scratch: '', operation: '' };
const subnets = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d', 'subnet-2a3b4c5d'];
const props = Buffer.from('num.partitions=3\n').toString('base64');

async function scratchConfiguration() {
  arns.scratch = (await kafka.send(new CreateConfigurationCommand({ Name: `scratch-${Date.now()}`, ServerProperties: Buffer.from(props, 'base64') }))).Arn!;
}

beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  arns.cluster = (await kafka.send(new CreateClusterCommand({
    ClusterName: 'fuzz', KafkaVersion: '3.8.x', NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: subnets },
  }))).ClusterArn!;
  arns.configuration = (await kafka.send(new CreateConfigurationCommand({ Name: 'fuzz', ServerProperties: Buffer.from(props, 'base64') }))).Arn!;
  await scratchConfiguration();
  arns.operation = (await h.db.clusterOperation.findFirstOrThrow({ where: { cluster: { arn: arns.cluster } } })).arn;
  // The SCRAM secret operations need a cluster with SASL/SCRAM on and a secret of the caller's.
  arns.scram = (await kafka.send(new CreateClusterCommand({
    ClusterName: 'fuzz-scram', KafkaVersion: '3.8.x', NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: subnets },
    ClientAuthentication: { Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: false } },
  }))).ClusterArn!;
  const sm = new SecretsManagerClient({ endpoint: h.url, region: 'us-east-1', credentials: h.credentials, maxAttempts: 1 });
  arns.secret = (await sm.send(new CreateSecretCommand({ Name: 'AmazonMSK_fuzz', SecretString: JSON.stringify({ username: 'fuzz', password: 'p' }) }))).ARN!;
  sm.destroy();
});
afterAll(() => h.close());

let serial = 0;
const currentVersion = async () => (await h.db.cluster.findUniqueOrThrow({ where: { arn: arns.cluster } })).currentVersion;

interface Base {
  labels?: Record<string, string>;
  query?: Record<string, string | string[]>;
  body?: Record<string, unknown>;
}

/** A valid request per operation (computed fresh: names stay unique, currentVersion current). */
const BASES: Record<string, () => Promise<Base>> = {
  CreateCluster: async () => ({ body: { clusterName: `fz-${++serial}`, kafkaVersion: '3.9.x', numberOfBrokerNodes: 3, brokerNodeGroupInfo: { instanceType: 'kafka.t3.small', clientSubnets: subnets, storageInfo: { ebsStorageInfo: { volumeSize: 10 } } }, tags: { a: 'b' } } }),
  CreateClusterV2: async () => ({ body: { clusterName: `fz-${++serial}`, provisioned: { kafkaVersion: '3.9.x', numberOfBrokerNodes: 3, brokerNodeGroupInfo: { instanceType: 'kafka.t3.small', clientSubnets: subnets } } } }),
  ListClusters: async () => ({ query: { clusterNameFilter: 'f', maxResults: '10' } }),
  ListClustersV2: async () => ({ query: { clusterNameFilter: 'f', clusterTypeFilter: 'PROVISIONED', maxResults: '10' } }),
  DescribeCluster: async () => ({ labels: { ClusterArn: arns.cluster } }),
  DescribeClusterV2: async () => ({ labels: { ClusterArn: arns.cluster } }),
  GetBootstrapBrokers: async () => ({ labels: { ClusterArn: arns.cluster } }),
  ListNodes: async () => ({ labels: { ClusterArn: arns.cluster }, query: { maxResults: '10' } }),
  DeleteCluster: async () => ({ labels: { ClusterArn: arns.cluster }, query: { currentVersion: await currentVersion() } }),
  CreateConfiguration: async () => ({ body: { name: `fz-${++serial}`, serverProperties: props, description: 'd', kafkaVersions: ['3.9.x'] } }),
  DescribeConfiguration: async () => ({ labels: { Arn: arns.configuration } }),
  UpdateConfiguration: async () => ({ labels: { Arn: arns.configuration }, body: { serverProperties: props, description: 'd' } }),
  ListConfigurations: async () => ({ query: { maxResults: '10' } }),
  ListConfigurationRevisions: async () => ({ labels: { Arn: arns.configuration }, query: { maxResults: '10' } }),
  DescribeConfigurationRevision: async () => ({ labels: { Arn: arns.configuration, Revision: '1' } }),
  DeleteConfiguration: async () => ({ labels: { Arn: arns.scratch } }),
  TagResource: async () => ({ labels: { ResourceArn: arns.cluster }, body: { tags: { k: 'v' } } }),
  UntagResource: async () => ({ labels: { ResourceArn: arns.cluster }, query: { tagKeys: ['k'] } }),
  ListTagsForResource: async () => ({ labels: { ResourceArn: arns.cluster } }),
  ListKafkaVersions: async () => ({ query: { maxResults: '10' } }),
  GetCompatibleKafkaVersions: async () => ({ query: { clusterArn: arns.cluster } }),
  ListClusterOperations: async () => ({ labels: { ClusterArn: arns.cluster }, query: { maxResults: '10' } }),
  ListClusterOperationsV2: async () => ({ labels: { ClusterArn: arns.cluster }, query: { maxResults: '10' } }),
  DescribeClusterOperation: async () => ({ labels: { ClusterOperationArn: arns.operation } }),
  DescribeClusterOperationV2: async () => ({ labels: { ClusterOperationArn: arns.operation } }),
  UpdateClusterConfiguration: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), configurationInfo: { arn: arns.configuration, revision: 1 } } }),
  UpdateBrokerStorage: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), targetBrokerEBSVolumeInfo: [{ kafkaBrokerNodeId: 'All', volumeSizeGB: 2000 + ++serial }] } }),
  UpdateStorage: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), volumeSizeGB: 2000 + ++serial } }),
  UpdateBrokerCount: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), targetNumberOfBrokerNodes: 6 } }),
  UpdateBrokerType: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), targetInstanceType: 'kafka.m5.large' } }),
  RebootBroker: async () => ({ labels: { ClusterArn: arns.cluster }, body: { brokerIds: ['1'] } }),
  UpdateClusterKafkaVersion: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), targetKafkaVersion: '3.9.x' } }),
  UpdateMonitoring: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), enhancedMonitoring: 'PER_BROKER' } }),
  UpdateSecurity: async () => ({ labels: { ClusterArn: arns.cluster }, body: { currentVersion: await currentVersion(), clientAuthentication: { unauthenticated: { enabled: true } } } }),
  BatchAssociateScramSecret: async () => ({ labels: { ClusterArn: arns.scram }, body: { secretArnList: [arns.secret] } }),
  BatchDisassociateScramSecret: async () => ({ labels: { ClusterArn: arns.scram }, body: { secretArnList: [arns.secret] } }),
  ListScramSecrets: async () => ({ labels: { ClusterArn: arns.scram }, query: { maxResults: '10' } }),
  // The Topics API: this API has no brokers to reach, so an input that passes every check ends in 503 (below).
  CreateTopic: async () => ({ labels: { ClusterArn: arns.cluster }, body: { topicName: 'fz-topic', partitionCount: 3, replicationFactor: 3, configs: Buffer.from('retention.ms=1000').toString('base64') } }),
  DescribeTopic: async () => ({ labels: { ClusterArn: arns.cluster, TopicName: 'fz-topic' } }),
  ListTopics: async () => ({ labels: { ClusterArn: arns.cluster }, query: { maxResults: '10', topicNameFilter: 'fz' } }),
  UpdateTopic: async () => ({ labels: { ClusterArn: arns.cluster, TopicName: 'fz-topic' }, body: { partitionCount: 4, configs: Buffer.from('{"retention.ms":"2000"}').toString('base64') } }),
  DeleteTopic: async () => ({ labels: { ClusterArn: arns.cluster, TopicName: 'fz-topic' } }),
  DescribeTopicPartitions: async () => ({ labels: { ClusterArn: arns.cluster, TopicName: 'fz-topic' }, query: { maxResults: '10' } }),
};

/** Operations that talk to the cluster's brokers; here there are none, so a valid input answers 503 from them. */
const NEEDS_BROKERS = new Set(['CreateTopic', 'DescribeTopic', 'ListTopics', 'UpdateTopic', 'DeleteTopic', 'DescribeTopicPartitions']);

const HUGE = 'x'.repeat(70_000);

/** Bad JSON values for a member of this shape. Nested members (depth > 1) get the first few only. */
function badValues(shape: Shape): unknown[] {
  switch (shape.kind) {
    case 'string':
      return shape.enum
        ? ['NOT_A_VALUE', 42, `${shape.enum[0]}\u0000`, '']
        : ['a\u0000b', 42, '\ud800', HUGE, '', ['x'], {}, ' '];
    case 'number':
      return ['1', -1, 0, 1e308, -2147483649, 2 ** 53 + 1, 1.5, {}];
    case 'boolean':
      return ['true', 1, []];
    case 'list':
      return ['x', [null], {}, Array(1001).fill(sample(shape.member, 3)), [], [sample(shape.member, 3), sample(shape.member, 3)]];
    case 'map':
      return ['x', { '\u0000': sample(shape.value, 3) }, [], Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, sample(shape.value, 3)])), JSON.parse(`{"__proto__":${JSON.stringify(sample(shape.value, 3))}}`)];
    case 'structure':
      return ['x', [], 1, {}];
    case 'blob':
      return ['not base64!', 42, 'QUFB'.repeat(300_000), 'QQ', ''];
    case 'timestamp':
      return ['yesterday', -1, 1e20];
    case 'document':
      return [null];
  }
}

/** A plausible value of this shape, as the model describes it (depth-limited). */
function sample(shape: Shape, depth = 0): unknown {
  switch (shape.kind) {
    case 'string': return shape.enum ? shape.enum[0] : 'sample';
    case 'number': return 1;
    case 'boolean': return true;
    case 'list': return depth > 4 ? [] : [sample(shape.member, depth + 1)];
    case 'map': return depth > 4 ? {} : { k: sample(shape.value, depth + 1) };
    case 'structure': return depth > 4 ? {} : Object.fromEntries(Object.values(shape.members).filter((m) => m.location === 'body').map((m) => [m.jsonName, sample(m.target, depth + 1)]));
    case 'blob': return props;
    case 'timestamp': return '2024-01-01T00:00:00Z';
    case 'document': return {};
  }
}

type Mutation = { what: string; labels?: Record<string, string>; query?: string; body?: Buffer | string };

/** Every (path, bad value) pair inside one member's value; `value` follows `shape` where it can. */
function* leaves(shape: Shape, value: unknown, path: string, depth: number): Generator<[string, (bad: unknown) => unknown, Shape]> {
  yield [path, (bad) => bad, shape];
  if (depth > 3) return;
  if (shape.kind === 'structure' && value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const m of Object.values(shape.members)) {
      if (m.location !== 'body') continue;
      const inner = obj[m.jsonName] ?? sample(m.target, depth + 1);
      for (const [p, put, s] of leaves(m.target, inner, `${path}.${m.jsonName}`, depth + 1)) yield [p, (bad) => ({ ...obj, [m.jsonName]: put(bad) }), s];
    }
  } else if (shape.kind === 'list' && Array.isArray(value) && value.length > 0) {
    for (const [p, put, s] of leaves(shape.member, value[0], `${path}[0]`, depth + 1)) yield [p, (bad) => [put(bad), ...value.slice(1)], s];
  } else if (shape.kind === 'map' && value && typeof value === 'object') {
    const [k, v] = Object.entries(value as Record<string, unknown>)[0] ?? ['k', sample(shape.value, depth + 1)];
    for (const [p, put, s] of leaves(shape.value, v, `${path}.${k}`, depth + 1)) yield [p, (bad) => ({ ...(value as object), [k]: put(bad) }), s];
  }
}

const LABEL_BAD = ['%00', '%FF', 'x%00y', '%2E%2E', 'arn%3Aaws%3Akafka%3Aus-east-1%3A000000000000%3Acluster%2Fx%2F00000000-0000-0000-0000-000000000000-1', 'a'.repeat(5000), '%20'];
const NUMBER_TEXT_BAD = ['-1', '0', '1.5', '1e400', '99999999999999999999', 'abc', '', '%00', '101', '0x10'];
const QUERY_TEXT_BAD = ['%00', '%FF%FE', 'x'.repeat(10_000), '', '%25', '_', '%5C'];

function mutations(op: string, base: Base): Mutation[] {
  const operation = getOperation(op)!;
  const out: Mutation[] = [];
  const qs = (q: Record<string, string | string[]>) =>
    Object.entries(q).flatMap(([k, v]) => [v].flat().map((x) => `${encodeURIComponent(k)}=${x.startsWith('%') || x === '' ? x : encodeURIComponent(x)}`)).join('&');
  const json = (b: unknown) => JSON.stringify(b);
  for (const m of Object.values(operation.input.members)) {
    if (m.location === 'label') {
      const bad = m.target.kind === 'number' ? NUMBER_TEXT_BAD : LABEL_BAD;
      for (const v of bad) out.push({ what: `label ${m.locationName}=${v.slice(0, 40)}`, labels: { [m.locationName]: v } });
    } else if (m.location === 'query') {
      const target = m.target.kind === 'list' ? m.target.member : m.target;
      const bad = target.kind === 'number' ? NUMBER_TEXT_BAD : QUERY_TEXT_BAD;
      const rest = { ...base.query };
      delete rest[m.locationName];
      for (const v of bad) out.push({ what: `query ${m.locationName}=${v.slice(0, 40)}`, query: qs({ ...rest, [m.locationName]: v }) });
      out.push({ what: `query ${m.locationName} repeated 1001 times`, query: qs({ ...rest, [m.locationName]: Array(1001).fill('1') }) });
    } else if (m.location === 'body') {
      const value = base.body?.[m.jsonName] ?? sample(m.target);
      if (base.body?.[m.jsonName] === undefined) out.push({ what: `body ${m.jsonName} sampled`, body: json({ ...base.body, [m.jsonName]: value }) });
      for (const [path, put, shape] of leaves(m.target, value, m.jsonName, 1)) {
        const bad = badValues(shape);
        for (const v of path.includes('.') || path.includes('[') ? bad.slice(0, 3) : bad) {
          out.push({ what: `body ${path}=${JSON.stringify(v)?.slice(0, 40)}`, body: json({ ...base.body, [m.jsonName]: put(v) }) });
        }
      }
    }
  }
  if (Object.values(operation.input.members).some((m) => m.location === 'body')) {
    const valid = Buffer.from(json(base.body ?? {}));
    out.push(
      { what: 'body not UTF-8', body: Buffer.concat([valid.subarray(0, valid.length - 2), Buffer.from([0xff, 0xfe, 0x22, 0x7d])]) },
      { what: 'body not JSON', body: '{"a":' },
      { what: 'body a JSON array', body: '[]' },
      { what: 'body 100,000 levels deep', body: '['.repeat(100_000) + ']'.repeat(100_000) },
      { what: 'body with __proto__', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
    );
  }
  return out;
}

function pathOf(template: string, labels: Record<string, string>, raw: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => raw[name] ?? encodeURIComponent(labels[name] ?? 'x'));
}

describe('fuzz: every implemented operation', () => {
  test('every implemented operation has a valid base request here', () => {
    expect(Object.keys(BASES).sort()).toEqual(Object.keys(HANDLERS).sort());
  });

  test.each(Object.keys(HANDLERS))('%s: success or an AWS-shaped 4xx, never 5xx; nothing written on a 4xx', async (op) => {
    const operation = getOperation(op)!;
    const base = await BASES[op]();
    for (const mutation of [{ what: 'the base request itself' }, ...mutations(op, base)]) {
      // Each case starts from an ACTIVE cluster and an existing scratch configuration, so rules past the state checks run.
      await h.db.cluster.updateMany({ data: { state: 'ACTIVE', activeOperationArn: null } });
      if (!(await h.db.configuration.findUnique({ where: { arn: arns.scratch } }))) await scratchConfiguration();
      const fresh = await BASES[op]();
      const labels = { ...fresh.labels };
      const path = pathOf(operation.pathTemplate, labels, mutation.labels ?? {});
      const query = mutation.query ?? Object.entries(fresh.query ?? {}).flatMap(([k, v]) => [v].flat().map((x) => `${k}=${encodeURIComponent(x)}`)).join('&');
      const body = mutation.body ?? (fresh.body ? JSON.stringify(fresh.body) : undefined);
      const before = await rowCounts(h.db);
      const res = await fetch(`${h.url}${path}${query ? `?${query}` : ''}`, {
        method: operation.method,
        headers: { authorization: `Bearer ${h.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body,
      });
      const text = await res.text();
      const what = `${op} ${mutation.what}`;
      const unreachable = NEEDS_BROKERS.has(op) && res.status === 503 && res.headers.get('x-amzn-errortype') === 'ServiceUnavailableException';
      expect([what, res.status < 500 || unreachable]).toEqual([what, true]);
      if (res.status >= 400) {
        expect([what, res.headers.get('x-amzn-errortype')]).toEqual([what, expect.stringMatching(/^[A-Za-z]+Exception$/)]);
        expect([what, typeof JSON.parse(text).message]).toEqual([what, 'string']);
        expect([what, text.length < 200_000]).toEqual([what, true]);
        expect([what, await rowCounts(h.db)]).toEqual([what, before]);
      }
      // The base request is valid, so the cases below exercise more than its first refusal.
      if (mutation.what === 'the base request itself') expect({ what, ok: res.status < 300 || unreachable, text: res.status < 300 || unreachable ? '' : text }).toEqual({ what, ok: true, text: '' });
    }
  });
});
