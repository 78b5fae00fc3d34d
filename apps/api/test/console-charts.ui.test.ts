/**
 * The console's Metrics tab in a real browser (Debian's Chromium driven by playwright-core) against the real API: two
 * clusters made through the SDK (no worker runs: they stay CREATING), datapoints written for them with the collector's
 * own writer (recordMetricDatapoints) over the last 30 minutes, rising; the tab must show, per chart, the latest value
 * summed as it says (per-topic and per-partition series, another cluster's and another account's left out), "No data
 * yet" for a metric without datapoints, pick up new datapoints on "Refresh" and on its 15 s refresh, and stay within
 * the Content-Security-Policy (no console errors) and this origin. Screenshot: test-artifacts/console/metrics.png.
 */
import { CreateClusterCommand, ListKafkaVersionsCommand } from '@aws-sdk/client-kafka';
import type { Page } from 'playwright-core';
import { recordMetricDatapoints, type MetricDatapointRow, type MetricUnit } from '@openmsk/db';
import { openBrowser, type Browser } from './browser';
import { startApi, type Harness } from './harness';

const SUBNETS = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d', 'subnet-2a3b4c5d'];
const REGION = 'us-east-1';
const METRICS = ['BytesInPerSec', 'BytesOutPerSec', 'MessagesInPerSec', 'UnderReplicatedPartitions', 'KafkaDataLogsDiskUsed', 'SumOffsetLag'];

let h: Harness;
let b: Browser;
let page: Page;
const arns: Record<string, string> = {};

/** Whole seconds, `minutesAgo` before now: the collector stamps datapoints to the second. */
const ago = (minutesAgo: number) => new Date(Math.floor((Date.now() - minutesAgo * 60_000) / 1000) * 1000);
/** Six collections, 30 to 5 minutes ago (each in its own minute), k = 0..5. */
const STEPS = [30, 25, 20, 15, 10, 5];

function rows(accountId: string, clusterName: string, metricName: string, unit: MetricUnit, dimensions: Record<string, string>,
  value: (k: number) => number, steps = STEPS): MetricDatapointRow[] {
  return steps.map((m, k) => ({ accountId, region: REGION, clusterName, metricName, dimensions, timestamp: ago(m), value: value(k), unit }));
}

