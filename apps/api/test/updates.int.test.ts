import {
  CreateClusterCommand, CreateConfigurationCommand, DescribeClusterCommand, DescribeClusterOperationCommand, KafkaClient,
  RebootBrokerCommand, UpdateBrokerCountCommand, UpdateBrokerStorageCommand, UpdateBrokerTypeCommand,
  UpdateClusterConfigurationCommand, UpdateClusterKafkaVersionCommand, UpdateConfigurationCommand, UpdateMonitoringCommand,
  UpdateStorageCommand, type ClusterInfo, type CreateClusterRequest,
} from '@aws-sdk/client-kafka';
import { startApi, type Harness } from './harness';
import { expectError, refused } from './helpers';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const NO_EBS_UPDATES = 'The request does not include any updates to the EBS volumes of the cluster. Verify the request, then try again.';
const STALE = "The version of the cluster isn't current. Check the current version and try again.";
let seq = 0;

/** A cluster made ACTIVE directly in the database (no worker runs here); returns its ARN and currentVersion. */
async function activeCluster(over: Partial<CreateClusterRequest> = {}) {
  const out = await kafka.send(new CreateClusterCommand({
    ClusterName: `upd-${++seq}`,
    KafkaVersion: '3.9.x',
    NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: {
      InstanceType: 'kafka.m5.large',
      ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
      StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } },
    },
    ...over,
  }));
  const arn = out.ClusterArn!;
  const row = await h.db.cluster.update({ where: { arn }, data: { state: 'ACTIVE' } });
  return { arn, version: row.currentVersion };
}

/** What the worker does when an operation ends, as far as these tests need it: the cluster is ACTIVE again. */
const finish = (arn: string) => h.db.cluster.update({ where: { arn }, data: { state: 'ACTIVE', activeOperationArn: null } });

const describe_ = async (arn: string) => (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
const operation = async (arn: string) => (await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn: arn }))).ClusterOperationInfo!;

/** A refused call: nothing written anywhere (row counts) and the cluster row exactly as before. */
async function refusedUnchanged(arn: string, cmd: object) {
  const before = await h.db.cluster.findUnique({ where: { arn } });
  const e = await refused(h, kafka, cmd);
  expect(await h.db.cluster.findUnique({ where: { arn } })).toEqual(before);
  return e;
}

/**
 * The accepted-call contract: {ClusterArn, ClusterOperationArn}; the cluster in `state` with a new
 * currentVersion and the operation as ActiveOperationArn; the operation PENDING with exactly these
 * source/target infos, enqueued. Returns the cluster as DescribeCluster shows it now.
 */
async function expectAccepted(
  out: { ClusterArn?: string; ClusterOperationArn?: string },
  arn: string,
  oldVersion: string,
  expected: { type: string; state?: string; source: object; target: object },
): Promise<ClusterInfo> {
  expect(out.ClusterArn).toBe(arn);
  const clusterPart = arn.split(':cluster/')[1];
  expect(out.ClusterOperationArn).toMatch(new RegExp(`^${arn.split(':cluster/')[0]}:cluster-operation/${clusterPart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[0-9a-f-]{36}$`));
  const c = await describe_(arn);
  expect(c.State).toBe(expected.state ?? 'UPDATING');
  expect(c.CurrentVersion).toMatch(/^K[A-Z0-9]{13}$/);
  expect(c.CurrentVersion).not.toBe(oldVersion);
  expect(c.ActiveOperationArn).toBe(out.ClusterOperationArn);
  const op = await operation(out.ClusterOperationArn!);
  expect(op).toMatchObject({ ClusterArn: arn, OperationArn: out.ClusterOperationArn, OperationType: expected.type, OperationState: 'PENDING' });
  expect(op.SourceClusterInfo).toEqual(expected.source);
  expect(op.TargetClusterInfo).toEqual(expected.target);
  expect(op.EndTime).toBeUndefined();
  const row = await h.db.clusterOperation.findUnique({ where: { arn: out.ClusterOperationArn! } });
  expect(row?.enqueued).toBe(true);
  return c;
}

