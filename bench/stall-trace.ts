/**
 * npx tsx bench/stall-trace.ts — where a produce stall comes from: one RebootBroker (`BENCH_OP=reboot`, the default)
 * or one rolling configuration update (`BENCH_OP=roll`) on a fresh 3-broker TLS cluster (`BENCH_KAFKA_VERSION`,
 * default 3.8.x), with a producer writing a 1 KiB message every 5 ms (acks=all, idempotent, spread message by
 * message; each message carries the time it was written). Prints one timeline, in seconds since the stack started:
 * the worker's log (each rolled node's phases included: safe-to-stop wait, stop, start, in sync, leader election),
 * every gap over 250 ms between consecutive appends of one partition, and the longest produce latency. With
 * `BENCH_DEBUG=1` the producer's librdkafka debug log (broker, metadata, topic, protocol) goes to
 * `bench/results/stall-trace-kcat.log`, timestamps in epoch seconds (the timeline prints the epoch of its zero).
 * A tool for looking, not a benchmark: no baseline, nothing written but that log. Loopback only; cleans up.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateConfigurationCommand, CreateTopicCommand, DescribeClusterCommand, DescribeClusterOperationCommand, RebootBrokerCommand,
  UpdateClusterConfigurationCommand,
} from '@aws-sdk/client-kafka';
import { startApi } from '../apps/api/test/harness';
import { startWorker } from '../apps/worker/src/worker';
import { createTestCluster, kcat, removeInstallation, tlsArgs } from '../apps/worker/test/stack';

async function main() {
  const version = process.env.BENCH_KAFKA_VERSION ?? '3.8.x';
  const h = await startApi({}, { images: false });
  const zero = Date.now();
  const at = (ms: number) => ((ms - zero) / 1000).toFixed(3);
  const timeline: string[] = [];
  const worker = await startWorker(h.config, {
    log: (m, f) => timeline.push(`${at(Date.now())} worker ${m} ${f ? JSON.stringify({ ...f, clusterArn: undefined, operationArn: undefined }) : ''}`),
  });
  const kafka = h.client();
  try {
    const c = await createTestCluster({ ...h, worker, logs: [] }, kafka, 'stall-trace', version);
    const topic = 'stall';
    const configs = Buffer.from('min.insync.replicas=2\nmessage.timestamp.type=LogAppendTime').toString('base64');
    await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: configs }));
    const debug = process.env.BENCH_DEBUG ? ['-d', 'broker,metadata,topic,protocol'] : [];
    const producer = spawn('kcat', ['-b', c.bootstrap, ...tlsArgs(c.ca), '-P', '-t', topic, '-X', 'acks=all', '-X', 'enable.idempotence=true',
      '-X', 'linger.ms=5', '-X', 'sticky.partitioning.linger.ms=0', ...debug], { stdio: ['pipe', 'ignore', 'pipe'] });
    if (debug.length) {
      mkdirSync(join(__dirname, 'results'), { recursive: true });
      producer.stderr.pipe(createWriteStream(join(__dirname, 'results', 'stall-trace-kcat.log')));
    } else producer.stderr.resume();
    let n = 0;
    const timer = setInterval(() => producer.stdin.write(`${n++}-${Date.now()}-`.padEnd(1023, '.') + '\n'), 5);
    await new Promise((r) => setTimeout(r, 3000));
    const t0 = Date.now();
    timeline.push(`${at(t0)} bench ${process.env.BENCH_OP ?? 'reboot'} sent`);
    let ClusterOperationArn: string | undefined;
    if (process.env.BENCH_OP === 'roll') {
      const cfg = await kafka.send(new CreateConfigurationCommand({ Name: 'stall-trace', KafkaVersions: [version], ServerProperties: Buffer.from('auto.create.topics.enable=true\n') }));
      const cv = (await kafka.send(new DescribeClusterCommand({ ClusterArn: c.ClusterArn }))).ClusterInfo!.CurrentVersion!;
      ({ ClusterOperationArn } = await kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: c.ClusterArn, CurrentVersion: cv, ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 } })));
    } else {
      ({ ClusterOperationArn } = await kafka.send(new RebootBrokerCommand({ ClusterArn: c.ClusterArn, BrokerIds: ['2'] })));
    }
    while (!(await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn }))).ClusterOperationInfo!.EndTime) await new Promise((r) => setTimeout(r, 200));
    timeline.push(`${at(Date.now())} bench operation ended`);
    await new Promise((r) => setTimeout(r, 3000));
    clearInterval(timer);
    producer.stdin.end();
    await new Promise((r) => producer.on('close', r));

    const out = await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %T %s\n'], undefined, 120_000);
    const last = new Map<string, number>();
    let worst = { latency: 0, at: 0 };
    for (const line of out.trim().split('\n')) {
      const [p, ts, value] = line.split(' ');
      const appended = Number(ts);
      const written = Number(value.split('-')[1]);
      const prev = last.get(p);
      if (prev !== undefined && appended - prev > 250 && appended >= t0 - 2000) timeline.push(`${at(prev)} gap partition ${p}: no append for ${appended - prev} ms`);
      last.set(p, appended);
      if (written >= t0 && appended - written > worst.latency) worst = { latency: appended - written, at: written };
    }
    timeline.push(`${at(worst.at)} latency longest: a message written here was appended ${worst.latency} ms later`);
    console.log(timeline.filter((l) => !/ step /.test(l)).sort((a, b) => parseFloat(a) - parseFloat(b)).join('\n'));
    console.log(`zero = ${zero / 1000} (epoch seconds)`);
  } finally {
    await worker.close();
    await removeInstallation(h.config);
    await h.close();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
