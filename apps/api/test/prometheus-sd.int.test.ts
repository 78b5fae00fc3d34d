/**
 * GET /openmsk/prometheus/targets, Prometheus' http_sd: the enabled exporters of the caller's serving clusters, and
 * nothing else. Clusters are made through the API; their node rows are written as the worker's PREPARE_NODES writes
 * them (no worker runs here), with and without the exporters' ports.
 */
import { randomUUID } from 'node:crypto';
import { CreateClusterCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { PROMETHEUS_TARGETS_PATH } from '../src/prometheus-sd';
import { startApi, type Harness } from './harness';
import { raw, type RawResponse } from './helpers';

let h: Harness;
let other: { accountId: string; accessKeyId: string; secretAccessKey: string };
let nextPort = 21000;
const arnOf: Record<string, string> = {};

interface Made { kafkaVersion: string; jmx: boolean; node: boolean; state: string; exporterPorts?: boolean }

/** A cluster made through the API, then put in `state` with the node rows a worker would have written. */
async function make(client: KafkaClient, name: string, m: Made) {
  const out = await client.send(new CreateClusterCommand({
    ClusterName: name, KafkaVersion: m.kafkaVersion, NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] },
    OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: m.jmx }, NodeExporter: { EnabledInBroker: m.node } } },
  }));
  const cluster = await h.db.cluster.update({ where: { arn: out.ClusterArn! }, data: { state: m.state, activeOperationArn: null } });
  arnOf[name] = cluster.arn;
  const kraft = m.kafkaVersion.endsWith('.kraft');
  const exporters = () => (m.exporterPorts === false ? {} : { jmx_exporter: nextPort++, node_exporter: nextPort++ });
  const rows = [
    ...[1, 2].map((i) => ({ nodeId: `broker-${i}`, role: 'broker', ordinal: i, ports: { client_plaintext: nextPort++, replication: nextPort++, ...exporters() } })),
    ...[1, 2, 3].map((i) => kraft
      ? { nodeId: `controller-${i}`, role: 'controller', ordinal: 3000 + i, ports: { controller: nextPort++, ...exporters() } }
      : { nodeId: `zookeeper-${i}`, role: 'zookeeper', ordinal: i, ports: { zk_client: nextPort++, zk_peer: nextPort++, zk_election: nextPort++ } }),
  ];
  await h.db.node.createMany({
    data: rows.map((r, i) => ({ ...r, clusterId: cluster.id, zone: `subnet-${i % 2 ? 'bbbbbbbb' : 'aaaaaaaa'}`, instanceType: r.role === 'broker' ? 'kafka.t3.small' : null, nodeUuid: randomUUID() })),
  });
}

/** The node row's port for a purpose, as the endpoint must list it. */
async function portOf(cluster: string, nodeId: string, purpose: string): Promise<string> {
  const c = await h.db.cluster.findUniqueOrThrow({ where: { arn: arnOf[cluster] } });
  const n = await h.db.node.findUniqueOrThrow({ where: { clusterId_nodeId: { clusterId: c.id, nodeId } } });
  return `127.0.0.1:${(n.ports as Record<string, number>)[purpose]}`;
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const targets = (headers: Record<string, string> = basic(h.credentials.accessKeyId, h.credentials.secretAccessKey)) =>
  raw(h, 'GET', PROMETHEUS_TARGETS_PATH, { headers });

/** What Prometheus' http_sd accepts: a list of {targets: [host:port...], labels: {name: string}} (labels optional). */
function parseHttpSd(res: RawResponse): { targets: string[]; labels: Record<string, string> }[] {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json\b/);
  const groups: unknown = JSON.parse(res.text);
  if (!Array.isArray(groups)) throw new Error('http_sd: not a list');
  for (const g of groups as Record<string, unknown>[]) {
    expect(Object.keys(g).sort()).toEqual(['labels', 'targets']);
    expect(Array.isArray(g.targets) && g.targets.length > 0).toBe(true);
    for (const t of g.targets as unknown[]) expect(t).toMatch(/^[^\s:/]+:\d{1,5}$/);
    for (const [k, v] of Object.entries(g.labels as Record<string, unknown>)) {
      expect(k).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      expect(k.startsWith('__')).toBe(false);
      expect(typeof v).toBe('string');
    }
  }
  return groups as { targets: string[]; labels: Record<string, string> }[];
}