/** Every update, with valid input for a cluster made by activeCluster(); for the common rules. */
const EVERY_UPDATE: [string, (arn: string, v: string) => object][] = [
  ['UpdateBrokerCount', (arn, v) => new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: v, TargetNumberOfBrokerNodes: 6 })],
  ['UpdateBrokerStorage', (arn, v) => new UpdateBrokerStorageCommand({ ClusterArn: arn, CurrentVersion: v, TargetBrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 200 }] })],
  ['UpdateStorage', (arn, v) => new UpdateStorageCommand({ ClusterArn: arn, CurrentVersion: v, VolumeSizeGB: 200 })],
  ['UpdateBrokerType', (arn, v) => new UpdateBrokerTypeCommand({ ClusterArn: arn, CurrentVersion: v, TargetInstanceType: 'kafka.m5.xlarge' })],
  ['UpdateClusterKafkaVersion', (arn, v) => new UpdateClusterKafkaVersionCommand({ ClusterArn: arn, CurrentVersion: v, TargetKafkaVersion: '3.9.x' })],
  ['UpdateMonitoring', (arn, v) => new UpdateMonitoringCommand({ ClusterArn: arn, CurrentVersion: v, EnhancedMonitoring: 'PER_BROKER' })],
  ['RebootBroker', (arn) => new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ['1'] })],
];
const V38 = { KafkaVersion: '3.8.x' }; // so that the version upgrade in EVERY_UPDATE has a target

describe('common rules of every update operation', () => {
  test.each(EVERY_UPDATE)('%s: unknown cluster, or another account\'s → 404 NotFoundException', async (_name, make) => {
    const { arn, version } = await activeCluster(V38);
    const missing = arn.replace(/[0-9a-f]{8}-/, '00000000-');
    expectError(await refusedUnchanged(arn, make(missing, version)), 'NotFoundException', 404, 'clusterArn');
    const other = await h.newAccount(`other-${++seq}`);
    const stranger = h.client({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
    const before = await h.db.cluster.findUnique({ where: { arn } });
    const e = await stranger.send(make(arn, version) as never).then(() => undefined, (x) => x);
    expectError(e, 'NotFoundException', 404, 'clusterArn');
    expect(await h.db.cluster.findUnique({ where: { arn } })).toEqual(before);
    // Another region of the same account does not see it either.
    const e2 = await h.client(undefined, 'eu-west-1').send(make(arn, version) as never).then(() => undefined, (x) => x);
    expectError(e2, 'NotFoundException', 404, 'clusterArn');
  });

  test.each(EVERY_UPDATE)('%s: a cluster that is not ACTIVE → 400 naming the state', async (_name, make) => {
    for (const state of ['CREATING', 'UPDATING', 'REBOOTING_BROKER', 'FAILED', 'DELETING', 'HEALING', 'MAINTENANCE']) {
      const { arn, version } = await activeCluster(V38);
      await h.db.cluster.update({ where: { arn }, data: { state } });
      const e = await refusedUnchanged(arn, make(arn, version));
      expectError(e, 'BadRequestException', 400, 'clusterArn');
      expect(e.message).toBe(`You can't update a cluster in ${state} state.`);
    }
  });

  test.each(EVERY_UPDATE.filter(([n]) => n !== 'RebootBroker'))('%s: stale or missing currentVersion → 400 currentVersion', async (_name, make) => {
    const { arn, version } = await activeCluster(V38);
    const e = await refusedUnchanged(arn, make(arn, 'KAAAAAAAAAAAAA'));
    expectError(e, 'BadRequestException', 400, 'currentVersion');
    expect(e.message).toBe(STALE);
    expectError(await refusedUnchanged(arn, make(arn, undefined as never)), 'BadRequestException', 400, 'currentVersion');
    // Accepted once; after the operation ends, the old version is no longer current.
    await kafka.send(make(arn, version) as never);
    await finish(arn);
    const again = await refusedUnchanged(arn, make(arn, version));
    expectError(again, 'BadRequestException', 400, 'currentVersion');
    expect(again.message).toBe(STALE);
  });

  test('RebootBroker has no currentVersion, yet an accepted reboot replaces it', async () => {
    const { arn, version } = await activeCluster();
    await kafka.send(new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ['2'] }));
    await finish(arn);
    expectError(await refusedUnchanged(arn, new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: version, TargetNumberOfBrokerNodes: 6 })),
      'BadRequestException', 400, 'currentVersion');
  });

  test('two concurrent UpdateBrokerCount calls with the same currentVersion: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const { arn, version } = await activeCluster();
      const send = (n: number) => kafka.send(new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: version, TargetNumberOfBrokerNodes: n }));
      const results = await Promise.allSettled([send(6), send(9)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect([won.length, lost.length]).toEqual([1, 1]);
      // The loser saw either the new version or the UPDATING state, depending on timing; both are 400s and wrote nothing.
      expect(lost[0].reason.name).toBe('BadRequestException');
      expect([STALE, "You can't update a cluster in UPDATING state."]).toContain(lost[0].reason.message);
      const cluster = await h.db.cluster.findUniqueOrThrow({ where: { arn }, include: { operations: true } });
      const updates = cluster.operations.filter((o) => o.operationType === 'INCREASE_BROKER_COUNT');
      expect(updates).toHaveLength(1);
      expect(cluster.activeOperationArn).toBe(updates[0].arn);
      expect(cluster.activeOperationArn).toBe((won[0] as PromiseFulfilledResult<{ ClusterOperationArn?: string }>).value.ClusterOperationArn);
    }
  });

  test('two concurrent calls of different operations with the same currentVersion: exactly one wins', async () => {
    const { arn, version } = await activeCluster(V38);
    const results = await Promise.allSettled(EVERY_UPDATE.filter(([n]) => n !== 'RebootBroker').map(([, make]) => kafka.send(make(arn, version) as never)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await h.db.clusterOperation.count({ where: { cluster: { arn } } })).toBe(2); // CREATE + the winner
  });
});

