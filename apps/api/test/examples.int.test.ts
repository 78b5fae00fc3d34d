/**
 * Every example in /openapi.json works: sent as it stands (after the ARNs and currentVersion an earlier answer
 * gave are pasted in, as a user would), in dependency order, each answers the documented success status, and
 * the documented response example has the shape of the real answer.
 */
import {
  EXAMPLE_CLUSTER_ARN, EXAMPLE_CLUSTER_V2_ARN, EXAMPLE_CONFIGURATION_ARN, EXAMPLE_CURRENT_VERSION, EXAMPLE_SECRET_ARN, EXAMPLE_OPERATION_ARN,
  EXAMPLE_SERVER_PROPERTIES, EXAMPLES,
} from '../src/examples';
import { HANDLERS } from '../src/operations';
import { startApi, type Harness } from './harness';
import { provisionNodes } from './fixtures';
import { raw } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
let doc: Obj;
beforeAll(async () => {
  h = await startApi();
  doc = (await raw(h, 'GET', '/openapi.json')).json;
});
afterAll(() => h.close());

/** Dependency order: what an operation needs was made by an operation before it. */
const ORDER = [
  'CreateConfiguration', 'DescribeConfiguration', 'UpdateConfiguration', 'ListConfigurations', 'ListConfigurationRevisions',
  'DescribeConfigurationRevision', 'ListKafkaVersions', 'GetCompatibleKafkaVersions',
  'CreateCluster', 'CreateClusterV2', 'ListClusters', 'ListClustersV2', 'DescribeCluster', 'DescribeClusterV2',
  'ListClusterOperations', 'ListClusterOperationsV2', 'DescribeClusterOperation', 'DescribeClusterOperationV2',
  'TagResource', 'ListTagsForResource', 'UntagResource',
  'GetBootstrapBrokers', 'ListNodes',
  'UpdateBrokerStorage', 'UpdateStorage', 'UpdateBrokerCount', 'UpdateBrokerType', 'UpdateClusterConfiguration',
  'UpdateClusterKafkaVersion', 'UpdateMonitoring', 'UpdateSecurity',
  'BatchAssociateScramSecret', 'ListScramSecrets', 'BatchDisassociateScramSecret', 'RebootBroker',
  'DeleteCluster', 'DeleteConfiguration',
];
/** These need an ACTIVE cluster whose brokers answer: apps/worker/test/topics.e2e.test.ts sends their examples. */
const NEEDS_BROKERS = ['CreateTopic', 'ListTopics', 'DescribeTopic', 'DescribeTopicPartitions', 'UpdateTopic', 'DeleteTopic'];

/** Each operation of the document with its method, path template and operation object. */
function operations(): Array<{ name: string; method: string; path: string; op: Obj }> {
  return Object.entries(doc.paths as Obj).flatMap(([path, item]) =>
    Object.entries(item as Obj).map(([method, op]) => ({ name: (op as Obj).operationId as string, method, path, op: op as Obj })));
}

/** The example's keys all exist in the real answer, recursively (arrays: first elements). */
function expectShape(example: unknown, real: unknown, at: string) {
  if (Array.isArray(example)) {
    expect({ at, isArray: Array.isArray(real) }).toEqual({ at, isArray: true });
    if (example.length && (real as unknown[]).length) expectShape(example[0], (real as unknown[])[0], `${at}[0]`);
    return;
  }
  if (example && typeof example === 'object') {
    expect({ at, type: typeof real }).toEqual({ at, type: 'object' });
    for (const [k, v] of Object.entries(example)) {
      expect({ at, key: k, present: Object.prototype.hasOwnProperty.call(real, k) }).toEqual({ at, key: k, present: true });
      // Tags and maps are values, not shapes.
      if (k !== 'tags') expectShape(v, (real as Obj)[k], `${at}.${k}`);
    }
  }
}

describe('the OpenAPI document', () => {
  test('every operation has a summary, a description, tags, and an example of each required input', () => {
    const ops = operations();
    expect(ops.map((o) => o.name).sort()).toEqual(Object.keys(HANDLERS).sort());
    for (const { name, op } of ops) {
      expect({ name, summary: typeof op.summary === 'string' && op.summary.length > 10 && !op.summary.includes(name) }).toEqual({ name, summary: true });
      expect({ name, description: typeof op.description === 'string' && op.description.length > 0 }).toEqual({ name, description: true });
      expect(op.tags).toHaveLength(1);
      expect(EXAMPLES[name]).toBeDefined();
      for (const p of op.parameters as Obj[]) {
        if (p.required) expect({ name, parameter: p.name, example: p.example !== undefined }).toEqual({ name, parameter: p.name, example: true });
        if (p.in === 'path' && /Arn$/.test(p.name)) expect(p.description).toMatch(/^Paste the ARN as it is/);
      }
      if (op.requestBody) expect({ name, body: op.requestBody.content['application/json'].example !== undefined }).toEqual({ name, body: true });
      const ok = Object.entries(op.responses as Obj).find(([s]) => s.startsWith('2'))!;
      if (ok[0] !== '204') expect({ name, response: ok[1].content['application/json'].example !== undefined }).toEqual({ name, response: true });
    }
  });

  test('tags by resource, v2 marked, bearer token the only scheme', () => {
    expect(doc.tags.map((t: Obj) => t.name)).toEqual(['clusters', 'cluster operations', 'brokers and nodes', 'configurations', 'topics', 'Kafka versions', 'tags']);
    for (const { name, op } of operations()) {
      if (name.endsWith('V2')) expect(op.summary).toMatch(/\(v2\)$/);
      else expect(op.summary).not.toMatch(/\(v2\)/);
    }
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearerAuth']);
    expect(doc.components.securitySchemes.bearerAuth.description).toContain('.openmsk/token');
    expect(doc.components.securitySchemes.bearerAuth.description).toContain('npm run admin -- create-token');
    expect(doc.info.description).toContain('Signature Version 4');
  });

  test('serverProperties examples are real base64 of what the docs say', () => {
    const create = EXAMPLES.CreateConfiguration.body as Obj;
    const update = EXAMPLES.UpdateConfiguration.body as Obj;
    expect(Buffer.from(create.serverProperties, 'base64').toString('utf8')).toBe(EXAMPLE_SERVER_PROPERTIES[0]);
    expect(Buffer.from(update.serverProperties, 'base64').toString('utf8')).toBe(EXAMPLE_SERVER_PROPERTIES[1]);
  });
});

