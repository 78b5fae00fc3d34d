/**
 * CloudWatch-compatible metrics of namespace AWS/Kafka (tables `metric_series` and `metric_datapoint`, migration
 * 0009_metrics), written by the worker's collector (`recordMetricDatapoints`, every interval), trimmed by retention
 * (`pruneMetricDatapoints`) and read by the API's CloudWatch operations (apps/api/src/cloudwatch). A series is one
 * metric: namespace, name and dimension set, per account and region; its `dimension_key` is the canonical form of the
 * dimension set, so CloudWatch's exact dimension match is one equality on an index. Aggregation happens in SQL
 * (`date_bin`). These reads are not on the API's hot path (one or a few statements per request), so they stay on
 * Prisma's raw queries rather than postgres.js (reads.ts).
 */
import { Prisma } from './generated/client';
import type { Db } from './client';

/** The one namespace openmsk collects, as MSK publishes it. */
export const KAFKA_NAMESPACE = 'AWS/Kafka';

/** CloudWatch's StandardUnit values. */
export const STANDARD_UNITS = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits',
  'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second',
  'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second',
  'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
] as const;
export type MetricUnit = (typeof STANDARD_UNITS)[number];
const UNITS: ReadonlySet<string> = new Set(STANDARD_UNITS);

/** The dimension MSK puts on every AWS/Kafka metric. */
export const CLUSTER_NAME_DIMENSION = 'Cluster Name';

/**
 * One value the collector measured: `clusterName` becomes the `Cluster Name` dimension, `dimensions` holds the others
 * (`Broker ID`, `Topic`, `Consumer Group`, ... as MSK names them; none for cluster-level metrics).
 */
export interface MetricDatapointRow {
  accountId: string;
  region: string;
  clusterName: string;
  metricName: string;
  dimensions: Record<string, string>;
  timestamp: Date;
  value: number;
  unit: MetricUnit;
}

/** A dimension as CloudWatch spells it. */
export interface MetricDimension {
  Name: string;
  Value: string;
}

/** The canonical form of a dimension set: JSON of its [name, value] pairs sorted by name (code unit order). */
export function dimensionKey(dimensions: Record<string, string> | readonly MetricDimension[]): string {
  const pairs: [string, string][] = Array.isArray(dimensions)
    ? (dimensions as readonly MetricDimension[]).map((d) => [d.Name, d.Value])
    : Object.entries(dimensions as Record<string, string>);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(pairs);
}

/** The dimensions a key stands for, in its (name) order. */
export function dimensionsOfKey(key: string): MetricDimension[] {
  return (JSON.parse(key) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));
}

/** Rows per INSERT: 9 arrays of this length are bound, one statement per chunk. */
const INSERT_CHUNK = 5000;

function checkRow(r: MetricDatapointRow, dims: Record<string, string>): void {
  const what = `metric datapoint ${r.metricName} of ${r.clusterName}`;
  if (!r.accountId || !r.region || !r.clusterName || !r.metricName) throw new Error(`${what}: accountId, region, clusterName and metricName are required`);
  if (r.metricName.length > 255) throw new Error(`${what}: the metric name is longer than 255 characters`);
  if (!(r.timestamp instanceof Date) || Number.isNaN(r.timestamp.getTime())) throw new Error(`${what}: the timestamp is not a valid Date`);
  if (!Number.isFinite(r.value)) throw new Error(`${what}: the value ${r.value} is not a finite number`);
  if (!UNITS.has(r.unit)) throw new Error(`${what}: ${r.unit} is not a CloudWatch unit`);
  const entries = Object.entries(dims);
  if (entries.length > 30) throw new Error(`${what}: more than 30 dimensions`);
  for (const [name, value] of entries) {
    if (typeof value !== 'string' || !name || !value || name.length > 255 || value.length > 1024) throw new Error(`${what}: dimension ${name}=${value} is empty or too long`);
  }
}

/**
 * Records datapoints in batches (the collector calls it every interval): each row's series is created or its last
 * time advanced, and its value stored. A value for a series and time already stored replaces it, so a batch may be
 * sent again after a failure. Returns the number of datapoints written.
 */