describe('UpdateBrokerCount', () => {
  test('accepted: INCREASE_BROKER_COUNT {NumberOfBrokerNodes: 3} → {6}; DescribeCluster still shows 3', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: version, TargetNumberOfBrokerNodes: 6 }));
    const c = await expectAccepted(out, arn, version, { type: 'INCREASE_BROKER_COUNT', source: { NumberOfBrokerNodes: 3 }, target: { NumberOfBrokerNodes: 6 } });
    expect(c.NumberOfBrokerNodes).toBe(3);
  });

  test.each([
    [2, /can only be increased/],
    [3, /does not include any updates/],
    [4, /^The number of broker nodes must be a multiple of Availability Zones in the Client Subnets parameter\.$/],
    [33, /between 1 and 30/],
    [0, /between 1 and 30/],
  ])('target %p → 400 targetNumberOfBrokerNodes, nothing changed', async (n, msg) => {
    const { arn, version } = await activeCluster();
    const e = await refusedUnchanged(arn, new UpdateBrokerCountCommand({ ClusterArn: arn, CurrentVersion: version, TargetNumberOfBrokerNodes: n }));
    expectError(e, 'BadRequestException', 400, 'targetNumberOfBrokerNodes');
    expect(e.message).toMatch(msg);
  });
});

describe('UpdateBrokerStorage', () => {
  const storage = (arn: string, v: string, entries: object[]) =>
    new UpdateBrokerStorageCommand({ ClusterArn: arn, CurrentVersion: v, TargetBrokerEBSVolumeInfo: entries as never });

  test('accepted: UPDATE_BROKER_STORAGE, All 100 → 1000 GiB; DescribeCluster still shows 100', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(storage(arn, version, [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 1000 }]));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_BROKER_STORAGE',
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100 }] },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 1000 }] },
    });
    expect(c.BrokerNodeGroupInfo?.StorageInfo?.EbsStorageInfo?.VolumeSize).toBe(100);
  });

  test('accepted: provisioned throughput on a kafka.m5.4xlarge cluster', async () => {
    const { arn, version } = await activeCluster({
      BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.4xlarge', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
    });
    const out = await kafka.send(storage(arn, version, [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100, ProvisionedThroughput: { Enabled: true, VolumeThroughput: 300 } }]));
    await expectAccepted(out, arn, version, {
      type: 'UPDATE_BROKER_STORAGE',
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100, ProvisionedThroughput: { Enabled: false } }] },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100, ProvisionedThroughput: { Enabled: true, VolumeThroughput: 300 } }] },
    });
  });

  test.each([
    ['equal size', [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100 }], 'targetBrokerEBSVolumeInfo', NO_EBS_UPDATES],
    ['smaller', [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 50 }], 'volumeSizeGB', /can only be increased/],
    ['over 16384 GiB', [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 16385 }], 'volumeSizeGB', /between 1 and 16384/],
    ['one broker', [{ KafkaBrokerNodeId: '1', VolumeSizeGB: 200 }], 'kafkaBrokerNodeId', /Unsupported KafkaBrokerNodeId \[1\]/],
    ['two entries', [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 200 }, { KafkaBrokerNodeId: 'All', VolumeSizeGB: 300 }], 'targetBrokerEBSVolumeInfo', /exactly one entry/],
    ['no entry', [], 'targetBrokerEBSVolumeInfo', /exactly one entry/],
    ['throughput on kafka.m5.large', [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 200, ProvisionedThroughput: { Enabled: true, VolumeThroughput: 300 } }],
      'provisionedThroughput', "Provisioned throughput isn't supported for instance type kafka.m5.large."],
  ])('%s → 400, nothing changed', async (_why, entries, param, msg) => {
    const { arn, version } = await activeCluster();
    const e = await refusedUnchanged(arn, storage(arn, version, entries));
    expectError(e, 'BadRequestException', 400, param);
    if (typeof msg === 'string') expect(e.message).toBe(msg);
    else expect(e.message).toMatch(msg);
  });
});

