/**
 * The CloudWatch metric reads: ListMetrics, GetMetricStatistics, GetMetricData. Inputs arrive as plain trees from
 * any of the three wire protocols (protocol.ts) and are checked here with CloudWatch's rules (rules.ts); outputs are
 * SDK-shaped objects with Dates, which each protocol encodes its own way. Everything is scoped to the caller's
 * account and region; only AWS/Kafka has data (the collector writes nothing else), so another namespace answers
 * empty, as CloudWatch does for a namespace without metrics.
 */
import { createHash } from 'node:crypto';
import {
  STANDARD_UNITS, aggregateMetricSeries, dimensionKey, dimensionsOfKey, findMetricSeries, listMetricSeries,
  type MetricBucket, type MetricDimension,
} from '@openmsk/db';
import type { RequestContext } from '../context';
import {
  LIST_METRICS_PAGE, LIST_METRICS_WINDOW_MS, MAX_METRIC_DATA_DATAPOINTS, MAX_METRIC_DATA_QUERIES, MAX_STATISTICS_DATAPOINTS,
  RECENTLY_ACTIVE_MS, STATISTICS, type CwError, type Statistic, bool, int, invalidNextToken, invalidParameterCombination,
  invalidParameterValue, isStatistic, isValidPeriod, list, percentileOf, periodServesAge, required, roundStartTime, str, struct, time,
  validationError,
} from './rules';

type Input = Record<string, unknown>;
type MakeError = (message: string) => CwError;

const UNITS: ReadonlySet<string> = new Set(STANDARD_UNITS);

function namespaceOf(v: string, path: string, err: MakeError): string {
  if (v.length < 1 || v.length > 255 || v.startsWith(':')) throw err(`The parameter ${path} must be 1 to 255 characters long and must not start with a colon.`);
  return v;
}

function metricNameOf(v: string, path: string, err: MakeError): string {
  if (v.length < 1 || v.length > 255) throw err(`The parameter ${path} must be 1 to 255 characters long.`);
  return v;
}

function unitOf(v: unknown, path: string, err: MakeError): string | undefined {
  const unit = str(v, path, err);
  if (unit !== undefined && !UNITS.has(unit)) throw err(`The parameter ${path} must be a value in the set [${STANDARD_UNITS.join(', ')}].`);
  return unit;
}

/** A metric's dimensions (GetMetricStatistics, MetricStat.Metric): at most 30, each with a name and a value, names unique. */
function dimensionsOf(v: unknown, path: string, err: MakeError): MetricDimension[] {
  const items = list(v, path, err) ?? [];
  if (items.length > 30) throw err(`The collection ${path} must not have more than 30 members.`);
  const seen = new Set<string>();
  return items.map((item, i) => {
    const p = `${path}.member.${i + 1}`;
    const d = struct(item, p, err) ?? {};
    const Name = required(str(d.Name, `${p}.Name`, err), `${p}.Name`);
    const Value = required(str(d.Value, `${p}.Value`, err), `${p}.Value`);
    if (Name.length < 1 || Name.length > 255) throw err(`The parameter ${p}.Name must be 1 to 255 characters long.`);
    if (Value.length < 1 || Value.length > 1024) throw err(`The parameter ${p}.Value must be 1 to 1024 characters long.`);
    if (seen.has(Name)) throw err(`The dimension ${Name} is given more than once in ${path}.`);
    seen.add(Name);
    return { Name, Value };
  });
}

function checkTimes(start: Date, end: Date, err: MakeError): void {
  if (start.getTime() === end.getTime()) throw err('The parameter StartTime must not equal parameter EndTime.');
  if (start.getTime() > end.getTime()) throw err('The parameter StartTime must be less than the parameter EndTime.');
}

function checkPeriod(period: number, path: string, err: MakeError): void {
  if (!isValidPeriod(period)) throw err(`The parameter ${path} must be 1, 5, 10, 30 or a multiple of 60.`);
}

const statisticOf = (b: MetricBucket, s: Statistic): number =>
  s === 'SampleCount' ? b.sampleCount : s === 'Average' ? b.sum / b.sampleCount : s === 'Sum' ? b.sum : s === 'Minimum' ? b.minimum : b.maximum;

/** The periods of one metric of the caller with data, oldest first; none when the metric or the period's data is not there. */
async function buckets(
  ctx: RequestContext,
  m: { namespace: string; metricName: string; dimensions: MetricDimension[] },
  q: { start: Date; end: Date; period: number; unit?: string; byUnit: boolean; percentiles?: number[]; now: Date },
): Promise<MetricBucket[]> {
  if (!periodServesAge(q.start, q.period, q.now)) return [];
  const seriesId = await findMetricSeries(ctx.deps.db, {
    accountId: ctx.principal.accountId, region: ctx.region, namespace: m.namespace, metricName: m.metricName, dimensionKey: dimensionKey(m.dimensions),
  });
  if (seriesId === undefined) return [];
  return aggregateMetricSeries(ctx.deps.db, { seriesId, start: q.start, end: q.end, periodSeconds: q.period, unit: q.unit, byUnit: q.byUnit, percentiles: q.percentiles });
}

