/**
 * One working example per implemented operation, shown in /openapi.json and Swagger UI. Each request succeeds as
 * it stands against a fresh `npm start`, once the ARNs (and a cluster's `currentVersion`) are replaced by the ones
 * an earlier answer gave; `apps/api/test/examples.int.test.ts` sends every one in dependency order. Responses are
 * what openmsk answered to these requests, with the ids of the example account.
 */
import type { OperationExample } from '@openmsk/wire';

/** Values a user pastes from an earlier answer; the examples test replaces exactly these strings. */
export const EXAMPLE_CLUSTER_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo/6b1d6c7e-8f45-4f3a-9a2b-5e0c1d2f3a4b-3';
export const EXAMPLE_CLUSTER_V2_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster/demo-v2/0c2e4a6b-8d1f-4e3a-b5c7-9d0e1f2a3b4c-2';
export const EXAMPLE_CONFIGURATION_ARN = 'arn:aws:kafka:us-east-1:123456789012:configuration/demo-config/2f4e6d8c-1a3b-4c5d-8e9f-0a1b2c3d4e5f-1';
export const EXAMPLE_OPERATION_ARN = 'arn:aws:kafka:us-east-1:123456789012:cluster-operation/demo/6b1d6c7e-8f45-4f3a-9a2b-5e0c1d2f3a4b-3/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
export const EXAMPLE_CURRENT_VERSION = 'K3AEGXETSR30VB';
/** A Secrets Manager secret (same endpoint: `aws secretsmanager create-secret --name AmazonMSK_alice ...`). */
export const EXAMPLE_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_alice-Ab3dE5';
export const EXAMPLE_TOPIC_ARN = 'arn:aws:kafka:us-east-1:123456789012:topic/demo/6b1d6c7e-8f45-4f3a-9a2b-5e0c1d2f3a4b-3/orders';
/** A topic's `configs` (base64 of properties text; base64 of a JSON object is accepted too). */
export const TOPIC_CONFIGS = 'retention.ms=604800000\nmin.insync.replicas=2\n';
const TOPIC_CONFIGS_SORTED = 'min.insync.replicas=2\nretention.ms=604800000';

const PROPERTIES = 'auto.create.topics.enable=true\nnum.partitions=3\n';
const PROPERTIES_V2 = 'auto.create.topics.enable=true\nnum.partitions=6\nlog.retention.hours=72\n';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** What the two example revisions decode to, for the docs. */
export const EXAMPLE_SERVER_PROPERTIES = [PROPERTIES, PROPERTIES_V2] as const;

const SUBNETS = ['subnet-0a1b2c3d', 'subnet-1b2c3d4e', 'subnet-2c3d4e5f'];
const VERSION = '3.9.x.kraft';
const TARGET_VERSION = '4.1.x.kraft';
const CREATED = '2026-12-01T10:00:00.000Z';
const brokerNodeGroupInfo = {
  instanceType: 'kafka.t3.small',
  clientSubnets: SUBNETS,
  storageInfo: { ebsStorageInfo: { volumeSize: 10 } },
};
const clusterInfo = {
  activeOperationArn: EXAMPLE_OPERATION_ARN,
  brokerNodeGroupInfo: {
    brokerAZDistribution: 'DEFAULT',
    clientSubnets: SUBNETS,
    instanceType: 'kafka.t3.small',
    securityGroups: [],
    storageInfo: { ebsStorageInfo: { volumeSize: 10 } },
    connectivityInfo: { publicAccess: { type: 'DISABLED' } },
  },
  clusterArn: EXAMPLE_CLUSTER_ARN,
  clusterName: 'demo',
  creationTime: CREATED,
  currentBrokerSoftwareInfo: { kafkaVersion: VERSION },
  currentVersion: EXAMPLE_CURRENT_VERSION,
  encryptionInfo: {
    encryptionAtRest: { dataVolumeKMSKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/aws/kafka' },
    encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
  },
  enhancedMonitoring: 'DEFAULT',
  openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: false }, nodeExporter: { enabledInBroker: false } } },
  numberOfBrokerNodes: 3,
  state: 'CREATING',
  tags: {},
  storageMode: 'LOCAL',
};
const { brokerNodeGroupInfo: provisionedGroup, clusterArn: _arn, clusterName: _name, creationTime: _t, currentVersion: _v,
  activeOperationArn: _op, state: _s, tags: _tags, ...provisionedRest } = clusterInfo;
