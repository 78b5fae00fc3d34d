/**
 * The Docker engine and the host restart under a running cluster (3.9.x.kraft, TLS): dockerd is stopped (it stops
 * every container with it), the broker volumes are unmounted and their loop devices detached (what a host restart
 * leaves), and dockerd is started again. Without any call, the worker re-mounts the volumes, starts the controllers,
 * then the brokers, and the cluster is ACTIVE again with every message written before still there.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CreateTopicCommand, DescribeClusterCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { createTestCluster, kcat, sh, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

let s: Stack;
let kafka: KafkaClient;
let c: TestCluster;

const dockerUp = () => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  s = await startStack();
  kafka = s.client();
  c = await createTestCluster(s, kafka, 'engine-restart', '3.9.x.kraft');
}, 240_000);
afterAll(async () => {
  // Whatever happened, leave an engine running for the tests after this one.
  if (!dockerUp()) execFileSync('bash', [join(__dirname, '../../../scripts/docker.sh')], { stdio: 'inherit' });
  await s?.close();
}, 120_000);

test('dockerd stopped, volumes unmounted, dockerd started: the cluster comes back by itself, data intact', async () => {
  const topic = 'kept';
  await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
  const messages = Array.from({ length: 200 }, (_, i) => `m-${i}`);
  await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-P', '-t', topic, '-X', 'acks=all'], messages.join('\n') + '\n');

  const brokers = await s.db.node.findMany({ where: { clusterId: c.id, role: 'broker' } });
  const mounts = await Promise.all(brokers.map(async (b) => (await s.worker.deps.storage.status({ clusterId: c.id, nodeId: b.nodeId }))!.path));

  // The engine stops: dockerd stops every container on its way out.
  execFileSync('pkill', ['-TERM', '-x', 'dockerd']);
  for (let i = 0; i < 120 && (dockerUp() || execFileSync('sh', ['-c', 'pgrep -x dockerd || true']).toString().trim()); i++) await new Promise((r) => setTimeout(r, 500));
  expect(dockerUp()).toBe(false);
  // The host restarts: no mount, no loop device is left (volumes are plain directories where loop devices cannot be used).
  const loop = s.worker.storageKind === 'xfs-loop';
  for (const dir of loop ? mounts : []) {
    const dev = execFileSync('findmnt', ['-n', '-o', 'SOURCE', dir]).toString().trim();
    execFileSync('umount', [dir]);
    if (dev.startsWith('/dev/loop')) execFileSync('losetup', ['-d', dev]);
  }
  const t0 = Date.now();
  execFileSync('bash', [join(__dirname, '../../../scripts/docker.sh')], { stdio: 'ignore' });

  // No call to openmsk: the worker notices, re-mounts, restarts, and the cluster is ACTIVE again.
  let state = '';
  let seenHealing = false;
  while (Date.now() - t0 < 180_000) {
    state = (await kafka.send(new DescribeClusterCommand({ ClusterArn: c.ClusterArn }))).ClusterInfo!.State!;
    seenHealing ||= state === 'HEALING';
    const running = (await sh('docker', ['ps', '--filter', `label=openmsk.cluster=${c.id}`, '--format', '{{.Names}}'])).trim().split('\n').filter(Boolean);
    if (seenHealing && state === 'ACTIVE' && running.length === 6) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`back ACTIVE ${Date.now() - t0} ms after the engine started\n${s.logs.filter((l) => !/ step /.test(l)).slice(-30).join('\n')}`);
  expect([seenHealing, state]).toEqual([true, 'ACTIVE']);
  for (const dir of loop ? mounts : []) expect(execFileSync('findmnt', ['-n', '-o', 'FSTYPE', dir]).toString().trim()).toBe('xfs');
  const got = (await kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], undefined, 120_000)).trim().split('\n');
  expect(new Set(got)).toEqual(new Set(messages));
}, 420_000);
