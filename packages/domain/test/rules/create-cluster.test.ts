import type { CreateClusterRequest } from '@aws-sdk/client-kafka';
import {
  applyCreateDefaults, assertConfigurationAllowsVersion, createClusterV2ToV1, prepareCreateCluster, validateCreateCluster,
} from '../../src/rules/create-cluster';
import { expectBadRequest } from '../helpers';

const ctx = { region: 'us-east-1', account: '000000000000' };
const CFG = 'arn:aws:kafka:us-east-1:000000000000:configuration/cfg/6f5e1c2a-1b2c-4d3e-8f90-0123456789ab-1';

/** A minimal valid request with overrides; `group` overrides brokerNodeGroupInfo members. */
function req(over: Partial<CreateClusterRequest> = {}, group: Record<string, unknown> = {}): CreateClusterRequest {
  return {
    ClusterName: 'demo',
    KafkaVersion: '3.8.x',
    NumberOfBrokerNodes: 3,
    ...over,
    BrokerNodeGroupInfo: { ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'], InstanceType: 'kafka.m5.large', ...group } as never,
  };
}
const bad = (r: CreateClusterRequest, message: string | RegExp, param: string) => expectBadRequest(() => validateCreateCluster(r), message, param);
const tlsBroker = (clientBroker: string, inCluster = true) =>
  ({ EncryptionInfo: { EncryptionInTransit: { ClientBroker: clientBroker, InCluster: inCluster } } }) as Partial<CreateClusterRequest>;

describe('validateCreateCluster', () => {
  test('accepts a minimal request', () => {
    expect(() => validateCreateCluster(req())).not.toThrow();
  });

  test('clusterName', () => {
    bad(req({ ClusterName: undefined }), 'The clusterName parameter is required.', 'clusterName');
    bad(req({ ClusterName: 'my_cluster' }), 'The parameter value contains one or more characters that are not valid.', 'clusterName');
    bad(req({ ClusterName: 'x'.repeat(65) }), 'The clusterName parameter must be between 1 and 64 characters long.', 'clusterName');
  });

  test("kafkaVersion must be in the catalog, with MSK's message", () => {
    bad(req({ KafkaVersion: '2.8.1' }), 'Unsupported KafkaVersion [2.8.1]. Valid values: [3.8.x, 3.9.x, 3.9.x.kraft, 4.1.x.kraft]', 'kafkaVersion');
    bad(req({ KafkaVersion: undefined }), 'The kafkaVersion parameter is required.', 'kafkaVersion');
    expect(() => validateCreateCluster(req({ KafkaVersion: '4.1.x.kraft' }))).not.toThrow();
  });

  test('brokerNodeGroupInfo is required', () => {
    bad({ ...req(), BrokerNodeGroupInfo: undefined }, 'The brokerNodeGroupInfo parameter is required.', 'brokerNodeGroupInfo');
  });

  test('clientSubnets: 2 or 3 distinct EC2 subnet ids', () => {
    const two = { ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'] };
    expect(() => validateCreateCluster(req({ NumberOfBrokerNodes: 2 }, two))).not.toThrow();
    bad(req({}, { ClientSubnets: ['subnet-aaaaaaaa'] }), 'The clientSubnets parameter must contain 2 or 3 subnets.', 'clientSubnets');
    bad(req({}, { ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc', 'subnet-dddddddd'] }), 'The clientSubnets parameter must contain 2 or 3 subnets.', 'clientSubnets');
    bad(req({}, { ClientSubnets: undefined }), 'The clientSubnets parameter is required.', 'clientSubnets');
    for (const placeholder of [' ', 'string', 'subnet-a', 'subnet-0A1B2C3D', 'subnet-0a1b2c3d4', 'sg-0a1b2c3d']) {
      bad(
        req({}, { ClientSubnets: ['subnet-aaaaaaaa', placeholder, 'subnet-cccccccc'] }),
        `The subnet ID ${placeholder} is not valid. A subnet ID is "subnet-" followed by 8 or 17 hexadecimal digits, e.g. subnet-0a1b2c3d.`,
        'clientSubnets',
      );
    }
    expect(() => validateCreateCluster(req({}, { ClientSubnets: ['subnet-0123456789abcdef0', 'subnet-bbbbbbbb', 'subnet-cccccccc'] }))).not.toThrow();
    bad(
      req({}, { ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-aaaaaaaa'] }),
      'The number of Availability Zones in the BrokerAZDistribution parameter must be equal to the number of client subnets.',
      'clientSubnets',
    );
  });

  test('instanceType: 5–32 characters and in the catalog', () => {
    bad(req({}, { InstanceType: 'kafka.m9.huge' }), /^Unsupported InstanceType \[kafka\.m9\.huge\]\. Valid values: \[kafka\.t3\.small, kafka\.m5\.large, /, 'instanceType');
    bad(req({}, { InstanceType: 'm5' }), 'The instanceType parameter must be between 5 and 32 characters long.', 'instanceType');
    bad(req({}, { InstanceType: undefined }), 'The instanceType parameter is required.', 'instanceType');
  });

  test('brokerAZDistribution is DEFAULT or absent', () => {
    expect(() => validateCreateCluster(req({}, { BrokerAZDistribution: 'DEFAULT' }))).not.toThrow();
    bad(req({}, { BrokerAZDistribution: 'SPREAD' }), 'Unsupported BrokerAZDistribution [SPREAD]. Valid values: [DEFAULT]', 'brokerAZDistribution');
  });

  test('volumeSize: an integer from 1 to 16384', () => {
    const vol = (v: unknown) => ({ StorageInfo: { EbsStorageInfo: { VolumeSize: v } } });
    expect(() => validateCreateCluster(req({}, vol(16384)))).not.toThrow();
    expect(() => validateCreateCluster(req({}, vol(1)))).not.toThrow();
    for (const v of [0, 16385, 1.5, '100']) bad(req({}, vol(v)), 'The volumeSize parameter must be an integer between 1 and 16384.', 'volumeSize');
  });

  test('provisioned throughput: m5.4xlarge only, 250–593 MiB/s, volume ≥ 10 GiB', () => {
    const pt = (type: string, size: number, t: unknown) => ({
      InstanceType: type, StorageInfo: { EbsStorageInfo: { VolumeSize: size, ProvisionedThroughput: { Enabled: true, VolumeThroughput: t } } },
    });
    expect(() => validateCreateCluster(req({}, pt('kafka.m5.4xlarge', 100, 250)))).not.toThrow();
    expect(() => validateCreateCluster(req({}, { StorageInfo: { EbsStorageInfo: { ProvisionedThroughput: { Enabled: false } } } }))).not.toThrow();
    bad(req({}, pt('kafka.m5.large', 100, 250)), "Provisioned throughput isn't supported for instance type kafka.m5.large.", 'provisionedThroughput');
    bad(req({}, pt('kafka.m5.4xlarge', 5, 250)), 'Provisioned throughput requires a volume size of at least 10 GiB.', 'provisionedThroughput');
    bad(req({}, pt('kafka.m5.4xlarge', 100, 594)), 'The volumeThroughput parameter must be an integer between 250 and 593.', 'volumeThroughput');
    bad(req({}, pt('kafka.m5.4xlarge', 100, undefined)), 'The volumeThroughput parameter is required.', 'volumeThroughput');
  });

  test('public access cannot be turned on at creation', () => {
    expect(() => validateCreateCluster(req({}, { ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } } }))).not.toThrow();
    bad(req({}, { ConnectivityInfo: { PublicAccess: { Type: 'SERVICE_PROVIDED_EIPS' } } }), /^Public access can't be turned on/, 'connectivityInfo');
  });

  test('numberOfBrokerNodes: 1–30 and a multiple of the subnet count', () => {
    expect(() => validateCreateCluster(req({ NumberOfBrokerNodes: 30 }))).not.toThrow();
    for (const n of [0, 31, 2.5, undefined]) {
      bad(req({ NumberOfBrokerNodes: n }), n === undefined ? 'The numberOfBrokerNodes parameter is required.' : 'The numberOfBrokerNodes parameter must be an integer between 1 and 30.', 'numberOfBrokerNodes');
    }
    bad(
      req({ NumberOfBrokerNodes: 4 }),
      'The number of broker nodes must be a multiple of Availability Zones in the Client Subnets parameter.',
      'numberOfBrokerNodes',
    );
  });

  test('encryption in transit: clientBroker enum, inCluster boolean, KMS key non-empty', () => {
    for (const cb of ['TLS', 'TLS_PLAINTEXT', 'PLAINTEXT']) expect(() => validateCreateCluster(req(tlsBroker(cb)))).not.toThrow();
    bad(req(tlsBroker('SSL')), 'Unsupported ClientBroker [SSL]. Valid values: [TLS, TLS_PLAINTEXT, PLAINTEXT]', 'clientBroker');
    bad(req({ EncryptionInfo: { EncryptionInTransit: { InCluster: 'yes' } } } as never), 'The inCluster parameter must be a boolean.', 'inCluster');
    bad(req({ EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: '' } } }), 'The dataVolumeKMSKeyId parameter must be between 1 and 2048 characters long.', 'dataVolumeKMSKeyId');
  });

  describe('client authentication versus encryption', () => {
    const scram = { Sasl: { Scram: { Enabled: true } } };
    const iam = { Sasl: { Iam: { Enabled: true } } };
    const mtls = { Tls: { CertificateAuthorityArnList: ['arn:aws:acm-pca:us-east-1:000000000000:certificate-authority/0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f'] } };
    const auth = (ca: object, cb: string, inCluster = true) => req({ ClientAuthentication: ca, ...tlsBroker(cb, inCluster) });

    test('allowed combinations: unauthenticated, SCRAM, IAM and mTLS ones pass', () => {
      for (const r of [
        auth({ Unauthenticated: { Enabled: true } }, 'PLAINTEXT', false), req(tlsBroker('PLAINTEXT', false)),
        auth(scram, 'TLS'), auth({ ...scram, Unauthenticated: { Enabled: true } }, 'TLS'), auth(mtls, 'TLS'), auth(mtls, 'TLS_PLAINTEXT'),
        auth(iam, 'TLS'), auth({ ...iam, ...mtls }, 'TLS'), auth({ Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } } }, 'TLS'),
      ]) {
        expect(() => validateCreateCluster(r)).not.toThrow();
      }
    });

    test('certificate authority ARNs must be ACM Private CA ARNs', () => {
      bad(
        auth({ Tls: { CertificateAuthorityArnList: ['string'] } }, 'TLS'),
        'The certificate authority ARN string is not valid. Expected arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>.',
        'certificateAuthorityArnList',
      );
    });

    test('SASL/SCRAM and IAM need clientBroker TLS', () => {
      const msg = 'SASL/SCRAM and IAM client authentication require clientBroker encryption TLS.';
      bad(auth(scram, 'TLS_PLAINTEXT'), msg, 'clientBroker');
      bad(auth(iam, 'PLAINTEXT'), msg, 'clientBroker');
    });

    test('mTLS needs TLS or TLS_PLAINTEXT and at least one CA', () => {
      bad(auth(mtls, 'PLAINTEXT'), 'TLS client authentication requires clientBroker encryption TLS or TLS_PLAINTEXT.', 'clientBroker');
      bad(auth({ Tls: { Enabled: true } }, 'TLS'), 'TLS client authentication needs at least one certificate authority ARN.', 'certificateAuthorityArnList');
    });

    test('authenticated access needs inCluster encryption', () => {
      const msg = 'Client authentication with TLS, SASL/SCRAM or IAM requires encryption within the cluster (inCluster true).';
      bad(auth(scram, 'TLS', false), msg, 'inCluster');
      bad(auth(mtls, 'TLS', false), msg, 'inCluster');
    });

    test('at least one method must be on, and flags must be booleans', () => {
      bad(auth({ Unauthenticated: { Enabled: false } }, 'TLS'), 'At least one client authentication method must be enabled.', 'clientAuthentication');
      bad(auth({ Sasl: { Scram: { Enabled: 'true' } } }, 'TLS'), 'The enabled parameter must be a boolean.', 'enabled');
    });
  });

  test('enhancedMonitoring enum', () => {
    expect(() => validateCreateCluster(req({ EnhancedMonitoring: 'PER_TOPIC_PER_PARTITION' }))).not.toThrow();
    bad(
      req({ EnhancedMonitoring: 'FULL' as never }),
      'Unsupported EnhancedMonitoring [FULL]. Valid values: [DEFAULT, PER_BROKER, PER_TOPIC_PER_BROKER, PER_TOPIC_PER_PARTITION]',
      'enhancedMonitoring',
    );
  });

  test('openMonitoring needs prometheus; both exporters off is accepted (terraform does it)', () => {
    const om = (j: unknown, n: unknown) => req({ OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: j }, NodeExporter: { EnabledInBroker: n } } } } as never);
    expect(() => validateCreateCluster(om(false, false))).not.toThrow();
    expect(() => validateCreateCluster(om(true, false))).not.toThrow();
    bad(om('on', false), 'The enabledInBroker parameter must be a boolean.', 'enabledInBroker');
    bad(req({ OpenMonitoring: {} as never }), 'The prometheus parameter is required.', 'prometheus');
  });

  test('security groups, KMS keys: AWS formats, placeholders refused', () => {
    bad(req({}, { SecurityGroups: ['string'] }), 'The security group ID string is not valid. A security group ID is "sg-" followed by 8 or 17 hexadecimal digits, e.g. sg-0a1b2c3d.', 'securityGroups');
    bad(req({}, { SecurityGroups: Array.from({ length: 6 }, (_, i) => `sg-0000000${i}`) }), 'The securityGroups parameter can contain at most 5 security groups.', 'securityGroups');
    expect(() => validateCreateCluster(req({}, { SecurityGroups: ['sg-0123456789abcdef0'] }))).not.toThrow();
    bad(
      req({ EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: 'string' } } }),
      'The dataVolumeKMSKeyId parameter must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>) or alias; string is not.',
      'dataVolumeKMSKeyId',
    );
    for (const ok of ['arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef', 'arn:aws:kms:us-east-1:123456789012:alias/my-key']) {
      expect(() => validateCreateCluster(req({ EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: ok } } }))).not.toThrow();
    }
  });

  test('enabled log destinations name a valid target', () => {
    const logs = (b: object) => req({ LoggingInfo: { BrokerLogs: b } } as never);
    expect(() => validateCreateCluster(logs({ CloudWatchLogs: { Enabled: true, LogGroup: '/msk/demo' }, Firehose: { Enabled: true, DeliveryStream: 'msk-logs' }, S3: { Enabled: true, Bucket: 'my-msk-logs', Prefix: 'demo/' } }))).not.toThrow();
    bad(logs({ CloudWatchLogs: { Enabled: true } }), 'The logGroup parameter is required.', 'logGroup');
    bad(logs({ CloudWatchLogs: { Enabled: true, LogGroup: 'a b' } }), 'The logGroup parameter a b is not a valid CloudWatch Logs log group name.', 'logGroup');
    bad(logs({ Firehose: { Enabled: true, DeliveryStream: 'x'.repeat(65) } }), /^The deliveryStream parameter x+ is not a valid Firehose delivery stream name\.$/, 'deliveryStream');
    bad(logs({ S3: { Enabled: true, Bucket: 'My_Bucket' } }), 'The bucket parameter My_Bucket is not a valid S3 bucket name.', 'bucket');
    expect(() => validateCreateCluster(logs({ S3: { Enabled: false, Bucket: 'ignored when off' } }))).not.toThrow();
  });

  test('loggingInfo needs brokerLogs with boolean flags', () => {
    expect(() => validateCreateCluster(req({ LoggingInfo: { BrokerLogs: { S3: { Enabled: false } } } }))).not.toThrow();
    bad(req({ LoggingInfo: {} as never }), 'The brokerLogs parameter is required.', 'brokerLogs');
    bad(req({ LoggingInfo: { BrokerLogs: { CloudWatchLogs: {} as never } } }), 'The enabled parameter must be a boolean.', 'enabled');
  });

  test('storageMode LOCAL or TIERED; TIERED not on t3.small', () => {
    expect(() => validateCreateCluster(req({ StorageMode: 'TIERED' }))).not.toThrow();
    bad(req({ StorageMode: 'S3' as never }), 'Unsupported StorageMode [S3]. Valid values: [LOCAL, TIERED]', 'storageMode');
    bad(req({ StorageMode: 'TIERED' }, { InstanceType: 'kafka.t3.small' }), "Tiered storage isn't supported for instance type kafka.t3.small.", 'storageMode');
  });

  test('configurationInfo needs a configuration ARN and a revision ≥ 1', () => {
    expect(() => validateCreateCluster(req({ ConfigurationInfo: { Arn: CFG, Revision: 1 } }))).not.toThrow();
    bad(req({ ConfigurationInfo: { Arn: CFG.replace('configuration', 'cluster'), Revision: 1 } }), 'Invalid Configuration ARN.', 'configurationInfo');
    bad(req({ ConfigurationInfo: { Arn: undefined, Revision: 1 } }), 'The arn parameter is required.', 'arn');
    bad(req({ ConfigurationInfo: { Arn: CFG, Revision: undefined } }), 'The revision parameter is required.', 'revision');
    bad(req({ ConfigurationInfo: { Arn: CFG, Revision: 0 } }), /^The revision parameter must be an integer between 1 and /, 'revision');
  });

  test('tags follow the tagging rules', () => {
    bad(req({ Tags: { 'aws:x': 'y' } }), /reserved prefix/, 'tags');
  });
});