beforeAll(async () => {
  h = await startApi();
  const mine = h.client();
  await make(mine, 'jmx-only', { kafkaVersion: '3.9.x.kraft', jmx: true, node: false, state: 'ACTIVE' });
  await make(mine, 'both-zk', { kafkaVersion: '3.8.x', jmx: true, node: true, state: 'HEALING' });
  await make(mine, 'creating', { kafkaVersion: '3.9.x.kraft', jmx: true, node: true, state: 'CREATING' });
  await make(mine, 'deleting', { kafkaVersion: '3.9.x.kraft', jmx: true, node: true, state: 'DELETING' });
  await make(mine, 'failed', { kafkaVersion: '3.9.x.kraft', jmx: true, node: true, state: 'FAILED' });
  await make(mine, 'off', { kafkaVersion: '3.9.x.kraft', jmx: false, node: false, state: 'ACTIVE' });
  await make(mine, 'old', { kafkaVersion: '3.9.x.kraft', jmx: true, node: true, state: 'ACTIVE', exporterPorts: false });
  other = await h.newAccount('other');
  await make(h.client(other), 'theirs', { kafkaVersion: '3.9.x.kraft', jmx: true, node: true, state: 'UPDATING' });
});
afterAll(() => h.close());

test('exactly the enabled exporters of serving clusters, sorted: jmx on and node off lists jmx only; ZooKeeper nodes none', async () => {
  const groups = parseHttpSd(await targets());
  const group = async (cluster: string, nodeId: string, exporter: 'jmx' | 'node') => ({
    targets: [await portOf(cluster, nodeId, exporter === 'jmx' ? 'jmx_exporter' : 'node_exporter')],
    labels: {
      cluster_name: cluster, cluster_arn: arnOf[cluster], node_id: nodeId, role: nodeId.split('-')[0],
      ...(nodeId.startsWith('broker-') && { broker_id: nodeId.split('-')[1] }),
      exporter,
    },
  });
  expect(groups).toEqual([
    await group('both-zk', 'broker-1', 'jmx'),
    await group('both-zk', 'broker-1', 'node'),
    await group('both-zk', 'broker-2', 'jmx'),
    await group('both-zk', 'broker-2', 'node'),
    await group('jmx-only', 'broker-1', 'jmx'),
    await group('jmx-only', 'broker-2', 'jmx'),
    await group('jmx-only', 'controller-1', 'jmx'),
    await group('jmx-only', 'controller-2', 'jmx'),
    await group('jmx-only', 'controller-3', 'jmx'),
  ]);
  // CREATING, DELETING, FAILED, both flags off, and a cluster whose nodes have no exporter ports: nothing.
  for (const c of ['creating', 'deleting', 'failed', 'off', 'old']) expect(groups.filter((g) => g.labels.cluster_name === c)).toEqual([]);
  // The same answer again (deterministic order), and through an API token.
  expect((await targets()).text).toBe(JSON.stringify(groups));
  expect(parseHttpSd(await targets({ authorization: `Bearer ${h.token}` }))).toEqual(groups);
});

test('each account sees its own clusters only', async () => {
  const theirs = parseHttpSd(await targets(basic(other.accessKeyId, other.secretAccessKey)));
  expect(theirs.length).toBe(2 * 2 + 3 * 2); // two brokers and three controllers, both exporters
  expect(new Set(theirs.map((g) => g.labels.cluster_arn))).toEqual(new Set([arnOf.theirs]));
  const mine = parseHttpSd(await targets());
  expect(mine.some((g) => g.labels.cluster_arn === arnOf.theirs)).toBe(false);
});

test('a cluster that starts serving is listed, and one that stops is not', async () => {
  const names = async () => new Set(parseHttpSd(await targets()).map((g) => g.labels.cluster_name));
  await h.db.cluster.update({ where: { arn: arnOf.creating }, data: { state: 'ACTIVE' } });
  expect(await names()).toEqual(new Set(['both-zk', 'jmx-only', 'creating']));
  await h.db.cluster.update({ where: { arn: arnOf.creating }, data: { state: 'DELETING' } });
  expect(await names()).toEqual(new Set(['both-zk', 'jmx-only']));
});

test('401 with a Basic challenge and no body without a credential, with a wrong secret or an unknown key', async () => {
  const { accessKeyId, secretAccessKey } = h.credentials;
  const refusals: Record<string, Record<string, string>> = {
    none: {},
    'wrong secret': basic(accessKeyId, `${secretAccessKey.slice(0, -1)}x`),
    'empty secret': basic(accessKeyId, ''),
    "another account's secret": basic(accessKeyId, other.secretAccessKey),
    'unknown key': basic('OMSKUNKNOWNKEY000000', secretAccessKey),
    'no colon': { authorization: `Basic ${Buffer.from(accessKeyId).toString('base64')}` },
    'not base64': { authorization: 'Basic !!!' },
    'unknown token': { authorization: 'Bearer omsk_not-a-token' },
    'another scheme': { authorization: `AWS ${accessKeyId}:${secretAccessKey}` },
  };
  for (const [why, headers] of Object.entries(refusals)) {
    const res = await targets(headers);
    expect({ why, status: res.status, challenge: res.headers.get('www-authenticate'), body: res.text })
      .toEqual({ why, status: 401, challenge: 'Basic realm="openmsk"', body: '' });
  }
});
