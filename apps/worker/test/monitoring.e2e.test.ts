/**
 * Open monitoring and MSK's CloudWatch metrics on real clusters, KRaft (two brokers, three controllers) and ZooKeeper
 * (two brokers, three ZooKeeper nodes, which have no exporters, as on MSK):
 * - every broker and controller runs the Prometheus JMX exporter and the node exporter; an exporter open monitoring
 *   turns on answers anyone, one it leaves off refuses anyone without openmsk's credential; UpdateMonitoring opens
 *   and closes them (the JMX exporter through a roll);
 * - after a known number of messages, the JMX exporter's MessagesInPerSec counters add up to exactly that number;
 *   the node exporter reports the broker volume's real size (statfs of its mount on the host);
 * - the Prometheus http_sd endpoint lists exactly the exporters that are open;
 * - the real AWS CLI v2 reads BytesInPerSec per broker (DEFAULT, as MSK's metrics table has it), a PER_BROKER metric
 *   only once the level is raised, per-topic metrics only at PER_TOPIC_PER_BROKER, and a lagging group's
 *   SumOffsetLag equal to the messages it has not read;
 * - every metric name the Grafana dashboards use is served by the real exporters.
 */
import { CreateClusterCommand, CreateTopicCommand, DescribeClusterCommand, UpdateMonitoringCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { monitoringCredential } from '@openmsk/db';
import { parsePrometheus, type Family } from '@openmsk/wire';
import { Admin } from '@platformatic/kafka';
import { readFileSync, statfsSync } from 'node:fs';
import { clusterPaths } from '@openmsk/runtime';
import { startAwsCli, type AwsCli } from '../../api/test/aws-cli';
import { BROKER_EXPORTER_METRICS } from '../../api/src/monitoring-assets';
import { kcat, sh, startStack, tlsArgs, waitForState, type Stack } from './stack';

const TOPIC = 'metrics';
const MESSAGES = 500;

describe.each(['3.9.x.kraft', '3.9.x'])('open monitoring and CloudWatch metrics on %s', (version) => {
  let s: Stack;
  let kafka: KafkaClient;
  let cli: AwsCli;
  let arn: string;
  let id: string;
  let name: string;
  let nodes: { nodeId: string; role: string; ordinal: number; ports: Record<string, number> }[];

  async function get(port: number, auth?: string): Promise<{ status: number; text: string }> {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: auth ? { authorization: auth } : {} });
    return { status: res.status, text: await res.text() };
  }
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const openmsk = () => {
    const c = monitoringCredential(s.box, id);
    return basic(c.user, c.password);
  };
  const scrapeAs = async (port: number) => {
    const r = await get(port, openmsk());
    if (r.status !== 200) throw new Error(`127.0.0.1:${port} answered openmsk ${r.status}: ${r.text.slice(0, 200)}`);
    return parsePrometheus(r.text);
  };
  const sum = (m: Map<string, Family>, name: string, labels: Record<string, string>) =>
    [...m.values()].flatMap((f) => f.samples).filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((a, x) => a + x.value, 0);

  async function targets(): Promise<{ targets: string[]; labels: Record<string, string> }[]> {
    const res = await fetch(`${s.url}/openmsk/prometheus/targets`, { headers: { authorization: basic(s.credentials.accessKeyId, s.credentials.secretAccessKey) } });
    expect(res.status).toBe(200);
    return (await res.json()) as { targets: string[]; labels: Record<string, string> }[];
  }
  const expectedTargets = (exporter: 'jmx' | 'node') =>
    nodes.map((n) => `${exporter}:127.0.0.1:${n.ports[exporter === 'jmx' ? 'jmx_exporter' : 'node_exporter']}`).sort();

  /** The latest Maximum of a metric over the last 10 minutes, through the CLI (undefined: no datapoint). */
  async function latest(metric: string, dims: Record<string, string>): Promise<number | undefined> {
    return (await latestPoint(metric, dims))?.value;
  }
  async function latestPoint(metric: string, dims: Record<string, string>): Promise<{ at: number; value: number } | undefined> {
    const now = Date.now();
    const out = await cli.ok('cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kafka', '--metric-name', metric,
      '--dimensions', `Name=Cluster Name,Value=${name}`, ...Object.entries(dims).map(([k, v]) => `Name=${k},Value=${v}`),
      '--start-time', new Date(now - 600_000).toISOString(), '--end-time', new Date(now + 60_000).toISOString(),
      '--period', '10', '--statistics', 'Maximum');
    const points = (out.Datapoints as { Timestamp: string; Maximum: number }[]).sort((a, b) => a.Timestamp.localeCompare(b.Timestamp));
    const last = points.at(-1);
    return last && { at: Date.parse(last.Timestamp), value: last.Maximum };
  }
  async function eventually<T>(what: string, f: () => Promise<T | undefined>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    for (;;) {
      last = await f();
      if (last !== undefined && ok(last)) return last;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async function updateMonitoring(input: { EnhancedMonitoring?: 'DEFAULT' | 'PER_BROKER' | 'PER_TOPIC_PER_BROKER' | 'PER_TOPIC_PER_PARTITION'; jmx?: boolean; node?: boolean }) {
    const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
    await kafka.send(new UpdateMonitoringCommand({
      ClusterArn: arn,
      CurrentVersion: info.CurrentVersion!,
      ...(input.EnhancedMonitoring && { EnhancedMonitoring: input.EnhancedMonitoring }),
      ...(input.jmx !== undefined && { OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: input.jmx }, NodeExporter: { EnabledInBroker: input.node ?? false } } } }),
    }));
    await waitForState(kafka, arn, 'ACTIVE', 300_000);
  }

  beforeAll(async () => {
    s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5, OPENMSK_METRICS_INTERVAL_SECONDS: 3 });
    kafka = s.client();
    cli = await startAwsCli('openmsk-monitoring-', s);
    name = `monitored-${version.replace(/\./g, '-')}`;
    ({ ClusterArn: arn } = (await kafka.send(new CreateClusterCommand({
      ClusterName: name, KafkaVersion: version, NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
      OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } } },
    }))) as { ClusterArn: string });
    id = arn.split('/')[2].replace(/-\d+$/, '');
    await waitForState(kafka, arn, 'ACTIVE', 240_000).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${s.logs.slice(-15).join('\n')}\n${await sh('docker', ['logs', '--tail', '30', `openmsk-${id}-broker-1`]).catch(String)}`);
    });
    nodes = (await s.db.node.findMany({ where: { clusterId: id, role: { not: 'zookeeper' } }, orderBy: { nodeId: 'asc' } })) as unknown as typeof nodes;
    await kafka.send(new CreateTopicCommand({ ClusterArn: arn, TopicName: TOPIC, PartitionCount: 2, ReplicationFactor: 2 }));
  }, 360_000);
  afterAll(async () => {
    await cli?.close();
    await s?.close();
  });

  const brokers = () => nodes.filter((n) => n.role === 'broker');
  const bootstrap = () => brokers().map((b) => `127.0.0.1:${b.ports.client_tls}`).join(',');
  const ca = () => clusterPaths(s.config.OPENMSK_HOME, id).ca;

  test('every broker and controller serves both exporters; open ones answer anyone, closed ones only openmsk', async () => {
    expect(nodes.filter((n) => n.role !== 'broker')).toHaveLength(version.endsWith('.kraft') ? 3 : 0);
    for (const n of nodes) {
      const jmx = await get(n.ports.jmx_exporter);
      expect(jmx.status).toBe(200);
      expect(parsePrometheus(jmx.text).has(n.role === 'broker' ? 'kafka_server_BrokerTopicMetrics_Count' : 'kafka_controller_KafkaController_Value')).toBe(true);
      expect((await get(n.ports.node_exporter)).status).toBe(401);
      expect((await get(n.ports.node_exporter, basic('openmsk', 'wrong'))).status).toBe(401);
      expect((await scrapeAs(n.ports.node_exporter)).has('node_cpu_seconds_total')).toBe(true);
    }
    expect((await targets()).map((g) => `${g.labels.exporter}:${g.targets[0]}`).sort()).toEqual(expectedTargets('jmx'));
  });

  test('a known number of messages: the JMX counters add up to it, and the node exporter has the volume\'s real size', async () => {
    // 300 messages on partition 0, 200 on partition 1 (the lag test below counts on it).
    const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m${from + i}`).join('\n') + '\n';
    await kcat(['-b', bootstrap(), ...tlsArgs(ca()), '-P', '-t', TOPIC, '-p', '0', '-X', 'acks=all', '-X', 'enable.idempotence=true'], lines(0, 300));
    await kcat(['-b', bootstrap(), ...tlsArgs(ca()), '-P', '-t', TOPIC, '-p', '1', '-X', 'acks=all', '-X', 'enable.idempotence=true'], lines(300, MESSAGES - 300));
    const counted = async () => {
      let total = 0;
      for (const b of brokers()) total += sum(parsePrometheus((await get(b.ports.jmx_exporter)).text), 'kafka_server_BrokerTopicMetrics_Count', { name: 'MessagesInPerSec', topic: TOPIC });
      return total;
    };
    expect(await eventually('MessagesInPerSec of the topic', counted, (v) => v === MESSAGES)).toBe(MESSAGES);
    // The collector's own reading (the node exporter's /openmsk/kafka) counts the same messages.
    let collectorCount = 0;
    for (const b of brokers()) {
      const r = await fetch(`http://127.0.0.1:${b.ports.node_exporter}/openmsk/kafka`, { headers: { authorization: openmsk() } });
      collectorCount += sum(parsePrometheus(await r.text()), 'kafka_server_BrokerTopicMetrics_Count', { name: 'MessagesInPerSec', topic: TOPIC });
    }
    expect(collectorCount).toBe(MESSAGES);
    for (const b of brokers()) {
      const m = parsePrometheus((await get(b.ports.jmx_exporter)).text);
      expect(sum(m, 'kafka_server_BrokerTopicMetrics_Count', { name: 'BytesInPerSec', topic: TOPIC })).toBeGreaterThan(0);
      const volume = (await s.worker.deps.storage.status({ clusterId: id, nodeId: b.nodeId }))!.path;
      const fs = statfsSync(volume);
      const size = sum(await scrapeAs(b.ports.node_exporter), 'node_filesystem_size_bytes', { mountpoint: '/var/lib/kafka' });
      expect(size).toBe(fs.blocks * fs.bsize);
    }
    // What the dashboards ask for, the exporters serve.
    const served = new Set<string>();
    for (const n of nodes) {
      for (const f of (await scrapeAs(n.ports.jmx_exporter)).keys()) served.add(f);
      for (const f of (await scrapeAs(n.ports.node_exporter)).keys()) served.add(f);
    }
    expect(BROKER_EXPORTER_METRICS.filter((m) => !served.has(m))).toEqual([]);
  });

  test('CloudWatch through the AWS CLI: BytesInPerSec per broker at DEFAULT, a lagging group\'s SumOffsetLag; higher levels only when set', async () => {
    // Broker-level traffic is a DEFAULT metric in MSK's table; ReplicationBytesInPerSec is PER_BROKER.
    const bytesIn = await eventually('BytesInPerSec of broker 1', () => latest('BytesInPerSec', { 'Broker ID': '1' }), () => true);
    expect(bytesIn).toBeGreaterThanOrEqual(0);
    expect(await latest('GlobalTopicCount', {})).toBeGreaterThanOrEqual(1);
    expect(await latest('ActiveControllerCount', {})).toBe(1);
    expect(await latest('ReplicationBytesInPerSec', { 'Broker ID': '1' })).toBeUndefined();
    expect(await latest('BytesInPerSec', { 'Broker ID': '1', Topic: TOPIC })).toBeUndefined();

    // A group that committed 100 of partition 0's 300 and 50 of partition 1's 200: it has not read the rest.
    const admin = new Admin({ clientId: 'lag', bootstrapBrokers: bootstrap().split(','), tls: { ca: readFileSync(ca(), 'utf8') }, tlsServerName: false });
    try {
      // The first group of a cluster makes __consumer_offsets; until it has leaders the coordinator is not available.
      await eventually('the offsets committed', () => admin.alterConsumerGroupOffsets({
        groupId: 'lagging', topics: [{ name: TOPIC, partitionOffsets: [{ partition: 0, offset: 100n }, { partition: 1, offset: 50n }] }],
      }).then(() => true, () => undefined), () => true);
    } finally {
      await admin.close();
    }
    expect(await eventually('SumOffsetLag', () => latest('SumOffsetLag', { 'Consumer Group': 'lagging', Topic: TOPIC }), (v) => v === MESSAGES - 150)).toBe(MESSAGES - 150);
    expect(await latest('OffsetLag', { 'Consumer Group': 'lagging', Topic: TOPIC, Partition: '0' })).toBeUndefined();

    await updateMonitoring({ EnhancedMonitoring: 'PER_TOPIC_PER_PARTITION' });
    await eventually('ReplicationBytesInPerSec of broker 1', () => latest('ReplicationBytesInPerSec', { 'Broker ID': '1' }), () => true);
    await eventually('BytesInPerSec of the topic on a broker', async () => (await latest('BytesInPerSec', { 'Broker ID': '1', Topic: TOPIC })) ?? (await latest('BytesInPerSec', { 'Broker ID': '2', Topic: TOPIC })), () => true);
    const lag0 = await eventually('OffsetLag of partition 0', () => latest('OffsetLag', { 'Consumer Group': 'lagging', Topic: TOPIC, Partition: '0' }), () => true);
    const lag1 = (await latest('OffsetLag', { 'Consumer Group': 'lagging', Topic: TOPIC, Partition: '1' }))!;
    expect([lag0, lag1]).toEqual([300 - 100, MESSAGES - 300 - 50]);
  }, 300_000);

  test('UpdateMonitoring closes the JMX exporter (a roll) and opens the node exporter (no restart); http_sd follows', async () => {
    const started = async (n: { nodeId: string }) => (await s.worker.deps.docker.inspect(`openmsk-${id}-${n.nodeId}`))!.startedAt!.getTime();
    const before = await Promise.all(nodes.map(started));
    await updateMonitoring({ jmx: false, node: true });
    const after = await Promise.all(nodes.map(started));
    for (const [i, n] of nodes.entries()) {
      expect(after[i]).toBeGreaterThan(before[i]);
      expect((await get(n.ports.jmx_exporter)).status).toBe(401);
      expect(await eventually('the closed JMX exporter reads for openmsk', async () => (await scrapeAs(n.ports.jmx_exporter).catch(() => undefined))?.size, (v) => v > 0, 20_000)).toBeGreaterThan(0);
      expect((await get(n.ports.node_exporter)).status).toBe(200);
      // What the collector reads there stays openmsk's alone.
      expect((await fetch(`http://127.0.0.1:${n.ports.node_exporter}/openmsk/kafka`)).status).toBe(401);
    }
    expect((await targets()).map((g) => `${g.labels.exporter}:${g.targets[0]}`).sort()).toEqual(expectedTargets('node'));
    // Collection goes on across the roll (it reads the node exporter, not the JMX exporter).
    const rolled = Math.max(...after);
    await eventually('BytesInPerSec after the roll', () => latestPoint('BytesInPerSec', { 'Broker ID': '2' }), (p) => p.at > rolled);
  }, 400_000);
});
