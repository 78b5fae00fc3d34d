/**
 * The CloudWatch API subset (ListMetrics, GetMetricStatistics, GetMetricData on AWS/Kafka) through
 * @aws-sdk/client-cloudwatch in each protocol it can speak: AWS JSON 1.0 (its default), Smithy RPC v2 CBOR and
 * awsQuery, against real Postgres, with datapoints written by recordMetricDatapoints as the collector will.
 */
import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand,
  type GetMetricDataCommandInput, type GetMetricStatisticsCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { pruneMetricDatapoints, recordMetricDatapoints, type MetricDatapointRow } from '@openmsk/db';
import { startApi, type Harness } from './harness';

let h: Harness;
let other: Awaited<ReturnType<Harness['newAccount']>>;
const clients: CloudWatchClient[] = [];

const PROTOCOLS = {
  json: undefined,
  cbor: AwsSmithyRpcV2CborProtocol,
  query: AwsQueryProtocol,
} as const;
type Protocol = keyof typeof PROTOCOLS;

const cw = (protocol: Protocol = 'json', creds = h.credentials, region = 'us-east-1') => {
  const c = new CloudWatchClient({ endpoint: h.url, region, credentials: creds, maxAttempts: 1, ...(PROTOCOLS[protocol] && { protocol: PROTOCOLS[protocol] }) });
  clients.push(c);
  return c;
};

const MIN = 60_000;
// Two to three hours ago, on the hour: inside RecentlyActive's three hours, where every period is served.
const T0 = Math.floor((Date.now() - 2 * 3600_000) / 3600_000) * 3600_000 - 0;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

function rows(accountId: string, scale: number): MetricDatapointRow[] {
  const out: MetricDatapointRow[] = [];
  for (let i = 0; i < 10; i++) {
    // Broker 1: 10, 20, ..., 100; broker 2: 1, 2, ..., 10 (times scale).
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'BytesInPerSec', dimensions: { 'Broker ID': '1' }, timestamp: at(i), value: scale * 10 * (i + 1), unit: 'Bytes/Second' });
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'BytesInPerSec', dimensions: { 'Broker ID': '2' }, timestamp: at(i), value: scale * (i + 1), unit: 'Bytes/Second' });
    // A cluster-level metric: only the Cluster Name dimension.
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'GlobalTopicCount', dimensions: {}, timestamp: at(i), value: scale * 3, unit: 'Count' });
  }
  return out;
}

const broker = (id: string) => [{ Name: 'Cluster Name', Value: 'demo' }, { Name: 'Broker ID', Value: id }];

beforeAll(async () => {
  h = await startApi();
  other = await h.newAccount('other');
  await recordMetricDatapoints(h.db, [...rows(h.accountId, 1), ...rows(other.accountId, 1000)]);
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await h?.close();
});

const statsInput = (over: Partial<GetMetricStatisticsCommandInput> = {}): GetMetricStatisticsCommandInput => ({
  Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('1'), StartTime: at(0), EndTime: at(10), Period: 300,
  Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'], ...over,
});

const dataInput = (over: Partial<GetMetricDataCommandInput> = {}): GetMetricDataCommandInput => ({
  StartTime: at(0), EndTime: at(10),
  MetricDataQueries: [
    { Id: 'b1', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('1') }, Period: 300, Stat: 'Sum' } },
    { Id: 'b2', Label: 'broker two', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('2') }, Period: 60, Stat: 'Maximum' } },
  ],
  ...over,
});

/** A request that must fail with this SDK error class, status 400 and message. */
async function refused(p: Promise<unknown>, name: string, message: string | RegExp) {
  const err = await p.then(() => undefined, (e) => e as Error & { $metadata?: { httpStatusCode?: number } });
  expect(err).toBeDefined();
  expect({ name: err!.name, status: err!.$metadata?.httpStatusCode }).toEqual({ name, status: 400 });
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else expect(err!.message).toMatch(message);
}

