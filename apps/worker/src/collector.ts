/**
 * MSK's CloudWatch metrics (namespace AWS/Kafka), collected every OPENMSK_METRICS_INTERVAL_SECONDS for every serving
 * cluster at its enhancedMonitoring level and stored in Postgres (packages/db metrics.ts), where the API's CloudWatch
 * operations read them. Sources, all real: each broker's and controller's node exporter agent, for Kafka's own MBeans
 * (its /openmsk/kafka: the few the metrics need, named as the JMX exporter names them) and its container's cgroup,
 * read with openmsk's monitoring credential; the admin listener for log
 * directories and consumer-group lag. docs/cloudwatch.md lists each metric, its level, its dimensions and its source.
 *
 * Per-second rates (BytesInPerSec, ...) and CPU percentages come from the change of a counter between two
 * collections, so a metric appears from a node's second collection on, and a counter that went down (the node
 * restarted) skips one interval. A level above the cluster's publishes nothing, as on MSK.
 *
 * AWS-PARITY: MSK's EBS and EC2 credit figures, RootDiskUsed, KafkaAppLogsDiskUsed, network figures (host
 * networking), connection counts, ZooKeeper's latency and session state, TrafficShaping and the Volume* metrics are
 * not published: nothing here measures them (docs/cloudwatch.md lists what is).
 */
import type { Cluster } from '@openmsk/db';
import { monitoringCredential, recordMetricDatapoints, pruneMetricDatapoints, type MetricDatapointRow, type MetricUnit } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { GroupPartitionLag, LogDir } from '@openmsk/kafka';
import { scrape, type Family } from '@openmsk/wire';
import type { WorkerDeps } from './deps';
import { KAFKA_FIGURES_PATH } from './monitoring';
import { clusterAdmin, loadTopology } from './rolling';

type Level = domain.ClusterSpec['EnhancedMonitoring'];
const LEVELS: readonly Level[] = ['DEFAULT', 'PER_BROKER', 'PER_TOPIC_PER_BROKER', 'PER_TOPIC_PER_PARTITION'];
const atLeast = (level: Level, wanted: Level) => LEVELS.indexOf(level) >= LEVELS.indexOf(wanted);

/** A counter's last reading, for rates. */
interface Reading {
  value: number;
  at: number;
}

/** What the collector remembers between collections (one per worker process). */
export class CollectorState {
  readonly readings = new Map<string, Reading>();
  lastPrune = 0;

  /** The counter's rate per second since its last reading (undefined the first time, or after a reset), and records it. */
  rate(key: string, value: number, at: number): number | undefined {
    const prev = this.readings.get(key);
    this.readings.set(key, { value, at });
    if (!prev || at <= prev.at || value < prev.value) return undefined;
    return (value - prev.value) / ((at - prev.at) / 1000);
  }

  /** Forgets the readings of clusters no longer collected (deleted, or not serving). */
  keepOnly(clusterIds: Set<string>) {
    for (const k of this.readings.keys()) if (!clusterIds.has(k.slice(0, k.indexOf('/')))) this.readings.delete(k);
  }
}

/** The value of the one sample of `name` whose labels include `labels` (and, without `topic`, have none). */
function value(m: Map<string, Family> | undefined, name: string, labels: Record<string, string>): number | undefined {
  for (const f of m?.values() ?? []) {
    for (const s of f.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v) && (labels.topic !== undefined || s.labels.topic === undefined)) return s.value;
    }
  }
  return undefined;
}

/** Every topic's value of a per-topic BrokerTopicMetrics counter. */
function perTopic(m: Map<string, Family> | undefined, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of m?.values() ?? []) {
    for (const s of f.samples) {
      if (s.name === 'kafka_server_BrokerTopicMetrics_Count' && s.labels.name === metric && s.labels.topic !== undefined) out.set(s.labels.topic, s.value);
    }
  }
  return out;
}

