/**
 * The real AWS CLI v2 against the CloudWatch API subset (it speaks awsQuery: a form body, XML answers), with datapoints
 * written by recordMetricDatapoints as the collector will (see aws-cli.ts for how the CLI is run).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordMetricDatapoints, type MetricDatapointRow } from '@openmsk/db';
import { startAwsCli, type AwsCli } from './aws-cli';

let cli: AwsCli;
let h: AwsCli['h'];
let other: Awaited<ReturnType<AwsCli['h']['newAccount']>>;

const MIN = 60_000;
const T0 = Math.floor((Date.now() - 2 * 3600_000) / 3600_000) * 3600_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);
/** How the CLI prints a timestamp. */
const printed = (minutes: number) => at(minutes).toISOString().replace('.000Z', '+00:00');
const iso = (minutes: number) => at(minutes).toISOString();

function rows(accountId: string, scale: number): MetricDatapointRow[] {
  const out: MetricDatapointRow[] = [];
  for (let i = 0; i < 10; i++) {
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'BytesInPerSec', dimensions: { 'Broker ID': '1' }, timestamp: at(i), value: scale * 10 * (i + 1), unit: 'Bytes/Second' });
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'BytesInPerSec', dimensions: { 'Broker ID': '2' }, timestamp: at(i), value: scale * (i + 1), unit: 'Bytes/Second' });
    out.push({ accountId, region: 'us-east-1', clusterName: 'demo', metricName: 'GlobalPartitionCount', dimensions: {}, timestamp: at(i), value: scale * 12, unit: 'Count' });
  }
  return out;
}

beforeAll(async () => {
  cli = await startAwsCli('openmsk-cw-cli-');
  h = cli.h;
  other = await h.newAccount('other');
  writeFileSync(join(cli.dir, 'other-credentials'), `[openmsk]\naws_access_key_id = ${other.accessKeyId}\naws_secret_access_key = ${other.secretAccessKey}\n`);
  writeFileSync(join(cli.dir, 'bad-credentials'), `[openmsk]\naws_access_key_id = ${h.credentials.accessKeyId}\naws_secret_access_key = not-the-secret\n`);
  await recordMetricDatapoints(h.db, [...rows(h.accountId, 1), ...rows(other.accountId, 1000)]);
}, 60_000);
afterAll(() => cli?.close());

const aws = (...args: string[]) => cli.aws(...args);
const ok = (...args: string[]) => cli.ok(...args);

/** Runs the CLI with another credentials file. */
async function as<T>(file: string, f: () => Promise<T>): Promise<T> {
  const saved = cli.env.AWS_SHARED_CREDENTIALS_FILE;
  cli.env.AWS_SHARED_CREDENTIALS_FILE = join(cli.dir, file);
  try {
    return await f();
  } finally {
    cli.env.AWS_SHARED_CREDENTIALS_FILE = saved;
  }
}

const BROKER_1 = ['--dimensions', 'Name=Cluster Name,Value=demo', 'Name=Broker ID,Value=1'];
const stats = (...args: string[]) => ['cloudwatch', 'get-metric-statistics', '--namespace', 'AWS/Kafka', '--metric-name', 'BytesInPerSec',
  '--start-time', iso(0), '--end-time', iso(10), ...args];

test('get-metric-statistics: exact values per period, as the brief\'s example asks them', async () => {
  const out = await ok(...stats(...BROKER_1, '--period', '300', '--statistics', 'SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'));
  expect(out).toEqual({
    Label: 'BytesInPerSec',
    Datapoints: [
      { Timestamp: printed(0), SampleCount: 5, Average: 30, Sum: 150, Minimum: 10, Maximum: 50, Unit: 'Bytes/Second' },
      { Timestamp: printed(5), SampleCount: 5, Average: 80, Sum: 400, Minimum: 60, Maximum: 100, Unit: 'Bytes/Second' },
    ],
  });
  const pct = await ok(...stats(...BROKER_1, '--period', '300', '--extended-statistics', 'p50', 'p99'));
  expect(pct.Datapoints).toEqual([
    { Timestamp: printed(0), Unit: 'Bytes/Second', ExtendedStatistics: { p50: 30, p99: 50 } },
    { Timestamp: printed(5), Unit: 'Bytes/Second', ExtendedStatistics: { p50: 80, p99: 100 } },
  ]);
  const minute = await ok(...stats(...BROKER_1, '--period', '60', '--statistics', 'Average', '--end-time', iso(3)));
  expect(minute.Datapoints).toEqual([0, 1, 2].map((i) => ({ Timestamp: printed(i), Average: 10 * (i + 1), Unit: 'Bytes/Second' })));
});

test('get-metric-statistics: dimensions match exactly, another account and region see their own', async () => {
  const clusterOnly = await ok(...stats('--dimensions', 'Name=Cluster Name,Value=demo', '--period', '300', '--statistics', 'Sum'));
  expect(clusterOnly.Datapoints).toEqual([]);
  const partitions = await ok(...stats('--metric-name', 'GlobalPartitionCount', '--dimensions', 'Name=Cluster Name,Value=demo', '--period', '600', '--statistics', 'Maximum'));
  expect(partitions.Datapoints).toEqual([{ Timestamp: printed(0), Maximum: 12, Unit: 'Count' }]);
  const theirs = await as('other-credentials', () => ok(...stats(...BROKER_1, '--period', '600', '--statistics', 'Sum')));
  expect(theirs.Datapoints).toEqual([{ Timestamp: printed(0), Sum: 550_000, Unit: 'Bytes/Second' }]);
  const region = await ok(...stats(...BROKER_1, '--period', '600', '--statistics', 'Sum', '--region', 'eu-west-1'));
  expect(region.Datapoints).toEqual([]);
});