describe.each(Object.keys(PROTOCOLS) as Protocol[])('over %s', (protocol) => {
  test('GetMetricStatistics aggregates per period, with exact values and the unit', async () => {
    const out = await cw(protocol).send(new GetMetricStatisticsCommand(statsInput()));
    expect(out.Label).toBe('BytesInPerSec');
    expect(out.Datapoints).toEqual([
      { Timestamp: at(0), SampleCount: 5, Average: 30, Sum: 150, Minimum: 10, Maximum: 50, Unit: 'Bytes/Second' },
      { Timestamp: at(5), SampleCount: 5, Average: 80, Sum: 400, Minimum: 60, Maximum: 100, Unit: 'Bytes/Second' },
    ]);
  });

  test('GetMetricData: one result per query, newest first by default, labels, StatusCode Complete', async () => {
    const out = await cw(protocol).send(new GetMetricDataCommand(dataInput()));
    expect(out.NextToken).toBeUndefined();
    expect(out.MetricDataResults).toEqual([
      { Id: 'b1', Label: 'BytesInPerSec', Timestamps: [at(5), at(0)], Values: [400, 150], StatusCode: 'Complete' },
      { Id: 'b2', Label: 'broker two', Timestamps: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map(at), Values: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], StatusCode: 'Complete' },
    ]);
  });

  test('percentiles: ExtendedStatistics of GetMetricStatistics and a pNN Stat of GetMetricData (nearest rank)', async () => {
    const c = cw(protocol);
    const stats = await c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: undefined, ExtendedStatistics: ['p0', 'p50', 'p99.9'] })));
    expect(stats.Datapoints).toEqual([
      { Timestamp: at(0), Unit: 'Bytes/Second', ExtendedStatistics: { p0: 10, p50: 30, 'p99.9': 50 } },
      { Timestamp: at(5), Unit: 'Bytes/Second', ExtendedStatistics: { p0: 60, p50: 80, 'p99.9': 100 } },
    ]);
    const data = await c.send(new GetMetricDataCommand(dataInput({
      MetricDataQueries: [{ Id: 'p', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('1') }, Period: 300, Stat: 'p90' } }],
    })));
    expect(data.MetricDataResults).toEqual([{ Id: 'p', Label: 'BytesInPerSec', Timestamps: [at(5), at(0)], Values: [100, 50], StatusCode: 'Complete' }]);
  });

  test('ListMetrics lists the caller\'s series with their dimensions', async () => {
    const out = await cw(protocol).send(new ListMetricsCommand({ Namespace: 'AWS/Kafka' }));
    expect(out.Metrics).toEqual([
      { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: [{ Name: 'Broker ID', Value: '1' }, { Name: 'Cluster Name', Value: 'demo' }] },
      { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: [{ Name: 'Broker ID', Value: '2' }, { Name: 'Cluster Name', Value: 'demo' }] },
      { Namespace: 'AWS/Kafka', MetricName: 'GlobalTopicCount', Dimensions: [{ Name: 'Cluster Name', Value: 'demo' }] },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  test('errors come back as the SDK\'s classes', async () => {
    const c = cw(protocol);
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Period: 61 }))), 'InvalidParameterValueException', 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: undefined }))), 'InvalidParameterCombinationException', 'Must specify either Statistics or ExtendedStatistics.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Namespace: undefined }))), 'MissingRequiredParameterException', 'The parameter Namespace is required.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'e1', Expression: 'b1 * 2' }] }))), 'ValidationException',
      'openmsk does not evaluate metric math or Metrics Insights expressions (MetricDataQueries.member.1.Expression); use MetricStat.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ NextToken: 'bogus' }))), 'InvalidNextToken', 'The NextToken is not valid.');
  });
});