/** Kafka's per-broker counters MSK publishes as rates: metric name, MBean name, level, unit. */
const BROKER_RATES: [string, string, Level, MetricUnit][] = [
  ['BytesInPerSec', 'BytesInPerSec', 'DEFAULT', 'Bytes/Second'],
  ['BytesOutPerSec', 'BytesOutPerSec', 'DEFAULT', 'Bytes/Second'],
  ['MessagesInPerSec', 'MessagesInPerSec', 'DEFAULT', 'Count/Second'],
  ['ReplicationBytesInPerSec', 'ReplicationBytesInPerSec', 'PER_BROKER', 'Bytes/Second'],
  ['ReplicationBytesOutPerSec', 'ReplicationBytesOutPerSec', 'PER_BROKER', 'Bytes/Second'],
];

/** Gauges read as they are: metric, sample, labels, level, unit, scale. */
const BROKER_GAUGES: [string, string, Record<string, string>, Level, MetricUnit, number][] = [
  ['LeaderCount', 'kafka_server_ReplicaManager_Value', { name: 'LeaderCount' }, 'DEFAULT', 'Count', 1],
  ['PartitionCount', 'kafka_server_ReplicaManager_Value', { name: 'PartitionCount' }, 'DEFAULT', 'Count', 1],
  ['UnderReplicatedPartitions', 'kafka_server_ReplicaManager_Value', { name: 'UnderReplicatedPartitions' }, 'DEFAULT', 'Count', 1],
  ['UnderMinIsrPartitionCount', 'kafka_server_ReplicaManager_Value', { name: 'UnderMinIsrPartitionCount' }, 'DEFAULT', 'Count', 1],
  ['ProduceTotalTimeMsMean', 'kafka_network_RequestMetrics_Mean', { name: 'TotalTimeMs', request: 'Produce' }, 'DEFAULT', 'Milliseconds', 1],
  ['FetchConsumerTotalTimeMsMean', 'kafka_network_RequestMetrics_Mean', { name: 'TotalTimeMs', request: 'FetchConsumer' }, 'PER_BROKER', 'Milliseconds', 1],
  ['FetchFollowerTotalTimeMsMean', 'kafka_network_RequestMetrics_Mean', { name: 'TotalTimeMs', request: 'FetchFollower' }, 'PER_BROKER', 'Milliseconds', 1],
  ['ProduceLocalTimeMsMean', 'kafka_network_RequestMetrics_Mean', { name: 'LocalTimeMs', request: 'Produce' }, 'PER_BROKER', 'Milliseconds', 1],
  ['ProduceRequestQueueTimeMsMean', 'kafka_network_RequestMetrics_Mean', { name: 'RequestQueueTimeMs', request: 'Produce' }, 'PER_BROKER', 'Milliseconds', 1],
  // Kafka reports both as fractions of 1; MSK's unit is Percent.
  ['NetworkProcessorAvgIdlePercent', 'kafka_network_SocketServer_Value', { name: 'NetworkProcessorAvgIdlePercent' }, 'PER_BROKER', 'Percent', 100],
  ['RequestHandlerAvgIdlePercent', 'kafka_server_KafkaRequestHandlerPool_OneMinuteRate', { name: 'RequestHandlerAvgIdlePercent' }, 'PER_BROKER', 'Percent', 100],
];

const CPU_MODES: [string, string][] = [['CpuUser', 'user'], ['CpuSystem', 'system'], ['CpuIdle', 'idle']];

interface Scraped {
  node: domain.PlacedNode;
  kafka?: Map<string, Family>;
  host?: Map<string, Family>;
}

