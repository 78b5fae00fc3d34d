/**
 * The web console in real Chromium against API, worker, Docker and Kafka, as a user runs a cluster from it: sign in,
 * create a cluster from the form and watch its CREATE operation to ACTIVE in the timeline, see brokers and the
 * controller; create a topic from the console and produce to it with kcat, see it with its partitions, offsets and
 * messages, and a chart rising from the metrics the worker collects; a consumer group that lags, with its exact lag;
 * grow storage from the dialog (first refused: the size can't stay the same, nothing changes) and see the new size
 * on every broker; reboot a broker and watch the step's progress; delete the cluster with a typed confirmation.
 * Screenshots of each page go to test-artifacts/console/; the browser's console stays free of errors.
 */
import { DescribeClusterCommand, ListClusterOperationsCommand } from '@aws-sdk/client-kafka';
import { Admin } from '@platformatic/kafka';
import { LABELS, clusterPaths, dockerRuntime } from '@openmsk/runtime';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { openBrowser, signIn, unexpectedErrors, unlabelledControls, type Browser } from '../../api/test/browser';
import { kcat, startProducer, startStack, tlsArgs, type Stack } from './stack';

const VERSION = '3.9.x';
const NAME = 'console-e2e';
const TOPIC = 'orders';
const GIB = 2 ** 30;

let s: Stack;
let b: Browser;
let page: Page;
let arn: string;
let id: string;

beforeAll(async () => {
  // Metrics every 3 s instead of 60, so a chart has points within the test.
  s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5, OPENMSK_METRICS_INTERVAL_SECONDS: 3 });
  b = await openBrowser();
  page = b.page;
}, 120_000);
afterAll(async () => {
  await b?.close();
  await s?.close();
});

async function tab(name: string) {
  // A dialog a failed test left open would stand in front of everything after it.
  if (await page.locator('dialog[open]').count()) await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Cluster sections' }).getByRole('link', { name, exact: true }).click();
}
const state = () => page.locator('[data-testid="cluster-state"]').innerText();
const bootstrap = async () => (await s.db.node.findMany({ where: { clusterId: id, role: 'broker' }, orderBy: { ordinal: 'asc' } }))
  .map((n) => `127.0.0.1:${(n.ports as { client_tls: number }).client_tls}`).join(',');
