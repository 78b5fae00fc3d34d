/**
 * npm run bench:create — CreateCluster → ACTIVE for a 3-broker ZooKeeper+TLS cluster and a 3-broker
 * KRaft cluster (median and worst of N each, time split by step), against a baseline measured in the
 * same run: one KRaft broker started by hand with `docker run`, until a client sees it.
 * Runs API + worker in this process on a fresh database; loopback only; cleans up after itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { newKraftClusterId } from '@openmsk/domain';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, DeleteClusterCommand, DescribeClusterCommand } from '@aws-sdk/client-kafka';
import { startStack } from '../apps/worker/test/stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const worst = (xs: number[]) => Math.max(...xs);
const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const stack = await startStack();
  const kafka = stack.client();
  const results: Record<string, { total: number[]; steps: Record<string, number[]> }> = {};
  try {
    for (const [label, version] of [['zookeeper+tls', '3.9.x'], ['kraft', '4.1.x.kraft']] as const) {
      results[label] = { total: [], steps: {} };
      for (let i = 0; i < RUNS; i++) {
        stack.logs.length = 0;
        const t0 = Date.now();
        const { ClusterArn } = await kafka.send(new CreateClusterCommand({
          ClusterName: `bench-${label.replace(/\W/g, '')}-${i}`, KafkaVersion: version, NumberOfBrokerNodes: 3,
          BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
        }));
        for (;;) {
          const state = (await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo?.State;
          if (state === 'ACTIVE') break;
          if (state === 'FAILED') throw new Error(`${label} run ${i} FAILED`);
          await new Promise((r) => setTimeout(r, 50));
        }
        const total = Date.now() - t0;
        results[label].total.push(total);
        for (const line of stack.logs) {
          const m = /^step (\w+) done in (\d+) ms/.exec(line);
          if (m) (results[label].steps[m[1]] ??= []).push(Number(m[2]));
        }
        console.log(`${label} run ${i + 1}/${RUNS}: ${fmt(total)}`);
        await kafka.send(new DeleteClusterCommand({ ClusterArn }));
        for (;;) {
          const gone = await kafka.send(new DescribeClusterCommand({ ClusterArn })).then(() => false, () => true);
          if (gone) break;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  } finally {
    await stack.close();
  }
  const baseline = baselineDockerRun();
  const lines = [
    `openmsk bench:create — ${new Date().toISOString()} — ${cpus().length} cores, node ${process.version}, ${RUNS} runs each`,
    '',
    '| cluster (3 brokers) | median | worst | ratio to bare broker (median) |',
    '|---|---|---|---|',
    ...Object.entries(results).map(([k, r]) => `| ${k} | ${fmt(median(r.total))} | ${fmt(worst(r.total))} | ${(median(r.total) / median(baseline)).toFixed(1)}× |`),
    `| baseline: one KRaft broker by hand (docker run → kcat -L) | ${fmt(median(baseline))} | ${fmt(worst(baseline))} | 1.0× |`,
    '',
    'median time per step (ms):',
    ...Object.entries(results).map(([k, r]) => `  ${k}: ${Object.entries(r.steps).map(([s, v]) => `${s} ${median(v)}`).join(', ')}`),
  ];
  console.log(lines.join('\n'));
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'create-latest.json'), JSON.stringify({ date: new Date().toISOString(), runs: RUNS, results, baseline }, null, 2) + '\n');
}

/** One broker started by hand: format + start a combined KRaft node, until kcat lists it. */
function baselineDockerRun(): number[] {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'openmsk-bench-'));
    const port = 19500 + i * 2;
    writeFileSync(join(dir, 'server.properties'), [
      'process.roles=broker,controller', 'node.id=1', `controller.quorum.voters=1@127.0.0.1:${port + 1}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${port + 1}`, 'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'log.dirs=/var/lib/kafka/data', 'offsets.topic.replication.factor=1', 'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1', 'transaction.state.log.replication.factor=1', 'transaction.state.log.min.isr=1',
    ].join('\n'));
    const name = `openmsk-bench-baseline-${i}`;
    const t0 = Date.now();
    execFileSync('docker', ['run', '-d', '--name', name, '--network', 'host', '-e', 'KAFKA_HEAP_OPTS=-Xms512m -Xmx512m', '-v', `${dir}:/etc/kafka:ro`,
      '--entrypoint', '/bin/sh', 'openmsk/kafka:4.1.1', '-c',
      `/opt/kafka/bin/run format /etc/kafka/server.properties ${newKraftClusterId()} >/dev/null && exec /opt/kafka/bin/run broker /etc/kafka/server.properties`]);
    for (;;) {
      const r = spawnSync('kcat', ['-b', `127.0.0.1:${port}`, '-L', '-m', '1'], { encoding: 'utf8' });
      if (r.status === 0 && /1 brokers/.test(r.stdout)) break;
      if (Date.now() - t0 > 60_000) throw new Error('baseline broker never answered');
    }
    times.push(Date.now() - t0);
    spawnSync('docker', ['rm', '-f', name]);
    rmSync(dir, { recursive: true, force: true });
  }
  return times;
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