describe.each(Object.keys(PROTOCOLS) as Protocol[])('authentication over %s', (protocol) => {
  test('a wrong secret is refused with 403 SignatureDoesNotMatch, as query services name it', async () => {
    const err = await cw(protocol, { ...h.credentials, secretAccessKey: 'wrong' }).send(new ListMetricsCommand({})).catch((e) => e);
    expect({ name: err.name, status: err.$metadata?.httpStatusCode }).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(err.message).toMatch(/^The request signature we calculated does not match/);
  });
});

describe('GetMetricStatistics', () => {
  test('dimensions match exactly: Cluster Name alone is the cluster-level series, not the brokers\'', async () => {
    const c = cw();
    const cluster = [{ Name: 'Cluster Name', Value: 'demo' }];
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ Dimensions: cluster })))).Datapoints).toEqual([]);
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ Dimensions: [] })))).Datapoints).toEqual([]);
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ Dimensions: [broker('1')[0]] })))).Datapoints).toEqual([]);
    const topics = await c.send(new GetMetricStatisticsCommand(statsInput({ MetricName: 'GlobalTopicCount', Dimensions: cluster, Statistics: ['Sum'] })));
    expect(topics.Datapoints).toEqual([{ Timestamp: at(0), Sum: 15, Unit: 'Count' }, { Timestamp: at(5), Sum: 15, Unit: 'Count' }]);
    // The order of the dimensions in the request does not matter.
    const reversed = await c.send(new GetMetricStatisticsCommand(statsInput({ Dimensions: broker('1').reverse(), Statistics: ['Sum'] })));
    expect(reversed.Datapoints!.map((d) => d.Sum)).toEqual([150, 400]);
  });

  test('another account sees only its own datapoints; another region and namespace nothing', async () => {
    const theirs = await cw('json', other).send(new GetMetricStatisticsCommand(statsInput({ Statistics: ['Sum'] })));
    expect(theirs.Datapoints!.map((d) => d.Sum)).toEqual([150_000, 400_000]);
    const region = await cw('json', h.credentials, 'eu-west-1').send(new GetMetricStatisticsCommand(statsInput()));
    expect(region.Datapoints).toEqual([]);
    const namespace = await cw().send(new GetMetricStatisticsCommand(statsInput({ Namespace: 'AWS/EC2' })));
    expect(namespace).toMatchObject({ Label: 'BytesInPerSec', Datapoints: [] });
  });

  test('the start time rounds down to the minute; the end time is exclusive; periods count from the start', async () => {
    const out = await cw().send(new GetMetricStatisticsCommand(statsInput({ StartTime: new Date(T0 + 90_000), EndTime: at(4), Period: 120, Statistics: ['Sum'] })));
    // Start 1:30 rounds to 1:00: periods [1, 3) and [3, 4).
    expect(out.Datapoints).toEqual([{ Timestamp: at(1), Sum: 50, Unit: 'Bytes/Second' }, { Timestamp: at(3), Sum: 40, Unit: 'Bytes/Second' }]);
  });

  test('Unit filters datapoints: another unit finds none', async () => {
    const c = cw();
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ Unit: 'Bytes/Second', Statistics: ['Sum'] })))).Datapoints).toHaveLength(2);
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ Unit: 'Count', Statistics: ['Sum'] })))).Datapoints).toEqual([]);
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Unit: 'Furlongs' as never }))), 'InvalidParameterValueException', /^The parameter Unit must be a value in the set \[Seconds, /);
  });

  test('sub-minute periods of high-resolution metrics are accepted', async () => {
    const out = await cw().send(new GetMetricStatisticsCommand(statsInput({ Period: 10, EndTime: at(2), Statistics: ['Maximum'] })));
    expect(out.Datapoints).toEqual([{ Timestamp: at(0), Maximum: 10, Unit: 'Bytes/Second' }, { Timestamp: at(1), Maximum: 20, Unit: 'Bytes/Second' }]);
  });

  test('CloudWatch\'s limits and rules', async () => {
    const c = cw();
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ StartTime: at(0), EndTime: at(1441), Period: 60 }))), 'InvalidParameterCombinationException',
      'You have requested up to 1441 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
    expect((await c.send(new GetMetricStatisticsCommand(statsInput({ StartTime: at(0), EndTime: at(1440), Period: 60 })))).Datapoints).toHaveLength(10);
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ EndTime: at(0) }))), 'InvalidParameterValueException', 'The parameter StartTime must not equal parameter EndTime.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ EndTime: at(-1) }))), 'InvalidParameterValueException', 'The parameter StartTime must be less than the parameter EndTime.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Period: 0 }))), 'InvalidParameterValueException', 'The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: ['Median' as never] }))), 'InvalidParameterValueException',
      'The parameter Statistics.member.1 must be a value in the set [SampleCount, Average, Sum, Minimum, Maximum].');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: ['Sum'], ExtendedStatistics: ['p99'] }))), 'InvalidParameterCombinationException',
      'Must specify either Statistics or ExtendedStatistics, but not both.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: undefined, ExtendedStatistics: ['TM99'] }))), 'InvalidParameterValueException',
      'The parameter ExtendedStatistics.member.1 must be a percentile from p0 to p100 (such as p99 or p99.9): openmsk computes no other extended statistic.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ Dimensions: [...broker('1'), { Name: 'Broker ID', Value: '2' }] }))), 'InvalidParameterValueException',
      'The dimension Broker ID is given more than once in Dimensions.');
    await refused(c.send(new GetMetricStatisticsCommand(statsInput({ StartTime: undefined }))), 'MissingRequiredParameterException', 'The parameter StartTime is required.');
  });

  test('no percentiles for a period with a negative value, as CloudWatch', async () => {
    // In a region of its own, so that the other tests' lists stay as they are.
    await recordMetricDatapoints(h.db, [-1, 2].map((value, i) => ({ accountId: h.accountId, region: 'eu-central-1', clusterName: 'neg', metricName: 'OffsetLag', dimensions: {}, timestamp: at(i), value, unit: 'Count' as const })));
    const out = await cw('json', h.credentials, 'eu-central-1').send(new GetMetricStatisticsCommand(statsInput({ MetricName: 'OffsetLag', Dimensions: [{ Name: 'Cluster Name', Value: 'neg' }], Period: 60, Statistics: undefined, ExtendedStatistics: ['p50'] })));
    expect(out.Datapoints).toEqual([{ Timestamp: at(0), Unit: 'Count' }, { Timestamp: at(1), Unit: 'Count', ExtendedStatistics: { p50: 2 } }]);
  });

  test('a minute period from more than 15 days ago has no datapoints, as CloudWatch keeps only 5-minute ones that long', async () => {
    const old = Date.now() - 20 * 24 * 3600_000;
    const start = new Date(Math.floor(old / 3600_000) * 3600_000);
    await recordMetricDatapoints(h.db, [{ accountId: h.accountId, region: 'us-east-1', clusterName: 'old', metricName: 'BytesInPerSec', dimensions: {}, timestamp: start, value: 7, unit: 'Bytes/Second' }]);
    const q = { MetricName: 'BytesInPerSec', Dimensions: [{ Name: 'Cluster Name', Value: 'old' }], StartTime: start, EndTime: new Date(start.getTime() + 3600_000), Statistics: ['Sum' as const] };
    expect((await cw().send(new GetMetricStatisticsCommand(statsInput({ ...q, Period: 60 })))).Datapoints).toEqual([]);
    expect((await cw().send(new GetMetricStatisticsCommand(statsInput({ ...q, Period: 300 })))).Datapoints).toEqual([{ Timestamp: start, Sum: 7, Unit: 'Bytes/Second' }]);
  });
});

