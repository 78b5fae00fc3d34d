/**
 * The web console in a real browser (Debian's Chromium driven by playwright-core) against the real API: sign in with
 * the token, see a cluster made through the SDK in the table, have CreateCluster refuse the form and show its message
 * beside the field it names (nothing created), create one from the form, sign out; a wrong token and a token the API
 * stops accepting mid-session both show sign-in and no cluster name. No worker runs: clusters stay CREATING.
 * Screenshots go to test-artifacts/console/; the browser's console must stay free of errors.
 */
import {
  CreateClusterCommand, CreateConfigurationCommand, DescribeClusterOperationCommand, ListKafkaVersionsCommand, UpdateConfigurationCommand,
} from '@aws-sdk/client-kafka';
import type { Page } from 'playwright-core';
import { accountService, hashToken } from '@openmsk/db';
import { BROKER_MULTIPLE_MESSAGE, INVALID_CHARACTERS_MESSAGE } from '@openmsk/domain';
import { openBrowser, signIn as signInWith, unexpectedErrors, unlabelledControls, type Browser } from './browser';
import { startApi, type Harness } from './harness';

const SUBNETS = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d', 'subnet-2a3b4c5d'];

let h: Harness;
let b: Browser;
let page: Page;

beforeAll(async () => {
  h = await startApi();
  b = await openBrowser();
  page = b.page;
}, 120_000);
afterAll(async () => {
  await b?.close();
  await h?.close();
});

const shot = (name: string) => b.shot(name);
const clusterCount = () => h.db.cluster.count();
const row = (name: string) => page.locator('table.clusters tbody tr', { has: page.getByRole('link', { name, exact: true }) });
const signIn = (token: string) => signInWith(page, token);