describe('UpdateStorage', () => {
  test('accepted: UPDATE_STORAGE with the size and the storage mode', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateStorageCommand({ ClusterArn: arn, CurrentVersion: version, VolumeSizeGB: 500, StorageMode: 'TIERED' }));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_STORAGE',
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100 }], StorageMode: 'LOCAL' },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 500 }], StorageMode: 'TIERED' },
    });
    expect(c.StorageMode).toBe('LOCAL');
    expect(c.BrokerNodeGroupInfo?.StorageInfo?.EbsStorageInfo?.VolumeSize).toBe(100);
  });

  test('accepted: the storage mode alone', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateStorageCommand({ ClusterArn: arn, CurrentVersion: version, StorageMode: 'TIERED', VolumeSizeGB: 100 }));
    await expectAccepted(out, arn, version, { type: 'UPDATE_STORAGE', source: { StorageMode: 'LOCAL' }, target: { StorageMode: 'TIERED' } });
  });

  test('refusals: nothing to change, shrink, TIERED → LOCAL, TIERED on kafka.t3.small', async () => {
    const local = await activeCluster();
    const cases: [object, string, string | RegExp][] = [
      [{}, 'volumeSizeGB', NO_EBS_UPDATES],
      [{ VolumeSizeGB: 100, StorageMode: 'LOCAL' }, 'volumeSizeGB', NO_EBS_UPDATES],
      [{ VolumeSizeGB: 10 }, 'volumeSizeGB', /can only be increased/],
      [{ VolumeSizeGB: 20000 }, 'volumeSizeGB', /between 1 and 16384/],
    ];
    for (const [input, param, msg] of cases) {
      const e = await refusedUnchanged(local.arn, new UpdateStorageCommand({ ClusterArn: local.arn, CurrentVersion: local.version, ...input }));
      expectError(e, 'BadRequestException', 400, param);
      if (typeof msg === 'string') expect(e.message).toBe(msg);
      else expect(e.message).toMatch(msg);
    }
    const tiered = await activeCluster({ StorageMode: 'TIERED' });
    const e = await refusedUnchanged(tiered.arn, new UpdateStorageCommand({ ClusterArn: tiered.arn, CurrentVersion: tiered.version, StorageMode: 'LOCAL' }));
    expectError(e, 'BadRequestException', 400, 'storageMode');
    expect(e.message).toBe("The storage mode can't be changed from TIERED to LOCAL.");
    const small = await activeCluster({ NumberOfBrokerNodes: 2, BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] } });
    const e2 = await refusedUnchanged(small.arn, new UpdateStorageCommand({ ClusterArn: small.arn, CurrentVersion: small.version, StorageMode: 'TIERED' }));
    expectError(e2, 'BadRequestException', 400, 'storageMode');
    expect(e2.message).toBe("Tiered storage isn't supported for instance type kafka.t3.small.");
  });
});