describe('GetMetricData', () => {
  test('ScanBy TimestampAscending, ReturnData false, another account\'s AccountId', async () => {
    const out = await cw().send(new GetMetricDataCommand(dataInput({
      ScanBy: 'TimestampAscending',
      MetricDataQueries: [
        { Id: 'b1', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('1') }, Period: 300, Stat: 'Average' } },
        { Id: 'hidden', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('2') }, Period: 60, Stat: 'Sum' } },
        { Id: 'theirs', AccountId: other.accountId, MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: broker('2') }, Period: 60, Stat: 'Sum' } },
        { Id: 'ec2', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization' }, Period: 60, Stat: 'Average' } },
      ],
    })));
    expect(out.MetricDataResults).toEqual([
      { Id: 'b1', Label: 'BytesInPerSec', Timestamps: [at(0), at(5)], Values: [30, 80], StatusCode: 'Complete' },
      { Id: 'theirs', Label: 'BytesInPerSec', Timestamps: [], Values: [], StatusCode: 'Complete' },
      { Id: 'ec2', Label: 'CPUUtilization', Timestamps: [], Values: [], StatusCode: 'Complete' },
    ]);
  });

  test('MaxDatapoints pages with NextToken and PartialData until every datapoint came', async () => {
    const c = cw();
    const pages = [];
    let token: string | undefined;
    do {
      const out = await c.send(new GetMetricDataCommand(dataInput({ MaxDatapoints: 4, NextToken: token })));
      pages.push(out.MetricDataResults!.map((r) => [r.Id, r.Values!.length, r.StatusCode]));
      token = out.NextToken;
    } while (token);
    // b1 has 2 datapoints, b2 has 10: 12 in pages of 4.
    expect(pages).toEqual([
      [['b1', 2, 'Complete'], ['b2', 2, 'PartialData']],
      [['b2', 4, 'PartialData']],
      [['b2', 4, 'Complete']],
    ]);
    const first = await c.send(new GetMetricDataCommand(dataInput({ MaxDatapoints: 4 })));
    await refused(c.send(new GetMetricDataCommand(dataInput({ MaxDatapoints: 5, NextToken: first.NextToken }))), 'InvalidNextToken', 'The NextToken does not belong to this request.');
  });

  test('validation errors', async () => {
    const c = cw();
    const stat = { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec' }, Period: 60, Stat: 'Sum' };
    await refused(c.send(new GetMetricDataCommand(dataInput({ EndTime: at(0) }))), 'ValidationException', 'The parameter StartTime must not equal parameter EndTime.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [] }))), 'ValidationException', 'The collection MetricDataQueries must not be empty.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'Bad-id', MetricStat: stat }] }))), 'ValidationException',
      'The value Bad-id for parameter MetricDataQueries.member.1.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'a', MetricStat: stat }, { Id: 'a', MetricStat: stat }] }))), 'ValidationException',
      'The value a for parameter MetricDataQueries Id is used more than once.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'a' }] }))), 'ValidationException',
      'Exactly one of MetricDataQueries.member.1.MetricStat and MetricDataQueries.member.1.Expression must be specified.');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'a', MetricStat: { ...stat, Stat: 'TM(10%:90%)' } }] }))), 'ValidationException',
      'The value TM(10%:90%) for parameter MetricDataQueries.member.1.MetricStat.Stat is not one openmsk computes: use SampleCount, Average, Sum, Minimum, Maximum or a percentile (p0 to p100).');
    await refused(c.send(new GetMetricDataCommand(dataInput({ MetricDataQueries: [{ Id: 'a', MetricStat: { ...stat, Period: 90 } }] }))), 'ValidationException',
      'The parameter MetricDataQueries.member.1.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.');
  });
});