const ca = () => clusterPaths(s.config.OPENMSK_HOME, id).ca;
const describe_ = async () => (await s.client().send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
const operations = async () => (await s.client().send(new ListClusterOperationsCommand({ ClusterArn: arn }))).ClusterOperationInfoList ?? [];

/** Waits until `f` (read in the page) holds, failing with what it last saw. */
/** Creates a topic (replication factor 2) from the Topics tab's form and waits for its notice. */
async function createTopic(name: string, partitions: number): Promise<void> {
  await tab('Topics');
  await page.locator('#topic-name').fill(name);
  await page.locator('#topic-partitions').fill(String(partitions));
  await page.locator('#topic-replication').fill('2');
  await page.getByRole('button', { name: 'Create topic' }).click();
  await page.locator('.notice[role="status"]', { hasText: `Created topic ${name}.` }).waitFor({ timeout: 30_000 });
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await f().catch(() => last);
    if (last !== undefined && ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms\n${s.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The steps of the operation in the timeline that the URL names: name → status text and progress text. */
async function stepsShown(): Promise<Record<string, { status: string; progress: string }>> {
  return Object.fromEntries(await page.locator('ol.timeline li.selected table.steps tbody tr').evaluateAll((rows) => rows.map((r) => [
    r.getAttribute('data-step'),
    { status: r.getAttribute('data-status'), progress: r.querySelector('[data-testid="step-progress"]')?.textContent ?? '' },
  ])));
}

describe('the console runs a cluster end to end', () => {
  test('sign in, create a cluster from the form, watch CREATE reach ACTIVE in the timeline', async () => {
    await page.goto(`${s.url}/console/`);
    await signIn(page, s.token);
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.locator(`#version option[value="${VERSION}"]`).waitFor({ state: 'attached' });
    await page.locator('#name').fill(NAME);
    await page.locator('#version').selectOption(VERSION);
    await page.locator('#zones').selectOption('2');
    await page.locator('#instanceType').selectOption('kafka.m5.large');
    await page.locator('#brokers').fill('2');
    await page.locator('#storage').fill('10');
    await page.locator('form.create button[type="submit"]').click();
    await page.waitForURL(/\/console\/clusters\/[^/]+\/operations$/);
    arn = decodeURIComponent(page.url().split('/').at(-2)!);
    id = arn.split('/')[2].replace(/-\d+$/, '');
    const create = page.locator('ol.timeline li[data-type="CREATE"]');
    await create.waitFor({ timeout: 15_000 });
    // The steps show as the worker runs them, each with its duration once started.
    await until('a CREATE step in progress or done', async () => (await create.locator('tr[data-status="COMPLETED"], tr[data-status="IN_PROGRESS"]').count()), (n) => n > 0, 60_000);
    await b.shot('e2e-creating');
    await until('cluster ACTIVE in the header', state, (v) => v === 'ACTIVE', 300_000);
    await until('CREATE complete in the timeline', () => create.getAttribute('data-state'), (v) => v === 'UPDATE_COMPLETE', 30_000);
    const steps = await create.locator('table.steps tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-status'), r.children[2].textContent]));
    expect(steps.length).toBeGreaterThan(0);
    for (const [status, took] of steps) {
      expect(status).toBe('COMPLETED');
      expect(took).toMatch(/^\d+ s$|^\d+ min \d+ s$/);
    }
    expect((await describe_()).State).toBe('ACTIVE');
    await b.shot('e2e-created');
  }, 420_000);

  test('overview: both brokers in their zones with disk, leaders and the controller; bootstrap strings as the API gives them', async () => {
    await tab('Overview');
    await until('two broker rows', () => page.locator('table.brokers tbody tr').count(), (n) => n === 2, 30_000);
    const zones = await page.locator('table.brokers').evaluateAll((ts) => ts.map((t) => t.getAttribute('data-zone')));
    expect(new Set(zones).size).toBe(2); // one broker per zone
    await expect(page.locator('[data-testid="controller"]').innerText()).resolves.toMatch(/^Active controller: broker [12]$/);
    for (const row of await page.locator('table.brokers tbody tr').all()) {
      expect(Number(await row.locator('[data-testid="disk"]').getAttribute('data-total'))).toBeGreaterThan(9 * GIB);
    }
    const tls = await page.locator('#bootstrap-bootstrapBrokerStringTls').inputValue();
    expect(tls.split(',').sort()).toEqual((await bootstrap()).split(',').sort());
    // Copy puts the very string on the clipboard; the CA download is the cluster's CA, which its TLS listeners present.
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(s.url).origin });
    await page.getByRole('button', { name: 'Copy' }).first().click();
    await page.locator('#bootstrap-bootstrapBrokerStringTls-copied', { hasText: 'Copied' }).waitFor({ timeout: 5000 });
    await expect(page.evaluate('navigator.clipboard.readText()')).resolves.toBe(tls);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CA certificate' }).click()]);
    expect(download.suggestedFilename()).toBe('openmsk-ca.pem');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(readFileSync(ca(), 'utf8'));
    expect(await unlabelledControls(page)).toEqual([]);
    await b.shot('e2e-overview');
  }, 60_000);

  test('topics: create one from the console, produce with kcat, see its partitions, offsets and messages', async () => {
    await createTopic(TOPIC, 3);
    // 20 messages into each partition, keyed, with a header; the last one of partition 1 holds a tab.
    for (const p of [0, 1, 2]) {
      const lines = Array.from({ length: 20 }, (_, i) => `k${p}-${i}|${p === 1 && i === 19 ? 'end\tof' : `v${p}-${i}`}`);
      await kcat(['-b', await bootstrap(), ...tlsArgs(ca()), '-P', '-t', TOPIC, '-p', String(p), '-K', '|', '-H', 'source=console-e2e', '-X', 'acks=all'], `${lines.join('\n')}\n`);
    }
    const row = page.locator(`table.topics tr[data-topic="${TOPIC}"]`);
    await until('60 messages in the topics table', () => row.locator('td[data-col="messages"]').getAttribute('data-value'), (v) => v === '60', 30_000);
    await expect(row.locator('td[data-col="partitions"]').innerText()).resolves.toBe('3');
    await expect(row.locator('td[data-col="replication-factor"]').innerText()).resolves.toBe('2');
    await expect(row.locator('td[data-col="under-replicated"]').innerText()).resolves.toBe('0');
    await b.shot('e2e-topics');

    await row.locator('th a').click();
    await page.locator('table.partitions tr[data-partition="2"]').waitFor({ timeout: 15_000 });
    // Leaders, replicas and ISR as librdkafka sees them.
    const meta = JSON.parse(await kcat(['-b', await bootstrap(), ...tlsArgs(ca()), '-L', '-J', '-t', TOPIC])) as {
      topics: { partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
    };
    for (const p of meta.topics[0].partitions) {
      const r = page.locator(`table.partitions tr[data-partition="${p.partition}"]`);
      const cell = (col: string) => r.locator(`td[data-col="${col}"]`).innerText();
      await expect(cell('leader')).resolves.toBe(String(p.leader));
      await expect(cell('replicas')).resolves.toBe(p.replicas.map((x) => x.id).join(', '));
      expect((await cell('isr')).split(', ').sort()).toEqual(p.isrs.map((x) => String(x.id)).sort());
      await expect(cell('earliest-offset')).resolves.toBe('0');
      await expect(cell('latest-offset')).resolves.toBe('20');
    }
    await b.shot('e2e-topic');

    // Edit topic: fewer partitions is refused with UpdateTopic's own message and changes nothing; then 4 and a config.
    await page.getByRole('button', { name: 'Edit topic' }).click();
    await page.locator('#edit-topic-partitions').fill('2');
    await page.locator('#edit-topic-dialog button[type="submit"]').click();
    await expect(page.locator('[data-testid="edit-topic-dialog-error"]').innerText()).resolves
      .toBe('BadRequestException: Topic currently has 3 partitions, which is higher than the requested 2.');
    await page.locator('#edit-topic-partitions').fill('4');
    await page.locator('#edit-topic-configs').fill('retention.ms=3600000');
    await b.shot('e2e-topic-edit');
    await page.locator('#edit-topic-dialog button[type="submit"]').click();
    await page.locator('.notice[role="status"]', { hasText: `UpdateTopic accepted the changes to ${TOPIC}.` }).waitFor({ timeout: 30_000 });
    await page.locator('table.partitions tr[data-partition="3"]').waitFor({ timeout: 15_000 });
    await page.locator('table.configs tr[data-config="retention.ms"] td', { hasText: '3600000' }).waitFor({ timeout: 15_000 });
    const after = JSON.parse(await kcat(['-b', await bootstrap(), ...tlsArgs(ca()), '-L', '-J', '-t', TOPIC])) as { topics: { partitions: unknown[] }[] };
    expect(after.topics[0].partitions).toHaveLength(4);

    await page.getByRole('link', { name: 'Messages of partition 1' }).click();
    await page.locator('table.messages tr[data-offset="19"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('table.messages tbody tr').count()).toBe(20);
    const last = page.locator('table.messages tr[data-offset="19"]');
    await expect(last.locator('td[data-col="key"]').innerText()).resolves.toBe('k1-19');
    await expect(last.locator('td[data-col="value"]').innerText()).resolves.toBe('end\\tof'); // the tab shown escaped
    await expect(last.locator('td[data-col="headers"]').innerText()).resolves.toContain('source');
    await expect(page.locator('table.messages tr[data-offset="0"] td[data-col="value"]').innerText()).resolves.toBe('v1-0');
    await b.shot('e2e-messages');
    await page.locator('#view-hex').check();
    await until('hex values', () => page.locator('table.messages tr[data-offset="0"] td[data-col="value"]').innerText(), (v) => v === '76 31 2d 30', 5000);
    await b.shot('e2e-messages-hex');
    expect(await unlabelledControls(page)).toEqual([]);
  }, 180_000);

  test('consumer groups: one that committed part of the topic shows its exact lag; a live one its member', async () => {
    const admin = new Admin({ clientId: 'console-e2e', bootstrapBrokers: (await bootstrap()).split(','), tls: { ca: readFileSync(ca(), 'utf8') }, tlsServerName: false });
    try {
      // The first group of a cluster makes __consumer_offsets; until it has leaders the coordinator is not available.
      await until('the offsets committed', () => admin.alterConsumerGroupOffsets({
        groupId: 'lagging', topics: [{ name: TOPIC, partitionOffsets: [{ partition: 0, offset: 5n }, { partition: 1, offset: 10n }] }],
      }).then(() => true), (ok) => ok, 60_000);
    } finally {
      await admin.close();
    }
    await tab('Consumer groups');
    await page.locator('table.groups tr[data-group="lagging"]').waitFor({ timeout: 30_000 });
    await page.locator('table.groups tr[data-group="lagging"] th a').click();
    await until('total lag 25', () => page.locator('[data-testid="total-lag"]').getAttribute('data-value'), (v) => v === '25', 30_000);
    const lag = await page.locator('table.lag tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-partition'),
      r.querySelector('[data-col="committed"]')?.textContent, r.querySelector('[data-col="end"]')?.textContent, r.querySelector('[data-col="lag"]')?.textContent]));
    expect(lag).toEqual([['0', '5', '20', '15'], ['1', '10', '20', '10']]);
    await b.shot('e2e-group-lagging');

    // A live consumer (librdkafka) in a group of its own: the group page shows it as a member with its partitions.
    const reader = spawn('kcat', ['-b', await bootstrap(), ...tlsArgs(ca()), '-G', 'live-readers', '-X', 'auto.offset.reset=earliest', '-q', TOPIC], { stdio: 'ignore' });
    try {
      await tab('Consumer groups');
      await page.locator('table.groups tr[data-group="live-readers"] th a').click({ timeout: 60_000 });
      await until('one member', () => page.locator('table.members tbody tr').count(), (n) => n === 1, 60_000);
      await expect(page.locator('table.members td[data-col="assignments"]').innerText()).resolves.toBe(`${TOPIC}: 0, 1, 2, 3`);
      await until('no lag once it read everything', () => page.locator('[data-testid="total-lag"]').getAttribute('data-value'), (v) => v === '0', 60_000);
      await b.shot('e2e-group-live');
    } finally {
      reader.kill('SIGTERM');
    }
  }, 240_000);

  test('metrics: the charts come from what the worker collects, and rise while a producer writes', async () => {
    await tab('Metrics');
    const latest = (metric: string) => page.locator(`figure[data-metric="${metric}"] [data-latest]`).getAttribute('data-latest', { timeout: 1000 }).then(Number);
    // Disk use per broker is collected from the start.
    await until('disk used', () => latest('KafkaDataLogsDiskUsed'), (v) => v > 0, 90_000);
    // The 60 messages written above: a few per second at most, averaged over their minute.
    const before = await latest('MessagesInPerSec').catch(() => 0);
    const producer = startProducer(await bootstrap(), tlsArgs(ca()), TOPIC, 5); // about 200 messages a second
    try {
      const rising = await until('messages in per second rising', () => latest('MessagesInPerSec'), (v) => v > Math.max(2 * before, 50), 150_000);
      await until('bytes in per second rising too', () => latest('BytesInPerSec'), (v) => v > rising * 5, 30_000); // each message is at least 10 bytes
      const legend = await page.locator('figure[data-metric="MessagesInPerSec"] .chart-legend li').evaluateAll((li) => li.map((l) => l.getAttribute('data-series')));
      expect(legend).toEqual(expect.arrayContaining(['Broker 1', 'Broker 2', 'Total']));
      await until('the lagging group on the lag chart', () => latest('SumOffsetLag'), (v) => v >= 25, 60_000);
      await b.shot('e2e-metrics');
    } finally {
      const { failed } = await producer.stop();
      expect(failed).toBe(0);
    }
  }, 300_000);

  test('topics: delete one, enabled only once its name is typed; the brokers no longer have it; internal topics on request', async () => {
    const doomed = 'scratch';
    await createTopic(doomed, 1);
    await page.getByRole('button', { name: `Delete topic ${doomed}` }).click({ timeout: 15_000 });
    await page.locator('#delete-topic-dialog[open]').waitFor({ timeout: 5000 });
    const submit = page.locator('#delete-topic-dialog button[type="submit"]');
    await page.locator('#delete-topic-confirm').fill('scratc');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.locator('#delete-topic-confirm').fill(doomed);
    await expect(submit.isDisabled()).resolves.toBe(false);
    await b.shot('e2e-topic-delete');
    await page.keyboard.press('Enter');
    await page.locator('.notice[role="status"]', { hasText: `Deleted topic ${doomed} (DELETING).` }).waitFor({ timeout: 30_000 });
    const names = async () => (JSON.parse(await kcat(['-b', await bootstrap(), ...tlsArgs(ca()), '-L', '-J'])) as { topics: { topic: string }[] }).topics.map((t) => t.topic);
    await until(`${doomed} gone from the brokers' metadata`, names, (n) => !n.includes(doomed) && n.includes(TOPIC), 30_000);
    await until(`${doomed} gone from the list`, () => page.locator(`table.topics tr[data-topic="${doomed}"]`).count(), (n) => n === 0, 30_000);
    // Internal topics on request (the groups above made __consumer_offsets): figures from the brokers, no Delete.
    await page.locator('#show-internal').check();
    const internal = page.locator('table.topics tr[data-topic="__consumer_offsets"]');
    await internal.waitFor({ timeout: 15_000 });
    const meta = JSON.parse(await kcat(['-b', await bootstrap(), ...tlsArgs(ca()), '-L', '-J', '-t', '__consumer_offsets'])) as { topics: { partitions: unknown[] }[] };
    await expect(internal.locator('td[data-col="partitions"]').innerText()).resolves.toBe(String(meta.topics[0].partitions.length));
    await until('its messages counted', () => internal.locator('td[data-col="messages"]').getAttribute('data-value'), (v) => Number(v) > 0, 15_000);
    expect(await internal.getByRole('button').count()).toBe(0);
    await b.shot('e2e-topics-internal');
    await page.locator('#show-internal').uncheck();
    await until('internal topics hidden again', () => internal.count(), (n) => n === 0, 15_000);
  }, 120_000);

  test('storage: the dialog passes on the API\'s refusal of a smaller size (nothing changes), then grows every broker', async () => {
    await tab('Overview');
    const before = await describe_();
    const opsBefore = (await operations()).length;
    // From the keyboard: the dialog opens with focus in its size field.
    await page.getByRole('button', { name: 'Edit storage' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#storage-dialog[open]').waitFor({ timeout: 5000 });
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('storage-size');
    await expect(page.locator('[data-testid="current-size"]').innerText()).resolves.toBe('10 GiB');
    await expect(page.locator('#storage-size').getAttribute('min')).resolves.toBe('11');
    await expect(page.locator('#storage-help').innerText()).resolves.toMatch(/can't be decreased/);
    await page.locator('#storage-size').fill('9');
    // The browser's own min check would stop the form: without it the API decides, as for any client.
    await page.locator('#storage-dialog form').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.locator('#storage-dialog button[type="submit"]').click();
    await expect(page.locator('[data-testid="storage-dialog-error"]').innerText()).resolves.toMatch(/^BadRequestException: The volume size can only be increased/);
    await b.shot('e2e-storage-refused');
    expect((await describe_()).CurrentVersion).toBe(before.CurrentVersion);
    expect((await operations()).length).toBe(opsBefore);

    await page.locator('#storage-size').fill('12');
    await page.keyboard.press('Enter'); // submits the dialog's form
    await page.waitForURL(/\/operations\/[^/]+$/);
    const op = page.locator('ol.timeline li.selected');
    await until('storage update complete', () => op.getAttribute('data-state'), (v) => v === 'UPDATE_COMPLETE', 120_000);
    expect(await op.getAttribute('data-type')).toBe('UPDATE_BROKER_STORAGE');
    expect((await stepsShown()).GROW_BROKER_VOLUMES).toEqual({ status: 'COMPLETED', progress: '2 of 2 brokers' });
    await b.shot('e2e-storage-done');
    await tab('Overview');
    await until('12 GiB on the overview', () => page.locator('[data-testid="volume-size"]').innerText(), (v) => v === '12 GiB', 30_000);
    // Every broker's log dir (DescribeLogDirs through the API) now has more than the old 10 GiB.
    await until('every broker larger than 10 GiB', () => page.locator('table.brokers [data-testid="disk"]')
      .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-total')))), (t) => t.length === 2 && t.every((x) => x > 10 * GIB && x <= 12 * GIB), 30_000);
    await b.shot('e2e-storage-overview');
  }, 240_000);

  test("reboot: a broker's Reboot button starts RebootBroker; its step shows 0 of 1, then 1 of 1", async () => {
    await tab('Overview');
    await page.getByRole('button', { name: 'Reboot broker 2' }).click();
    await page.locator('#reboot-dialog[open]').waitFor({ timeout: 5000 });
    await until('the dialog on broker 2', () => page.locator('#reboot-broker').inputValue(), (v) => v === '2', 5000);
    await page.locator('#reboot-dialog button[type="submit"]').click();
    await page.waitForURL(/\/operations\/[^/]+$/);
    const seen = new Set<string>();
    await until('reboot complete', async () => {
      const step = (await stepsShown()).REBOOT_BROKER;
      const now = step && `${step.status} ${step.progress}`;
      if (now && !seen.has(now) && step.status === 'IN_PROGRESS') await b.shot('e2e-reboot-progress');
      if (now) seen.add(now);
      return page.locator('ol.timeline li.selected').getAttribute('data-state');
    }, (v) => v === 'REBOOT_COMPLETE', 180_000);
    expect(seen).toContain('IN_PROGRESS 0 of 1 brokers');
    expect(seen).toContain('COMPLETED 1 of 1 brokers');
    expect(await page.locator('ol.timeline li.selected').getAttribute('data-type')).toBe('REBOOT_NODE');
    await b.shot('e2e-reboot-done');
  }, 240_000);

  test('delete: only once "delete" is typed; the cluster and its containers go', async () => {
    await tab('Overview');
    await until('ACTIVE again', state, (v) => v === 'ACTIVE', 60_000);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const submit = page.locator('#delete-dialog button[type="submit"]');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.locator('#delete-confirm').fill('delet');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.locator('#delete-confirm').fill('delete');
    await b.shot('e2e-delete-confirm');
    await submit.click();
    await until('DELETING', state, (v) => v === 'DELETING', 30_000);
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Clusters' }).click();
    // Listed first (the table is empty until ListClusters answers), then gone: the worker removes the row last.
    const row = page.locator(`table.clusters tr[data-arn="${arn}"]`);
    await until('the cluster listed as DELETING', () => row.count().then((n) => (n ? row.textContent() : '')), (t) => !!t?.includes('DELETING'), 30_000);
    await until('the cluster gone from the list', () => row.count(), (n) => n === 0, 120_000);
    const left = await dockerRuntime().listManaged({ [LABELS.cluster]: id });
    expect(left).toEqual([]);
    await b.shot('e2e-deleted');
  }, 180_000);

  test('no console errors beyond the refusal the test provoked; nothing asked of another origin', () => {
    const origin = new URL(s.url).origin;
    expect(b.requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
    expect(unexpectedErrors(b.consoleErrors, [400])).toEqual([]);
  });
});
