import type { CreateClusterRequest } from '@aws-sdk/client-kafka';
import { applyCreateDefaults } from '../../src/rules/create-cluster';
import {
  applyClusterUpdate, assertUpgradeTarget, type ClusterSnapshot, NO_EBS_UPDATES_MESSAGE, planRebootBroker,
  planUpdateBrokerCount, planUpdateBrokerStorage, planUpdateBrokerType, planUpdateClusterConfiguration,
  planUpdateClusterKafkaVersion, planUpdateMonitoring, planUpdateSecurity, planUpdateStorage, validateConfigurationInfo,
} from '../../src/rules/updates';
import { expectBadRequest } from '../helpers';

const CONFIG_ARN = 'arn:aws:kafka:us-east-1:123456789012:configuration/cfg/0f0c7a4e-1111-2222-3333-444455556666-1';
const OTHER_CONFIG_ARN = 'arn:aws:kafka:us-east-1:123456789012:configuration/other/0f0c7a4e-1111-2222-3333-444455556666-2';

function cluster(over: Partial<CreateClusterRequest> = {}, configuration?: { Arn: string; Revision: number }): ClusterSnapshot {
  const input: CreateClusterRequest = {
    ClusterName: 'c',
    KafkaVersion: '3.8.x',
    NumberOfBrokerNodes: 3,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], StorageInfo: { EbsStorageInfo: { VolumeSize: 100 } } },
    ...over,
  };
  const spec = applyCreateDefaults(input, { region: 'us-east-1', account: '123456789012' });
  return { kafkaVersion: input.KafkaVersion!, numberOfBrokerNodes: input.NumberOfBrokerNodes!, configuration, spec };
}

const big = (volume = 100, pt?: { Enabled: boolean; VolumeThroughput?: number }) => cluster({
  BrokerNodeGroupInfo: {
    InstanceType: 'kafka.m5.4xlarge', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
    StorageInfo: { EbsStorageInfo: { VolumeSize: volume, ...(pt && { ProvisionedThroughput: pt }) } },
  },
});

describe('planUpdateBrokerCount', () => {
  test('increase to a multiple of the subnets: only NumberOfBrokerNodes in source and target', () => {
    expect(planUpdateBrokerCount({ TargetNumberOfBrokerNodes: 6 }, cluster())).toEqual({
      source: { NumberOfBrokerNodes: 3 }, target: { NumberOfBrokerNodes: 6 },
    });
    expect(planUpdateBrokerCount({ TargetNumberOfBrokerNodes: 30 }, cluster()).target).toEqual({ NumberOfBrokerNodes: 30 });
  });

  test.each([
    [3, /does not include any updates.*already has 3 broker nodes/],
    [2, /can only be increased/],
    [4, /multiple of Availability Zones/],
    [33, /between 1 and 30/],
    [0, /between 1 and 30/],
    [4.5, /between 1 and 30/],
  ])('target %p is refused', (n, msg) => {
    expectBadRequest(() => planUpdateBrokerCount({ TargetNumberOfBrokerNodes: n }, cluster()), msg, 'targetNumberOfBrokerNodes');
  });
});

