/**
 * Swagger UI works on the first try, in a real browser (Debian's Chromium driven by playwright-core): open
 * /docs, authorize with the token, run CreateConfiguration and CreateCluster with their examples unedited,
 * DescribeCluster and ListClusterOperations with the pasted ARN, DeleteCluster; each answers 2xx. Screenshots
 * go to test-artifacts/swagger-ui/ with the token masked.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startApi, type Harness } from './harness';

const CHROMIUM = '/usr/bin/chromium';
// Without these, Chromium floods the closed network with background requests.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'swagger-ui');

let h: Harness;
let context: BrowserContext;
let page: Page;
let profile: string;
beforeAll(async () => {
  h = await startApi();
  mkdirSync(ARTIFACTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), 'openmsk-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  page = context.pages()[0] ?? await context.newPage();
}, 120_000);
afterAll(async () => {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await h.close();
});

/** A screenshot with the token replaced by a placeholder wherever Swagger UI shows it (the curl line). */
async function screenshot(name: string) {
  // Runs in the page (a string, so this file needs no DOM typings).
  await page.evaluate(`(() => {
    const token = ${JSON.stringify(h.token)};
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeValue && n.nodeValue.includes(token)) n.nodeValue = n.nodeValue.split(token).join('<token>');
    }
  })()`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
}

const operation = (id: string): Locator => page.locator(`.opblock:has(.opblock-summary-operation-id:text-is("${id}"))`);

/** Expands an operation, presses "Try it out", fills what `fill` says, executes, returns status and body. */
async function run(id: string, fill: (op: Locator) => Promise<void> = async () => {}): Promise<{ status: number; body: string }> {
  const op = operation(id);
  await op.locator('.opblock-summary').first().click();
  await op.locator('button.try-out__btn').click();
  await fill(op);
  await op.locator('button.execute').click();
  const status = op.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 15_000 });
  const body = (await op.locator('.live-responses-table .response-col_description pre').first().textContent()) ?? '';
  await op.scrollIntoViewIfNeeded();
  await screenshot(id);
  const result = { status: Number((await status.textContent())!.trim()), body };
  await op.locator('.opblock-summary').first().click(); // collapse again
  return result;
}

describe('Swagger UI in Chromium', () => {
  test('the landing page leads to the docs; the header is openmsk', async () => {
    await page.goto(`${h.url}/`);
    expect(await page.title()).toBe('openmsk');
    await expect(page.locator('a[href="/docs"]').count()).resolves.toBe(1);
    await screenshot('landing');
    await page.click('a[href="/docs"]');
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('openmsk — API docs');
    const logo = await page.locator('.topbar img').first().getAttribute('src');
    expect(logo).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(logo!.split(',')[1], 'base64').toString('utf8')).toContain('openmsk');
    await screenshot('docs');
  });

  test('authorize with the token: the dialog says where it lives; it survives a reload', async () => {
    await page.click('.auth-wrapper button.authorize');
    const dialog = page.locator('.modal-ux');
    await expect(dialog.locator('text=.openmsk/token').count()).resolves.toBeGreaterThan(0);
    await expect(dialog.locator('input').count()).resolves.toBe(1); // one scheme: the bearer token
    await screenshot('authorize'); // before the token is typed: a screenshot never shows it
    await dialog.locator('input').fill(h.token);
    await dialog.locator('.auth-btn-wrapper button.authorize').click();
    await dialog.locator('button.btn-done').click();
    await page.reload();
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    await expect(page.locator('.auth-wrapper button.authorize.locked').count()).resolves.toBe(1);
  });

  test('CreateConfiguration, CreateCluster (examples unedited), Describe, ListClusterOperations, Delete: all 2xx', async () => {
    const config = await run('CreateConfiguration');
    expect(config).toMatchObject({ status: 200 });
    const created = await run('CreateCluster');
    expect(created.status).toBe(200);
    const arn = JSON.parse(created.body).clusterArn as string;
    expect(arn).toMatch(/^arn:aws:kafka:us-east-1:\d{12}:cluster\/demo\//);

    const pasteArn = async (op: Locator) => { await op.locator('tr[data-param-name="ClusterArn"] input').fill(arn); };
    const described = await run('DescribeCluster', pasteArn);
    expect(described.status).toBe(200);
    expect(JSON.parse(described.body).clusterInfo).toMatchObject({ clusterArn: arn, state: 'CREATING' });
    const ops = await run('ListClusterOperations', pasteArn);
    expect(ops.status).toBe(200);
    expect(JSON.parse(ops.body).clusterOperationInfoList[0]).toMatchObject({ clusterArn: arn, operationType: 'CREATE' });
    const deleted = await run('DeleteCluster', pasteArn);
    expect(deleted.status).toBe(200);
    expect(JSON.parse(deleted.body)).toEqual({ clusterArn: arn, state: 'DELETING' });

    const row = await h.db.cluster.findUniqueOrThrow({ where: { arn } });
    expect(row.state).toBe('DELETING');
  });
});
