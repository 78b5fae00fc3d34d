/**
 * /console/ without the real app: a missing build answers a 503 page saying how to build it; a built one serves its
 * files, answers index.html for deep links (the app routes itself) and 404 for a missing asset.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerConsole } from '../src/console-site';

/** The console routes alone on a real port (light-my-request's inject pulls an ESM-only module jest cannot load). */
async function appFor(dir: string) {
  const app = Fastify();
  await registerConsole(app, dir);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const get = async (path: string) => {
    const res = await fetch(url + path, { redirect: 'manual' });
    return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };
  return { get, close: () => app.close() };
}

test('no build: /console/ and deep links answer 503 with how to build it', async () => {
  const app = await appFor(join(tmpdir(), 'openmsk-no-console-here'));
  for (const url of ['/console/', '/console/clusters/new']) {
    const res = await app.get(url);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build -w @openmsk/console');
  }
  expect((await app.get('/console')).headers.location).toBe('/console/');
  await app.close();
});

test('built: files, the SPA fallback to index.html, 404 for a missing asset, a same-origin CSP', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'openmsk-console-'));
  let app: Awaited<ReturnType<typeof appFor>> | undefined;
  try {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    app = await appFor(dir);
    const index = await app.get('/console/');
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>console</title>');
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    const asset = await app.get('/console/assets/app-1234.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const deep = await app.get('/console/clusters/new');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>console</title>');
    expect((await app.get('/console/assets/gone.js')).statusCode).toBe(404);
  } finally {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
