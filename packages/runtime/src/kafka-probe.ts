import { Socket } from 'node:net';

/** ZooKeeper's four-letter `ruok`: true when the server answers `imok`. */
export function zookeeperOk(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let answer = '';
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.on('data', (d) => (answer += d.toString()));
    s.once('close', () => resolve(answer.trim() === 'imok'));
    s.connect(port, host, () => s.end('ruok'));
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes; no fixed sleeps beyond the poll interval. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not ready after ${Math.round(timeoutMs / 1000)} s${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
