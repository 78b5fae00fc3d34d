/**
 * `npm run bench:api` — requests/s and p50/p99 of DescribeCluster and ListClusters against the real openmsk API
 * (1,000 clusters stored, SigV4 on, 32 concurrent keep-alive connections), beside a bare-fastify baseline serving
 * bodies of the same size, measured in the same run. Prints a table and writes bench/results/api-latest.json.
 *
 * Processes: the API (bench/servers/openmsk.ts) and the baseline (bench/servers/baseline.ts) run as children;
 * this process only generates load (node:http, pre-signed requests) so that its CPU stays low on a 2-core box.
 * Everything is torn down at the end, on error, on Ctrl-C, and by a hard deadline: children, database, queue, temp dir.
 *
 * Knobs (env): BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONCURRENCY (32), BENCH_CLUSTERS (1000),
 * BENCH_OPS (DescribeCluster,ListClusters), BENCH_CPU_PROF=1 (write a .cpuprofile of the API child to bench/results/prof/),
 * OPENMSK_LOG_LEVEL (warn).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CreateClusterCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { SignatureV4 } from '@smithy/signature-v4';
import { Queue } from 'bullmq';
import { Client as PgClient } from 'pg';
import { loadConfig } from '@openmsk/config';
import { dropDatabase } from '@openmsk/db';
import { redisConnection, OPERATIONS_QUEUE } from '@openmsk/queue';

const num = (name: string, dflt: number) => {
  const v = Number(process.env[name] ?? dflt);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const DURATION_S = num('BENCH_DURATION_S', 10);
const WARMUP_S = num('BENCH_WARMUP_S', 2);
const CONCURRENCY = num('BENCH_CONCURRENCY', 32);
const CLUSTERS = num('BENCH_CLUSTERS', 1000);
const LIST_PAGE = 100;
const OPS = (process.env.BENCH_OPS ?? 'DescribeCluster,ListClusters').split(',').map((s) => s.trim());
// The whole run stays under 2 minutes: rows must end by DEADLINE_MS, and teardown is bounded (≤ ~22 s, see cleanup()).
const DEADLINE_MS = 95_000;
const SETUP_ALLOWANCE_S = 35; // children, migrations, 1,000 CreateCluster calls, pre-signing
if (SETUP_ALLOWANCE_S + OPS.length * 2 * (WARMUP_S + DURATION_S) > DEADLINE_MS / 1000) {
  throw new Error(`BENCH_WARMUP_S + BENCH_DURATION_S too long: ${OPS.length * 2} rows must fit in ${DEADLINE_MS / 1000 - SETUP_ALLOWANCE_S} s`);
}
const TARGET = { describeRps: 3000, describeP99Ms: 20 };
const REGION = 'us-east-1';

const RESULTS_DIR = join(__dirname, 'results');
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

// ---------------------------------------------------------------------------------------------------------------
// children and teardown

const suffix = randomBytes(4).toString('hex');
const dbUrl = (() => {
  const u = new URL(loadConfig().OPENMSK_DATABASE_URL);
  u.pathname = `/openmsk_bench_${suffix}`;
  return u.toString();
})();
const queuePrefix = `openmsk-bench-${suffix}`;
const home = mkdtempSync(join(tmpdir(), 'openmsk-bench-'));
const children: ChildProcess[] = [];
let serverStarted = false;

interface Ready {
  type: 'ready';
  url: string;
  accountId?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

function startChild(script: string, env: Record<string, string>, execArgv: string[] = []): { child: ChildProcess; ready: Promise<Ready> } {
  // fork() inherits this process's execArgv, i.e. tsx's loader, so the child runs TypeScript too.
  const child = fork(join(__dirname, 'servers', script), [], {
    env: { ...process.env, ...env },
    execArgv: [...process.execArgv, ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: { type?: string; message?: string }) => {
      if (m?.type === 'ready') resolve(m as Ready);
      else if (m?.type === 'error') reject(new Error(`${script}: ${m.message}`));
    });
    child.once('exit', (code, signal) => reject(new Error(`${script} exited early (code ${code}, signal ${signal})`)));
  });
  ready.catch(() => {}); // awaited by main(); this only keeps an unawaited failure (during teardown) from crashing us
  return { child, ready };
}

const exited = (c: ChildProcess, ms: number) =>
  c.exitCode !== null || c.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });

let cleaned: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaned ??= (async () => {
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null && c.connected) c.send({ type: 'close' }, () => {});
    }
    await Promise.all(children.map((c) => exited(c, 5000)));
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map((c) => exited(c, 2000)));
    if (serverStarted) {
      // CreateCluster enqueued one job per cluster under our own prefix; no worker serves it, so remove them.
      const connection = redisConnection(loadConfig().OPENMSK_REDIS_URL);
      connection.on('error', () => {});
      const queue = new Queue(OPERATIONS_QUEUE, { connection, prefix: queuePrefix });
      await withTimeout(queue.obliterate({ force: true }), 5000).catch((e) => log(`queue cleanup failed: ${(e as Error).message}`));
      await queue.close().catch(() => {});
      connection.disconnect();
      await withTimeout(dropDatabase(dbUrl), 10_000).catch((e) => log(`could not drop ${dbUrl}: ${(e as Error).message}`));
    }
    rmSync(home, { recursive: true, force: true });
  })();
  return cleaned;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

// ---------------------------------------------------------------------------------------------------------------
// CPU accounting (Linux): who burns the cores while a row is measured — the server child, its Postgres backends,
// this load generator, and everything else on the machine (other people's tests, ...).

const TICK_US = 1e6 / 100; // USER_HZ is 100 on Linux
const procTicks = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from #3 (state) on
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
};
const machineTicks = (): { busy: number; total: number } | undefined => {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal
    return { busy: total - f[3] - f[4], total }; // minus idle and iowait
  } catch {
    return undefined;
  }
};

interface CpuSnapshot {
  server: number;
  postgres: number;
  clientUs: number;
  machine?: { busy: number; total: number };
}

function cpuSnapshot(serverPid: number | undefined, pgPids: number[]): CpuSnapshot {
  const c = process.cpuUsage();
  return {
    server: serverPid ? procTicks(serverPid) : 0,
    postgres: pgPids.reduce((a, p) => a + procTicks(p), 0),
    clientUs: c.user + c.system,
    machine: machineTicks(),
  };
}

function cpuPerRequest(a: CpuSnapshot, b: CpuSnapshot, requests: number): CpuPerRequest | undefined {
  if (!a.machine || !b.machine || requests === 0) return undefined;
  const server = (b.server - a.server) * TICK_US;
  const postgres = (b.postgres - a.postgres) * TICK_US;
  const client = b.clientUs - a.clientUs;
  const busy = (b.machine.busy - a.machine.busy) * TICK_US;
  const total = (b.machine.total - a.machine.total) * TICK_US;
  return {
    server: server / requests,
    postgres: postgres / requests,
    client: client / requests,
    other: Math.max(0, busy - server - postgres - client) / requests,
    machineBusyPct: total > 0 ? (busy / total) * 100 : NaN,
  };
}

/** The Postgres backends serving `database` (the API's pool), to charge their CPU to the server side. */
async function backendPids(database: string): Promise<number[]> {
  const client = new PgClient({ connectionString: dbUrl });
  await client.connect();
  try {
    const r = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    return r.rows.map((x: { pid: number }) => x.pid);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// load generator

interface Req {
  path: string;
  headers: Record<string, string>;
}

interface Result {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  errors: number;
  warmupErrors: number;
  firstError?: string;
  bodyBytes: number;
  /** CPU time per request over the measured window, by process, in µs (Linux /proc; absent elsewhere). */
  cpuUsPerRequest?: CpuPerRequest;
}

interface CpuPerRequest {
  server: number;
  postgres: number;
  client: number;
  /** Everything else the machine ran meanwhile (other processes, the kernel's softirqs), per request. */
  other: number;
  /** Share of the machine that was busy during the window (all cores = 100 %). */
  machineBusyPct: number;
}

function once(agent: http.Agent, port: number, r: Req): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: '127.0.0.1', port, method: 'GET', path: r.path, headers: r.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * CONCURRENCY closed-loop workers on one keep-alive agent, cycling through `reqs`, for WARMUP_S + DURATION_S.
 * Only responses that complete inside the measured window count; latency is request start → last body byte.
 */
async function load(port: number, reqs: Req[], cpu: { serverPid?: number; pgPids?: () => Promise<number[]> } = {}): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY, maxFreeSockets: CONCURRENCY });
  const lat = new Float64Array(Math.ceil(DURATION_S * 100_000)); // room for 100k req/s
  let n = 0;
  let errors = 0;
  let warmupErrors = 0;
  let firstError: string | undefined;
  let bodyBytes = 0;
  let next = 0;
  const start = process.hrtime.bigint();
  const t0 = start + BigInt(Math.round(WARMUP_S * 1e9));
  const t1 = t0 + BigInt(Math.round(DURATION_S * 1e9));

  const one = (r: Req) =>
    new Promise<void>((resolve) => {
      const began = process.hrtime.bigint();
      const fail = (what: string) => {
        const now = process.hrtime.bigint();
        if (now < t0) warmupErrors++;
        else if (now <= t1) errors++;
        firstError ??= what;
      };
      const req = http.request({ agent, host: '127.0.0.1', port, method: 'GET', path: r.path, headers: r.headers }, (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        let bytes = 0;
        let errBody = '';
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (!ok && errBody.length < 500) errBody += c.toString('utf8');
        });
        res.on('end', () => {
          const now = process.hrtime.bigint();
          if (now >= t0 && now <= t1) {
            if (n < lat.length) lat[n++] = Number(now - began) / 1e6;
            bodyBytes = bytes;
          }
          if (!ok) fail(`HTTP ${status} ${r.path}: ${errBody.slice(0, 300)}`);
          resolve();
        });
        res.on('error', (e) => {
          fail(`response error: ${e.message}`);
          resolve();
        });
      });
      req.on('error', (e) => {
        fail(`request error: ${e.message}`);
        resolve();
      });
      req.end();
    });

  const worker = async () => {
    while (process.hrtime.bigint() < t1) await one(reqs[next++ % reqs.length]);
  };
  // CPU snapshots at the window's edges (the backends are looked up late in the warm-up, once the pool is full).
  let pgPids: number[] = [];
  let cpu0: CpuSnapshot | undefined;
  let cpu1: CpuSnapshot | undefined;
  const lookupTimer = setTimeout(() => {
    cpu.pgPids?.().then((p) => (pgPids = p), () => {});
  }, Math.max(0, WARMUP_S * 1000 - 500));
  const startTimer = setTimeout(() => (cpu0 = cpuSnapshot(cpu.serverPid, pgPids)), WARMUP_S * 1000);
  const endTimer = setTimeout(() => (cpu1 = cpuSnapshot(cpu.serverPid, pgPids)), (WARMUP_S + DURATION_S) * 1000);
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  cpu1 ??= cpuSnapshot(cpu.serverPid, pgPids);
  [lookupTimer, startTimer, endTimer].forEach(clearTimeout);
  agent.destroy();

  const sorted = lat.subarray(0, n).sort();
  const pct = (p: number) => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.ceil(p * n) - 1)]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  return {
    requests: n,
    rps: n / DURATION_S,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    meanMs: n ? sum / n : NaN,
    maxMs: n ? sorted[n - 1] : NaN,
    errors,
    warmupErrors,
    firstError,
    bodyBytes,
    cpuUsPerRequest: cpu0 ? cpuPerRequest(cpu0, cpu1, n) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// signing (as the JS SDK does: @smithy/signature-v4, sha256 + signed x-amz-content-sha256)

function signer(creds: { accessKeyId: string; secretAccessKey: string }) {
  const sv4 = new SignatureV4({ credentials: creds, region: REGION, service: 'kafka', sha256: Sha256, applyChecksum: true, uriEscapePath: true });
  return async (port: number, path: string, query: Record<string, string> = {}): Promise<Req> => {
    const host = `127.0.0.1:${port}`;
    const out = await sv4.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path, query, headers: { host } });
    const qs = new URLSearchParams(query).toString().replace(/\+/g, '%20');
    return { path: qs ? `${path}?${qs}` : path, headers: { ...(out.headers as Record<string, string>) } };
  };
}

