/**
 * What the Metrics tab draws: which AWS/Kafka metrics, how they are found (ListMetrics filtered by the cluster's
 * name), read (GetMetricData, one-minute periods over the last hour) and combined (per-broker lines and their sum at
 * each time). Pure functions apart from `loadCharts`, so the arithmetic the tests check is in one place.
 */
import { CLUSTER_NAME, dimension, getMetricData, hasExactly, listMetrics, NAMESPACE, type Metric, type MetricQuery } from './cloudwatch';

export type MetricName = 'BytesInPerSec' | 'BytesOutPerSec' | 'MessagesInPerSec' | 'UnderReplicatedPartitions' | 'KafkaDataLogsDiskUsed' | 'SumOffsetLag';
export type ValueKind = 'bytesPerSecond' | 'perSecond' | 'count' | 'percent';

export interface ChartSpec {
  metric: MetricName;
  title: string;
  /** What one line is: a broker (Cluster Name + Broker ID) or a consumer group's topic (Cluster Name + Consumer Group + Topic). */
  per: 'broker' | 'groupTopic';
  /** The statistic of each one-minute period. */
  stat: 'Average' | 'Maximum';
  kind: ValueKind;
  yLabel: string;
  /** The figure's headline value at the latest time: the sum of the lines, or (for percentages) the highest. */
  summary: 'sum' | 'max';
  /** Also draw the sum as its own line. */
  totalLine: boolean;
  description: string;
}

const BROKER = 'Broker ID';
const GROUP = 'Consumer Group';
const TOPIC = 'Topic';

export const CHARTS: readonly ChartSpec[] = [
  { metric: 'BytesInPerSec', title: 'Bytes in per second', per: 'broker', stat: 'Average', kind: 'bytesPerSecond', yLabel: 'Bytes per second (B/s)',
    summary: 'sum', totalLine: true, description: 'Bytes produced to the cluster, all brokers together and per broker.' },
  { metric: 'BytesOutPerSec', title: 'Bytes out per second', per: 'broker', stat: 'Average', kind: 'bytesPerSecond', yLabel: 'Bytes per second (B/s)',
    summary: 'sum', totalLine: true, description: 'Bytes fetched by consumers, all brokers together and per broker.' },
  { metric: 'MessagesInPerSec', title: 'Messages in per second', per: 'broker', stat: 'Average', kind: 'perSecond', yLabel: 'Messages per second',
    summary: 'sum', totalLine: true, description: 'Records produced, per broker and their sum.' },
  { metric: 'UnderReplicatedPartitions', title: 'Under-replicated partitions', per: 'broker', stat: 'Maximum', kind: 'count', yLabel: 'Partitions',
    summary: 'sum', totalLine: true, description: 'Partitions led by each broker whose followers are behind; 0 is healthy.' },
  { metric: 'KafkaDataLogsDiskUsed', title: 'Disk used per broker', per: 'broker', stat: 'Average', kind: 'percent', yLabel: 'Disk used (%)',
    summary: 'max', totalLine: false, description: 'Share of each broker\'s data volume in use; the headline is the fullest broker.' },
  { metric: 'SumOffsetLag', title: 'Consumer lag', per: 'groupTopic', stat: 'Maximum', kind: 'count', yLabel: 'Messages behind (offsets)',
    summary: 'sum', totalLine: false, description: 'Records not yet consumed, per consumer group and topic (SumOffsetLag); the headline is their sum.' },
];

/** The time window drawn, and the period of its datapoints. */
export const WINDOW_SECONDS = 3600;
export const PERIOD_SECONDS = 60;
/** Lines drawn at most per chart (the largest latest values); the headline still counts every series. */
export const MAX_LINES = 10;

export const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f', '#6d28d9', '#475569'];
export const TOTAL_COLOR = '#1b1b1b';

export interface Line {
  label: string;
  /** One value per `xs` entry; null where the series has none. */
  values: (number | null)[];
  color: string;
  total: boolean;
  /** The series' own latest value. */
  latest?: number;
}

export interface ChartModel {
  spec: ChartSpec;
  /** Times (epoch seconds) of the periods with any datapoint, ascending. */
  xs: number[];
  lines: Line[];
  /** The headline: sum (or max) of the lines at the latest time; undefined without datapoints. */
  latest?: number;
  latestAt?: number;
  /** Series left out of the drawing (beyond MAX_LINES); counted in `latest`. */
  hidden: number;
}

interface Found { label: string; sort: string; metric: Metric }

const brokerOrder = (id: string) => id.padStart(6, '0');