describe('applyCreateDefaults', () => {
  test("fills MSK's defaults for a minimal request", () => {
    expect(applyCreateDefaults(req(), ctx)).toEqual({
      ClusterName: 'demo',
      KafkaVersion: '3.8.x',
      NumberOfBrokerNodes: 3,
      BrokerNodeGroupInfo: {
        BrokerAZDistribution: 'DEFAULT',
        ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb', 'subnet-cccccccc'],
        InstanceType: 'kafka.m5.large',
        SecurityGroups: [],
        StorageInfo: { EbsStorageInfo: { VolumeSize: 1000 } },
        ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } },
      },
      EncryptionInfo: {
        EncryptionAtRest: { DataVolumeKMSKeyId: 'arn:aws:kms:us-east-1:000000000000:alias/aws/kafka' },
        EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true },
      },
      EnhancedMonitoring: 'DEFAULT',
      OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: false }, NodeExporter: { EnabledInBroker: false } } },
      StorageMode: 'LOCAL',
      Tags: {},
    });
  });

  test('keeps what the request says', () => {
    const KEY = 'arn:aws:kms:us-east-1:000000000000:key/0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
    const spec = prepareCreateCluster(
      req(
        {
          ClientAuthentication: { Unauthenticated: { Enabled: true } },
          ConfigurationInfo: { Arn: CFG, Revision: 2 },
          EncryptionInfo: { EncryptionAtRest: { DataVolumeKMSKeyId: KEY }, EncryptionInTransit: { InCluster: true } },
          EnhancedMonitoring: 'PER_BROKER',
          OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: true } } },
          StorageMode: 'TIERED',
          Tags: { team: 'data' },
        },
        { SecurityGroups: ['sg-0a1b2c3d'], StorageInfo: { EbsStorageInfo: { VolumeSize: 20 } } },
      ),
      ctx,
    );
    expect(spec.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: false }, Iam: { Enabled: false } },
      Tls: { Enabled: false, CertificateAuthorityArnList: [] },
      Unauthenticated: { Enabled: true },
    });
    expect(spec.ConfigurationInfo).toEqual({ Arn: CFG, Revision: 2 });
    expect(spec.EncryptionInfo).toEqual({ EncryptionAtRest: { DataVolumeKMSKeyId: KEY }, EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } });
    expect(spec.EnhancedMonitoring).toBe('PER_BROKER');
    expect(spec.OpenMonitoring.Prometheus).toEqual({ JmxExporter: { EnabledInBroker: true }, NodeExporter: { EnabledInBroker: false } });
    expect(spec.StorageMode).toBe('TIERED');
    expect(spec.Tags).toEqual({ team: 'data' });
    expect(spec.BrokerNodeGroupInfo.SecurityGroups).toEqual(['sg-0a1b2c3d']);
    expect(spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize).toBe(20);
  });

  test('prepareCreateCluster validates first', () => {
    expectBadRequest(() => prepareCreateCluster(req({ KafkaVersion: '1.0' }), ctx), /^Unsupported KafkaVersion/, 'kafkaVersion');
  });
});