describe('UpdateBrokerType', () => {
  test('accepted: UPDATE_BROKER_TYPE {InstanceType} → {InstanceType}; DescribeCluster keeps the old type', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateBrokerTypeCommand({ ClusterArn: arn, CurrentVersion: version, TargetInstanceType: 'kafka.m7g.large' }));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_BROKER_TYPE', source: { InstanceType: 'kafka.m5.large' }, target: { InstanceType: 'kafka.m7g.large' },
    });
    expect(c.BrokerNodeGroupInfo?.InstanceType).toBe('kafka.m5.large');
  });

  test.each([
    ['kafka.m5.large', /does not include any updates/],
    ['kafka.m5.24xlarge', /^Unsupported InstanceType \[kafka.m5.24xlarge\]. Valid values: \[kafka.t3.small, /],
    ['m5', /between 5 and 32 characters/],
  ])('%s → 400 targetInstanceType, nothing changed', async (type, msg) => {
    const { arn, version } = await activeCluster();
    const e = await refusedUnchanged(arn, new UpdateBrokerTypeCommand({ ClusterArn: arn, CurrentVersion: version, TargetInstanceType: type }));
    expectError(e, 'BadRequestException', 400, 'targetInstanceType');
    expect(e.message).toMatch(msg);
  });
});

describe('RebootBroker', () => {
  test('accepted: REBOOTING_BROKER, REBOOT_NODE with empty infos; the broker id is stored for the worker', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ['3'] }));
    await expectAccepted(out, arn, version, { type: 'REBOOT_NODE', state: 'REBOOTING_BROKER', source: {}, target: {} });
    const row = await h.db.clusterOperation.findUniqueOrThrow({ where: { arn: out.ClusterOperationArn! } });
    expect(row.targetClusterInfo).toEqual({ BrokerIds: ['3'] });
    expect(row.sourceClusterInfo).toEqual({});
  });

  test.each([[[]], [['1', '2']], [['0']], [['4']], [['b-1']], [['']]])('brokerIds %j → 400 brokerIds, nothing changed', async (ids) => {
    const { arn } = await activeCluster();
    expectError(await refusedUnchanged(arn, new RebootBrokerCommand({ ClusterArn: arn, BrokerIds: ids })), 'BadRequestException', 400, 'brokerIds');
  });
});

describe('UpdateClusterKafkaVersion', () => {
  test('accepted: UPDATE_CLUSTER_KAFKA_VERSION {KafkaVersion: 3.8.x} → {3.9.x}; DescribeCluster keeps 3.8.x', async () => {
    const { arn, version } = await activeCluster(V38);
    const out = await kafka.send(new UpdateClusterKafkaVersionCommand({ ClusterArn: arn, CurrentVersion: version, TargetKafkaVersion: '3.9.x' }));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_CLUSTER_KAFKA_VERSION', source: { KafkaVersion: '3.8.x' }, target: { KafkaVersion: '3.9.x' },
    });
    expect(c.CurrentBrokerSoftwareInfo?.KafkaVersion).toBe('3.8.x');
  });

  test('accepted with a configuration for the target version: both infos carry ConfigurationInfo', async () => {
    const old = await configuration(['3.8.x']);
    const next = await configuration(['3.9.x']);
    const { arn, version } = await activeCluster({ ...V38, ConfigurationInfo: { Arn: old, Revision: 1 } });
    const out = await kafka.send(new UpdateClusterKafkaVersionCommand({
      ClusterArn: arn, CurrentVersion: version, TargetKafkaVersion: '3.9.x', ConfigurationInfo: { Arn: next, Revision: 1 },
    }));
    await expectAccepted(out, arn, version, {
      type: 'UPDATE_CLUSTER_KAFKA_VERSION',
      source: { KafkaVersion: '3.8.x', ConfigurationInfo: { Arn: old, Revision: 1 } },
      target: { KafkaVersion: '3.9.x', ConfigurationInfo: { Arn: next, Revision: 1 } },
    });
  });

  test('refusals: downgrade, across ZooKeeper/KRaft, unknown, configuration not for the target', async () => {
    const zk = await activeCluster(V38);
    const cases: [string, string | RegExp][] = [
      ['3.9.x.kraft', 'Unsupported TargetKafkaVersion [3.9.x.kraft] for a cluster on 3.8.x. Valid values: [3.9.x]'],
      ['3.8.x', 'Unsupported TargetKafkaVersion [3.8.x] for a cluster on 3.8.x. Valid values: [3.9.x]'],
      ['2.8.1', /Valid values: \[3.9.x\]/],
    ];
    for (const [target, msg] of cases) {
      const e = await refusedUnchanged(zk.arn, new UpdateClusterKafkaVersionCommand({ ClusterArn: zk.arn, CurrentVersion: zk.version, TargetKafkaVersion: target }));
      expectError(e, 'BadRequestException', 400, 'targetKafkaVersion');
      if (typeof msg === 'string') expect(e.message).toBe(msg);
      else expect(e.message).toMatch(msg);
    }
    const newest = await activeCluster();
    const down = await refusedUnchanged(newest.arn, new UpdateClusterKafkaVersionCommand({ ClusterArn: newest.arn, CurrentVersion: newest.version, TargetKafkaVersion: '3.8.x' }));
    expectError(down, 'BadRequestException', 400, 'targetKafkaVersion');
    expect(down.message).toBe('Unsupported TargetKafkaVersion [3.8.x] for a cluster on 3.9.x. Valid values: []');

    const only38 = await configuration(['3.8.x']);
    const e = await refusedUnchanged(zk.arn, new UpdateClusterKafkaVersionCommand({
      ClusterArn: zk.arn, CurrentVersion: zk.version, TargetKafkaVersion: '3.9.x', ConfigurationInfo: { Arn: only38, Revision: 1 },
    }));
    expectError(e, 'BadRequestException', 400, 'configurationInfo');
    expect(e.message).toMatch(/doesn't support Apache Kafka version 3.9.x/);
    // Without a new configuration, the one the cluster runs must allow the target.
    const pinned = await activeCluster({ ...V38, ConfigurationInfo: { Arn: only38, Revision: 1 } });
    const e2 = await refusedUnchanged(pinned.arn, new UpdateClusterKafkaVersionCommand({ ClusterArn: pinned.arn, CurrentVersion: pinned.version, TargetKafkaVersion: '3.9.x' }));
    expectError(e2, 'BadRequestException', 400, 'configurationInfo');
    const unknown = await refusedUnchanged(zk.arn, new UpdateClusterKafkaVersionCommand({
      ClusterArn: zk.arn, CurrentVersion: zk.version, TargetKafkaVersion: '3.9.x', ConfigurationInfo: { Arn: only38.replace(/[0-9a-f]{8}-/, '00000000-'), Revision: 1 },
    }));
    expectError(unknown, 'BadRequestException', 400, 'configurationInfo');
    expect(unknown.message).toBe('Invalid Configuration ARN.');
  });
});