const clusterV2 = {
  activeOperationArn: EXAMPLE_OPERATION_ARN,
  clusterArn: EXAMPLE_CLUSTER_ARN,
  clusterName: 'demo',
  clusterType: 'PROVISIONED',
  creationTime: CREATED,
  currentVersion: EXAMPLE_CURRENT_VERSION,
  state: 'CREATING',
  tags: {},
  provisioned: { brokerNodeGroupInfo: provisionedGroup, ...provisionedRest },
};
const configurationRevision = { creationTime: CREATED, description: 'Topics are created on first use, with 3 partitions', revision: 1 };
const update = { clusterArn: EXAMPLE_CLUSTER_ARN, clusterOperationArn: EXAMPLE_OPERATION_ARN };
const operationInfo = {
  clusterArn: EXAMPLE_CLUSTER_ARN,
  creationTime: CREATED,
  operationArn: EXAMPLE_OPERATION_ARN,
  operationState: 'UPDATE_IN_PROGRESS',
  operationType: 'CREATE',
  operationSteps: [{ stepName: 'PREPARE_NODES', stepInfo: { stepStatus: 'COMPLETED' } }, { stepName: 'ISSUE_CERTIFICATES', stepInfo: { stepStatus: 'IN_PROGRESS' } }],
};
const clusterArn = { ClusterArn: EXAMPLE_CLUSTER_ARN };
const withVersion = (body: Record<string, unknown>) => ({ currentVersion: EXAMPLE_CURRENT_VERSION, ...body });