/** The series a chart reads for a cluster: only those with exactly the chart's dimensions (no per-topic ones). */
async function seriesOf(token: string, clusterName: string, spec: ChartSpec): Promise<Found[]> {
  if (spec.per === 'broker') {
    const metrics = await listMetrics(token, spec.metric, [{ Name: CLUSTER_NAME, Value: clusterName }, { Name: BROKER }]);
    return metrics.filter((m) => hasExactly(m, [CLUSTER_NAME, BROKER])).map((m) => {
      const id = dimension(m, BROKER)!;
      return { label: `Broker ${id}`, sort: brokerOrder(id), metric: m };
    });
  }
  const metrics = await listMetrics(token, spec.metric, [{ Name: CLUSTER_NAME, Value: clusterName }]);
  return metrics.filter((m) => hasExactly(m, [CLUSTER_NAME, GROUP, TOPIC])).map((m) => {
    const label = `${dimension(m, GROUP)} / ${dimension(m, TOPIC)}`;
    return { label, sort: label, metric: m };
  });
}

/** Lines on one time axis, the optional total line, and the headline value. */
export function combine(spec: ChartSpec, series: Array<{ label: string; timestamps: number[]; values: number[] }>): ChartModel {
  const xs = [...new Set(series.flatMap((s) => s.timestamps))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  let lines: Line[] = series.filter((s) => s.timestamps.length > 0).map((s) => {
    const values: (number | null)[] = xs.map(() => null);
    s.timestamps.forEach((t, i) => { values[at.get(t)!] = s.values[i]; });
    return { label: s.label, values, color: '', total: false, latest: s.values[s.values.length - 1] };
  });
  const last = xs.length - 1;
  const present = lines.map((l) => l.values[last]).filter((v): v is number => v !== null && v !== undefined);
  const latest = last < 0 || present.length === 0 ? undefined
    : spec.summary === 'sum' ? present.reduce((a, b) => a + b, 0) : Math.max(...present);
  const total: Line | undefined = spec.totalLine && lines.length > 0 ? {
    label: 'Total',
    values: xs.map((_, i) => {
      const vs = lines.map((l) => l.values[i]).filter((v): v is number => v !== null);
      return vs.length ? vs.reduce((a, b) => a + b, 0) : null;
    }),
    color: TOTAL_COLOR,
    total: true,
    latest,
  } : undefined;
  let hidden = 0;
  if (lines.length > MAX_LINES) {
    hidden = lines.length - MAX_LINES;
    lines = [...lines].sort((a, b) => (b.latest ?? 0) - (a.latest ?? 0)).slice(0, MAX_LINES);
  }
  lines.forEach((l, i) => { l.color = PALETTE[i % PALETTE.length]; });
  return { spec, xs, lines: total ? [total, ...lines] : lines, latest, latestAt: last < 0 ? undefined : xs[last], hidden };
}

/** Every chart of a cluster over the hour before `now` (epoch seconds): ListMetrics per metric, then GetMetricData. */
export async function loadCharts(token: string, clusterName: string, now: number): Promise<ChartModel[]> {
  const found = await Promise.all(CHARTS.map((spec) => seriesOf(token, clusterName, spec)));
  const queries: MetricQuery[] = [];
  const ids = found.map((list, c) => list
    .sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : 0))
    .map((f, i) => {
      const id = `c${c}_${i}`;
      queries.push({ id, metric: { Namespace: NAMESPACE, MetricName: f.metric.MetricName, Dimensions: f.metric.Dimensions }, period: PERIOD_SECONDS, stat: CHARTS[c].stat });
      return id;
    }));
  const start = now - WINDOW_SECONDS;
  const data = queries.length ? await getMetricData(token, queries, start, now) : new Map();
  return CHARTS.map((spec, c) => combine(spec, found[c].map((f, i) => ({ label: f.label, ...data.get(ids[c][i])! }))));
}

// ---------------------------------------------------------------------------------------------------------------
// Text forms of values.

function scaled(v: number, base: number, units: string[]): string {
  let i = 0;
  let x = Math.abs(v);
  while (x >= base && i < units.length - 1) { x /= base; i++; }
  const digits = x >= 100 || i === 0 && Number.isInteger(x) ? 0 : x >= 10 ? 1 : 2;
  return `${v < 0 ? '-' : ''}${x.toFixed(digits)}${units[i]}`;
}

/** A value with its unit, for legends and headlines: "1.21 kB/s", "12.5 msg/s", "3", "42.0 %". */
export function formatValue(v: number, kind: ValueKind): string {
  switch (kind) {
    case 'bytesPerSecond': return `${scaled(v, 1000, [' B', ' kB', ' MB', ' GB', ' TB'])}/s`;
    case 'perSecond': return `${scaled(v, 1000, ['', ' k', ' M', ' G'])} msg/s`;
    case 'percent': return `${v.toFixed(1)} %`;
    case 'count': return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  }
}

/** A short tick label for the value axis (the unit is in the axis title). */
export function formatTick(v: number, kind: ValueKind): string {
  if (kind === 'percent') return `${v}`;
  return scaled(v, 1000, kind === 'bytesPerSecond' ? ['', ' k', ' M', ' G', ' T'] : ['', 'k', 'M', 'G']);
}

/** The headline as an attribute: the number itself, rounded to 6 decimals against float noise. */
export const attributeValue = (v: number) => String(Math.round(v * 1e6) / 1e6);
