/**
 * npm run bench:ops — on one 3-broker cluster (TLS; `BENCH_KAFKA_VERSION`, default 3.8.x with ZooKeeper, or
 * 3.9.x.kraft), the time of each day-2 operation and what a running producer saw during it, beside a baseline
 * measured in the same run under the same producer: one broker restarted by hand (`docker restart`) until a client
 * sees it again. Rolling rows give the time per broker restarted and its ratio to that baseline. A producer writes a 1 KiB message every 5 ms with acks=all
 * (idempotent, spread over the partitions message by message) to a 3-partition topic (replication 3,
 * min.insync.replicas 2, LogAppendTime); each message carries the time it was written. Two figures per operation:
 * the longest produce stall (the largest gap between consecutive appends of one partition) and the longest produce
 * latency (append time minus write time, the wait a client saw). A quiet row (no operation) shows the floor of both
 * on this machine. Loopback only; cleans up after itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  CreateClusterCommand, CreateConfigurationCommand, DescribeClusterCommand, DescribeClusterOperationCommand, GetBootstrapBrokersCommand,
  RebootBrokerCommand, UpdateBrokerCountCommand, UpdateBrokerStorageCommand, UpdateBrokerTypeCommand, UpdateClusterConfigurationCommand,
  UpdateClusterKafkaVersionCommand, type KafkaClient,
} from '@aws-sdk/client-kafka';
import { clusterPaths } from '@openmsk/runtime';
import { kcat, sh, startProducer, startStack, tlsArgs } from '../apps/worker/test/stack';

async function main() {
  const s = await startStack();
  const kafka: KafkaClient = s.client();
  const rows: { op: string; ms: number; stallMs: number; latencyMs: number; restarts: number }[] = [];
  let baselineMs = 0;
  const version = process.env.BENCH_KAFKA_VERSION ?? '3.8.x';
  const next = ({ '3.8.x': '3.9.x', '3.9.x.kraft': '4.1.x.kraft' } as Record<string, string>)[version] ?? version;
  try {
    const { ClusterArn } = await kafka.send(new CreateClusterCommand({
      ClusterName: 'bench-ops', KafkaVersion: version, NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
    }));
    const arn = ClusterArn!;
    const id = arn.split('/')[2].replace(/-\d+$/, '');
    const describe = async () => (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
    while ((await describe()).State !== 'ACTIVE') await new Promise((r) => setTimeout(r, 300));
    const bootstrap = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }))).BootstrapBrokerStringTls!;
    const tls = tlsArgs(clusterPaths(s.config.OPENMSK_HOME, id).ca);
    const port = ((await s.db.node.findFirstOrThrow({ where: { clusterId: id, nodeId: 'broker-1' } })).ports as { replication: number }).replication;
    const topicTool = async (topic: string) => sh('docker', ['exec', `openmsk-${id}-broker-1`, '/opt/kafka/bin/run', 'topics', '--bootstrap-server', `127.0.0.1:${port}`,
      '--command-config', '/etc/kafka/client.properties', '--create', '--topic', topic, '--partitions', '3', '--replication-factor', '3',
      '--config', 'min.insync.replicas=2', '--config', 'message.timestamp.type=LogAppendTime']);

    /** Runs one operation with a producer writing, returns its duration, the longest stall and the longest latency. */
    const measure = async (op: string, restarts: number, send: () => Promise<{ ClusterOperationArn?: string }>) => {
      const topic = `stall-${op.split(' ')[0].replace(/[^a-zA-Z0-9._-]/g, '')}`;
      await topicTool(topic);
      const producer = startProducer(bootstrap, tls, topic, 5, { stamped: true });
      await new Promise((r) => setTimeout(r, 2000));
      const t0 = Date.now();
      const { ClusterOperationArn } = await send();
      for (;;) {
        if (!ClusterOperationArn) break;
        const o = (await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn }))).ClusterOperationInfo!;
        if (o.EndTime) {
          if (!/COMPLETE$/.test(o.OperationState ?? '')) throw new Error(`${op}: ${o.OperationState} ${JSON.stringify(o.ErrorInfo)}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const ms = Date.now() - t0;
      await new Promise((r) => setTimeout(r, 1000));
      const { failed } = await producer.stop();
      if (failed) throw new Error(`${op}: ${failed} messages were not acknowledged`);
      const out = await kcat(['-b', bootstrap, ...tls, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %T %s\n'], undefined, 120_000);
      const byPartition = new Map<string, number[]>();
      let latencyMs = 0;
      for (const line of out.trim().split('\n')) {
        const [p, ts, value] = line.split(' ');
        const appended = Number(ts);
        (byPartition.get(p) ?? byPartition.set(p, []).get(p)!).push(appended);
        const written = Number(value.split('-').at(-2));
        if (written >= t0 && written <= t0 + ms) latencyMs = Math.max(latencyMs, appended - written);
      }
      // Only gaps that overlap the operation's window count: the producer's first two seconds are its own start.
      let stallMs = 0;
      for (const ts of byPartition.values()) {
        for (let i = 1; i < ts.length; i++) if (ts[i] >= t0 && ts[i - 1] <= t0 + ms) stallMs = Math.max(stallMs, ts[i] - ts[i - 1]);
      }
      rows.push({ op, ms, stallMs, latencyMs, restarts });
      console.log(`${op}: ${(ms / 1000).toFixed(1)} s, longest produce stall ${stallMs} ms, longest produce latency ${latencyMs} ms`);
    };
    const cv = async () => (await describe()).CurrentVersion!;

    await measure('quiet (no operation, 10 s)', 0, async () => {
      await new Promise((r) => setTimeout(r, 10_000));
      return {};
    });
    // Baseline: one broker restarted by hand, until a client lists it again, with the producer writing.
    await measure('baseline: docker restart of one broker', 1, async () => {
      spawnSync('docker', ['restart', '-t', '60', `openmsk-${id}-broker-3`]);
      for (;;) {
        const meta = JSON.parse(await kcat(['-b', bootstrap, ...tls, '-L', '-J']).catch(() => '{"brokers":[]}'));
        if (meta.brokers.length === 3) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return {};
    });
    baselineMs = rows.at(-1)!.ms;
    const dyn = await kafka.send(new CreateConfigurationCommand({ Name: 'bench-dyn', KafkaVersions: [version, next], ServerProperties: Buffer.from('log.retention.ms=3600000\n') }));
    await measure('dynamic-configuration', 0, async () => kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: await cv(), ConfigurationInfo: { Arn: dyn.Arn!, Revision: 1 } })));
    const rolling = await kafka.send(new CreateConfigurationCommand({ Name: 'bench-roll', KafkaVersions: [version, next], ServerProperties: Buffer.from('auto.create.topics.enable=true\n') }));
    await measure('rolling-configuration', 3, async () => kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: await cv(), ConfigurationInfo: { Arn: rolling.Arn!, Revision: 1 } })));
    await measure('storage-grow', 0, async () => kafka.send(new UpdateBrokerStorageCommand({ ClusterArn: arn, CurrentVersion: await cv(), TargetBrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 50 }] })));
    await measure('reboot', 1, async () => kafka.send(new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ['2'] })));
    await measure('broker-type', 3, async () => kafka.send(new UpdateBrokerTypeCommand({ ClusterArn: arn, CurrentVersion: await cv(), TargetInstanceType: 'kafka.m5.xlarge' })));
    await measure('version-upgrade (6 restarts)', 6, async () => kafka.send(new UpdateClusterKafkaVersionCommand({ ClusterArn: arn, CurrentVersion: await cv(), TargetKafkaVersion: next })));
    await measure('broker-count-3-to-6', 0, async () => kafka.send(new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: await cv(), TargetNumberOfBrokerNodes: 6 })));
  } finally {
    await s.close();
  }
  const lines = [
    `openmsk bench:ops — ${new Date().toISOString()} — ${cpus().length} cores, node ${process.version}; 3-broker ${version} TLS cluster`,
    '',
    '| operation | time | per broker restarted | per broker ÷ baseline | longest produce stall | longest produce latency |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.op} | ${(r.ms / 1000).toFixed(1)} s | ${r.restarts ? `${(r.ms / r.restarts / 1000).toFixed(1)} s` : '—'} | ${r.restarts ? `${(r.ms / r.restarts / baselineMs).toFixed(2)}×` : '—'} | ${r.stallMs} ms | ${r.latencyMs} ms |`),
  ];
  console.log(lines.join('\n'));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', `ops-latest${version.endsWith('.kraft') ? '-kraft' : ''}.json`), JSON.stringify({ date: new Date().toISOString(), version, baselineMs, rows }, null, 2) + '\n');
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