// ---------------------------------------------------------------------------------------------------------------

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main() {
  const deadline = setTimeout(() => {
    log(`deadline of ${DEADLINE_MS / 1000} s reached; aborting`);
    void cleanup().finally(() => process.exit(2));
  }, DEADLINE_MS);
  const interrupted = (sig: string) => {
    log(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => interrupted('SIGINT'));
  process.once('SIGTERM', () => interrupted('SIGTERM'));

  const loadBefore = os.loadavg();
  const began = Date.now();
  log(`starting the API child (database ${new URL(dbUrl).pathname.slice(1)})`);
  serverStarted = true;
  const prof = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'prof')}`] : [];
  const api = startChild(
    'openmsk.ts',
    { BENCH_DATABASE_URL: dbUrl, BENCH_QUEUE_PREFIX: queuePrefix, BENCH_HOME: home, OPENMSK_LOG_LEVEL: process.env.OPENMSK_LOG_LEVEL ?? 'warn' },
    prof,
  );
  const baseline = startChild('baseline.ts', {});
  const ready = await api.ready;
  const apiPort = Number(new URL(ready.url).port);
  const creds = { accessKeyId: ready.accessKeyId!, secretAccessKey: ready.secretAccessKey! };
  log(`API at ${ready.url}; creating ${CLUSTERS} clusters through CreateCluster (SDK, ${CONCURRENCY} at a time)`);

  const kafka = new KafkaClient({ endpoint: ready.url, region: REGION, credentials: creds, maxAttempts: 1 });
  const arns: string[] = new Array(CLUSTERS);
  const createStart = Date.now();
  let nextCluster = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = nextCluster++; i < CLUSTERS; i = nextCluster++) {
        const out = await kafka.send(
          new CreateClusterCommand({
            ClusterName: `bench-${String(i).padStart(4, '0')}`,
            KafkaVersion: '3.9.x',
            NumberOfBrokerNodes: 3,
            BrokerNodeGroupInfo: {
              InstanceType: 'kafka.m5.large',
              ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
              StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
            },
            Tags: { team: 'bench', index: String(i) },
          }),
        );
        arns[i] = out.ClusterArn!;
      }
    }),
  );
  kafka.destroy();
  const createSeconds = (Date.now() - createStart) / 1000;
  log(`created ${CLUSTERS} clusters in ${createSeconds.toFixed(1)} s (${Math.round(CLUSTERS / createSeconds)}/s)`);

  // One request of each kind first: proves they succeed and gives the baseline its bodies.
  const sign = signer(creds);
  const probeAgent = new http.Agent({ keepAlive: false });
  const describeSample = await once(probeAgent, apiPort, await sign(apiPort, `/v1/clusters/${encodeURIComponent(arns[0])}`));
  const listSample = await once(probeAgent, apiPort, await sign(apiPort, '/v1/clusters', { maxResults: String(LIST_PAGE) }));
  for (const [name, s] of [['DescribeCluster', describeSample], ['ListClusters', listSample]] as const) {
    if (s.status !== 200) throw new Error(`${name} probe answered ${s.status}: ${s.body.slice(0, 500)}`);
  }
  const listed = (JSON.parse(listSample.body) as { clusterInfoList?: unknown[] }).clusterInfoList?.length;
  if (listed !== Math.min(LIST_PAGE, CLUSTERS)) throw new Error(`ListClusters returned ${listed} clusters, expected ${Math.min(LIST_PAGE, CLUSTERS)}`);

  baseline.child.send({ type: 'bodies', bodies: { '/describe': describeSample.body, '/list': listSample.body } });
  const baseReady = await baseline.ready;
  const basePort = Number(new URL(baseReady.url).port);

  // Pre-signing: each openmsk phase signs its whole request pool once, just before it starts (1,000 DescribeCluster
  // requests, one per ARN, or the one ListClusters request); x-amz-date is then at most WARMUP_S + DURATION_S old,
  // far inside the ±300 s window. The server verifies every request's signature in full (nothing is cached by
  // signature), so its work is that of freshly signed requests, while the client does no hashing during the run.
  const describePool = async () => Promise.all(arns.map((arn) => sign(apiPort, `/v1/clusters/${encodeURIComponent(arn)}`)));
  const listPool = async () => [await sign(apiPort, '/v1/clusters', { maxResults: String(LIST_PAGE) })];

  const results: Record<string, { openmsk: Result; baseline: Result; ratio: number; p99Ratio: number }> = {};
  const run = async (label: string, port: number, reqs: Req[], cpu: Parameters<typeof load>[2]) => {
    log(`${label}: ${WARMUP_S} s warm-up + ${DURATION_S} s measured, ${CONCURRENCY} concurrent`);
    return load(port, reqs, cpu);
  };
  const dbName = new URL(dbUrl).pathname.slice(1);
  for (const [op, basePath, pool] of [
    ['DescribeCluster', '/describe', describePool],
    ['ListClusters', '/list', listPool],
  ] as const) {
    if (!OPS.includes(op)) continue;
    const b = await run(`baseline (${op}-sized body)`, basePort, [{ path: basePath, headers: { host: `127.0.0.1:${basePort}` } }], { serverPid: baseline.child.pid });
    const o = await run(`openmsk ${op}`, apiPort, await pool(), { serverPid: api.child.pid, pgPids: () => backendPids(dbName) });
    results[op] = { openmsk: o, baseline: b, ratio: o.rps / b.rps, p99Ratio: o.p99Ms / b.p99Ms };
  }

  const loadAfter = os.loadavg();
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg1mBefore: Number(loadBefore[0].toFixed(2)),
    loadavg1mAfter: Number(loadAfter[0].toFixed(2)),
  };
  const fastifyVersion = (require('fastify/package.json') as { version: string }).version;
  const d = results.DescribeCluster?.openmsk;
  const targetMet = d !== undefined && d.rps >= TARGET.describeRps && d.p99Ms <= TARGET.describeP99Ms;

  const table = (header: string[], rows: string[][], leftCols: number) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  };
  const opLabel = (op: string) => (op === 'ListClusters' ? `ListClusters (1st page, maxResults=${LIST_PAGE})` : op);
  const perf: string[][] = [];
  const cpuRows: string[][] = [];
  for (const [op, r] of Object.entries(results)) {
    for (const [server, x] of [['openmsk', r.openmsk], ['bare fastify', r.baseline]] as const) {
      perf.push([
        opLabel(op),
        server,
        fmt(x.rps, 0),
        fmt(x.p50Ms, 2),
        fmt(x.p99Ms, 2),
        fmt(x.meanMs, 2),
        fmt(x.maxMs, 1),
        String(x.errors + x.warmupErrors),
        String(x.bodyBytes),
        server === 'openmsk' ? `${r.ratio.toFixed(3)} req/s, ${r.p99Ratio.toFixed(1)}x p99` : '',
      ]);
      const c = x.cpuUsPerRequest;
      if (c) cpuRows.push([opLabel(op), server, fmt(c.server, 0), fmt(c.postgres, 0), fmt(c.client, 0), fmt(c.other, 0), fmt(c.machineBusyPct, 0)]);
    }
  }
  const out: string[] = [];
  out.push(`openmsk API benchmark — ${new Date().toISOString()}`);
  out.push(`machine: ${machine.cores} cores (${machine.cpu}), node ${machine.node}, ${machine.platform}, load avg 1m ${machine.loadavg1mBefore} before / ${machine.loadavg1mAfter} after`);
  out.push(`setup: ${CLUSTERS} clusters (CREATING, no worker), SigV4 verified on every request, ${CONCURRENCY} concurrent keep-alive connections, ${WARMUP_S} s warm-up + ${DURATION_S} s measured per row; fastify ${fastifyVersion}; API, Postgres, baseline and this load generator share the machine`);
  out.push(`client: node:http; requests pre-signed with @smithy/signature-v4 once per row (1,000 DescribeCluster requests, one per ARN, cycled; 1 ListClusters request, first page only), x-amz-date ≤ ${WARMUP_S + DURATION_S} s old; the server verifies every signature in full`);
  out.push('');
  out.push(...table(['operation', 'server', 'req/s', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'errors', 'body B', 'openmsk/baseline'], perf, 2));
  if (cpuRows.length) {
    out.push('');
    out.push('CPU per request over the measured window, µs (server = the API or baseline process; postgres = its backends; other = rest of the machine):');
    out.push(...table(['operation', 'server', 'server µs', 'postgres µs', 'client µs', 'other µs', 'machine busy %'], cpuRows, 2));
  }
  out.push('');
  if (d) out.push(`target (2 cores): DescribeCluster ≥ ${TARGET.describeRps}/s with p99 ≤ ${TARGET.describeP99Ms} ms — ${targetMet ? 'MET' : 'NOT MET'} (${fmt(d.rps, 0)}/s, p99 ${fmt(d.p99Ms, 2)} ms)`);
  for (const [op, r] of Object.entries(results)) {
    for (const [server, x] of [['openmsk', r.openmsk], ['baseline', r.baseline]] as const) {
      if (x.firstError) out.push(`first error, ${op} ${server}: ${x.firstError}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = {
    date: new Date().toISOString(),
    machine,
    settings: {
      clusters: CLUSTERS,
      concurrency: CONCURRENCY,
      warmupSeconds: WARMUP_S,
      durationSeconds: DURATION_S,
      listClustersPage: `first page, maxResults=${LIST_PAGE}`,
      sigv4: true,
      signing: 'pre-signed once per phase with @smithy/signature-v4 + @aws-crypto/sha256-js (applyChecksum, as the JS SDK); server verifies each request',
      serverLogLevel: process.env.OPENMSK_LOG_LEVEL ?? 'warn',
      fastify: fastifyVersion,
      createClustersSeconds: Number(createSeconds.toFixed(2)),
    },
    target: { ...TARGET, met: targetMet },
    results,
    totalSeconds: Number(((Date.now() - began) / 1000).toFixed(1)),
  };
  // Only a full, unprofiled run is "the" result; ad-hoc runs (BENCH_OPS subset, BENCH_CPU_PROF) go beside it.
  const file = process.env.BENCH_OPS || process.env.BENCH_CPU_PROF === '1' ? 'api-adhoc.json' : 'api-latest.json';
  writeFileSync(join(RESULTS_DIR, file), `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${join('bench', 'results', file)}`);
  clearTimeout(deadline);
  const anyErrors = Object.values(results).some((r) => r.openmsk.errors + r.openmsk.warmupErrors + r.baseline.errors + r.baseline.warmupErrors > 0);
  return anyErrors ? 1 : 0;
}

main()
  .then(
    async (code) => {
      await cleanup();
      log('cleaned up (children stopped, database dropped, queue removed)');
      process.exit(code);
    },
    async (e: Error) => {
      log(`failed: ${e.stack ?? e.message}`);
      await cleanup();
      process.exit(1);
    },
  );