async function configuration(kafkaVersions: string[]) {
  const out = await kafka.send(new CreateConfigurationCommand({
    Name: `cfg-${++seq}`, KafkaVersions: kafkaVersions, ServerProperties: new Uint8Array(Buffer.from('auto.create.topics.enable=false\n')),
  }));
  return out.Arn!;
}

describe('UpdateClusterConfiguration', () => {
  test('accepted: UPDATE_CLUSTER_CONFIGURATION revision 1 → 2; DescribeCluster keeps revision 1', async () => {
    const cfg = await configuration(['3.9.x']);
    await kafka.send(new UpdateConfigurationCommand({ Arn: cfg, ServerProperties: new Uint8Array(Buffer.from('num.partitions=3\n')) }));
    const { arn, version } = await activeCluster({ ConfigurationInfo: { Arn: cfg, Revision: 1 } });
    const out = await kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: version, ConfigurationInfo: { Arn: cfg, Revision: 2 } }));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_CLUSTER_CONFIGURATION',
      source: { ConfigurationInfo: { Arn: cfg, Revision: 1 } },
      target: { ConfigurationInfo: { Arn: cfg, Revision: 2 } },
    });
    expect(c.CurrentBrokerSoftwareInfo).toMatchObject({ ConfigurationArn: cfg, ConfigurationRevision: 1 });
  });

  test('accepted on a cluster with the MSK default configuration: empty source', async () => {
    const cfg = await configuration([]);
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: version, ConfigurationInfo: { Arn: cfg, Revision: 1 } }));
    await expectAccepted(out, arn, version, { type: 'UPDATE_CLUSTER_CONFIGURATION', source: {}, target: { ConfigurationInfo: { Arn: cfg, Revision: 1 } } });
  });

  test('refusals: unknown or malformed ARN, unknown revision, another account\'s, wrong version, same revision', async () => {
    const cfg = await configuration(['3.9.x']);
    const for38 = await configuration(['3.8.x']);
    const other = await h.newAccount(`cfg-owner-${++seq}`);
    const theirs = (await h.client({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey }).send(new CreateConfigurationCommand({
      Name: 'theirs', ServerProperties: new Uint8Array(Buffer.from('num.partitions=1\n')),
    }))).Arn!;
    const { arn, version } = await activeCluster({ ConfigurationInfo: { Arn: cfg, Revision: 1 } });
    const cases: [{ Arn: string; Revision: number }, string | RegExp][] = [
      [{ Arn: cfg.replace(/[0-9a-f]{8}-/, '00000000-'), Revision: 1 }, 'Invalid Configuration ARN.'],
      [{ Arn: 'arn:aws:kafka:us-east-1:123:nope', Revision: 1 }, 'Invalid Configuration ARN.'],
      [{ Arn: theirs, Revision: 1 }, 'Invalid Configuration ARN.'],
      [{ Arn: cfg, Revision: 99 }, 'Invalid Configuration revision 99.'],
      [{ Arn: for38, Revision: 1 }, /doesn't support Apache Kafka version 3.9.x/],
      [{ Arn: cfg, Revision: 1 }, /does not include any updates/],
    ];
    for (const [ci, msg] of cases) {
      const e = await refusedUnchanged(arn, new UpdateClusterConfigurationCommand({ ClusterArn: arn, CurrentVersion: version, ConfigurationInfo: ci }));
      expectError(e, 'BadRequestException', 400, 'configurationInfo');
      if (typeof msg === 'string') expect(e.message).toBe(msg);
      else expect(e.message).toMatch(msg);
    }
  });
});

