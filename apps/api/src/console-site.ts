/**
 * The web console (apps/console, a Vite build) served as static files under `/console/`. The console is a client
 * like any other: it calls the public MSK REST API on this origin with the bearer token, and nothing here gives it
 * anything a client with that token could not get.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Where `npm run build -w @openmsk/console` writes the console (apps/console/dist). */
export const CONSOLE_DIST = join(__dirname, '..', '..', 'console', 'dist');

// Only this origin: the console loads no CDN, font or script from elsewhere, and calls only this API.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
  + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

const MISSING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>openmsk console: not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body><h1>The console is not built</h1>
<p>This API found no <code>apps/console/dist/index.html</code>. <code>npm start</code> and <code>npm test</code> build it
during set-up; to build it by hand run <code>npm run build -w @openmsk/console</code> from the repository root, then
restart the API.</p><p><a href="/">Back to the landing page</a></p></body></html>`;

function security(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff');
}

/** Registers `/console/` (static files, every other `/console/*` path answering index.html); 503 when not built. */
export async function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIST): Promise<void> {
  app.get('/console', async (_req, reply) => reply.redirect('/console/'));
  if (!existsSync(join(dir, 'index.html'))) {
    const missing = async (_req: unknown, reply: FastifyReply) =>
      reply.code(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(MISSING_PAGE);
    app.get('/console/', missing);
    app.get('/console/*', missing);
    return;
  }
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply) => { security(reply); });
    await scope.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      index: ['index.html'],
      // Vite names assets by content hash: they never change; index.html must be revalidated to find new ones.
      setHeaders: (reply, path) => {
        reply.header('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
      cacheControl: false,
    });
    // A deep link into the single-page app (/console/clusters/new) gets the app, which routes itself.
    scope.setNotFoundHandler((req, reply) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply.code(405).send({ message: 'The console serves GET only.' });
      if (/^\/console\/assets\//.test(req.url)) return reply.code(404).type('text/plain').send('Not found');
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }, { prefix: '/console' });
}
