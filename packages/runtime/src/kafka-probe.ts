import { execFile } from 'node:child_process';
import { Socket } from 'node:net';

/** How a client reaches one listener: plaintext, or TLS trusting the cluster's CA. */
export interface ListenerAccess {
  bootstrap: string;
  tls?: { caPath: string };
}

export interface ClusterMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions: { partition: number; leader: number; replicas: number[]; isrs: number[] }[] }[];
}

/**
 * Cluster metadata as a real client sees it, through kcat (librdkafka): what "ready" and "in sync"
 * mean for openmsk. Rejects when the listener does not answer within `timeoutMs`.
 */
export function fetchMetadata(access: ListenerAccess, timeoutMs = 5000): Promise<ClusterMetadata> {
  const args = ['-b', access.bootstrap, '-L', '-J', '-m', String(Math.ceil(timeoutMs / 1000))];
  if (access.tls) args.push('-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${access.tls.caPath}`);
  return new Promise((resolve, reject) => {
    execFile('kcat', args, { timeout: timeoutMs + 2000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`kcat ${access.bootstrap}: ${(stderr || err.message).trim().split('\n').pop()}`));
      try {
        const raw = JSON.parse(stdout);
        resolve({
          brokers: (raw.brokers ?? []).map((b: { id: number; name: string }) => ({ id: b.id, name: b.name })),
          topics: (raw.topics ?? []).map((t: { topic: string; partitions?: unknown[] }) => ({
            topic: t.topic,
            partitions: (t.partitions ?? []).map((p: any) => ({
              partition: p.partition,
              leader: p.leader,
              replicas: (p.replicas ?? []).map((r: { id: number }) => r.id),
              isrs: (p.isrs ?? []).map((r: { id: number }) => r.id),
            })),
          })),
        });
      } catch (e) {
        reject(new Error(`kcat ${access.bootstrap}: unreadable metadata (${(e as Error).message})`));
      }
    });
  });
}

/** Partitions whose in-sync replicas are fewer than their replicas. */
export function underReplicated(m: ClusterMetadata): string[] {
  return m.topics.flatMap((t) => t.partitions.filter((p) => p.isrs.length < p.replicas.length).map((p) => `${t.topic}-${p.partition}`));
}

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