/** One collection of one cluster: the datapoints it publishes at its level. */
export async function collectCluster(deps: WorkerDeps, state: CollectorState, cluster: Cluster, now: Date): Promise<MetricDatapointRow[]> {
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const level: Level = spec.EnhancedMonitoring ?? 'DEFAULT';
  const at = now.getTime();
  const rows: MetricDatapointRow[] = [];
  const put = (metricName: string, dimensions: Record<string, string>, v: number | undefined, unit: MetricUnit) => {
    if (v === undefined || !Number.isFinite(v)) return;
    rows.push({ accountId: cluster.accountId, region: cluster.region, clusterName: cluster.name, metricName, dimensions, timestamp: now, value: v, unit });
  };
  const t = await loadTopology(deps, cluster);
  const cred = monitoringCredential(deps.box, cluster.id);
  const authorization = `Basic ${Buffer.from(`${cred.user}:${cred.password}`).toString('base64')}`;
  const read = (port: number | undefined, path?: string) =>
    port === undefined ? Promise.resolve(undefined) : scrape(`http://${t.host}:${port}`, { authorization, timeoutMs: 5000, path }).catch(() => undefined);
  // Kafka's figures from the node exporter's /openmsk/kafka (a few MBeans, named as the JMX exporter names them),
  // the container's from its /metrics: brokers only, as MSK publishes CPU and memory per broker, not per controller.
  const scraped: Scraped[] = await Promise.all(
    t.nodes.filter((n) => n.role !== 'zookeeper').map(async (node) => ({
      node,
      kafka: await read(node.ports.node_exporter, KAFKA_FIGURES_PATH),
      host: node.role === 'broker' ? await read(node.ports.node_exporter) : undefined,
    })),
  );

  // Cluster-wide: the active controller's own figures (the node whose ActiveControllerCount is 1).
  const controllerCounts = scraped.flatMap((s) => {
    const v = value(s.kafka, 'kafka_controller_KafkaController_Value', { name: 'ActiveControllerCount' });
    return v === undefined ? [] : [{ s, v }];
  });
  if (controllerCounts.length) {
    put('ActiveControllerCount', {}, controllerCounts.reduce((sum, c) => sum + c.v, 0), 'Count');
    const leader = controllerCounts.find((c) => c.v === 1)?.s;
    for (const m of ['GlobalTopicCount', 'GlobalPartitionCount', 'OfflinePartitionsCount']) put(m, {}, value(leader?.kafka, 'kafka_controller_KafkaController_Value', { name: m }), 'Count');
  }

  const admin = await clusterAdmin(deps, cluster, t);
  const logDirs: LogDir[] = await admin.describeLogDirs().catch(() => []);
  for (const s of scraped.filter((x) => x.node.role === 'broker')) {
    const broker = { 'Broker ID': String(s.node.ordinal) };
    const key = `${cluster.id}/${s.node.nodeId}`;
    if (s.kafka) {
      for (const [metric, mbean, min, unit] of BROKER_RATES) {
        const v = value(s.kafka, 'kafka_server_BrokerTopicMetrics_Count', { name: mbean });
        const r = v === undefined ? undefined : state.rate(`${key}/${mbean}`, v, at);
        if (atLeast(level, min)) put(metric, broker, r, unit);
      }
      for (const [metric, sample, labels, min, unit, scale] of BROKER_GAUGES) {
        const v = value(s.kafka, sample, labels);
        if (atLeast(level, min)) put(metric, broker, v === undefined ? undefined : v * scale, unit);
      }
      for (const [metric, mbean, , unit] of BROKER_RATES.slice(0, 3)) {
        for (const [topic, v] of perTopic(s.kafka, mbean)) {
          const r = state.rate(`${key}/${mbean}/${topic}`, v, at);
          if (atLeast(level, 'PER_TOPIC_PER_BROKER')) put(metric, { ...broker, Topic: topic }, r, unit);
        }
      }
    }
    if (s.host) {
      const cpu = CPU_MODES.map(([, mode]) => {
        const v = value(s.host, 'node_cpu_seconds_total', { mode });
        const prev = state.readings.get(`${key}/cpu/${mode}`);
        if (v !== undefined) state.readings.set(`${key}/cpu/${mode}`, { value: v, at });
        return v !== undefined && prev && v >= prev.value ? v - prev.value : undefined;
      });
      const total = cpu.every((d) => d !== undefined) ? cpu.reduce((a, b) => a! + b!, 0)! : 0;
      if (total > 0) CPU_MODES.forEach(([metric], i) => put(metric, broker, (cpu[i]! / total) * 100, 'Percent'));
      const memTotal = value(s.host, 'node_memory_MemTotal_bytes', {});
      const memFree = value(s.host, 'node_memory_MemFree_bytes', {});
      put('MemoryFree', broker, memFree, 'Bytes');
      put('MemoryUsed', broker, memTotal !== undefined && memFree !== undefined ? memTotal - memFree : undefined, 'Bytes');
      put('MemoryCached', broker, value(s.host, 'node_memory_Cached_bytes', {}), 'Bytes');
    }
    const dir = logDirs.find((d) => d.broker === s.node.ordinal);
    if (dir && dir.totalBytes > 0n) put('KafkaDataLogsDiskUsed', broker, (Number(dir.totalBytes - dir.usableBytes) / Number(dir.totalBytes)) * 100, 'Percent');
  }

  lagMetrics(state, cluster.id, level, at, await admin.consumerLag().catch(() => []), put);
  return rows;
}

