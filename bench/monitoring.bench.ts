/**
 * npm run bench:monitoring — what collecting MSK's CloudWatch metrics costs the brokers. One 2-broker KRaft cluster
 * (`BENCH_KAFKA_VERSION`, default 3.9.x.kraft; plaintext clients); Kafka's own ProducerPerformance (in a container
 * of its own, so its CPU is not the brokers') writes 1 KiB records with acks=all to a 4-partition topic (RF 2).
 *
 * Three measurements, modes alternating round by round (`BENCH_ROUNDS`) so drift hits each alike:
 * - **What one collection costs the brokers**: idle brokers for `BENCH_PHASE_S` seconds with collection off and every
 *   second; the extra CPU (Docker's cgroup accounting of both brokers' containers) over the collections made.
 * - **What the brokers spend under load**: `BENCH_RATE` records/s for a phase, collection off. One collection per
 *   minute (MSK's interval) as a share of that is the CPU ratio with and without collection.
 * - **Produce throughput** (`BENCH_RECORDS` records as fast as the producer can, ABBA order): records/s with
 *   collection off and every 5 s (twelve times MSK's rate).
 * The JMX and node exporter agents run in every broker in every mode (they are always loaded); "off" means nobody
 * scrapes them. Collection runs in this process exactly as the worker runs it (collectMetrics on the worker's deps),
 * the worker's own scheduler being off (OPENMSK_METRICS_INTERVAL_SECONDS=0). Loopback only; cleans up after itself.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, CreateTopicCommand, DescribeClusterCommand, GetBootstrapBrokersCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import * as domain from '@openmsk/domain';
import { kafkaImage } from '@openmsk/runtime';
import { CollectorState, collectMetrics } from '../apps/worker/src/collector';
import { startStack } from '../apps/worker/test/stack';

const PHASE_S = Number(process.env.BENCH_PHASE_S ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VERSION = process.env.BENCH_KAFKA_VERSION ?? '3.9.x.kraft';
const TOPIC = 'bench-monitoring';

/** Total CPU time (ns) of a container, from Docker's stats endpoint (the container's cgroup). */
function containerCpuNs(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: '/var/run/docker.sock', path: `/containers/${name}/stats?stream=false&one-shot=true` }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve(Number((JSON.parse(body) as { cpu_stats: { cpu_usage: { total_usage: number } } }).cpu_stats.cpu_usage.total_usage));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Kafka's ProducerPerformance in its own container; resolves with its summary's records/s. */
function producerPerformance(image: string, bootstrap: string, records: number, throughput: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = ['run', '--rm', '--network', 'host', '-e', 'KAFKA_HEAP_OPTS=-Xmx256m', image, 'class', 'org.apache.kafka.tools.ProducerPerformance',
      '--topic', TOPIC, '--num-records', String(records), '--record-size', '1024', '--throughput', String(throughput),
      '--producer-props', `bootstrap.servers=${bootstrap}`, 'acks=all', 'linger.ms=5', 'batch.size=65536'];
    const p = spawn('docker', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (out += c));
    p.on('exit', (code) => {
      // The last line: "300000 records sent, 41034.1 records/sec (40.07 MB/sec), ..."
      const m = /(\d+) records sent, ([\d.]+) records\/sec[^\n]*\n?$/.exec(out.trim());
      if (code !== 0 || !m) reject(new Error(`ProducerPerformance exited ${code}: ${out.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(Number(m[2]));
    });
  });
}

async function main() {
  const s = await startStack({ OPENMSK_METRICS_INTERVAL_SECONDS: 0 });
  const kafka: KafkaClient = s.client();
  const release = domain.findKafkaVersion(VERSION)!.apacheVersion;
  const image = kafkaImage(release);
  const idleRows: { round: number; everyS: number; collections: number; cpuPerS: number }[] = [];
  const tputRows: { round: number; everyS: number; collections: number; recordsPerSec: number }[] = [];
  let loadedCpuPerS = 0;
  try {
    const { ClusterArn } = await kafka.send(new CreateClusterCommand({
      ClusterName: 'bench-monitoring', KafkaVersion: VERSION, NumberOfBrokerNodes: 2,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 20 } } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT', InCluster: true } },
      EnhancedMonitoring: 'PER_TOPIC_PER_PARTITION',
    }));
    const arn = ClusterArn!;
    const id = arn.split('/')[2].replace(/-\d+$/, '');
    for (;;) {
      const st = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!.State;
      if (st === 'ACTIVE') break;
      if (st === 'FAILED') throw new Error('cluster FAILED');
      await new Promise((r) => setTimeout(r, 500));
    }
    await kafka.send(new CreateTopicCommand({ ClusterArn: arn, TopicName: TOPIC, PartitionCount: 4, ReplicationFactor: 2 }));
    const bootstrap = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }))).BootstrapBrokerString!;
    const brokers = ['broker-1', 'broker-2'].map((n) => `openmsk-${id}-${n}`);
    const brokerCpu = async () => (await Promise.all(brokers.map(containerCpuNs))).reduce((a, b) => a + b, 0);
    const state = new CollectorState();

    /** Runs `work` while collecting every `everyS` seconds (0: not at all); returns the number of collections. */
    const withCollection = async <T>(everyS: number, work: () => Promise<T>): Promise<{ result: T; collections: number }> => {
      let collections = 0;
      let stop = false;
      const loop = (async () => {
        while (!stop && everyS > 0) {
          const t = Date.now();
          await collectMetrics(s.worker.deps, state);
          collections++;
          while (!stop && Date.now() - t < everyS * 1000) await new Promise((r) => setTimeout(r, 100));
        }
      })();
      try {
        return { result: await work(), collections };
      } finally {
        stop = true;
        await loop;
      }
    };

    // Warm-up: JIT and page cache, and the collector's first readings.
    await producerPerformance(image, bootstrap, 100_000, -1);
    await collectMetrics(s.worker.deps, state);

    // 1. What one collection costs the brokers: idle brokers (nothing else moves their CPU), collection off and
    // every second, alternating.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const everyS of round % 2 ? [0, 1] : [1, 0]) {
        const { result, collections } = await withCollection(everyS, async () => {
          const before = await brokerCpu();
          const t0 = Date.now();
          await new Promise((r) => setTimeout(r, PHASE_S * 1000));
          return { cpuNs: (await brokerCpu()) - before, ms: Date.now() - t0 };
        });
        idleRows.push({ round, everyS, collections, cpuPerS: result.cpuNs / 1e9 / (result.ms / 1000) });
        console.log(`idle round ${round}, collection every ${everyS || '—'} s: brokers ${(result.cpuNs / 1e9 / (result.ms / 1000)).toFixed(4)} CPU s/s, ${collections} collections`);
      }
    }
    // 2. Broker CPU under a steady produce load (BENCH_RATE records/s), collection off: what one collection per
    // minute is compared with.
    const before = await brokerCpu();
    const t0 = Date.now();
    await producerPerformance(image, bootstrap, RATE * PHASE_S, RATE);
    loadedCpuPerS = ((await brokerCpu()) - before) / 1e9 / ((Date.now() - t0) / 1000);
    console.log(`${RATE} records/s: brokers ${loadedCpuPerS.toFixed(3)} CPU s/s`);
    // 3. Produce throughput with collection off and every 5 s (twelve times MSK's rate), ABBA order per round.
    for (let round = 1; round <= ROUNDS; round++) {
      for (const everyS of round % 2 ? [0, 5, 5, 0] : [5, 0, 0, 5]) {
        const { result: rps, collections } = await withCollection(everyS, () => producerPerformance(image, bootstrap, RECORDS, -1));
        tputRows.push({ round, everyS, collections, recordsPerSec: rps });
        console.log(`throughput round ${round}, collection every ${everyS || '—'} s: ${rps.toFixed(0)} records/s (${collections} collections)`);
      }
    }
  } finally {
    await s.close();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const idleOff = mean(idleRows.filter((r) => r.everyS === 0).map((r) => r.cpuPerS));
  const on = idleRows.filter((r) => r.everyS === 1);
  // CPU seconds of both brokers per collection: the extra CPU per second of collecting every second, over the
  // collections per second.
  const perCollection = (mean(on.map((r) => r.cpuPerS)) - idleOff) / mean(on.map((r) => r.collections / PHASE_S));
  const tOff = mean(tputRows.filter((r) => r.everyS === 0).map((r) => r.recordsPerSec));
  const tOn = mean(tputRows.filter((r) => r.everyS === 5).map((r) => r.recordsPerSec));
  const lines = [
    `openmsk bench:monitoring — ${new Date().toISOString()} — ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}; 2-broker ${VERSION}, PER_TOPIC_PER_PARTITION`,
    '',
    `Idle brokers, ${PHASE_S} s per phase, both brokers' containers:`,
    '',
    '| round | collection | collections | broker CPU s/s |',
    '|---|---|---|---|',
    ...idleRows.map((r) => `| ${r.round} | ${r.everyS ? `every ${r.everyS} s` : 'off'} | ${r.collections} | ${r.cpuPerS.toFixed(4)} |`),
    '',
    `One collection costs the brokers ${(perCollection * 1000).toFixed(1)} CPU ms. At MSK's interval (60 s) that is ${(perCollection / 60).toFixed(5)} CPU s/s,`
      + ` ${((perCollection / 60 / loadedCpuPerS) * 100).toFixed(2)} % of the brokers' ${loadedCpuPerS.toFixed(3)} CPU s/s at ${RATE} records/s`
      + ` (ratio with/without: ${(1 + perCollection / 60 / loadedCpuPerS).toFixed(4)}).`,
    '',
    `Produce throughput, ${RECORDS} records of 1 KiB, acks=all, as fast as ProducerPerformance can (ABBA order):`,
    '',
    '| round | collection | collections | records/s |',
    '|---|---|---|---|',
    ...tputRows.map((r) => `| ${r.round} | ${r.everyS ? `every ${r.everyS} s` : 'off'} | ${r.collections} | ${r.recordsPerSec.toFixed(0)} |`),
    '',
    `Mean: off ${tOff.toFixed(0)}, every 5 s ${tOn.toFixed(0)} records/s: ${(tOn / tOff).toFixed(3)}× (${(((tOff - tOn) / tOff) * 100).toFixed(1)} % slower).`,
  ];
  console.log(lines.join('\n'));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'monitoring-latest.json'), JSON.stringify({ date: new Date().toISOString(), version: VERSION, rate: RATE, phaseS: PHASE_S, idleRows, perCollectionCpuS: perCollection, loadedCpuPerS, tputRows }, null, 2) + '\n');
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