describe('planUpdateBrokerStorage', () => {
  const all = (VolumeSizeGB?: number, ProvisionedThroughput?: object) => ({
    TargetBrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB, ...(ProvisionedThroughput && { ProvisionedThroughput }) }],
  });

  test('grows the volume: BrokerEBSVolumeInfo for All with both sizes', () => {
    expect(planUpdateBrokerStorage(all(1000), cluster())).toEqual({
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100 }] },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 1000 }] },
    });
    expect(planUpdateBrokerStorage(all(16384), cluster()).target.BrokerEBSVolumeInfo?.[0].VolumeSizeGB).toBe(16384);
  });

  test('equal size is MSK\'s "does not include any updates"; smaller, too big, not an integer are refused', () => {
    expectBadRequest(() => planUpdateBrokerStorage(all(100), cluster()), NO_EBS_UPDATES_MESSAGE, 'targetBrokerEBSVolumeInfo');
    expectBadRequest(() => planUpdateBrokerStorage(all(50), cluster()), /can only be increased.*100 GiB/, 'volumeSizeGB');
    expectBadRequest(() => planUpdateBrokerStorage(all(16385), cluster()), /between 1 and 16384/, 'volumeSizeGB');
    expectBadRequest(() => planUpdateBrokerStorage(all(150.5), cluster()), /between 1 and 16384/, 'volumeSizeGB');
  });

  test('only one entry, for "All"', () => {
    expectBadRequest(() => planUpdateBrokerStorage({ TargetBrokerEBSVolumeInfo: [] }, cluster()), /exactly one entry/, 'targetBrokerEBSVolumeInfo');
    const two = { TargetBrokerEBSVolumeInfo: [...all(200).TargetBrokerEBSVolumeInfo, ...all(300).TargetBrokerEBSVolumeInfo] };
    expectBadRequest(() => planUpdateBrokerStorage(two, cluster()), /exactly one entry/, 'targetBrokerEBSVolumeInfo');
    for (const id of ['1', 'all', 'ALL', '']) {
      expectBadRequest(
        () => planUpdateBrokerStorage({ TargetBrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: id, VolumeSizeGB: 200 }] }, cluster()),
        /Unsupported KafkaBrokerNodeId/, 'kafkaBrokerNodeId',
      );
    }
  });

  test('provisioned throughput follows the CreateCluster rules; a throughput change alone is an update', () => {
    expect(planUpdateBrokerStorage(all(100, { Enabled: true, VolumeThroughput: 300 }), big())).toEqual({
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100, ProvisionedThroughput: { Enabled: false } }] },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100, ProvisionedThroughput: { Enabled: true, VolumeThroughput: 300 } }] },
    });
    // Same throughput as now and same size: nothing to do.
    expectBadRequest(() => planUpdateBrokerStorage(all(100, { Enabled: true, VolumeThroughput: 300 }), big(100, { Enabled: true, VolumeThroughput: 300 })),
      NO_EBS_UPDATES_MESSAGE, 'targetBrokerEBSVolumeInfo');
    expectBadRequest(() => planUpdateBrokerStorage(all(200, { Enabled: true, VolumeThroughput: 300 }), cluster()),
      "Provisioned throughput isn't supported for instance type kafka.m5.large.", 'provisionedThroughput');
    expectBadRequest(() => planUpdateBrokerStorage(all(200, { Enabled: true, VolumeThroughput: 1000 }), big()), /between 250 and 593/, 'volumeThroughput');
    expectBadRequest(() => planUpdateBrokerStorage(all(200, { VolumeThroughput: 300 }), big()), /enabled parameter must be a boolean/, 'enabled');
    expectBadRequest(() => planUpdateBrokerStorage(all(5, { Enabled: true, VolumeThroughput: 300 }), big(1)), /at least 10 GiB/, 'provisionedThroughput');
  });
});

