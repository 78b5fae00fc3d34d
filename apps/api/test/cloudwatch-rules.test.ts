/** CloudWatch's period and start-time rules and the awsQuery form decoder, without I/O. */
import { formTree } from '../src/cloudwatch/protocol';
import { isValidPeriod, percentileOf, periodServesAge, roundStartTime, time } from '../src/cloudwatch/rules';

const NOW = new Date('2026-12-02T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const H = 3600_000;
const D = 24 * H;

test('periods: 1, 5, 10, 30 and multiples of 60', () => {
  expect([1, 5, 10, 30, 60, 120, 300, 3600, 86400].every(isValidPeriod)).toBe(true);
  expect([0, -60, 2, 20, 45, 61, 90, 1.5].some(isValidPeriod)).toBe(false);
});

test('the start time rounds down by the period (under a minute) or by its age', () => {
  expect(roundStartTime(new Date('2026-12-02T11:32:34.500Z'), 60, NOW).toISOString()).toBe('2026-12-02T11:32:00.000Z');
  expect(roundStartTime(new Date('2026-12-02T11:32:34.500Z'), 10, NOW).toISOString()).toBe('2026-12-02T11:32:30.000Z');
  expect(roundStartTime(new Date('2026-11-10T11:32:34Z'), 300, NOW).toISOString()).toBe('2026-11-10T11:30:00.000Z');
  expect(roundStartTime(new Date('2026-08-10T11:32:34Z'), 3600, NOW).toISOString()).toBe('2026-08-10T11:00:00.000Z');
});

test('which periods still have data at which age', () => {
  expect(periodServesAge(ago(2 * H), 1, NOW)).toBe(true);
  expect(periodServesAge(ago(4 * H), 10, NOW)).toBe(false);
  expect(periodServesAge(ago(4 * H), 60, NOW)).toBe(true);
  expect(periodServesAge(ago(20 * D), 60, NOW)).toBe(false);
  expect(periodServesAge(ago(20 * D), 300, NOW)).toBe(true);
  expect(periodServesAge(ago(100 * D), 300, NOW)).toBe(false);
  expect(periodServesAge(ago(100 * D), 7200, NOW)).toBe(true);
});

test('percentiles', () => {
  expect(['p0', 'p50', 'p99.9', 'p100'].map((p) => percentileOf(p)!.toFixed(6))).toEqual(['0.000000', '0.500000', '0.999000', '1.000000']);
  expect(['p101', 'P50', 'p', 'p-1', 'tm99', 'p50%'].map(percentileOf)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
});

test('timestamps from each protocol', () => {
  const t = '2026-12-02T10:00:00.000Z';
  expect(time('2026-12-02T10:00:00Z', 'T')!.toISOString()).toBe(t);
  expect(time('2026-12-02T11:00:00+01:00', 'T')!.toISOString()).toBe(t);
  expect(time(Date.parse(t) / 1000, 'T')!.toISOString()).toBe(t);
  expect(time(String(Date.parse(t) / 1000), 'T')!.toISOString()).toBe(t);
  expect(() => time('yesterday', 'StartTime')).toThrow('The parameter StartTime must be a timestamp (ISO 8601 or seconds since the epoch).');
});

test('the awsQuery form as a tree: members in index order, nested lists, empty lists', () => {
  const tree = formTree(new URLSearchParams('Action=GetMetricData&MetricDataQueries.member.2.Id=b&MetricDataQueries.member.1.Id=a'
    + '&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=Cluster+Name&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value=demo'
    + '&Statistics.member.10=Sum&Statistics.member.2=Average&Dimensions='));
  expect(tree).toEqual({
    Action: 'GetMetricData',
    MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Dimensions: [{ Name: 'Cluster Name', Value: 'demo' }] } } }, { Id: 'b' }],
    Statistics: ['Average', 'Sum'],
    Dimensions: '',
  });
});

test('form keys cannot reach Object.prototype', () => {
  const tree = formTree(new URLSearchParams('__proto__.polluted=yes&constructor.prototype.polluted=yes&a.__proto__.polluted=yes'));
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getPrototypeOf(tree)).toBe(Object.prototype);
});
