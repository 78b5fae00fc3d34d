import { execFile, spawn } from 'node:child_process';
import { CreateClusterCommand, DescribeClusterCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { rmSync } from 'node:fs';
import type { Config } from '@openmsk/config';
import { internalClientIdentity } from '@openmsk/db';
import { KafkaAdmin, type ConfigEntry } from '@openmsk/kafka';
import { LABELS, clusterPaths, dockerRuntime, instanceId, volumeStorage, volumesRoot } from '@openmsk/runtime';
import { readFileSync } from 'node:fs';
import { startApi, type Harness } from '../../api/test/harness';
import { startWorker, type RunningWorker } from '../src/worker';

export interface Stack extends Harness {
  worker: RunningWorker;
  logs: string[];
}

/** API + worker in this process, on real Postgres, Redis, Docker and Kafka. */
export async function startStack(overrides: Partial<Config> = {}): Promise<Stack> {
  const h = await startApi(overrides, { images: false });
  const logs: string[] = [];
  // Brokers of IAM clusters ask the API about tokens: the worker writes where that API listens into their configuration.
  const worker = await startWorker({ ...h.config, OPENMSK_API_URL: h.url }, { box: h.box, log: (m, f) => logs.push(`${new Date().toISOString().slice(11, 23)} ${m} ${f ? JSON.stringify(f) : ''}`) });
  return {
    ...h,
    worker,
    logs,
    close: async () => {
      // The worker first: it would heal what removeInstallation takes away.
      await worker.close();
      await removeInstallation(h.config);
      await h.close();
    },
  };
}

/** Everything this test installation made (containers, volumes, files), even when a test failed midway. */
export async function removeInstallation(config: Config) {
  const deps = { config, docker: dockerRuntime(), storage: volumeStorage({ root: volumesRoot(config.OPENMSK_HOME) }) };
  const mine = await deps.docker.listManaged({ [LABELS.instance]: instanceId(deps.config.OPENMSK_HOME) });
  await Promise.all(mine.map((c) => deps.docker.remove(c.name)));
  for (const id of new Set((await deps.storage.list()).map((v) => v.clusterId))) await deps.storage.removeCluster(id);
  rmSync(deps.config.OPENMSK_HOME, { recursive: true, force: true });
}

/** Polls DescribeCluster until the state is reached (or a terminal other state is). */
export async function waitForState(kafka: KafkaClient, arn: string, state: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await kafka.send(new DescribeClusterCommand({ ClusterArn: arn })).then((o) => o.ClusterInfo, (e) => ({ State: e.name as string, StateInfo: undefined }));
    if (info?.State === state) return info;
    if (info?.State === 'FAILED' && state !== 'FAILED') throw new Error(`cluster FAILED: ${JSON.stringify(info.StateInfo)}`);
    if (Date.now() > deadline) throw new Error(`cluster still ${info?.State} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Runs kcat; resolves with stdout, rejects with stderr. */
export function kcat(args: string[], input?: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      clearTimeout(t);
      if (code === 0) resolve(out);
      else reject(new Error(`kcat ${args.join(' ')} exited ${code}: ${err.trim()}`));
    });
    p.stdin.end(input ?? '');
  });
}

export const tlsArgs = (caPath: string) => ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${caPath}`];

export function sh(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 60_000 }, (e, out, err) => (e ? reject(new Error(`${cmd} ${args.join(' ')}: ${err || e.message}`)) : resolve(out))),
  );
}

/**
 * A producer writing continuously with acks=all (idempotent, retrying) while an operation runs.
 * stop() ends its input, waits for every delivery, and reports what was sent and what failed.
 */