describe('CreateClusterV2', () => {
  test('provisioned maps onto the v1 request', () => {
    const { ClusterName, Tags, ...provisioned } = req({ Tags: { a: 'b' } });
    const v1 = createClusterV2ToV1({ ClusterName, Tags, Provisioned: provisioned as never });
    expect(v1).toEqual(req({ Tags: { a: 'b' } }));
    expectBadRequest(
      () => validateCreateCluster(createClusterV2ToV1({ ClusterName, Provisioned: { ...provisioned, NumberOfBrokerNodes: 4 } as never })),
      /^The number of broker nodes must be a multiple/,
      'numberOfBrokerNodes',
    );
  });

  test('serverless is refused; one of the two is required', () => {
    expectBadRequest(
      () => createClusterV2ToV1({ ClusterName: 'x', Serverless: { VpcConfigs: [] } }),
      'Serverless clusters are not supported by openmsk yet.',
      'serverless',
    );
    expectBadRequest(() => createClusterV2ToV1({ ClusterName: 'x' }), 'The provisioned parameter is required.', 'provisioned');
  });
});

test('assertConfigurationAllowsVersion', () => {
  expect(() => assertConfigurationAllowsVersion([], '3.9.x')).not.toThrow();
  expect(() => assertConfigurationAllowsVersion(['3.8.x', '3.9.x'], '3.9.x')).not.toThrow();
  expectBadRequest(
    () => assertConfigurationAllowsVersion(['3.8.x'], '3.9.x'),
    "The configuration doesn't support Apache Kafka version 3.9.x. Versions it supports: [3.8.x]",
    'configurationInfo',
  );
});