// ---------------------------------------------------------------------------------------------------------------

export async function GetMetricStatistics(ctx: RequestContext, input: Input) {
  const err = invalidParameterValue;
  const namespace = namespaceOf(required(str(input.Namespace, 'Namespace'), 'Namespace'), 'Namespace', err);
  const metricName = metricNameOf(required(str(input.MetricName, 'MetricName'), 'MetricName'), 'MetricName', err);
  const dimensions = dimensionsOf(input.Dimensions, 'Dimensions', err);
  const start = required(time(input.StartTime, 'StartTime'), 'StartTime');
  const end = required(time(input.EndTime, 'EndTime'), 'EndTime');
  const period = required(int(input.Period, 'Period'), 'Period');
  const statistics = list(input.Statistics, 'Statistics') ?? [];
  const extended = list(input.ExtendedStatistics, 'ExtendedStatistics') ?? [];
  const unit = unitOf(input.Unit, 'Unit', err);
  checkPeriod(period, 'Period', err);
  checkTimes(start, end, err);
  if (statistics.length === 0 && extended.length === 0) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics.');
  if (statistics.length > 0 && extended.length > 0) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  if (statistics.length > 5) throw err('The collection Statistics must not have more than 5 members.');
  statistics.forEach((s, i) => {
    if (!isStatistic(s)) throw err(`The parameter Statistics.member.${i + 1} must be a value in the set [${STATISTICS.join(', ')}].`);
  });
  if (extended.length > 10) throw err('The collection ExtendedStatistics must not have more than 10 members.');
  const percentiles = extended.map((s, i) => {
    const fraction = percentileOf(s);
    // AWS-PARITY: of the extended statistics only percentiles are computed; CloudWatch also answers trimmed means
    // (TM), winsorized means (WM), trimmed counts and sums (TC, TS), percentile ranks (PR) and IQM.
    if (fraction === undefined) throw err(`The parameter ExtendedStatistics.member.${i + 1} must be a percentile from p0 to p100 (such as p99 or p99.9): openmsk computes no other extended statistic.`);
    return fraction;
  });
  const now = new Date();
  const from = roundStartTime(start, period, now);
  const requested = Math.ceil((end.getTime() - from.getTime()) / (period * 1000));
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw invalidParameterCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const wanted = STATISTICS.filter((s) => statistics.includes(s));
  const rows = await buckets(ctx, { namespace, metricName, dimensions }, { start: from, end, period, unit, byUnit: true, percentiles, now });
  return {
    Label: metricName,
    Datapoints: rows.map((b) => ({
      Timestamp: b.start,
      ...Object.fromEntries(wanted.map((s) => [s, statisticOf(b, s)])),
      Unit: b.unit,
      // A map (awsQuery writes it as entry/key/value). CloudWatch has no percentiles of periods with negative values.
      ...(percentiles.length > 0 && b.minimum >= 0 && { ExtendedStatistics: new Map(extended.map((s, i) => [String(s), b.percentiles![i]])) }),
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface MetricQuery {
  id: string;
  /** A metric of another account: openmsk has no monitoring accounts, so none is visible (an empty result). */
  foreign: boolean;
  label?: string;
  returnData: boolean;
  metric: { namespace: string; metricName: string; dimensions: MetricDimension[] };
  period: number;
  stat: string;
  /** For a pNN Stat: the fraction. */
  percentile?: number;
  unit?: string;
}

const METRIC_ID = /^[a-z][a-zA-Z0-9_]*$/;

function metricQueryOf(v: unknown, path: string, ownAccount: string): MetricQuery {
  const err = validationError;
  const q = struct(v, path, err) ?? {};
  const id = required(str(q.Id, `${path}.Id`, err), `${path}.Id`);
  if (id.length > 255 || !METRIC_ID.test(id)) throw err(`The value ${id} for parameter ${path}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
  const expression = str(q.Expression, `${path}.Expression`, err);
  const stat = struct(q.MetricStat, `${path}.MetricStat`, err);
  if ((expression === undefined) === (stat === undefined)) throw err(`Exactly one of ${path}.MetricStat and ${path}.Expression must be specified.`);
  // AWS-PARITY: metric math and Metrics Insights queries are not evaluated; CloudWatch runs them.
  if (expression !== undefined) throw err(`openmsk does not evaluate metric math or Metrics Insights expressions (${path}.Expression); use MetricStat.`);
  const returnData = bool(q.ReturnData, `${path}.ReturnData`, err) ?? true;
  const label = str(q.Label, `${path}.Label`, err);
  const accountId = str(q.AccountId, `${path}.AccountId`, err);
  const p = `${path}.MetricStat`;
  const m = required(struct(stat!.Metric, `${p}.Metric`, err), `${p}.Metric`);
  const metric = {
    namespace: namespaceOf(required(str(m.Namespace, `${p}.Metric.Namespace`, err), `${p}.Metric.Namespace`), `${p}.Metric.Namespace`, err),
    metricName: metricNameOf(required(str(m.MetricName, `${p}.Metric.MetricName`, err), `${p}.Metric.MetricName`), `${p}.Metric.MetricName`, err),
    dimensions: dimensionsOf(m.Dimensions, `${p}.Metric.Dimensions`, err),
  };
  const period = required(int(stat!.Period, `${p}.Period`, err), `${p}.Period`);
  checkPeriod(period, `${p}.Period`, err);
  const s = required(str(stat!.Stat, `${p}.Stat`, err), `${p}.Stat`);
  const percentile = percentileOf(s);
  // AWS-PARITY: the five basic statistics and percentiles (pNN); CloudWatch also takes TMnn, WMnn, TCnn, TSnn, PRnn and IQM.
  if (!isStatistic(s) && percentile === undefined) throw err(`The value ${s} for parameter ${p}.Stat is not one openmsk computes: use ${STATISTICS.join(', ')} or a percentile (p0 to p100).`);
  const unit = unitOf(stat!.Unit, `${p}.Unit`, err);
  return { id, foreign: accountId !== undefined && accountId !== ownAccount, label, returnData, metric, period, stat: s, percentile, unit };
}

interface PageToken {
  offset: number;
  request: string;
}

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64url');

function decodeToken(token: string, err: MakeError): PageToken {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    if (Number.isSafeInteger(t.offset) && t.offset >= 0 && typeof t.request === 'string') return t;
  } catch {
    // falls through
  }
  throw err('The NextToken is not valid.');
}

export async function GetMetricData(ctx: RequestContext, input: Input) {
  const err = validationError;
  const items = required(list(input.MetricDataQueries, 'MetricDataQueries', err), 'MetricDataQueries');
  if (items.length === 0) throw err('The collection MetricDataQueries must not be empty.');
  if (items.length > MAX_METRIC_DATA_QUERIES) throw err(`The collection MetricDataQueries must not have more than ${MAX_METRIC_DATA_QUERIES} members.`);
  const start = required(time(input.StartTime, 'StartTime', err), 'StartTime');
  const end = required(time(input.EndTime, 'EndTime', err), 'EndTime');
  checkTimes(start, end, err);
  const scanBy = str(input.ScanBy, 'ScanBy', err) ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending') throw err('The parameter ScanBy must be a value in the set [TimestampDescending, TimestampAscending].');
  const maxDatapoints = int(input.MaxDatapoints, 'MaxDatapoints', err) ?? MAX_METRIC_DATA_DATAPOINTS;
  if (maxDatapoints < 1) throw err('The parameter MaxDatapoints must be greater than 0.');
  // Labels are static here, so the time zone of dynamic labels changes nothing; it is still checked.
  const labelOptions = struct(input.LabelOptions, 'LabelOptions', err);
  const timezone = str(labelOptions?.Timezone, 'LabelOptions.Timezone', err);
  if (timezone !== undefined && !/^[+-]\d{4}$/.test(timezone)) throw err('The parameter LabelOptions.Timezone must be + or - followed by four digits.');
  const queries = items.map((q, i) => metricQueryOf(q, `MetricDataQueries.member.${i + 1}`, ctx.principal.accountId));
  const ids = new Set<string>();
  for (const q of queries) {
    if (ids.has(q.id)) throw err(`The value ${q.id} for parameter MetricDataQueries Id is used more than once.`);
    ids.add(q.id);
  }
  // A token belongs to the request that made it: same queries, times, order and page size.
  const request = createHash('sha256').update(JSON.stringify([queries, start.getTime(), end.getTime(), scanBy, maxDatapoints])).digest('base64url').slice(0, 22);
  const nextToken = str(input.NextToken, 'NextToken', err);
  const offset = nextToken === undefined ? 0 : decodeToken(nextToken, invalidNextToken).offset;
  if (nextToken !== undefined && decodeToken(nextToken, invalidNextToken).request !== request) throw invalidNextToken('The NextToken does not belong to this request.');

  const now = new Date();
  const series = [];
  for (const q of queries.filter((x) => x.returnData)) {
    const from = roundStartTime(start, q.period, now);
    const percentiles = q.percentile === undefined ? undefined : [q.percentile];
    let rows = q.foreign ? [] : await buckets(ctx, q.metric, { start: from, end, period: q.period, unit: q.unit, byUnit: false, percentiles, now });
    // CloudWatch has no percentiles of periods with negative values.
    if (percentiles) rows = rows.filter((b) => b.minimum >= 0);
    if (scanBy === 'TimestampDescending') rows.reverse();
    series.push({ q, points: rows.map((b) => ({ t: b.start, v: percentiles ? b.percentiles![0] : statisticOf(b, q.stat as Statistic) })) });
  }
  // Pages cut the concatenation of every query's datapoints (in query order) into MaxDatapoints pieces.
  const pageEnd = offset + maxDatapoints;
  let at = 0;
  const results = [];
  for (const { q, points } of series) {
    const from = at;
    at += points.length;
    const slice = points.slice(Math.max(0, offset - from), Math.max(0, pageEnd - from));
    // A query shows on the pages that carry its datapoints; one without any, on the first page.
    if (slice.length === 0 && !(points.length === 0 && offset === 0)) continue;
    results.push({
      Id: q.id,
      Label: q.label ?? q.metric.metricName,
      Timestamps: slice.map((p) => p.t),
      Values: slice.map((p) => p.v),
      StatusCode: at <= pageEnd ? 'Complete' : 'PartialData',
    });
  }
  return {
    MetricDataResults: results,
    ...(at > pageEnd && { NextToken: encodeToken({ offset: pageEnd, request }) }),
    Messages: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------

const encodeListToken = (r: { namespace: string; metricName: string; dimensionKey: string }) =>
  Buffer.from(JSON.stringify([r.namespace, r.metricName, r.dimensionKey])).toString('base64url');

function decodeListToken(token: string) {
  try {
    const [namespace, metricName, key] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown[];
    if (typeof namespace === 'string' && typeof metricName === 'string' && typeof key === 'string') return { namespace, metricName, dimensionKey: key };
  } catch {
    // falls through
  }
  throw invalidParameterValue('The parameter NextToken is not valid.');
}

export async function ListMetrics(ctx: RequestContext, input: Input) {
  const err = invalidParameterValue;
  const namespace = str(input.Namespace, 'Namespace');
  if (namespace !== undefined) namespaceOf(namespace, 'Namespace', err);
  const metricName = str(input.MetricName, 'MetricName');
  if (metricName !== undefined) metricNameOf(metricName, 'MetricName', err);
  const filters = (list(input.Dimensions, 'Dimensions') ?? []).map((item, i) => {
    const p = `Dimensions.member.${i + 1}`;
    const d = struct(item, p) ?? {};
    const Name = required(str(d.Name, `${p}.Name`), `${p}.Name`);
    const Value = str(d.Value, `${p}.Value`);
    if (Name.length < 1 || Name.length > 255) throw err(`The parameter ${p}.Name must be 1 to 255 characters long.`);
    if (Value !== undefined && (Value.length < 1 || Value.length > 1024)) throw err(`The parameter ${p}.Value must be 1 to 1024 characters long.`);
    return { Name, Value };
  });
  if (filters.length > 10) throw err('The collection Dimensions must not have more than 10 members.');
  const recentlyActive = str(input.RecentlyActive, 'RecentlyActive');
  if (recentlyActive !== undefined && recentlyActive !== 'PT3H') throw err('The parameter RecentlyActive must be a value in the set [PT3H].');
  const includeLinked = bool(input.IncludeLinkedAccounts, 'IncludeLinkedAccounts') ?? false;
  const owningAccount = str(input.OwningAccount, 'OwningAccount');
  const nextToken = str(input.NextToken, 'NextToken');
  const after = nextToken === undefined ? undefined : decodeListToken(nextToken);
  const own = ctx.principal.accountId;
  if (owningAccount !== undefined && owningAccount !== own) return { Metrics: [] };
  const activeSince = new Date(Date.now() - (recentlyActive ? RECENTLY_ACTIVE_MS : LIST_METRICS_WINDOW_MS));
  const rows = await listMetricSeries(ctx.deps.db, {
    accountId: own, region: ctx.region, namespace, metricName, dimensions: filters, activeSince, after, limit: LIST_METRICS_PAGE + 1,
  });
  const page = rows.slice(0, LIST_METRICS_PAGE);
  return {
    Metrics: page.map((r) => ({ Namespace: r.namespace, MetricName: r.metricName, Dimensions: dimensionsOfKey(r.dimensionKey) })),
    ...(rows.length > LIST_METRICS_PAGE && { NextToken: encodeListToken(page[page.length - 1]) }),
    ...(includeLinked && { OwningAccounts: page.map(() => own) }),
  };
}

/** The CloudWatch operations openmsk answers, by the SDK's operation name. */
export const CW_HANDLERS: Record<string, (ctx: RequestContext, input: Input) => Promise<object>> = {
  ListMetrics,
  GetMetricStatistics,
  GetMetricData,
};