export async function recordMetricDatapoints(db: Pick<Db, '$executeRaw'>, rows: readonly MetricDatapointRow[]): Promise<number> {
  // Last write wins within a batch too: ON CONFLICT cannot touch one row twice in one statement.
  const byPoint = new Map<string, { r: MetricDatapointRow; key: string; dims: Record<string, string> }>();
  for (const r of rows) {
    const dims = { ...r.dimensions, [CLUSTER_NAME_DIMENSION]: r.clusterName };
    checkRow(r, dims);
    const key = dimensionKey(dims);
    byPoint.set(JSON.stringify([r.accountId, r.region, r.metricName, key, r.timestamp.getTime()]), { r, key, dims });
  }
  const all = [...byPoint.values()];
  let written = 0;
  for (let i = 0; i < all.length; i += INSERT_CHUNK) {
    const chunk = all.slice(i, i + INSERT_CHUNK);
    written += await db.$executeRaw`
      WITH input AS (
        SELECT * FROM unnest(${chunk.map((c) => c.r.accountId)}::text[], ${chunk.map((c) => c.r.region)}::text[],
          ${chunk.map((c) => c.r.metricName)}::text[], ${chunk.map((c) => c.key)}::text[],
          ${chunk.map((c) => JSON.stringify(c.dims))}::text[], ${chunk.map((c) => c.r.timestamp.toISOString())}::text[],
          ${chunk.map((c) => c.r.value)}::float8[], ${chunk.map((c) => c.r.unit)}::text[])
          AS t(account_id, region, metric_name, dimension_key, dimensions, ts, value, unit)
      ), series AS (
        INSERT INTO metric_series (account_id, region, namespace, metric_name, dimension_key, dimensions, last_timestamp)
        SELECT account_id, region, ${KAFKA_NAMESPACE}, metric_name, dimension_key, min(dimensions)::jsonb, max(ts::timestamptz)
          FROM input GROUP BY account_id, region, metric_name, dimension_key
        ON CONFLICT (account_id, region, namespace, metric_name, dimension_key)
          DO UPDATE SET last_timestamp = GREATEST(metric_series.last_timestamp, EXCLUDED.last_timestamp)
        RETURNING id, account_id, region, metric_name, dimension_key
      )
      INSERT INTO metric_datapoint (series_id, "timestamp", value, unit)
      SELECT s.id, i.ts::timestamptz, i.value, i.unit
        FROM input i JOIN series s USING (account_id, region, metric_name, dimension_key)
      ON CONFLICT (series_id, "timestamp") DO UPDATE SET value = EXCLUDED.value, unit = EXCLUDED.unit`;
  }
  return written;
}

/** Retention: deletes datapoints older than `olderThan`, then the series left without any. */
export async function pruneMetricDatapoints(db: Pick<Db, '$executeRaw'>, olderThan: Date): Promise<{ datapoints: number; series: number }> {
  const at = olderThan.toISOString();
  const datapoints = await db.$executeRaw`DELETE FROM metric_datapoint WHERE "timestamp" < ${at}::timestamptz`;
  const series = await db.$executeRaw`DELETE FROM metric_series WHERE last_timestamp < ${at}::timestamptz`;
  return { datapoints, series };
}

/** Which series a caller means: its account and region, the namespace, the metric name and the exact dimension set. */
export interface MetricSeriesKey {
  accountId: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensionKey: string;
}

/** The id of the series with exactly this key, or undefined. */
export async function findMetricSeries(db: Pick<Db, '$queryRaw'>, k: MetricSeriesKey): Promise<bigint | undefined> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`SELECT id FROM metric_series
    WHERE account_id = ${k.accountId} AND region = ${k.region} AND namespace = ${k.namespace}
      AND metric_name = ${k.metricName} AND dimension_key = ${k.dimensionKey}`;
  return rows[0]?.id;
}