describe('planUpdateStorage', () => {
  test('size, mode, throughput: only what changes is recorded', () => {
    expect(planUpdateStorage({ VolumeSizeGB: 200 }, cluster())).toEqual({
      source: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 100 }] },
      target: { BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 200 }] },
    });
    expect(planUpdateStorage({ StorageMode: 'TIERED' }, cluster())).toEqual({ source: { StorageMode: 'LOCAL' }, target: { StorageMode: 'TIERED' } });
    expect(planUpdateStorage({ StorageMode: 'TIERED', VolumeSizeGB: 100 }, cluster())).toEqual({ source: { StorageMode: 'LOCAL' }, target: { StorageMode: 'TIERED' } });
    expect(planUpdateStorage({ VolumeSizeGB: 300, StorageMode: 'TIERED' }, cluster()).target).toEqual({
      BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 300 }], StorageMode: 'TIERED',
    });
  });

  test('refusals', () => {
    expectBadRequest(() => planUpdateStorage({}, cluster()), NO_EBS_UPDATES_MESSAGE, 'volumeSizeGB');
    expectBadRequest(() => planUpdateStorage({ VolumeSizeGB: 100, StorageMode: 'LOCAL' }, cluster()), NO_EBS_UPDATES_MESSAGE, 'volumeSizeGB');
    expectBadRequest(() => planUpdateStorage({ VolumeSizeGB: 99 }, cluster()), /can only be increased/, 'volumeSizeGB');
    expectBadRequest(() => planUpdateStorage({ StorageMode: 'LOCAL' }, cluster({ StorageMode: 'TIERED' })), "The storage mode can't be changed from TIERED to LOCAL.", 'storageMode');
    expectBadRequest(() => planUpdateStorage({ StorageMode: 'FAST' as never }, cluster()), /Unsupported StorageMode \[FAST\]/, 'storageMode');
    const small = cluster({ NumberOfBrokerNodes: 2, BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] } });
    expectBadRequest(() => planUpdateStorage({ StorageMode: 'TIERED' }, small), "Tiered storage isn't supported for instance type kafka.t3.small.", 'storageMode');
  });
});

describe('planUpdateBrokerType', () => {
  test('another catalog type', () => {
    expect(planUpdateBrokerType({ TargetInstanceType: 'kafka.m5.xlarge' }, cluster())).toEqual({
      source: { InstanceType: 'kafka.m5.large' }, target: { InstanceType: 'kafka.m5.xlarge' },
    });
  });

  test('same, unknown, or incompatible with how the cluster stores data', () => {
    expectBadRequest(() => planUpdateBrokerType({ TargetInstanceType: 'kafka.m5.large' }, cluster()), /does not include any updates/, 'targetInstanceType');
    expectBadRequest(() => planUpdateBrokerType({ TargetInstanceType: 'kafka.m5.huge' }, cluster()), /Unsupported InstanceType \[kafka.m5.huge\]/, 'targetInstanceType');
    expectBadRequest(() => planUpdateBrokerType({ TargetInstanceType: 'kafka.t3.small' }, cluster({ StorageMode: 'TIERED' })), /Tiered storage/, 'targetInstanceType');
    expectBadRequest(() => planUpdateBrokerType({ TargetInstanceType: 'kafka.m5.large' }, big(100, { Enabled: true, VolumeThroughput: 300 })),
      /provisioned throughput of 300 MiB\/s/, 'targetInstanceType');
  });
});

describe('planRebootBroker', () => {
  test('one existing broker id; the id goes to target.BrokerIds', () => {
    expect(planRebootBroker({ BrokerIds: ['3'] }, cluster())).toEqual({ source: {}, target: { BrokerIds: ['3'] } });
  });

  test.each([[[]], [['1', '2']], [['0']], [['4']], [['01']], [['b-1']], [['1.0']]])('%j is refused', (ids) => {
    expectBadRequest(() => planRebootBroker({ BrokerIds: ids as string[] }, cluster()), /broker ID/, 'brokerIds');
  });
});