export function startProducer(bootstrap: string, extra: string[], topic: string, everyMs = 5, opts: { stamped?: boolean } = {}) {
  // stamped (benchmarks): each message carries the time it was written and is padded to 1 KiB, and messages are
  // spread over the partitions one by one instead of in sticky batches, so every partition sees writes all the time
  // and a gap in one is the partition stalling. (Short unkeyed messages reached the brokers in sticky batches about a
  // second apart, one partition at a time: librdkafka's debug log showed it; a gap of seconds in one partition was
  // the partitioner, not the cluster.)
  const more = opts.stamped ? ['-X', 'sticky.partitioning.linger.ms=0'] : [];
  const p = spawn('kcat', ['-b', bootstrap, ...extra, '-P', '-t', topic, '-X', 'acks=all', '-X', 'enable.idempotence=true',
    '-X', 'message.timeout.ms=300000', '-X', 'linger.ms=5', ...more], { stdio: ['pipe', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  let exitCode: number | null = null;
  const closed = new Promise<void>((r) => p.on('close', (code) => ((exitCode = code), r())));
  const sent: string[] = [];
  const timer = setInterval(() => {
    if (exitCode !== null) return; // it died: stop() reports it
    const line = opts.stamped ? `${topic}-${sent.length}-${Date.now()}-`.padEnd(1023, '.') : `${topic}-${sent.length}`;
    sent.push(line);
    p.stdin.write(`${line}\n`);
  }, everyMs);
  return {
    sent,
    async stop(): Promise<{ sent: string[]; failed: number; stderr: string; exitCode: number | null }> {
      clearInterval(timer);
      p.stdin.end();
      await closed;
      const failed = err.split('\n').filter((l) => l.includes('Delivery failed')).length;
      return { sent, failed, stderr: err, exitCode };
    },
  };
}

export interface TestCluster {
  ClusterArn: string;
  /** The cluster's uuid: container names are `openmsk-<id>-<node>`. */
  id: string;
  /** The cluster CA file, for TLS clients. */
  ca: string;
  /** Every broker's TLS client listener. */
  bootstrap: string;
}

/** A 3-broker cluster (10 GiB, TLS) created through the SDK and waited for until ACTIVE. */
export async function createTestCluster(s: Stack, kafka: KafkaClient, name: string, version: string): Promise<TestCluster> {
  const { ClusterArn } = (await kafka.send(new CreateClusterCommand({
    ClusterName: name, KafkaVersion: version, NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
  }))) as { ClusterArn: string };
  await waitForState(kafka, ClusterArn, 'ACTIVE');
  const id = ClusterArn.split('/')[2].replace(/-\d+$/, '');
  const brokers = await s.db.node.findMany({ where: { clusterId: id, role: 'broker' } });
  return {
    ClusterArn,
    id,
    ca: clusterPaths(s.config.OPENMSK_HOME, id).ca,
    bootstrap: brokers.map((b) => `127.0.0.1:${(b.ports as { client_tls: number }).client_tls}`).join(','),
  };
}

/** Stops the producer and checks it lost nothing: no failed delivery, and every message it sent is consumed. */
export async function expectNothingLost(producer: ReturnType<typeof startProducer>, c: TestCluster, topic: string) {
  const { sent, failed, exitCode, stderr } = await producer.stop();
  if (failed !== 0 || exitCode !== 0) throw new Error(`producer: ${failed} failed deliveries, exit ${exitCode}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const got = new Set((await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], undefined, 120_000)).trim().split('\n'));
  const lost = sent.filter((m) => !got.has(m));
  if (lost.length) throw new Error(`${lost.length} acknowledged messages lost, e.g. ${lost.slice(0, 3).join(', ')}`);
}

/**
 * Every broker's own configuration (DescribeConfigs), read through the admin listener with openmsk's certificate, as
 * the control plane reads it; `protocols` is its listener.security.protocol.map without CONTROLLER, sorted.
 */
export async function brokerConfigs(s: Stack, clusterId: string): Promise<{ config: Map<string, ConfigEntry>; protocols: string[] }[]> {
  const brokers = await s.db.node.findMany({ where: { clusterId, role: 'broker' }, orderBy: { ordinal: 'asc' } });
  const cluster = await s.db.cluster.findUniqueOrThrow({ where: { id: clusterId } });
  const admin = new KafkaAdmin({
    brokers: brokers.map((n) => `127.0.0.1:${(n.ports as { replication: number }).replication}`),
    caPem: readFileSync(clusterPaths(s.config.OPENMSK_HOME, clusterId).ca, 'utf8'),
    clientCert: await internalClientIdentity(s.db, s.box, cluster.accountId),
  });
  try {
    return await Promise.all(brokers.map(async (n) => {
      const config = await admin.describeConfigs({ broker: n.ordinal });
      const protocols = (config.get('listener.security.protocol.map')?.value ?? '').split(',').filter((x) => x && !x.startsWith('CONTROLLER:')).sort();
      return { config, protocols };
    }));
  } finally {
    await admin.close();
  }
}

/**
 * A two-broker cluster with this client authentication (TLS in transit), waited for until ACTIVE; on failure the
 * worker's last log lines and broker-1's container log are in the error. Returns its ARN and id.
 */
export async function createSecuredCluster(s: Stack, kafka: KafkaClient, name: string, version: string, auth: object): Promise<{ arn: string; id: string }> {
  const { ClusterArn: arn } = (await kafka.send(new CreateClusterCommand({
    ClusterName: name, KafkaVersion: version, NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
    ClientAuthentication: auth,
    EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
  }))) as { ClusterArn: string };
  const id = arn.split('/')[2].replace(/-\d+$/, '');
  await waitForState(kafka, arn, 'ACTIVE', 240_000).catch(async (e) => {
    const broker = await sh('docker', ['logs', '--tail', '30', `openmsk-${id}-broker-1`]).catch((x) => String(x));
    throw new Error(`${(e as Error).message}\n${s.logs.slice(-15).join('\n')}\n${broker}`);
  });
  return { arn, id };
}