/** Request and response examples by AWS operation name (wire member names). */
export const EXAMPLES: Readonly<Record<string, OperationExample>> = {
  CreateConfiguration: {
    // serverProperties decodes to "auto.create.topics.enable=true\nnum.partitions=3\n".
    body: { name: 'demo-config', description: 'Topics are created on first use, with 3 partitions', kafkaVersions: [VERSION, TARGET_VERSION], serverProperties: b64(PROPERTIES) },
    response: { arn: EXAMPLE_CONFIGURATION_ARN, creationTime: CREATED, latestRevision: configurationRevision, name: 'demo-config', state: 'ACTIVE' },
  },
  DescribeConfiguration: {
    parameters: { Arn: EXAMPLE_CONFIGURATION_ARN },
    response: {
      arn: EXAMPLE_CONFIGURATION_ARN, creationTime: CREATED, description: 'Topics are created on first use, with 3 partitions',
      kafkaVersions: [VERSION, TARGET_VERSION], latestRevision: configurationRevision, name: 'demo-config', state: 'ACTIVE',
    },
  },
  UpdateConfiguration: {
    parameters: { Arn: EXAMPLE_CONFIGURATION_ARN },
    // serverProperties decodes to "auto.create.topics.enable=true\nnum.partitions=6\nlog.retention.hours=72\n".
    body: { description: 'Six partitions, three days of retention', serverProperties: b64(PROPERTIES_V2) },
    response: { arn: EXAMPLE_CONFIGURATION_ARN, latestRevision: { creationTime: CREATED, description: 'Six partitions, three days of retention', revision: 2 } },
  },
  ListConfigurations: {
    parameters: { maxResults: 10 },
    response: {
      configurations: [{
        arn: EXAMPLE_CONFIGURATION_ARN, creationTime: CREATED, description: 'Topics are created on first use, with 3 partitions',
        kafkaVersions: [VERSION, TARGET_VERSION], latestRevision: configurationRevision, name: 'demo-config', state: 'ACTIVE',
      }],
    },
  },
  ListConfigurationRevisions: {
    parameters: { Arn: EXAMPLE_CONFIGURATION_ARN, maxResults: 10 },
    response: { revisions: [configurationRevision, { creationTime: CREATED, description: 'Six partitions, three days of retention', revision: 2 }] },
  },
  DescribeConfigurationRevision: {
    parameters: { Arn: EXAMPLE_CONFIGURATION_ARN, Revision: 1 },
    response: { arn: EXAMPLE_CONFIGURATION_ARN, creationTime: CREATED, description: 'Topics are created on first use, with 3 partitions', revision: 1, serverProperties: b64(PROPERTIES) },
  },
  DeleteConfiguration: {
    parameters: { Arn: EXAMPLE_CONFIGURATION_ARN },
    response: { arn: EXAMPLE_CONFIGURATION_ARN, state: 'DELETING' },
  },
  ListKafkaVersions: {
    parameters: { maxResults: 10 },
    response: { kafkaVersions: [{ version: '3.8.x', status: 'ACTIVE' }, { version: '3.9.x', status: 'ACTIVE' }, { version: VERSION, status: 'ACTIVE' }, { version: TARGET_VERSION, status: 'ACTIVE' }] },
  },
  GetCompatibleKafkaVersions: {
    response: { compatibleKafkaVersions: [{ sourceVersion: '3.8.x', targetVersions: ['3.9.x'] }, { sourceVersion: VERSION, targetVersions: [TARGET_VERSION] }] },
  },
  CreateCluster: {
    body: { clusterName: 'demo', kafkaVersion: VERSION, numberOfBrokerNodes: 3, brokerNodeGroupInfo },
    response: { clusterArn: EXAMPLE_CLUSTER_ARN, clusterName: 'demo', state: 'CREATING' },
  },
  CreateClusterV2: {
    body: { clusterName: 'demo-v2', provisioned: { kafkaVersion: VERSION, numberOfBrokerNodes: 3, brokerNodeGroupInfo } },
    response: { clusterArn: EXAMPLE_CLUSTER_V2_ARN, clusterName: 'demo-v2', clusterType: 'PROVISIONED', state: 'CREATING' },
  },
  ListClusters: {
    parameters: { clusterNameFilter: 'demo', maxResults: 10 },
    response: { clusterInfoList: [clusterInfo] },
  },
  ListClustersV2: {
    parameters: { clusterNameFilter: 'demo', clusterTypeFilter: 'PROVISIONED', maxResults: 10 },
    response: { clusterInfoList: [clusterV2] },
  },
  DescribeCluster: { parameters: { ...clusterArn }, response: { clusterInfo } },
  DescribeClusterV2: { parameters: { ...clusterArn }, response: { clusterInfo: clusterV2 } },
  ListClusterOperations: { parameters: { ...clusterArn, maxResults: 10 }, response: { clusterOperationInfoList: [operationInfo] } },
  ListClusterOperationsV2: {
    parameters: { ...clusterArn, maxResults: 10 },
    response: {
      clusterOperationInfoList: [{
        clusterArn: EXAMPLE_CLUSTER_ARN, clusterType: 'PROVISIONED', startTime: CREATED, operationArn: EXAMPLE_OPERATION_ARN,
        operationState: 'UPDATE_IN_PROGRESS', operationType: 'CREATE',
      }],
    },
  },
  DescribeClusterOperation: { parameters: { ClusterOperationArn: EXAMPLE_OPERATION_ARN }, response: { clusterOperationInfo: operationInfo } },
  DescribeClusterOperationV2: {
    parameters: { ClusterOperationArn: EXAMPLE_OPERATION_ARN },
    response: {
      clusterOperationInfo: {
        clusterArn: EXAMPLE_CLUSTER_ARN, clusterType: 'PROVISIONED', startTime: CREATED, operationArn: EXAMPLE_OPERATION_ARN,
        operationState: 'UPDATE_IN_PROGRESS', operationType: 'CREATE',
        provisioned: { operationSteps: operationInfo.operationSteps },
      },
    },
  },
  GetBootstrapBrokers: {
    parameters: { ...clusterArn },
    response: { bootstrapBrokerStringTls: '127.0.0.1:20001,127.0.0.1:20004,127.0.0.1:20007' },
  },
  ListNodes: {
    parameters: { ...clusterArn, maxResults: 10 },
    response: {
      nodeInfoList: [{
        addedToClusterTime: CREATED,
        nodeARN: 'arn:aws:kafka:us-east-1:123456789012:broker/demo/6b1d6c7e-8f45-4f3a-9a2b-5e0c1d2f3a4b-3/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
        nodeType: 'BROKER',
        instanceType: 'kafka.t3.small',
        brokerNodeInfo: {
          brokerId: 1, clientSubnet: SUBNETS[0], clientVpcIpAddress: '127.0.0.1', attachedENIId: 'eni-3c4d5e6f7a8b4c9d8',
          currentBrokerSoftwareInfo: { kafkaVersion: VERSION }, endpoints: ['127.0.0.1'],
        },
      }],
    },
  },
  UpdateBrokerStorage: {
    parameters: { ...clusterArn },
    body: withVersion({ targetBrokerEBSVolumeInfo: [{ kafkaBrokerNodeId: 'All', volumeSizeGB: 20 }] }),
    response: update,
  },
  UpdateStorage: { parameters: { ...clusterArn }, body: withVersion({ volumeSizeGB: 30 }), response: update },
  UpdateBrokerCount: { parameters: { ...clusterArn }, body: withVersion({ targetNumberOfBrokerNodes: 6 }), response: update },
  UpdateBrokerType: { parameters: { ...clusterArn }, body: withVersion({ targetInstanceType: 'kafka.m5.large' }), response: update },
  UpdateClusterConfiguration: {
    parameters: { ...clusterArn },
    body: withVersion({ configurationInfo: { arn: EXAMPLE_CONFIGURATION_ARN, revision: 1 } }),
    response: update,
  },
  UpdateClusterKafkaVersion: { parameters: { ...clusterArn }, body: withVersion({ targetKafkaVersion: TARGET_VERSION }), response: update },
  UpdateMonitoring: { parameters: { ...clusterArn }, body: withVersion({ enhancedMonitoring: 'PER_BROKER' }), response: update },
  UpdateSecurity: {
    parameters: { ...clusterArn },
    body: withVersion({ clientAuthentication: { sasl: { scram: { enabled: true } }, unauthenticated: { enabled: true } } }),
    response: update,
  },
  // Once UpdateSecurity has turned SASL/SCRAM on, with a secret made by the Secrets Manager API on this endpoint.
  BatchAssociateScramSecret: {
    parameters: { ...clusterArn },
    body: { secretArnList: [EXAMPLE_SECRET_ARN] },
    response: { clusterArn: EXAMPLE_CLUSTER_ARN, unprocessedScramSecrets: [] },
  },
  ListScramSecrets: { parameters: { ...clusterArn, maxResults: 10 }, response: { secretArnList: [EXAMPLE_SECRET_ARN] } },
  BatchDisassociateScramSecret: {
    parameters: { ...clusterArn },
    body: { secretArnList: [EXAMPLE_SECRET_ARN] },
    response: { clusterArn: EXAMPLE_CLUSTER_ARN, unprocessedScramSecrets: [] },
  },
  RebootBroker: { parameters: { ...clusterArn }, body: { brokerIds: ['1'] }, response: update },
  DeleteCluster: { parameters: { ...clusterArn }, response: { clusterArn: EXAMPLE_CLUSTER_ARN, state: 'DELETING' } },
  TagResource: { parameters: { ResourceArn: EXAMPLE_CLUSTER_ARN }, body: { tags: { team: 'platform', env: 'dev' } } },
  ListTagsForResource: { parameters: { ResourceArn: EXAMPLE_CLUSTER_ARN }, response: { tags: { team: 'platform', env: 'dev' } } },
  UntagResource: { parameters: { ResourceArn: EXAMPLE_CLUSTER_ARN, tagKeys: ['env'] } },

  // The Topics API needs an ACTIVE cluster whose brokers answer: these run against the cluster CreateCluster made,
  // once it is ACTIVE (apps/worker/test/topics.e2e.test.ts sends them as they stand).
  CreateTopic: {
    parameters: { ...clusterArn },
    body: { topicName: 'orders', partitionCount: 6, replicationFactor: 3, configs: b64(TOPIC_CONFIGS) },
    response: { topicArn: EXAMPLE_TOPIC_ARN, topicName: 'orders', status: 'ACTIVE' },
  },
  ListTopics: {
    parameters: { ...clusterArn, topicNameFilter: 'ord', maxResults: 10 },
    response: { topics: [{ topicArn: EXAMPLE_TOPIC_ARN, topicName: 'orders', replicationFactor: 3, partitionCount: 6, outOfSyncReplicaCount: 0 }] },
  },
  DescribeTopic: {
    parameters: { ...clusterArn, TopicName: 'orders' },
    response: { topicArn: EXAMPLE_TOPIC_ARN, topicName: 'orders', replicationFactor: 3, partitionCount: 6, configs: b64(TOPIC_CONFIGS_SORTED), status: 'ACTIVE' },
  },
  DescribeTopicPartitions: {
    parameters: { ...clusterArn, TopicName: 'orders', maxResults: 2 },
    response: { partitions: [{ partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] }, { partition: 1, leader: 2, replicas: [2, 3, 1], isr: [2, 3, 1] }], nextToken: 'MQ' },
  },
  UpdateTopic: {
    parameters: { ...clusterArn, TopicName: 'orders' },
    body: { partitionCount: 8, configs: b64('retention.ms=259200000\n') },
    response: { topicArn: EXAMPLE_TOPIC_ARN, topicName: 'orders', status: 'ACTIVE' },
  },
  DeleteTopic: {
    parameters: { ...clusterArn, TopicName: 'orders' },
    response: { topicArn: EXAMPLE_TOPIC_ARN, topicName: 'orders', status: 'DELETING' },
  },
};