describe('planUpdateClusterKafkaVersion', () => {
  const cfg = (kafkaVersions: string[], arn = CONFIG_ARN, revision = 2) => ({ arn, revision, kafkaVersions });

  test('upgrade within the metadata mode; configuration recorded only when given', () => {
    expect(planUpdateClusterKafkaVersion({ TargetKafkaVersion: '3.9.x' }, cluster(), undefined, undefined)).toEqual({
      source: { KafkaVersion: '3.8.x' }, target: { KafkaVersion: '3.9.x' },
    });
    const withConfig = cluster({}, { Arn: OTHER_CONFIG_ARN, Revision: 1 });
    expect(planUpdateClusterKafkaVersion({ TargetKafkaVersion: '3.9.x' }, withConfig, cfg(['3.9.x']), undefined)).toEqual({
      source: { KafkaVersion: '3.8.x', ConfigurationInfo: { Arn: OTHER_CONFIG_ARN, Revision: 1 } },
      target: { KafkaVersion: '3.9.x', ConfigurationInfo: { Arn: CONFIG_ARN, Revision: 2 } },
    });
  });

  test('no downgrade, no ZooKeeper↔KRaft, no same version; the message lists valid targets', () => {
    expectBadRequest(() => assertUpgradeTarget('3.9.x', '3.8.x'), 'Unsupported TargetKafkaVersion [3.8.x] for a cluster on 3.9.x. Valid values: []', 'targetKafkaVersion');
    expectBadRequest(() => assertUpgradeTarget('3.8.x', '3.9.x.kraft'), 'Unsupported TargetKafkaVersion [3.9.x.kraft] for a cluster on 3.8.x. Valid values: [3.9.x]', 'targetKafkaVersion');
    expectBadRequest(() => assertUpgradeTarget('3.9.x.kraft', '3.9.x.kraft'), /Valid values: \[4.1.x.kraft\]/, 'targetKafkaVersion');
  });

  test('the configuration that will run must list the target version (given, else current)', () => {
    expectBadRequest(() => planUpdateClusterKafkaVersion({ TargetKafkaVersion: '3.9.x' }, cluster(), cfg(['3.8.x']), undefined),
      /doesn't support Apache Kafka version 3.9.x/, 'configurationInfo');
    const withConfig = cluster({}, { Arn: OTHER_CONFIG_ARN, Revision: 1 });
    expectBadRequest(() => planUpdateClusterKafkaVersion({ TargetKafkaVersion: '3.9.x' }, withConfig, undefined, cfg(['3.8.x'], OTHER_CONFIG_ARN, 1)),
      /doesn't support Apache Kafka version 3.9.x/, 'configurationInfo');
    // A configuration without versions applies to all.
    expect(planUpdateClusterKafkaVersion({ TargetKafkaVersion: '3.9.x' }, withConfig, undefined, cfg([], OTHER_CONFIG_ARN, 1)).target).toEqual({ KafkaVersion: '3.9.x' });
  });
});

describe('planUpdateClusterConfiguration and validateConfigurationInfo', () => {
  test('a different revision allowed for the cluster version', () => {
    const c = cluster({}, { Arn: CONFIG_ARN, Revision: 1 });
    expect(planUpdateClusterConfiguration(c, { arn: CONFIG_ARN, revision: 2, kafkaVersions: ['3.8.x'] })).toEqual({
      source: { ConfigurationInfo: { Arn: CONFIG_ARN, Revision: 1 } }, target: { ConfigurationInfo: { Arn: CONFIG_ARN, Revision: 2 } },
    });
    expect(planUpdateClusterConfiguration(cluster(), { arn: CONFIG_ARN, revision: 1, kafkaVersions: [] }).source).toEqual({});
  });

  test('same revision, or one that does not allow the version, is refused', () => {
    const c = cluster({}, { Arn: CONFIG_ARN, Revision: 1 });
    expectBadRequest(() => planUpdateClusterConfiguration(c, { arn: CONFIG_ARN, revision: 1, kafkaVersions: [] }), /does not include any updates/, 'configurationInfo');
    expectBadRequest(() => planUpdateClusterConfiguration(c, { arn: CONFIG_ARN, revision: 2, kafkaVersions: ['3.9.x'] }), /doesn't support Apache Kafka version 3.8.x/, 'configurationInfo');
  });

  test('validateConfigurationInfo: an ARN of a configuration and a positive revision', () => {
    expect(validateConfigurationInfo({ Arn: CONFIG_ARN, Revision: 3 })).toEqual({ Arn: CONFIG_ARN, Revision: 3 });
    expectBadRequest(() => validateConfigurationInfo({ Arn: 'nope', Revision: 1 }), 'Invalid Configuration ARN.', 'configurationInfo');
    expectBadRequest(() => validateConfigurationInfo({ Arn: CONFIG_ARN.replace('configuration/', 'cluster/'), Revision: 1 }), 'Invalid Configuration ARN.', 'configurationInfo');
    expectBadRequest(() => validateConfigurationInfo({ Arn: CONFIG_ARN, Revision: 0 }), /revision/, 'revision');
    expectBadRequest(() => validateConfigurationInfo(undefined), /required/, 'configurationInfo');
  });
});

describe('planUpdateMonitoring', () => {
  test('records only the fields that change', () => {
    expect(planUpdateMonitoring({ EnhancedMonitoring: 'PER_BROKER', OpenMonitoring: { Prometheus: {} } }, cluster())).toEqual({
      source: { EnhancedMonitoring: 'DEFAULT' }, target: { EnhancedMonitoring: 'PER_BROKER' },
    });
    const logging = { BrokerLogs: { CloudWatchLogs: { Enabled: true, LogGroup: 'g' } } };
    expect(planUpdateMonitoring({ OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true } } }, LoggingInfo: logging }, cluster())).toEqual({
      source: {
        OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: false }, NodeExporter: { EnabledInBroker: false } } },
        LoggingInfo: { BrokerLogs: {} },
      },
      target: {
        OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } } },
        LoggingInfo: logging,
      },
    });
  });

  test('nothing different, bad enum, bad shapes are refused', () => {
    expectBadRequest(() => planUpdateMonitoring({}, cluster()), /does not include any updates to the monitoring/, 'enhancedMonitoring');
    expectBadRequest(() => planUpdateMonitoring({ EnhancedMonitoring: 'DEFAULT' }, cluster()), /does not include any updates/, 'enhancedMonitoring');
    expectBadRequest(() => planUpdateMonitoring({ OpenMonitoring: { Prometheus: {} } }, cluster()), /does not include any updates/, 'openMonitoring');
    expectBadRequest(() => planUpdateMonitoring({ EnhancedMonitoring: 'ALL' as never }, cluster()), /Unsupported EnhancedMonitoring \[ALL\]/, 'enhancedMonitoring');
    expectBadRequest(() => planUpdateMonitoring({ OpenMonitoring: {} as never }, cluster()), /prometheus parameter is required/, 'prometheus');
    expectBadRequest(() => planUpdateMonitoring({ LoggingInfo: {} as never }, cluster()), /brokerLogs parameter is required/, 'brokerLogs');
    expectBadRequest(() => planUpdateMonitoring({ LoggingInfo: { BrokerLogs: { S3: {} as never } } }, cluster()), /enabled/, 'enabled');
  });

  test('key order of the stored settings does not matter (jsonb reorders keys)', () => {
    const c = cluster();
    c.spec.OpenMonitoring = JSON.parse('{"Prometheus":{"NodeExporter":{"EnabledInBroker":false},"JmxExporter":{"EnabledInBroker":false}}}');
    expectBadRequest(() => planUpdateMonitoring({ OpenMonitoring: { Prometheus: {} } }, c), /does not include any updates/, 'openMonitoring');
  });
});