describe('every example, sent as it stands', () => {
  test('answers its documented success status, in dependency order', async () => {
    expect([...ORDER, ...NEEDS_BROKERS].sort()).toEqual(Object.keys(HANDLERS).sort());
    const byName = new Map(operations().map((o) => [o.name, o]));
    const pasted = new Map<string, string>();
    let clusterArn = '';

    /** What a user pastes: the placeholder strings, replaced by the values earlier answers gave. */
    const paste = async (value: unknown): Promise<unknown> => {
      let text = JSON.stringify(value);
      if (clusterArn) {
        const row = await h.db.cluster.findUniqueOrThrow({ where: { arn: clusterArn } });
        text = text.split(EXAMPLE_CURRENT_VERSION).join(row.currentVersion);
      }
      for (const [from, to] of pasted) text = text.split(from).join(to);
      return text === undefined ? undefined : JSON.parse(text);
    };

    for (const name of ORDER) {
      const { method, path, op } = byName.get(name)!;
      // What the worker would have done by now: the cluster serves, and the previous update has ended.
      if (['GetBootstrapBrokers', 'ListNodes', 'RebootBroker'].includes(name) || name.startsWith('Update')) {
        if (clusterArn) await h.db.cluster.update({ where: { arn: clusterArn }, data: { state: 'ACTIVE', activeOperationArn: null } });
      }
      if (name === 'BatchAssociateScramSecret') {
        // What the worker does at the end of UpdateSecurity (SCRAM on), and the secret a user makes first.
        const op = await h.db.clusterOperation.findFirstOrThrow({ where: { cluster: { arn: clusterArn }, operationType: 'UPDATE_SECURITY' } });
        const row = await h.db.cluster.findUniqueOrThrow({ where: { arn: clusterArn } });
        const target = op.targetClusterInfo as { ClientAuthentication: object };
        await h.db.cluster.update({ where: { arn: clusterArn }, data: { spec: { ...(row.spec as object), ClientAuthentication: target.ClientAuthentication } } });
        const made = await raw(h, 'POST', '/', {
          headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.CreateSecret' },
          body: JSON.stringify({ Name: 'AmazonMSK_alice', SecretString: JSON.stringify({ username: 'alice', password: 'alice-secret' }) }),
        });
        pasted.set(EXAMPLE_SECRET_ARN, made.json.ARN);
      }
      const params = (op.parameters as Obj[]);
      let url = path;
      const query = new URLSearchParams();
      for (const p of params) {
        if (p.example === undefined) continue;
        const v = await paste(p.example);
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(String(v)));
        else for (const item of Array.isArray(v) ? v : [v]) query.append(p.name, String(item));
      }
      const example = op.requestBody?.content['application/json'].example;
      const body = example === undefined ? undefined : JSON.stringify(await paste(example));
      const res = await raw(h, method.toUpperCase(), `${url}${query.size ? `?${query}` : ''}`, {
        headers: { authorization: `Bearer ${h.token}`, ...(body && { 'content-type': 'application/json' }) },
        body,
      });
      const status = Object.keys(op.responses).find((s) => s.startsWith('2'));
      expect({ name, status: res.status, body: res.status === Number(status) ? undefined : res.text }).toEqual({ name, status: Number(status), body: undefined });
      const documented = op.responses[status!].content?.['application/json']?.example;
      if (documented !== undefined) expectShape(documented, res.json, name);

      if (name === 'CreateConfiguration') pasted.set(EXAMPLE_CONFIGURATION_ARN, res.json.arn);
      if (name === 'CreateCluster') {
        pasted.set(EXAMPLE_CLUSTER_ARN, (clusterArn = res.json.clusterArn));
        await provisionNodes(h, clusterArn);
      }
      if (name === 'CreateClusterV2') pasted.set(EXAMPLE_CLUSTER_V2_ARN, res.json.clusterArn);
      if (name === 'ListClusterOperations') pasted.set(EXAMPLE_OPERATION_ARN, res.json.clusterOperationInfoList[0].operationArn);
    }
  });
});
