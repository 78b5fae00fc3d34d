/**
 * `npx tsx bench/api-phases.ts` — where a DescribeCluster / ListClusters request's time goes, phase by phase, in one
 * process (no HTTP): SigV4 verification, routing + decoding, the Prisma query (vs. the same SQL on plain `pg`),
 * response building + encodeResponse + JSON.stringify, and the whole request through fastify's inject().
 * Companion to bench/api.bench.ts (which measures over real sockets). Uses its own database, dropped at the end.
 */
import { createHash, createHmac, randomBytes, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool } from 'pg';
import { Queue } from 'bullmq';
import { loadConfig } from '@openmsk/config';
import { PrismaClient, dropDatabase, migrate } from '@openmsk/db';
import { listKafkaVersions } from '@openmsk/domain';
import { OPERATIONS_QUEUE, redisConnection } from '@openmsk/queue';
import { decodeRequest, encodeResponse, matchRoute, verifySigV4 } from '@openmsk/wire';
import { buildApp } from '../apps/api/src/app';
import type { RequestContext } from '../apps/api/src/context';
import { createDeps } from '../apps/api/src/deps';
import { HANDLERS } from '../apps/api/src/operations';
import * as clusters from '../apps/api/src/services/clusters';
import { listClusters } from '../apps/api/src/services/cluster-list';
import * as nodes from '../apps/api/src/services/nodes';

const CLUSTERS = 1000;

/** SHA-256 / HMAC-SHA-256 on node:crypto with the @aws-crypto/sha256-js interface (what @smithy/hash-node does). */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(secret?: string | Uint8Array) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

/** CPU time (µs) of another local process, e.g. a Postgres backend (Linux). */
const procCpuUs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10_000;
};
const N = Number(process.env.PHASES_N ?? 2000);

async function time(label: string, n: number, fn: (i: number) => unknown, concurrency = 1) {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await fn(i);
    }),
  );
  const wall = Number(process.hrtime.bigint() - t0) / 1e3;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / n;
  console.log(
    `${label.padEnd(58)} ${(wall / n).toFixed(1).padStart(8)} µs wall/op  ${cpuUs.toFixed(1).padStart(7)} µs cpu/op  ${Math.round((n / wall) * 1e6).toString().padStart(7)} op/s  (c=${concurrency})`,
  );
}

