import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { CreateClusterCommand, DeleteClusterCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import type { Config } from '@openmsk/config';
import { startApi, type Harness } from '../../api/test/harness';
import { removeInstallation, sh, waitForState } from './stack';

const ROOT = join(__dirname, '..', '..', '..');

/** The real worker process (apps/worker/src/main.ts) on the test's database, queue prefix and home. */
function spawnWorker(config: Config): ChildProcess {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    detached: true, // its own process group, so SIGKILL reaches every process of it
    stdio: ['ignore', openSync(join(config.OPENMSK_HOME, `worker-${Date.now()}.log`), 'a'), 'inherit'],
    env: {
      ...process.env,
      OPENMSK_DATABASE_URL: config.OPENMSK_DATABASE_URL,
      OPENMSK_QUEUE_PREFIX: config.OPENMSK_QUEUE_PREFIX,
      OPENMSK_HOME: config.OPENMSK_HOME,
      OPENMSK_JOB_LOCK_SECONDS: '4',
      OPENMSK_RECONCILE_SECONDS: '2',
    },
  });
  return child;
}

const kill = (c: ChildProcess | undefined) => {
  if (c?.pid && c.exitCode === null) {
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
};

const brokerGroup = { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 5 } } };

describe('crash safety', () => {
  let h: Harness | undefined;
  let workers: ChildProcess[] = [];
  afterEach(async () => {
    workers.forEach(kill);
    workers = [];
    if (h) await removeInstallation(h.config);
    await h?.close();
    h = undefined;
  });

  test('a worker killed in the middle of a create: the next worker finishes it, with no duplicate containers', async () => {
    h = await startApi();
    const kafka: KafkaClient = h.client();
    workers.push(spawnWorker(h.config));
    const { ClusterArn } = await kafka.send(new CreateClusterCommand({ ClusterName: 'crashy', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 3, BrokerNodeGroupInfo: brokerGroup }));
    const id = ClusterArn!.split('/')[2].replace(/-\d+$/, '');
    // Kill it once the metadata quorum is starting: nodes, certificates and volumes exist, brokers do not.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const op = await h.db.clusterOperation.findFirstOrThrow({ where: { clusterId: id, operationType: 'CREATE' } });
      const steps = op.steps as { StepName: string; StepInfo: { StepStatus: string } }[];
      if (steps.some((s) => s.StepName === 'START_METADATA_QUORUM' && s.StepInfo.StepStatus !== 'PENDING')) break;
      if (Date.now() > deadline) throw new Error('create never reached START_METADATA_QUORUM');
      await new Promise((r) => setTimeout(r, 100));
    }
    kill(workers[0]);
    expect((await kafka.send(new (await import('@aws-sdk/client-kafka')).DescribeClusterCommand({ ClusterArn }))).ClusterInfo?.State).toBe('CREATING');

    workers.push(spawnWorker(h.config));
    await waitForState(kafka, ClusterArn!, 'ACTIVE', 240_000);
    const names = (await sh('docker', ['ps', '-a', '--filter', `label=openmsk.cluster=${id}`, '--format', '{{.Names}}'])).trim().split('\n');
    expect(names.length).toBe(6);
    expect(new Set(names).size).toBe(6);
    const ops = await h.db.clusterOperation.findMany({ where: { clusterId: id } });
    expect(ops.map((o) => [o.operationType, o.operationState])).toEqual([['CREATE', 'UPDATE_COMPLETE']]);
    expect((ops[0].steps as { StepInfo: { StepStatus: string } }[]).every((s) => s.StepInfo.StepStatus === 'COMPLETED')).toBe(true);

    await kafka.send(new DeleteClusterCommand({ ClusterArn }));
    await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
    expect((await sh('docker', ['ps', '-a', '--filter', `label=openmsk.cluster=${id}`, '-q'])).trim()).toBe('');
  }, 420_000);

  test('Redis down when the API accepts a create: carried out once a worker with Redis runs', async () => {
    // The API's queue points at a port where nothing listens: Redis is "down" for it.
    h = await startApi({ OPENMSK_REDIS_URL: 'redis://127.0.0.1:9' });
    const kafka: KafkaClient = h.client();
    const { ClusterArn } = await kafka.send(new CreateClusterCommand({ ClusterName: 'no-redis', KafkaVersion: '3.9.x.kraft', NumberOfBrokerNodes: 3, BrokerNodeGroupInfo: brokerGroup }));
    const id = ClusterArn!.split('/')[2].replace(/-\d+$/, '');
    const op = await h.db.clusterOperation.findFirstOrThrow({ where: { clusterId: id } });
    expect(op.enqueued).toBe(false);

    // Redis is back (the worker reaches the real one): the reconciler enqueues the outbox.
    workers.push(spawnWorker({ ...h.config, OPENMSK_REDIS_URL: 'redis://127.0.0.1:6379' }));
    await waitForState(kafka, ClusterArn!, 'ACTIVE', 240_000);
    expect((await h.db.clusterOperation.findUniqueOrThrow({ where: { id: op.id } })).enqueued).toBe(true);

    await kafka.send(new DeleteClusterCommand({ ClusterArn }));
    await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
  }, 420_000);

  test('a worker killed mid-roll: the next worker finishes the operation from where it stopped', async () => {
    h = await startApi();
    const kafka: KafkaClient = h.client();
    workers.push(spawnWorker(h.config));
    const { ClusterArn } = await kafka.send(new CreateClusterCommand({ ClusterName: 'rolling', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 3, BrokerNodeGroupInfo: brokerGroup }));
    const id = ClusterArn!.split('/')[2].replace(/-\d+$/, '');
    await waitForState(kafka, ClusterArn!, 'ACTIVE', 240_000);
    const { DescribeClusterCommand, DescribeClusterOperationCommand, UpdateBrokerTypeCommand } = await import('@aws-sdk/client-kafka');
    const CurrentVersion = (await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo!.CurrentVersion!;
    const { ClusterOperationArn } = await kafka.send(new UpdateBrokerTypeCommand({ ClusterArn, CurrentVersion, TargetInstanceType: 'kafka.m5.large' }));
    const memory = async (b: number) => Number((await sh('docker', ['inspect', '-f', '{{.HostConfig.Memory}}', `openmsk-${id}-broker-${b}`]).catch(() => '0')).trim());
    const started = async (b: number) => (await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${id}-broker-${b}`])).trim();
    const m5 = 1024 * 1024 * 1024;
    // Kill the worker as soon as the first broker runs with the new limits: the roll is mid-way.
    const deadline = Date.now() + 180_000;
    while ((await memory(1)) !== m5) {
      if (Date.now() > deadline) throw new Error('broker 1 was never rolled');
      await new Promise((r) => setTimeout(r, 100));
    }
    kill(workers[0]);
    const broker1Started = await started(1);
    expect((await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo?.State).toBe('UPDATING');

    workers.push(spawnWorker(h.config));
    for (;;) {
      const op = (await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn }))).ClusterOperationInfo!;
      if (op.EndTime) {
        expect({ state: op.OperationState, error: op.ErrorInfo }).toEqual({ state: 'UPDATE_COMPLETE', error: undefined });
        break;
      }
      if (Date.now() > deadline + 240_000) throw new Error('the roll never finished');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await Promise.all([1, 2, 3].map(memory))).toEqual([m5, m5, m5]);
    expect(await started(1)).toBe(broker1Started); // already rolled before the crash: not restarted again
    const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn }))).ClusterInfo!;
    expect({ state: info.State, type: info.BrokerNodeGroupInfo?.InstanceType }).toEqual({ state: 'ACTIVE', type: 'kafka.m5.large' });
  }, 600_000);
});