/** One period of a series: its start, the unit (when grouped by unit) and the five statistics' ingredients. */
export interface MetricBucket {
  start: Date;
  unit?: string;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** The asked percentiles, in the order asked (nearest rank: each is one of the period's values). */
  percentiles?: number[];
}

export interface MetricAggregation {
  seriesId: bigint;
  /** Inclusive; also the origin of the periods (CloudWatch aligns periods to the (rounded) start time). */
  start: Date;
  /** Exclusive. */
  end: Date;
  periodSeconds: number;
  /** Only datapoints of this unit. */
  unit?: string;
  /** One bucket per period and unit (GetMetricStatistics) instead of one per period (GetMetricData). */
  byUnit: boolean;
  /** Percentiles to compute, as fractions (0.99 for p99). */
  percentiles?: number[];
}

/** The periods of a series between start and end that hold datapoints, oldest first. */
export async function aggregateMetricSeries(db: Pick<Db, '$queryRaw'>, q: MetricAggregation): Promise<MetricBucket[]> {
  const start = q.start.toISOString();
  const unitColumn = q.byUnit ? Prisma.sql`unit` : Prisma.sql`NULL::text`;
  const fractions = q.percentiles ?? [];
  const pctColumn = fractions.length > 0 ? Prisma.sql`percentile_disc(${fractions}::float8[]) WITHIN GROUP (ORDER BY value)` : Prisma.sql`NULL::float8[]`;
  const rows = await db.$queryRaw<{ start: Date; unit: string | null; n: number; sum: number; min: number; max: number; pct: number[] | null }[]>`
    SELECT date_bin(make_interval(secs => ${q.periodSeconds}::float8), "timestamp", ${start}::timestamptz) AS start,
           ${unitColumn} AS unit, count(*)::float8 AS n, sum(value) AS sum, min(value) AS min, max(value) AS max, ${pctColumn} AS pct
      FROM metric_datapoint
     WHERE series_id = ${q.seriesId} AND "timestamp" >= ${start}::timestamptz AND "timestamp" < ${q.end.toISOString()}::timestamptz
       AND (${q.unit ?? null}::text IS NULL OR unit = ${q.unit ?? null}::text)
     GROUP BY 1, 2 ORDER BY 1, 2`;
  return rows.map((r) => ({
    start: new Date(r.start),
    ...(r.unit !== null && { unit: r.unit }),
    sampleCount: Number(r.n),
    sum: Number(r.sum),
    minimum: Number(r.min),
    maximum: Number(r.max),
    ...(r.pct !== null && { percentiles: r.pct.map(Number) }),
  }));
}

/** A ListMetrics page: filters, a keyset cursor and a size. */
export interface MetricSeriesQuery {
  accountId: string;
  region: string;
  namespace?: string;
  metricName?: string;
  /** Each named dimension must be on the metric, with this value when one is given; other dimensions may be too. */
  dimensions?: { Name: string; Value?: string }[];
  /** Only series with a datapoint at or after this time. */
  activeSince: Date;
  /** The last series of the previous page. */
  after?: { namespace: string; metricName: string; dimensionKey: string };
  limit: number;
}

export interface MetricSeriesRow {
  namespace: string;
  metricName: string;
  dimensionKey: string;
}

/** One page of an account's series in a region, in (namespace, metric name, dimension key) order. */
export async function listMetricSeries(db: Pick<Db, '$queryRaw'>, q: MetricSeriesQuery): Promise<MetricSeriesRow[]> {
  const withValue: Record<string, string> = {};
  const names: string[] = [];
  for (const d of q.dimensions ?? []) {
    if (d.Value === undefined) names.push(d.Name);
    else withValue[d.Name] = d.Value;
  }
  // Two filters on one name with different values match nothing; the object would keep only the last one.
  const contradictory = (q.dimensions ?? []).some((d) => d.Value !== undefined && withValue[d.Name] !== d.Value);
  if (contradictory) return [];
  const after = q.after
    ? Prisma.sql`AND (namespace, metric_name, dimension_key) > (${q.after.namespace}, ${q.after.metricName}, ${q.after.dimensionKey})`
    : Prisma.empty;
  return db.$queryRaw<MetricSeriesRow[]>`
    SELECT namespace, metric_name AS "metricName", dimension_key AS "dimensionKey" FROM metric_series
     WHERE account_id = ${q.accountId} AND region = ${q.region}
       AND (${q.namespace ?? null}::text IS NULL OR namespace = ${q.namespace ?? null}::text)
       AND (${q.metricName ?? null}::text IS NULL OR metric_name = ${q.metricName ?? null}::text)
       AND dimensions @> ${JSON.stringify(withValue)}::jsonb AND dimensions ?& ${names}::text[]
       AND last_timestamp >= ${q.activeSince.toISOString()}::timestamptz
       ${after}
     ORDER BY namespace, metric_name, dimension_key LIMIT ${q.limit}`;
}