async function main() {
  const suffix = randomBytes(4).toString('hex');
  const url = new URL(loadConfig().OPENMSK_DATABASE_URL);
  url.pathname = `/openmsk_bench_${suffix}`;
  const home = mkdtempSync(join(tmpdir(), 'openmsk-bench-'));
  const config = loadConfig(process.env, {
    OPENMSK_DATABASE_URL: url.toString(),
    OPENMSK_QUEUE_PREFIX: `openmsk-bench-${suffix}`,
    OPENMSK_HOME: home,
    OPENMSK_AUTH: 'sigv4',
    OPENMSK_LOG_LEVEL: 'warn',
  });
  await migrate(config.OPENMSK_DATABASE_URL);
  const deps = createDeps(config);
  const pool = new Pool({ connectionString: config.OPENMSK_DATABASE_URL, max: 20 });
  try {
    const releases = [...new Set(listKafkaVersions().map((v) => v.apacheVersion))];
    await deps.db.kafkaImage.createMany({ data: releases.map((release) => ({ release, imageId: `sha256:bench-${release}` })) });
    const app = await buildApp(deps);
    const account = await deps.accounts.createAccount('bench');
    const creds = await deps.accounts.createAccessKey(account.id);
    const ctx: RequestContext = { principal: { accountId: account.id }, region: 'us-east-1', requestId: 'x', deps };
    const arns: string[] = [];
    for (let i = 0; i < CLUSTERS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, CLUSTERS - i) }, (_, j) =>
          HANDLERS.CreateCluster(ctx, {
            ClusterName: `bench-${i + j}`,
            KafkaVersion: '3.9.x',
            NumberOfBrokerNodes: 3,
            BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
            Tags: { team: 'bench', index: String(i + j) },
          }) as Promise<{ ClusterArn: string }>,
        ),
      );
      arns.push(...batch.map((b) => b.ClusterArn));
    }
    console.log(`${CLUSTERS} clusters; N=${N} per row; node ${process.version}`);

    const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'kafka', sha256: Sha256, applyChecksum: true, uriEscapePath: true });
    const signed = await Promise.all(
      arns.map(async (arn) => {
        const path = `/v1/clusters/${encodeURIComponent(arn)}`;
        const out = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 8090, path, query: {}, headers: { host: '127.0.0.1:8090' } });
        return { path, headers: out.headers as Record<string, string> };
      }),
    );
    const key = { secretAccessKey: creds.secretAccessKey, principal: { accountId: account.id } };
    const lookup = async () => key;
    const empty = Buffer.alloc(0);

    await time('verifySigV4 (key cached)', N, (i) => {
      const s = signed[i % signed.length];
      return verifySigV4({ method: 'GET', rawUrl: s.path, headers: s.headers, body: empty }, lookup);
    });
    for (const [label, sha256] of [['@aws-crypto/sha256-js', Sha256], ['node:crypto', NodeSha256 as unknown as typeof Sha256]] as const) {
      await time(`SignatureV4.sign (what verify recomputes), ${label}`, N, async (i) => {
        const sv4 = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'kafka', sha256, applyChecksum: true, uriEscapePath: true });
        const s = signed[i % signed.length];
        return sv4.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', path: s.path, query: {}, headers: { host: s.headers.host, 'x-amz-date': s.headers['x-amz-date'], 'x-amz-content-sha256': s.headers['x-amz-content-sha256'] } });
      });
    }
    await time('matchRoute + decodeRequest', N, (i) => {
      const m = matchRoute('GET', signed[i % signed.length].path)!;
      return decodeRequest(m.operation.name, { labels: m.labels, query: new URLSearchParams(''), body: undefined });
    });
    await time('Prisma cluster.findFirst (findCluster)', N, (i) => clusters.findCluster(ctx, arns[i % arns.length]));
    await time('Prisma cluster.findFirst (findCluster)', N, (i) => clusters.findCluster(ctx, arns[i % arns.length]), 32);
    const prepared = new PrismaClient({
      adapter: new PrismaPg({ connectionString: config.OPENMSK_DATABASE_URL, max: 20 }, { statementNameGenerator: (q) => `s${createHash('sha1').update(q.sql).digest('hex')}` }),
    });
    const where = (i: number) => ({ arn: arns[i % arns.length], accountId: account.id, region: 'us-east-1' });
    await time('Prisma findFirst with statementNameGenerator (prepared)', N, (i) => prepared.cluster.findFirst({ where: where(i) }), 32);
    await time('Prisma $queryRaw, same SELECT', N, (i) => deps.db.$queryRaw`SELECT * FROM cluster WHERE arn = ${arns[i % arns.length]}`, 32);
    await prepared.$disconnect();
    const sql = 'SELECT * FROM cluster WHERE arn = $1';
    await time('pg pool.query, same SELECT', N, (i) => pool.query(sql, [arns[i % arns.length]]));
    await time('pg pool.query, same SELECT', N, (i) => pool.query(sql, [arns[i % arns.length]]), 32);
    await time('pg pool.query, prepared (named) statement', N, (i) => pool.query({ name: 'bench-find', text: sql, values: [arns[i % arns.length]] }), 32);
    {
      // Postgres's own CPU per query (one backend), unnamed (as Prisma sends today) vs named prepared statement.
      const one = new Client({ connectionString: config.OPENMSK_DATABASE_URL });
      await one.connect();
      const pid = (await one.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      for (const named of [false, true]) {
        for (let i = 0; i < 200; i++) await one.query({ name: named ? 'q' : undefined, text: sql, values: [arns[i % arns.length]] });
        const c0 = procCpuUs(pid);
        for (let i = 0; i < N; i++) await one.query({ name: named ? 'q' : undefined, text: sql, values: [arns[i % arns.length]] });
        console.log(`${`postgres backend CPU per findCluster SELECT, ${named ? 'named (prepared)' : 'unnamed'}`.padEnd(58)} ${((procCpuUs(pid) - c0) / N).toFixed(1).padStart(8)} µs cpu/op (backend)`);
      }
      await one.end();
    }
    const rows = await Promise.all(arns.slice(0, 100).map((a) => clusters.findCluster(ctx, a)));
    await time('withConnectStrings + encodeResponse + stringify', N, async (i) => {
      const info = await nodes.withConnectStrings(ctx, rows[i % rows.length]);
      return JSON.stringify(encodeResponse('DescribeCluster', { ClusterInfo: info }));
    });
    await time('DescribeCluster handler (query + build)', N, (i) => HANDLERS.DescribeCluster(ctx, { ClusterArn: arns[i % arns.length] }), 32);
    await time('fastify inject GET DescribeCluster (signed)', N, (i) => {
      const s = signed[i % signed.length];
      return app.inject({ method: 'GET', url: s.path, headers: s.headers }).then((r) => {
        if (r.statusCode !== 200) throw new Error(`${r.statusCode} ${r.body}`);
      });
    }, 32);

    const n2 = Math.max(50, Math.round(N / 20));
    await time('ListClusters: first page of 100, nothing kept yet', 1, () => listClusters(ctx, 'ListClusters', { MaxResults: 100 }));
    await time('ListClusters: first page of 100, wire JSON kept', n2, () => listClusters(ctx, 'ListClusters', { MaxResults: 100 }), 8);
    const pageIds = await deps.reads.clusterPageVersions({ accountId: account.id, region: 'us-east-1', limit: 100 });
    const pageRows = await deps.reads.clustersByIds(pageIds.map((v) => v.id));
    await time('ListClusters: toClusterInfo + encodeResponse + stringify (no cache)', n2, () =>
      JSON.stringify(encodeResponse('ListClusters', { ClusterInfoList: pageRows.map(clusters.toClusterInfo) })),
    );
    await time('ListClusters: pg pool.query, same 101 rows', n2, () =>
      pool.query('SELECT * FROM cluster WHERE account_id = $1 AND region = $2 ORDER BY created_at, id LIMIT 101', [account.id, 'us-east-1']), 8);
    await app.close();
  } finally {
    await pool.end().catch(() => {});
    await deps.close().catch(() => {});
    const connection = redisConnection(config.OPENMSK_REDIS_URL);
    const queue = new Queue(OPERATIONS_QUEUE, { connection, prefix: config.OPENMSK_QUEUE_PREFIX });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close().catch(() => {});
    connection.disconnect();
    await dropDatabase(config.OPENMSK_DATABASE_URL);
    rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
