/**
 * The console's CloudWatch reads: openmsk answers CloudWatch's read API (namespace AWS/Kafka) on this origin in AWS
 * JSON 1.0 (`POST /`, `x-amz-target: GraniteServiceVersion20100801.<Operation>`, timestamps as epoch seconds), with
 * the same bearer token as the MSK REST calls. Errors arrive as `{"__type", "message"}`; `call()` turns them into
 * ApiError (a 403 ends the session like any other call's).
 */
import { call } from '../api';

export const NAMESPACE = 'AWS/Kafka';
export const CLUSTER_NAME = 'Cluster Name';

export interface Dimension { Name: string; Value: string }
export interface Metric { Namespace: string; MetricName: string; Dimensions: Dimension[] }

const TARGET = 'GraniteServiceVersion20100801';
/** CloudWatch's limit of queries per GetMetricData request. */
const MAX_QUERIES = 500;

function cw<T>(token: string, operation: string, body: object): Promise<T> {
  return call<T>(token, 'POST', '/', body, {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `${TARGET}.${operation}`,
  });
}

/**
 * ListMetrics, every page: the metrics named `metricName` whose dimensions include `filters` (a filter without a
 * Value only asks that the dimension be there).
 */
export async function listMetrics(token: string, metricName: string, filters: Array<{ Name: string; Value?: string }>): Promise<Metric[]> {
  const all: Metric[] = [];
  let next: string | undefined;
  do {
    const page = await cw<{ Metrics?: Metric[]; NextToken?: string }>(token, 'ListMetrics', {
      Namespace: NAMESPACE, MetricName: metricName, Dimensions: filters, ...(next ? { NextToken: next } : {}),
    });
    all.push(...(page.Metrics ?? []));
    next = page.NextToken;
  } while (next);
  return all;
}

export interface MetricQuery { id: string; metric: Metric; period: number; stat: string }

/** One query's datapoints, oldest first: timestamps in epoch seconds. */
export interface QueryResult { timestamps: number[]; values: number[] }

interface RawResult { Id: string; Timestamps?: number[]; Values?: number[] }

/**
 * GetMetricData for any number of queries (500 a request) between two times (epoch seconds), every page of each;
 * answers each query's datapoints by Id, oldest first.
 */
export async function getMetricData(token: string, queries: MetricQuery[], start: number, end: number): Promise<Map<string, QueryResult>> {
  const out = new Map<string, QueryResult>(queries.map((q) => [q.id, { timestamps: [], values: [] }]));
  const batches: MetricQuery[][] = [];
  for (let i = 0; i < queries.length; i += MAX_QUERIES) batches.push(queries.slice(i, i + MAX_QUERIES));
  await Promise.all(batches.map(async (batch) => {
    let next: string | undefined;
    do {
      const page = await cw<{ MetricDataResults?: RawResult[]; NextToken?: string }>(token, 'GetMetricData', {
        MetricDataQueries: batch.map((q) => ({ Id: q.id, MetricStat: { Metric: q.metric, Period: q.period, Stat: q.stat } })),
        StartTime: start,
        EndTime: end,
        ScanBy: 'TimestampAscending',
        ...(next ? { NextToken: next } : {}),
      });
      for (const r of page.MetricDataResults ?? []) {
        const into = out.get(r.Id);
        if (!into) continue;
        // A query cut by a page boundary continues on the next page, still ascending.
        into.timestamps.push(...(r.Timestamps ?? []));
        into.values.push(...(r.Values ?? []));
      }
      next = page.NextToken;
    } while (next);
  }));
  return out;
}

/** A metric's dimension value by name. */
export const dimension = (m: Metric, name: string) => m.Dimensions.find((d) => d.Name === name)?.Value;

/** True when the metric's dimensions are exactly these names (CloudWatch's exact match: no per-topic series). */
export function hasExactly(m: Metric, names: string[]): boolean {
  return m.Dimensions.length === names.length && names.every((n) => m.Dimensions.some((d) => d.Name === n));
}