describe('web console in Chromium', () => {
  let version: string;
  let configArn: string;

  test('the landing page links to the console; the console opens on sign-in', async () => {
    const versions = await h.client().send(new ListKafkaVersionsCommand({}));
    version = versions.KafkaVersions!.filter((v) => v.Status === 'ACTIVE').at(-1)!.Version!;
    await h.client().send(new CreateClusterCommand({
      ClusterName: 'sdk-made', KafkaVersion: version, NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: { ClientSubnets: SUBNETS, InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
    }));

    const config = await h.client().send(new CreateConfigurationCommand({
      Name: 'console-config', ServerProperties: new Uint8Array(Buffer.from('auto.create.topics.enable=false\n')),
    }));
    configArn = config.Arn!;

    await page.goto(`${h.url}/`);
    await page.click('a[href="/console/"]');
    await page.waitForURL(`${h.url}/console/`);
    await expect(page.locator('label[for="token"]').textContent()).resolves.toBe('API token');
    expect(await page.locator('body').innerText()).not.toContain('sdk-made');
    await shot('sign-in');
  });

  test('signed in, the table shows the SDK-made cluster with its facts and estimated cost', async () => {
    await signIn(h.token);
    const r = row('sdk-made');
    await r.waitFor({ timeout: 15_000 });
    const cells = (await r.locator('th, td').allInnerTexts()).map((t) => t.trim());
    // name, state, version, brokers, instance type, storage, created, cost: 3 × ($0.21 + 100 GB × $0.10 / 730 h)
    expect(cells).toEqual(['sdk-made', 'CREATING', version, '3', 'kafka.m5.large', '100 GiB', expect.any(String), '$0.671/h']);
    expect(cells[6]).not.toBe('—');
    await expect(page.locator('#price-note').innerText()).resolves.toMatch(/\$0\.21 per broker-hour.*\$0\.10 per GB-month.*recorded 2026-12-03/);
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(1);
    await shot('clusters');
  });

  test('CreateCluster refuses the form: its message beside the field it names, nothing created', async () => {
    const before = await clusterCount();
    await page.getByRole('button', { name: 'Create cluster' }).click();
    await page.waitForURL(`${h.url}/console/clusters/new`);
    await page.locator(`#version option[value="${version}"]`).waitFor({ state: 'attached' }); // from ListKafkaVersions
    await expect(page.locator('#version').inputValue()).resolves.toBe(version);
    // Every control is labelled by a <label for>.
    expect(await unlabelledControls(page)).toEqual([]);
    await page.locator('#name').fill('bad name!');
    await page.locator('form.create button[type="submit"]').click();
    await expect(page.locator('#name-error').innerText()).resolves.toContain(INVALID_CHARACTERS_MESSAGE);
    await expect(page.locator('#name').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('create-error-name');

    await page.locator('#name').fill('console-made');
    await page.locator('#brokers').fill('4'); // three zones
    await page.locator('form.create button[type="submit"]').click();
    await expect(page.locator('#brokers-error').innerText()).resolves.toContain(BROKER_MULTIPLE_MESSAGE);
    await expect(page.locator('#name-error').count()).resolves.toBe(0);
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('brokers'); // focus moves to the field at fault
    await shot('create-error-brokers');
    expect(await clusterCount()).toBe(before);
  });

  test('a good form creates the cluster and the table shows it', async () => {
    const before = await clusterCount();
    await page.locator('#brokers').fill('3');
    await expect(page.locator('#brokers-error').count()).resolves.toBe(0); // editing the field clears its error
    await page.locator('#storage').fill('50');
    await page.locator('#auth-scram').check();
    await page.locator('#configuration').selectOption({ label: 'console-config' }); // from ListConfigurations
    await expect(page.locator('#revision').inputValue()).resolves.toBe('1');
    await shot('create-form');
    await page.locator('form.create button[type="submit"]').click();
    // As MSK's console does, the new cluster's page opens: here on its operations, the CREATE one PENDING (no worker).
    await page.waitForURL(/\/console\/clusters\/[^/]+\/operations$/);
    expect(await clusterCount()).toBe(before + 1);
    const stored = await h.db.cluster.findFirstOrThrow({ where: { name: 'console-made' } });
    expect(decodeURIComponent(page.url().split('/').at(-2)!)).toBe(stored.arn);
    await expect(page.locator('#cluster-title').innerText()).resolves.toBe('console-made');
    await expect(page.locator('[data-testid="cluster-state"]').innerText()).resolves.toBe('CREATING');
    await page.locator('ol.timeline li[data-type="CREATE"]').waitFor({ timeout: 15_000 });
    await shot('created-operations');
    expect(stored.state).toBe('CREATING');
    expect(stored.configurationArn).toBe(configArn);
    // The configuration tab names it and its revision; the update actions wait for ACTIVE.
    await page.getByRole('navigation', { name: 'Cluster sections' }).getByRole('link', { name: 'Configuration' }).click();
    await page.locator('[data-testid="configuration"]', { hasText: 'Configuration console-config, revision 1' }).waitFor({ timeout: 15_000 });
    // A newer revision: the diff shows what applying it would change, key by key.
    await h.client().send(new UpdateConfigurationCommand({
      Arn: configArn, ServerProperties: new Uint8Array(Buffer.from('auto.create.topics.enable=true\nlog.retention.hours=48\n')),
    }));
    await page.getByRole('navigation', { name: 'Cluster sections' }).getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('navigation', { name: 'Cluster sections' }).getByRole('link', { name: 'Configuration' }).click();
    await page.locator('table.diff tr[data-key="log.retention.hours"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('#diff-from').inputValue()).resolves.toBe('1');
    await expect(page.locator('#diff-to').inputValue()).resolves.toBe('2');
    const diff = await page.locator('table.diff tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-key'), r.getAttribute('data-kind'), (r as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim()]));
    expect(diff).toEqual([
      ['auto.create.topics.enable', 'changed', 'auto.create.topics.enable false true'],
      ['log.retention.hours', 'added', 'log.retention.hours not set 48'],
    ]);
    await shot('cluster-configuration-diff');
    await page.getByRole('navigation', { name: 'Cluster sections' }).getByRole('link', { name: 'Overview' }).click();
    await expect(page.getByRole('button', { name: 'Edit storage' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid="volume-size"]').innerText()).resolves.toBe('50 GiB');
    await shot('cluster-overview-creating');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Clusters' }).click();
    await page.waitForURL(`${h.url}/console/`);
    await row('console-made').waitFor({ timeout: 15_000 });
    const cells = (await row('console-made').locator('th, td').allInnerTexts()).map((t) => t.trim());
    expect(cells.slice(0, 6)).toEqual(['console-made', 'CREATING', version, '3', 'kafka.m5.large', '50 GiB']);
    await shot('created');
  });

  test('the update dialogs send what MSK\'s operations take: broker count, broker type, configuration, version', async () => {
    const made = await h.client().send(new CreateClusterCommand({
      ClusterName: 'dialogs', KafkaVersion: '3.9.x.kraft', NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { ClientSubnets: SUBNETS.slice(0, 2), InstanceType: 'kafka.m5.large', StorageInfo: { EbsStorageInfo: { VolumeSize: 20 } } },
    }));
    const cluster = await h.db.cluster.findUniqueOrThrow({ where: { arn: made.ClusterArn! } });
    // No worker runs here: the rows are set as a finished operation leaves them, so the API takes updates. The API's
    // own checks are real; what each dialog sent is read back through DescribeClusterOperation.
    const settle = async () => {
      await h.db.clusterOperation.updateMany({ where: { clusterId: cluster.id, endTime: null }, data: { operationState: 'UPDATE_COMPLETE', endTime: new Date() } });
      await h.db.cluster.update({ where: { id: cluster.id }, data: { state: 'ACTIVE', activeOperationArn: null } });
    };
    await settle();
    await page.goto(`${h.url}/console/clusters/${encodeURIComponent(cluster.arn)}/overview`);
    const started = async (dialog: string, button: string, fill: () => Promise<void>) => {
      await page.locator('[data-testid="cluster-state"]', { hasText: 'ACTIVE' }).waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: button, exact: true }).click();
      await page.locator(`#${dialog}[open]`).waitFor({ timeout: 5000 });
      await fill();
      await shot(`dialog-${dialog}`);
      await page.locator(`#${dialog} button[type="submit"]`).click();
      await page.waitForURL(/\/operations\/[^/]+$/);
      const op = await h.db.clusterOperation.findFirstOrThrow({ where: { clusterId: cluster.id, endTime: null } });
      const described = (await h.client().send(new DescribeClusterOperationCommand({ ClusterOperationArn: op.arn }))).ClusterOperationInfo!;
      await settle();
      // Loaded afresh: the next dialog sends the currentVersion this update left.
      await page.goto(`${h.url}/console/clusters/${encodeURIComponent(cluster.arn)}/overview`);
      return described;
    };

    // Broker count: one more broker per zone is offered.
    const count = await started('count-dialog', 'Edit broker count', async () => {
      await expect(page.locator('#broker-count').inputValue()).resolves.toBe('4');
    });
    expect([count.OperationType, count.TargetClusterInfo?.NumberOfBrokerNodes]).toEqual(['INCREASE_BROKER_COUNT', 4]);

    const type = await started('type-dialog', 'Edit broker type', async () => {
      await expect(page.locator('#broker-type').inputValue()).resolves.toBe('kafka.m5.large');
      await page.locator('#broker-type').selectOption('kafka.m5.xlarge');
    });
    expect([type.OperationType, type.TargetClusterInfo?.InstanceType]).toEqual(['UPDATE_BROKER_TYPE', 'kafka.m5.xlarge']);

    // The configuration's latest revision is offered (the test above made revision 2).
    const config = await started('configuration-dialog', 'Edit configuration', async () => {
      await page.locator('#config-arn').selectOption({ label: 'console-config' });
      await expect(page.locator('#config-revision').inputValue()).resolves.toBe('2');
    });
    expect([config.OperationType, config.TargetClusterInfo?.ConfigurationInfo]).toEqual(['UPDATE_CLUSTER_CONFIGURATION', { Arn: configArn, Revision: 2 }]);

    // The targets are GetCompatibleKafkaVersions' for 3.9.x.kraft.
    const upgrade = await started('version-dialog', 'Upgrade Kafka version', async () => {
      await page.locator('#target-version option[value="4.1.x.kraft"]').waitFor({ state: 'attached', timeout: 5000 });
      expect(await page.locator('#target-version option').evaluateAll((o) => o.map((x) => x.getAttribute('value')))).toEqual(['4.1.x.kraft']);
    });
    expect([upgrade.OperationType, upgrade.TargetClusterInfo?.KafkaVersion]).toEqual(['UPDATE_CLUSTER_KAFKA_VERSION', '4.1.x.kraft']);
    expect(await h.db.clusterOperation.count({ where: { clusterId: cluster.id } })).toBe(5); // CREATE and the four
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Clusters' }).click();
    await page.waitForURL(`${h.url}/console/`);
  });

  test('sign out returns to sign-in and forgets the token', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    expect(await page.content()).not.toContain('sdk-made');
    await shot('signed-out');
  });

  test('a wrong token shows sign-in with the API\'s refusal and no data', async () => {
    await signIn('omsk_not-a-real-token');
    await expect(page.locator('#signin-error').innerText()).resolves.toMatch(/refused the token \(UnrecognizedClientException\)/);
    const html = await page.content();
    expect(html).not.toContain('sdk-made');
    expect(html).not.toContain('console-made');
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await shot('wrong-token');
  });

  test('a token revoked while the table is open: the next refresh drops back to sign-in, never data', async () => {
    const second = await accountService(h.db, h.box).createApiToken(h.accountId, 'console-revoked');
    await page.locator('#token').fill('');
    await signIn(second);
    await row('sdk-made').waitFor({ timeout: 15_000 });
    await h.db.apiToken.delete({ where: { tokenHash: hashToken(second) } });
    await page.locator('#signin-error').waitFor({ timeout: 15_000 }); // the table refreshes every 5 s
    const html = await page.content();
    expect(html).not.toContain('sdk-made');
    expect(html).not.toContain('console-made');
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await shot('revoked-token');
  });

  test('a stored token the API no longer accepts, on reload: sign-in, never data', async () => {
    // A session whose token is no longer valid (revoked or expired): the first call's 403 ends it.
    await page.evaluate(`sessionStorage.setItem('openmsk.console.token', 'omsk_revoked-token')`);
    await page.goto(`${h.url}/console/`);
    await page.locator('#signin-error').waitFor({ timeout: 15_000 });
    const html = await page.content();
    expect(html).not.toContain('sdk-made');
    expect(html).not.toContain('console-made');
    await expect(page.evaluate('sessionStorage.length')).resolves.toBe(0);
    await shot('expired-token');
  });

  test('only this origin was asked for anything; no console errors beyond the refusals the tests provoked', async () => {
    const origin = new URL(h.url).origin;
    expect(b.requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    // Chromium logs every non-2xx fetch as "Failed to load resource"; the 400s (refused forms), 403s (bad tokens) and
    // 503s (the brokers endpoint of the "dialogs" cluster, which has no brokers running) above are the API's deliberate
    // answers. Anything else is an error of the console.
    expect(unexpectedErrors(b.consoleErrors, [400, 403, 503])).toEqual([]);
  });
});