describe('applyClusterUpdate', () => {
  test('applies every MutableClusterInfo member the plans produce, without touching the input', () => {
    const c = cluster();
    const before = structuredClone(c);
    const after = applyClusterUpdate(c, {
      NumberOfBrokerNodes: 6,
      BrokerEBSVolumeInfo: [{ KafkaBrokerNodeId: 'All', VolumeSizeGB: 500, ProvisionedThroughput: { Enabled: false } }],
      InstanceType: 'kafka.m5.xlarge',
      KafkaVersion: '3.9.x',
      ConfigurationInfo: { Arn: CONFIG_ARN, Revision: 4 },
      StorageMode: 'TIERED',
      EnhancedMonitoring: 'PER_BROKER',
      OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } } },
      LoggingInfo: { BrokerLogs: { S3: { Enabled: true, Bucket: 'b' } } },
      BrokerIds: ['1'],
    });
    expect(c).toEqual(before);
    expect(after).toMatchObject({
      kafkaVersion: '3.9.x', numberOfBrokerNodes: 6, configuration: { Arn: CONFIG_ARN, Revision: 4 },
      spec: {
        KafkaVersion: '3.9.x', NumberOfBrokerNodes: 6, ConfigurationInfo: { Arn: CONFIG_ARN, Revision: 4 }, StorageMode: 'TIERED', EnhancedMonitoring: 'PER_BROKER',
        BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.xlarge', StorageInfo: { EbsStorageInfo: { VolumeSize: 500, ProvisionedThroughput: { Enabled: false } } } },
        OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true } } },
        LoggingInfo: { BrokerLogs: { S3: { Enabled: true, Bucket: 'b' } } },
      },
    });
    expect(applyClusterUpdate(c, { BrokerIds: ['2'] })).toEqual(c);
  });
});