/**
 * Consumer lag, MSK's way: per group and topic SumOffsetLag and MaxOffsetLag (DEFAULT), per partition OffsetLag
 * (PER_TOPIC_PER_PARTITION); EstimatedMaxTimeLag / EstimatedTimeLag in seconds, estimated as a partition's lag over
 * the rate its end offset grew since the last collection (0 with no lag; none while nothing is produced, when time
 * cannot be estimated from offsets).
 */
function lagMetrics(
  state: CollectorState,
  clusterId: string,
  level: Level,
  at: number,
  lags: GroupPartitionLag[],
  put: (metric: string, dims: Record<string, string>, v: number | undefined, unit: MetricUnit) => void,
) {
  const byTopic = new Map<string, { group: string; topic: string; sum: number; max: number; maxTime?: number }>();
  for (const l of lags) {
    const lag = Number(l.lag);
    const rate = state.rate(`${clusterId}/end/${l.topic}/${l.partition}/${l.group}`, Number(l.end), at);
    const time = lag === 0 ? 0 : rate ? lag / rate : undefined;
    const k = `${l.group}\0${l.topic}`;
    const agg = byTopic.get(k) ?? byTopic.set(k, { group: l.group, topic: l.topic, sum: 0, max: 0 }).get(k)!;
    agg.sum += lag;
    agg.max = Math.max(agg.max, lag);
    if (time !== undefined) agg.maxTime = Math.max(agg.maxTime ?? 0, time);
    if (atLeast(level, 'PER_TOPIC_PER_PARTITION')) {
      const dims = { 'Consumer Group': l.group, Topic: l.topic, Partition: String(l.partition) };
      put('OffsetLag', dims, lag, 'Count');
      put('EstimatedTimeLag', dims, time, 'Seconds');
    }
  }
  for (const a of byTopic.values()) {
    const dims = { 'Consumer Group': a.group, Topic: a.topic };
    put('SumOffsetLag', dims, a.sum, 'Count');
    put('MaxOffsetLag', dims, a.max, 'Count');
    put('EstimatedMaxTimeLag', dims, a.maxTime, 'Seconds');
  }
}

/** One collection of every serving cluster, written to Postgres; old datapoints pruned about once an hour. */
export async function collectMetrics(deps: WorkerDeps, state: CollectorState, now = new Date()): Promise<number> {
  const clusters = await deps.db.cluster.findMany({ where: { state: { in: [...domain.SERVING_STATES] } } });
  state.keepOnly(new Set(clusters.map((c) => c.id)));
  const stamp = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const t0 = performance.now();
  let written = 0;
  let failed = false;
  for (const c of clusters) {
    try {
      written += await recordMetricDatapoints(deps.db, await collectCluster(deps, state, c, stamp));
    } catch (e) {
      failed = true;
      deps.log(`metrics of ${c.name}: ${(e as Error).message}`, { clusterArn: c.arn }, 'warn');
    }
  }
  deps.metrics.collection(failed ? 'failure' : 'success', t0, written);
  if (now.getTime() - state.lastPrune > 3600_000) {
    state.lastPrune = now.getTime();
    await pruneMetricDatapoints(deps.db, new Date(now.getTime() - deps.config.OPENMSK_METRICS_RETENTION_DAYS * 86400_000));
  }
  return written;
}