describe('UpdateMonitoring', () => {
  test('accepted: UPDATE_MONITORING with the changed fields only; the cluster is UPDATING and shows its old settings until the operation completes', async () => {
    const { arn, version } = await activeCluster();
    const logging = { BrokerLogs: { CloudWatchLogs: { Enabled: true, LogGroup: 'msk-logs' }, S3: { Enabled: false } } };
    const out = await kafka.send(new UpdateMonitoringCommand({
      ClusterArn: arn, CurrentVersion: version,
      EnhancedMonitoring: 'PER_TOPIC_PER_BROKER',
      OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } } },
      LoggingInfo: logging,
    }));
    const c = await expectAccepted(out, arn, version, {
      type: 'UPDATE_MONITORING',
      source: {
        EnhancedMonitoring: 'DEFAULT',
        OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: false }, NodeExporter: { EnabledInBroker: false } } },
        LoggingInfo: { BrokerLogs: {} },
      },
      target: {
        EnhancedMonitoring: 'PER_TOPIC_PER_BROKER',
        OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } } },
        LoggingInfo: logging,
      },
    });
    // As MSK: the target is the operation's; the cluster takes it when the worker completes it (no worker here).
    expect(c.EnhancedMonitoring).toBe('DEFAULT');
    expect(c.OpenMonitoring?.Prometheus?.JmxExporter?.EnabledInBroker).toBe(false);
    expect(c.LoggingInfo).toBeUndefined();
  });

  test('only the enhanced monitoring level: the other fields are not in the record', async () => {
    const { arn, version } = await activeCluster();
    const out = await kafka.send(new UpdateMonitoringCommand({
      ClusterArn: arn, CurrentVersion: version, EnhancedMonitoring: 'PER_BROKER',
      OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: false }, NodeExporter: { EnabledInBroker: false } } },
    }));
    await expectAccepted(out, arn, version, { type: 'UPDATE_MONITORING', source: { EnhancedMonitoring: 'DEFAULT' }, target: { EnhancedMonitoring: 'PER_BROKER' } });
  });

  test('refusals: nothing different, unknown level, malformed shapes', async () => {
    const { arn, version } = await activeCluster();
    const cases: [object, string, RegExp][] = [
      [{}, 'enhancedMonitoring', /does not include any updates to the monitoring settings/],
      [{ EnhancedMonitoring: 'DEFAULT' }, 'enhancedMonitoring', /does not include any updates/],
      [{ EnhancedMonitoring: 'EVERYTHING' }, 'enhancedMonitoring', /EVERYTHING|must be one of/],
      [{ OpenMonitoring: { Prometheus: {} } }, 'openMonitoring', /does not include any updates/],
      [{ LoggingInfo: { BrokerLogs: { S3: { Bucket: 'b' } } } }, 'enabled', /enabled/],
    ];
    for (const [input, param, msg] of cases) {
      const e = await refusedUnchanged(arn, new UpdateMonitoringCommand({ ClusterArn: arn, CurrentVersion: version, ...input }));
      expectError(e, 'BadRequestException', 400, param);
      expect(e.message).toMatch(msg);
    }
  });
});