describe('planUpdateSecurity', () => {
  const open = () => cluster();
  const scram = { Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: true } };

  test('SCRAM on beside unauthenticated: source and target carry authentication and encryption in transit, applied by applyClusterUpdate', () => {
    const c = open();
    const plan = planUpdateSecurity({ ClientAuthentication: scram }, c);
    expect(plan.source.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: false }, Iam: { Enabled: false } }, Tls: { Enabled: false, CertificateAuthorityArnList: [] }, Unauthenticated: { Enabled: true },
    });
    expect(plan.target).toEqual({
      ClientAuthentication: { Sasl: { Scram: { Enabled: true }, Iam: { Enabled: false } }, Tls: { Enabled: false, CertificateAuthorityArnList: [] }, Unauthenticated: { Enabled: true } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
    });
    const after = applyClusterUpdate(c, plan.target);
    expect(after.spec.ClientAuthentication).toEqual(plan.target.ClientAuthentication);
    expect(c.spec.ClientAuthentication).toBeUndefined(); // the snapshot given is not changed
  });

  test('clientBroker may change; the current settings again are accepted', () => {
    const plan = planUpdateSecurity({ EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } } }, open());
    expect(plan.target.EncryptionInfo).toEqual({ EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT', InCluster: true } });
    expect(applyClusterUpdate(open(), plan.target).spec.EncryptionInfo.EncryptionInTransit.ClientBroker).toBe('TLS_PLAINTEXT');
    expect(() => planUpdateSecurity({ ClientAuthentication: { Unauthenticated: { Enabled: true } } }, open())).not.toThrow();
  });

  test.each([
    [{}, 'The request does not include any updates to the security settings of the cluster. Verify the request, then try again.', 'clientAuthentication'],
    [{ EncryptionInfo: { EncryptionInTransit: { InCluster: false } } }, "You can't update the in-cluster (broker-to-broker) encryption setting of a cluster.", 'inCluster'],
    [{ EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/other' } } }, "You can't update the encryption at rest settings of a cluster.", 'encryptionAtRest'],
    [{ ClientAuthentication: { Sasl: { Scram: { Enabled: true } } }, EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT' } } }, 'SASL/SCRAM and IAM client authentication require clientBroker encryption TLS.', 'clientBroker'],
    [{ ClientAuthentication: { Unauthenticated: { Enabled: false } } }, 'At least one client authentication method must be enabled.', 'clientAuthentication'],
    [{ EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'SSL' } } }, 'Unsupported ClientBroker [SSL]. Valid values: [TLS, TLS_PLAINTEXT, PLAINTEXT]', 'clientBroker'],
  ])('refused: %j', (input, message, param) => {
    expectBadRequest(() => planUpdateSecurity(input as never, open()), message, param);
  });
});
