/**
 * Benchmark child: a bare fastify server (the API's own fastify) answering GETs with fixed JSON bodies — the
 * ceiling for "HTTP + fastify routing + send" on this machine, no auth, no database.
 *
 * Parent → child (IPC): { type: 'bodies', bodies: { [path]: string } }, then { type: 'close' }.
 * Child → parent (IPC): { type: 'ready', url } or { type: 'error', message }.
 */
import Fastify from 'fastify';

async function start(bodies: Record<string, string>) {
  const app = Fastify({ logger: false });
  for (const [path, body] of Object.entries(bodies)) {
    app.get(path, async (_req, reply) => reply.type('application/json').send(body));
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const close = () => {
    setTimeout(() => process.exit(0), 2000).unref();
    app.close().finally(() => process.exit(0));
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'close') close();
  });
  process.on('disconnect', close);
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
}

process.once('message', (m: { type?: string; bodies?: Record<string, string> }) => {
  if (m?.type === 'close') process.exit(0);
  if (m?.type !== 'bodies' || !m.bodies) {
    process.send?.({ type: 'error', message: 'expected { type: "bodies" } first' });
    process.exit(1);
  }
  start(m.bodies).catch((e: Error) => {
    process.send?.({ type: 'error', message: e.stack ?? e.message });
    process.exit(1);
  });
});
process.once('disconnect', () => process.exit(0));