describe('ListMetrics', () => {
  test('filters by metric name and dimensions (a subset of the metric\'s), RecentlyActive, OwningAccounts', async () => {
    const c = cw();
    const names = (out: { Metrics?: { MetricName?: string; Dimensions?: { Name?: string; Value?: string }[] }[] }) =>
      out.Metrics!.map((m) => `${m.MetricName} ${m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(',')}`);
    expect(names(await c.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Broker ID', Value: '2' }] })))).toEqual(['BytesInPerSec Broker ID=2,Cluster Name=demo']);
    expect(names(await c.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Broker ID' }] })))).toHaveLength(2);
    expect(names(await c.send(new ListMetricsCommand({ MetricName: 'GlobalTopicCount', Dimensions: [{ Name: 'Cluster Name', Value: 'demo' }] })))).toEqual(['GlobalTopicCount Cluster Name=demo']);
    expect(names(await c.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Cluster Name', Value: 'nope' }] })))).toEqual([]);
    expect(names(await c.send(new ListMetricsCommand({ Namespace: 'AWS/EC2' })))).toEqual([]);
    const recent = await c.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }));
    expect(names(recent)).not.toContain('BytesInPerSec Cluster Name=old');
    expect(names(recent)).toHaveLength(3);
    const linked = await c.send(new ListMetricsCommand({ RecentlyActive: 'PT3H', IncludeLinkedAccounts: true }));
    expect(linked.OwningAccounts).toEqual([h.accountId, h.accountId, h.accountId]);
    await refused(c.send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as never })), 'InvalidParameterValueException', 'The parameter RecentlyActive must be a value in the set [PT3H].');
    await refused(c.send(new ListMetricsCommand({ NextToken: '!!' })), 'InvalidParameterValueException', 'The parameter NextToken is not valid.');
    // The other account's series are its own.
    expect(names(await cw('json', other).send(new ListMetricsCommand({ RecentlyActive: 'PT3H' })))).toHaveLength(3);
  });

  test('pages of 500 with NextToken', async () => {
    const many: MetricDatapointRow[] = Array.from({ length: 520 }, (_, i) => ({
      accountId: other.accountId, region: 'eu-west-1', clusterName: 'paged', metricName: 'BytesInPerSec', dimensions: { Topic: `t${String(i).padStart(3, '0')}` }, timestamp: at(0), value: i, unit: 'Bytes/Second',
    }));
    await recordMetricDatapoints(h.db, many);
    const c = cw('query', other, 'eu-west-1');
    const first = await c.send(new ListMetricsCommand({}));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const second = await c.send(new ListMetricsCommand({ NextToken: first.NextToken }));
    expect(second.Metrics).toHaveLength(20);
    expect(second.NextToken).toBeUndefined();
    const topics = [...first.Metrics!, ...second.Metrics!].map((m) => m.Dimensions!.find((d) => d.Name === 'Topic')!.Value);
    expect(topics).toEqual(many.map((r) => r.dimensions.Topic));
  });
});

test('retention: pruned datapoints and the series left without any disappear', async () => {
  const c = cw();
  await recordMetricDatapoints(h.db, [{ accountId: h.accountId, region: 'us-east-1', clusterName: 'gone', metricName: 'BytesInPerSec', dimensions: {}, timestamp: at(0), value: 1, unit: 'Bytes/Second' }]);
  const listed = async () => (await c.send(new ListMetricsCommand({ Dimensions: [{ Name: 'Cluster Name', Value: 'gone' }] }))).Metrics;
  expect(await listed()).toHaveLength(1);
  const pruned = await pruneMetricDatapoints(h.db, at(5));
  // Before minute 5: 5 minutes of 3 series in each of two accounts, the 'old', 'gone', 2 'neg' and 520 'paged' datapoints.
  expect(pruned.datapoints).toBe(2 * 3 * 5 + 1 + 1 + 2 + 520);
  expect(await listed()).toEqual([]);
  const out = await c.send(new GetMetricStatisticsCommand(statsInput({ Statistics: ['Sum'] })));
  expect(out.Datapoints).toEqual([{ Timestamp: at(5), Sum: 400, Unit: 'Bytes/Second' }]);
});
