import { Socket } from 'node:net';
import * as zookeeper from 'node-zookeeper-client';

/** A ZooKeeper four-letter command's answer over the plaintext client port; '' when the node does not answer in time. */
function fourLetterWord(host: string, port: number, command: 'ruok' | 'srvr', timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const s = new Socket();
    let answer = '';
    s.setTimeout(timeoutMs, () => {
      answer = '';
      s.destroy();
    });
    s.once('error', () => s.destroy());
    s.on('data', (d) => (answer += d.toString()));
    s.once('close', () => resolve(answer));
    s.connect(port, host, () => s.end(command));
  });
}

/** ZooKeeper's four-letter `ruok`: true when the server answers `imok`. */
export const zookeeperOk = async (host: string, port: number, timeoutMs = 2000) => (await fourLetterWord(host, port, 'ruok', timeoutMs)).trim() === 'imok';

/** A ZooKeeper node is in the ensemble: `srvr` reports it as leader or follower (not looking for one). */
export const zookeeperServing = async (host: string, port: number, timeoutMs = 2000) =>
  /^Mode: (leader|follower)$/m.test(await fourLetterWord(host, port, 'srvr', timeoutMs));

/**
 * The longest one check may take before it counts as failed and the next one starts. A call that never answers (a
 * Docker request sent as the engine stopped, a connection to a node that vanished) must not hold the wait past its
 * deadline or stop it from trying again once the engine is back.
 */
export const CHECK_TIMEOUT_MS = 60_000;

/** Polls `check` until it returns true or `timeoutMs` passes; no fixed sleeps beyond the poll interval. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250, checkTimeoutMs = CHECK_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const limit = Math.max(1000, Math.min(checkTimeoutMs, deadline - Date.now()));
    const hung = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`a check did not answer within ${Math.round(limit / 1000)} s`)), limit);
    });
    try {
      if (await Promise.race([check(), hung])) return;
    } catch (e) {
      last = e;
    } finally {
      clearTimeout(timer);
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not ready after ${Math.round(timeoutMs / 1000)} s${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Removes what a ZooKeeper-mode broker known to be dead (its container is not running) still holds in ZooKeeper: its
 * registration (`/brokers/ids/<id>`) and, when it was the controller, `/controller`. Both are ephemeral nodes of its
 * session, which outlives the process until it expires (18 s by default): until then the controller counts the broker
 * as alive (its partitions keep it as leader and in the ISR), a dead controller is not replaced, and a restarted broker
 * with the same id exits at once ("node already exists"). Deleting them is what the session expiry would do, minus
 * the wait: a new controller is elected, leadership moves off the dead broker, and the restarted one registers on its
 * first try. Returns the paths removed.
 */
export async function removeStaleBrokerRegistration(
  connect: string,
  brokerId: number,
  opts: { timeoutMs?: number; auth?: { user: string; password: string } } = {},
): Promise<string[]> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const client = zookeeper.createClient(connect, { sessionTimeout: Math.max(timeoutMs, 4000), retries: 0 });
  // A digest user (ZooKeeper's `addauth digest`), sent with the connection: ZooKeeper's super user passes every ACL.
  if (opts.auth) client.addAuthInfo('digest', Buffer.from(`${opts.auth.user}:${opts.auth.password}`));
  const call = <T>(f: (done: (err: Error | zookeeper.Exception | null, v?: T) => void) => void) =>
    new Promise<T | undefined>((resolve, reject) => f((err, v) => {
      if (!err) resolve(v);
      else if (err instanceof zookeeper.Exception && err.getCode() === zookeeper.Exception.NO_NODE) resolve(undefined);
      else reject(new Error(String(err)));
    }));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        client.once('connected', () => resolve());
        client.connect();
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`ZooKeeper at ${connect} did not answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const removed: string[] = [];
    const registration = `/brokers/ids/${brokerId}`;
    if (await call<Buffer>((done) => client.getData(registration, (e, d) => done(e, d)))) {
      await call((done) => client.remove(registration, -1, (e) => done(e)));
      removed.push(registration);
    }
    const controller = await call<Buffer>((done) => client.getData('/controller', (e, d) => done(e, d)));
    if (controller && (JSON.parse(controller.toString()) as { brokerid?: number }).brokerid === brokerId) {
      await call((done) => client.remove('/controller', -1, (e) => done(e)));
      removed.push('/controller');
    }
    return removed;
  } finally {
    clearTimeout(timer);
    client.close();
  }
}