async function createCluster(name: string, version: string) {
  const r = await h.client().send(new CreateClusterCommand({
    ClusterName: name, KafkaVersion: version, NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { ClientSubnets: SUBNETS, InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
  }));
  arns[name] = r.ClusterArn!;
}

beforeAll(async () => {
  h = await startApi();
  b = await openBrowser();
  page = b.page;

  const versions = await h.client().send(new ListKafkaVersionsCommand({}));
  const version = versions.KafkaVersions!.filter((v) => v.Status === 'ACTIVE').at(-1)!.Version!;
  await createCluster('charts-a', version);
  await createCluster('charts-b', version);

  const a = h.accountId;
  const brokers = [1, 2, 3];
  const other = await h.newAccount('charts-other');
  await recordMetricDatapoints(h.db, [
    // charts-a, the cluster-and-broker series the charts sum
    ...brokers.flatMap((b) => rows(a, 'charts-a', 'BytesInPerSec', 'Bytes/Second', { 'Broker ID': String(b) }, (k) => 1000 * b + 100 * k + 0.5)),
    ...brokers.flatMap((b) => rows(a, 'charts-a', 'BytesOutPerSec', 'Bytes/Second', { 'Broker ID': String(b) }, (k) => 500 * b + 50 * k)),
    ...brokers.flatMap((b) => rows(a, 'charts-a', 'MessagesInPerSec', 'Count/Second', { 'Broker ID': String(b) }, (k) => 10 * b + k)),
    ...brokers.flatMap((b) => rows(a, 'charts-a', 'UnderReplicatedPartitions', 'Count', { 'Broker ID': String(b) }, (k) => (b === 2 ? k : b === 3 ? 1 : 0))),
    ...brokers.flatMap((b) => rows(a, 'charts-a', 'KafkaDataLogsDiskUsed', 'Percent', { 'Broker ID': String(b) }, (k) => 20 + 10 * b + 0.5 * k)),
    ...rows(a, 'charts-a', 'SumOffsetLag', 'Count', { 'Consumer Group': 'g1', Topic: 'orders' }, (k) => 100 * k),
    ...rows(a, 'charts-a', 'SumOffsetLag', 'Count', { 'Consumer Group': 'g1', Topic: 'payments' }, (k) => 10 * k),
    ...rows(a, 'charts-a', 'SumOffsetLag', 'Count', { 'Consumer Group': 'g2', Topic: 'orders' }, () => 7),
    // ... and series that must not be counted: per topic (PER_TOPIC_PER_BROKER), per partition, other lag metrics
    ...rows(a, 'charts-a', 'BytesInPerSec', 'Bytes/Second', { 'Broker ID': '1', Topic: 'orders' }, () => 999_999),
    ...rows(a, 'charts-a', 'OffsetLag', 'Count', { 'Consumer Group': 'g1', Topic: 'orders', Partition: '0' }, () => 12_345),
    ...rows(a, 'charts-a', 'MaxOffsetLag', 'Count', { 'Consumer Group': 'g1', Topic: 'orders' }, () => 54_321),
    // another account's cluster of the same name
    ...rows(other.accountId, 'charts-a', 'BytesInPerSec', 'Bytes/Second', { 'Broker ID': '1' }, () => 1e9),
    ...rows(other.accountId, 'charts-a', 'SumOffsetLag', 'Count', { 'Consumer Group': 'intruder', Topic: 'orders' }, () => 1e9),
    // charts-b: bytes in only, on broker 1
    ...rows(a, 'charts-b', 'BytesInPerSec', 'Bytes/Second', { 'Broker ID': '1' }, (k) => 40 + k * 0.4),
  ]);
}, 120_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const shot = (name: string) => b.shot(name);
const figure = (metric: string) => page.locator(`figure[data-metric="${metric}"]`);
const latest = (metric: string) => figure(metric).locator('figcaption [data-latest]');
const latestValue = async (metric: string) => Number(await latest(metric).getAttribute('data-latest'));
const legend = (metric: string) => figure(metric).locator('.chart-legend li');
const legendEntries = async (metric: string) => legend(metric).evaluateAll((els) =>
  els.map((el) => [el.getAttribute('data-series'), el.getAttribute('data-value')]));
const metricsUrl = (name: string) => `${h.url}/console/clusters/${encodeURIComponent(arns[name])}/metrics`;

async function openMetrics(name: string) {
  await page.goto(metricsUrl(name));
  await page.locator('#cluster-title', { hasText: name }).waitFor({ timeout: 15_000 });
  await page.locator('.charts figure').first().waitFor({ timeout: 15_000 });
}

describe('Metrics tab in Chromium', () => {
  test('signed in, a cluster\'s Metrics tab shows each chart\'s latest value, summed over its series', async () => {
    await page.goto(`${h.url}/console/`);
    await page.locator('#token').fill(h.token);
    await page.keyboard.press('Enter');
    await page.locator('table.clusters').waitFor({ timeout: 15_000 });
    await openMetrics('charts-a');

    // One figure per metric, each with a heading in its caption.
    await expect(page.locator('.charts figure').evaluateAll((els) => els.map((el) => el.getAttribute('data-metric')))).resolves.toEqual(METRICS);
    for (const m of METRICS) await expect(figure(m).locator('figcaption h3').count()).resolves.toBe(1);
    await expect(figure('BytesInPerSec').locator('figcaption h3').innerText()).resolves.toBe('Bytes in per second');

    // The latest collection (5 minutes ago, k = 5), summed over the brokers; per-topic series left out.
    expect(await latestValue('BytesInPerSec')).toBeCloseTo(1500.5 + 2500.5 + 3500.5, 6); // 7501.5
    expect(await latestValue('BytesOutPerSec')).toBe(750 + 1250 + 1750);
    expect(await latestValue('MessagesInPerSec')).toBe(15 + 25 + 35);
    expect(await latestValue('UnderReplicatedPartitions')).toBe(0 + 5 + 1);
    expect(await latestValue('KafkaDataLogsDiskUsed')).toBe(52.5); // the fullest broker
    expect(await latestValue('SumOffsetLag')).toBe(500 + 50 + 7);
    await expect(latest('BytesInPerSec').innerText()).resolves.toBe('7.50 kB/s');
    await expect(latest('KafkaDataLogsDiskUsed').innerText()).resolves.toBe('52.5 %');

    // Legends: the total and each broker with its latest value; lag per group and topic; nothing of another cluster
    // (charts-b's 42) or account (1e9), no per-topic (999999) or per-partition (12345) series.
    await expect(legendEntries('BytesInPerSec')).resolves.toEqual([
      ['Total', '7501.5'], ['Broker 1', '1500.5'], ['Broker 2', '2500.5'], ['Broker 3', '3500.5'],
    ]);
    await expect(legendEntries('MessagesInPerSec')).resolves.toEqual([['Total', '75'], ['Broker 1', '15'], ['Broker 2', '25'], ['Broker 3', '35']]);
    await expect(legendEntries('KafkaDataLogsDiskUsed')).resolves.toEqual([['Broker 1', '32.5'], ['Broker 2', '42.5'], ['Broker 3', '52.5']]);
    await expect(legendEntries('SumOffsetLag')).resolves.toEqual([['g1 / orders', '500'], ['g1 / payments', '50'], ['g2 / orders', '7']]);
    const text = await page.locator('section.metrics').innerText();
    for (const absent of ['intruder', '42.0', '1.00 GB/s', '999', '12,345', '54,321']) expect(text).not.toContain(absent);

    // Drawn by uPlot on a canvas, with axis labels; the canvas has a text alternative.
    await expect(figure('BytesInPerSec').locator('canvas').count()).resolves.toBeGreaterThan(0);
    await expect(figure('BytesInPerSec').locator('[role="img"]').getAttribute('aria-label')).resolves.toContain('Bytes per second (B/s)');
    await expect(page.locator('#metrics-source').innerText()).resolves.toMatch(/Collected every 60 s by the worker \(OPENMSK_METRICS_INTERVAL_SECONDS/);

    // Every control is labelled by a <label for>.
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !el.id || !document.querySelector('label[for="' + el.id + '"]')).map((el) => el.outerHTML)`);
    expect(unlabelled).toEqual([]);
    // Readable at 1280 px: nothing wider than the window.
    await expect(page.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(1280);
    await shot('metrics');
  });

  test('"Refresh", from the keyboard, reads new datapoints', async () => {
    await recordMetricDatapoints(h.db, [1, 2, 3].flatMap((b) =>
      rows(h.accountId, 'charts-a', 'BytesInPerSec', 'Bytes/Second', { 'Broker ID': String(b) }, () => 2000 * b, [1])));
    await page.getByRole('button', { name: 'Refresh' }).focus();
    await page.keyboard.press('Enter');
    await latest('BytesInPerSec').and(page.locator('[data-latest="12000"]')).waitFor({ timeout: 10_000 });
    // Lag's last collection (5 minutes ago) is still its latest.
    expect(await latestValue('SumOffsetLag')).toBe(557);
  });

  test('a metric without datapoints says "No data yet"; the 15 s refresh picks up the first ones', async () => {
    await openMetrics('charts-b');
    expect(await latestValue('BytesInPerSec')).toBeCloseTo(42, 6);
    await expect(legendEntries('BytesInPerSec')).resolves.toEqual([['Total', '42'], ['Broker 1', '42']]);
    for (const m of METRICS.filter((x) => x !== 'BytesInPerSec')) {
      await expect(latest(m).count()).resolves.toBe(0);
      await expect(figure(m).locator('figcaption').innerText()).resolves.toContain('No data yet');
      await expect(figure(m).locator('canvas').count()).resolves.toBe(0);
    }
    // charts-a's lag groups do not appear on charts-b.
    expect(await page.locator('section.metrics').innerText()).not.toContain('g1 / orders');
    await shot('metrics-empty');

    await expect(page.locator('#metrics-auto').isChecked()).resolves.toBe(true);
    await recordMetricDatapoints(h.db, rows(h.accountId, 'charts-b', 'MessagesInPerSec', 'Count/Second', { 'Broker ID': '1' }, () => 3.5, [1]));
    await latest('MessagesInPerSec').waitFor({ timeout: 25_000 });
    expect(await latestValue('MessagesInPerSec')).toBe(3.5);
  }, 40_000);

  test('only this origin was asked for anything; no console errors (the Content-Security-Policy held)', async () => {
    const origin = new URL(h.url).origin;
    expect(b.requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(b.requested.some((u) => u === `${origin}/`)).toBe(true); // the CloudWatch calls: POST /
    expect(b.consoleErrors).toEqual([]);
  });
});
