/**
 * Debian's Chromium driven by playwright-core, as the console's browser tests use it: a fresh profile, the flags that
 * keep it off the closed network, every console error and request recorded, screenshots in test-artifacts/console/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_DIST } from '../src/console-site';

const CHROMIUM = '/usr/bin/chromium';
// Without these, Chromium floods the closed network with background requests.
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts', 'console');

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Everything the page logged as an error, and every uncaught exception. */
  consoleErrors: string[];
  /** Every URL the page requested. */
  requested: string[];
  /** A full-page screenshot, test-artifacts/console/<name>.png. */
  shot: (name: string) => Promise<void>;
  close: () => Promise<void>;
}

/** Opens Chromium on a fresh profile; refuses at once when there is no console build to test. */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(join(CONSOLE_DIST, 'index.html'))) throw new Error(`no console build in ${CONSOLE_DIST}: run npm run build -w @openmsk/console`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'openmsk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors: string[] = [];
  const requested: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.text()} @ ${m.location().url}`); });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => requested.push(r.url()));
  return {
    page,
    context,
    consoleErrors,
    requested,
    shot: async (name) => { await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }); },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in on the console's sign-in page from the keyboard. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.locator('label[for="token"]').waitFor();
  await page.locator('#token').fill(token);
  await page.keyboard.press('Enter');
}

/** Controls without a `<label for>` on the page now (every control must have one). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !el.id || !document.querySelector('label[for="' + el.id + '"]')).map((el) => el.outerHTML)`) as Promise<string[]>;
}

/**
 * Console errors other than Chromium's "Failed to load resource" for the statuses a test provoked on purpose (it logs
 * every non-2xx fetch): anything left is an error of the console.
 */
export function unexpectedErrors(errors: string[], provoked: number[]): string[] {
  const re = new RegExp(`^Failed to load resource: the server responded with a status of (${provoked.join('|')}) `);
  return errors.filter((e) => provoked.length === 0 || !re.test(e));
}