test('get-metric-data: MetricStat queries, ScanBy, labels, and the CLI following NextToken', async () => {
  const file = join(cli.dir, 'queries.json');
  writeFileSync(file, JSON.stringify([
    { Id: 'b1', Label: 'broker one', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: [{ Name: 'Cluster Name', Value: 'demo' }, { Name: 'Broker ID', Value: '1' }] }, Period: 300, Stat: 'Average' } },
    { Id: 'b2', MetricStat: { Metric: { Namespace: 'AWS/Kafka', MetricName: 'BytesInPerSec', Dimensions: [{ Name: 'Cluster Name', Value: 'demo' }, { Name: 'Broker ID', Value: '2' }] }, Period: 60, Stat: 'Sum' } },
  ]));
  const out = await ok('cloudwatch', 'get-metric-data', '--metric-data-queries', `file://${file}`, '--start-time', iso(0), '--end-time', iso(10), '--scan-by', 'TimestampAscending');
  expect(out).toEqual({
    MetricDataResults: [
      { Id: 'b1', Label: 'broker one', Timestamps: [printed(0), printed(5)], Values: [30, 80], StatusCode: 'Complete' },
      { Id: 'b2', Label: 'BytesInPerSec', Timestamps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(printed), Values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], StatusCode: 'Complete' },
      ],
    Messages: [],
  });
  // Pages of 4 datapoints (the CLI's --page-size is MaxDatapoints): the CLI fetches every page and joins their results.
  const paged = await ok('cloudwatch', 'get-metric-data', '--metric-data-queries', `file://${file}`, '--start-time', iso(0), '--end-time', iso(10), '--page-size', '4');
  const values = (paged.MetricDataResults as { Id: string; Values: number[] }[]).flatMap((r) => r.Values.map((v) => `${r.Id}:${v}`));
  expect(values).toEqual(['b1:80', 'b1:30', ...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((v) => `b2:${v}`)]);
});

test('list-metrics: filters, RecentlyActive, per account', async () => {
  const names = (out: { Metrics: { MetricName: string; Dimensions: { Name: string; Value: string }[] }[] }) =>
    out.Metrics.map((m) => `${m.MetricName} ${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`);
  expect(names(await ok('cloudwatch', 'list-metrics', '--namespace', 'AWS/Kafka'))).toEqual([
    'BytesInPerSec Broker ID=1,Cluster Name=demo',
    'BytesInPerSec Broker ID=2,Cluster Name=demo',
    'GlobalPartitionCount Cluster Name=demo',
  ]);
  expect(names(await ok('cloudwatch', 'list-metrics', '--dimensions', 'Name=Broker ID', '--recently-active', 'PT3H'))).toEqual([
    'BytesInPerSec Broker ID=1,Cluster Name=demo',
    'BytesInPerSec Broker ID=2,Cluster Name=demo',
  ]);
  expect(names(await ok('cloudwatch', 'list-metrics', '--metric-name', 'GlobalPartitionCount'))).toEqual(['GlobalPartitionCount Cluster Name=demo']);
  expect(await ok('cloudwatch', 'list-metrics', '--namespace', 'AWS/EC2')).toEqual({ Metrics: [] });
  expect(await ok('cloudwatch', 'list-metrics', '--region', 'eu-west-1')).toEqual({ Metrics: [] });
  expect(names(await as('other-credentials', () => ok('cloudwatch', 'list-metrics')))).toHaveLength(3);
});

test('errors: the code and message the CLI prints', async () => {
  const fails = async (args: string[], text: string) => {
    const r = await aws(...args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(text);
  };
  await fails(stats(...BROKER_1, '--period', '61', '--statistics', 'Sum'),
    'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter Period must be 1, 5, 10, 30 or a multiple of 60.');
  await fails(stats(...BROKER_1, '--period', '60', '--statistics', 'Sum', '--end-time', iso(1441)),
    'An error occurred (InvalidParameterCombination) when calling the GetMetricStatistics operation: You have requested up to 1441 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.');
  await fails(stats(...BROKER_1, '--period', '60'),
    'An error occurred (InvalidParameterCombination) when calling the GetMetricStatistics operation: Must specify either Statistics or ExtendedStatistics.');
  await fails(stats(...BROKER_1, '--period', '60', '--extended-statistics', 'TM99'),
    'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter ExtendedStatistics.member.1 must be a percentile from p0 to p100 (such as p99 or p99.9): openmsk computes no other extended statistic.');
  await fails(stats(...BROKER_1, '--period', '60', '--statistics', 'Sum', '--end-time', iso(0)),
    'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter StartTime must not equal parameter EndTime.');
  await fails(['cloudwatch', 'get-metric-data', '--metric-data-queries', '[{"Id":"e1","Expression":"SUM(METRICS())"}]', '--start-time', iso(0), '--end-time', iso(10)],
    'An error occurred (ValidationError) when calling the GetMetricData operation: openmsk does not evaluate metric math or Metrics Insights expressions (MetricDataQueries.member.1.Expression); use MetricStat.');
  await fails(['cloudwatch', 'list-metrics', '--next-token', 'nope'],
    'An error occurred (InvalidParameterValue) when calling the ListMetrics operation: The parameter NextToken is not valid.');
  await fails(['cloudwatch', 'describe-alarms'], 'An error occurred (InvalidAction) when calling the DescribeAlarms operation: The action DescribeAlarms is not valid for this web service.');
  await as('bad-credentials', () => fails(['cloudwatch', 'list-metrics'], 'An error occurred (SignatureDoesNotMatch) when calling the ListMetrics operation: The request signature we calculated does not match'));
});
