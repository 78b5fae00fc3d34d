/**
 * CreateCluster / CreateClusterV2: request rules and the desired state openmsk stores, with
 * MSK's defaults filled in. Input is the SDK's PascalCase shape; messages name wire members.
 */
import type {
  BrokerNodeGroupInfo, ClientBroker, CreateClusterRequest, CreateClusterV2Request,
  EnhancedMonitoring, LoggingInfo, ProvisionedThroughput, StorageMode,
} from '@aws-sdk/client-kafka';
import { badRequest } from '@openmsk/wire/src/errors';
import { type ArnContext, parseArnOfType } from '../arn';
import { activeKafkaVersionLabels, findInstanceType, listInstanceTypes } from '../catalog';
import {
  assertBoolean, assertEnum, assertInteger, assertName, assertRequired, assertString, validateTags,
} from './common';
import { assertKmsKeyArn, assertSecurityGroupIds, assertSubnetIds, validateLoggingInfo } from './formats';
import {
  assertSecurityCombination, type NormalizedClientAuthentication, normalizeClientAuthentication,
} from './security';

// AWS-PARITY: the model caps numberOfBrokerNodes at 15, but MSK's documented default quota is
// 30 brokers per cluster [doc limits.md] and real clusters exceed 15; we take the quota.
export const MAX_BROKERS_PER_CLUSTER = 30;
// AWS-PARITY: the API has no documented default size; 1000 GiB is the console's default, and
// openmsk volumes are sparse (a 1000 GiB volume costs ~65 MB), so the generous default is free.
export const DEFAULT_VOLUME_SIZE_GIB = 1000;
export const MAX_VOLUME_SIZE_GIB = 16384;
export const MIN_PROVISIONED_THROUGHPUT_MIBPS = 250;

export const CLIENT_BROKER_VALUES: readonly ClientBroker[] = ['TLS', 'TLS_PLAINTEXT', 'PLAINTEXT'];
export const ENHANCED_MONITORING_VALUES: readonly EnhancedMonitoring[] = ['DEFAULT', 'PER_BROKER', 'PER_TOPIC_PER_BROKER', 'PER_TOPIC_PER_PARTITION'];
export const STORAGE_MODE_VALUES: readonly StorageMode[] = ['LOCAL', 'TIERED'];

/** Real MSK texts (docs/msk-behaviour.md §1; terraform-provider-aws#9658 for the AZ one). */
export const BROKER_MULTIPLE_MESSAGE = 'The number of broker nodes must be a multiple of Availability Zones in the Client Subnets parameter.';
export const AZ_DISTRIBUTION_MESSAGE = 'The number of Availability Zones in the BrokerAZDistribution parameter must be equal to the number of client subnets.';
export const INVALID_CONFIGURATION_ARN_MESSAGE = 'Invalid Configuration ARN.';

/** The stored desired state of a new cluster: the request with every MSK default made explicit. */
export interface ClusterSpec {
  ClusterName: string;
  KafkaVersion: string;
  NumberOfBrokerNodes: number;
  BrokerNodeGroupInfo: {
    BrokerAZDistribution: 'DEFAULT';
    ClientSubnets: string[];
    InstanceType: string;
    SecurityGroups: string[];
    StorageInfo: { EbsStorageInfo: { VolumeSize: number; ProvisionedThroughput?: ProvisionedThroughput } };
    ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } };
  };
  /** Only when the request gave one: MSK's DescribeCluster omits it otherwise. */
  ClientAuthentication?: NormalizedClientAuthentication;
  ConfigurationInfo?: { Arn: string; Revision: number };
  EncryptionInfo: {
    EncryptionAtRest: { DataVolumeKMSKeyId: string };
    EncryptionInTransit: { ClientBroker: ClientBroker; InCluster: boolean };
  };
  EnhancedMonitoring: EnhancedMonitoring;
  OpenMonitoring: { Prometheus: { JmxExporter: { EnabledInBroker: boolean }; NodeExporter: { EnabledInBroker: boolean } } };
  LoggingInfo?: LoggingInfo;
  StorageMode: StorageMode;
  Tags: Record<string, string>;
}

/** `kafkaVersion` must be an ACTIVE catalog label; MSK's own message otherwise. */
export function assertKafkaVersion(value: unknown, param = 'kafkaVersion'): string {
  const v = assertString(value, param, 1, 128);
  const valid = activeKafkaVersionLabels();
  if (!valid.includes(v)) throw badRequest(`Unsupported KafkaVersion [${v}]. Valid values: [${valid.join(', ')}]`, param);
  return v;
}

export function assertInstanceType(value: unknown, param = 'instanceType'): string {
  const v = assertString(value, param, 5, 32);
  return assertEnum(v, listInstanceTypes().map((t) => t.name), 'InstanceType', param);
}

function validateBrokerNodeGroup(g: BrokerNodeGroupInfo): void {
  const subnets = assertRequired(g.ClientSubnets, 'clientSubnets');
  if (!Array.isArray(subnets) || subnets.length < 2 || subnets.length > 3) {
    throw badRequest('The clientSubnets parameter must contain 2 or 3 subnets.', 'clientSubnets');
  }
  // AWS-PARITY: a subnet id in EC2's format names a logical zone (broker.rack); there is no VPC to look it up in.
  // A repeated subnet means fewer zones than subnets, which MSK reports as below.
  assertSubnetIds(subnets);
  if (new Set(subnets).size !== subnets.length) throw badRequest(AZ_DISTRIBUTION_MESSAGE, 'clientSubnets');
  assertSecurityGroupIds(g.SecurityGroups);
  const type = assertInstanceType(g.InstanceType);
  if (g.BrokerAZDistribution !== undefined) assertEnum(g.BrokerAZDistribution, ['DEFAULT'], 'BrokerAZDistribution', 'brokerAZDistribution');
  const ebs = g.StorageInfo?.EbsStorageInfo;
  const size = ebs?.VolumeSize === undefined ? DEFAULT_VOLUME_SIZE_GIB : assertInteger(ebs.VolumeSize, 'volumeSize', 1, MAX_VOLUME_SIZE_GIB);
  const pt = ebs?.ProvisionedThroughput;
  if (pt?.Enabled !== undefined && assertBoolean(pt.Enabled, 'enabled')) {
    // Only large types support it, on volumes of at least 10 GiB [doc msk-provision-throughput].
    const max = findInstanceType(type)?.maxProvisionedThroughputMiBps;
    if (!max) throw badRequest(`Provisioned throughput isn't supported for instance type ${type}.`, 'provisionedThroughput');
    if (size < 10) throw badRequest('Provisioned throughput requires a volume size of at least 10 GiB.', 'provisionedThroughput');
    assertInteger(pt.VolumeThroughput, 'volumeThroughput', MIN_PROVISIONED_THROUGHPUT_MIBPS, max);
  }
  const publicAccess = g.ConnectivityInfo?.PublicAccess?.Type;
  if (publicAccess !== undefined && publicAccess !== 'DISABLED') {
    throw badRequest("Public access can't be turned on when you create a cluster. Use UpdateConnectivity once the cluster is ACTIVE.", 'connectivityInfo');
  }
}

function validateMonitoringAndLogging(input: CreateClusterRequest): void {
  if (input.EnhancedMonitoring !== undefined) {
    assertEnum(input.EnhancedMonitoring, ENHANCED_MONITORING_VALUES, 'EnhancedMonitoring', 'enhancedMonitoring');
  }
  if (input.OpenMonitoring !== undefined) {
    const p = assertRequired(input.OpenMonitoring.Prometheus, 'prometheus');
    // AWS-PARITY: the guide says both exporters can't be disabled at once, yet terraform's
    // acceptance test TestAccKafkaCluster_openMonitoring creates a real cluster with both
    // false; we follow the service's observed behaviour and accept it as "off".
    if (p.JmxExporter !== undefined) assertBoolean(p.JmxExporter.EnabledInBroker, 'enabledInBroker');
    if (p.NodeExporter !== undefined) assertBoolean(p.NodeExporter.EnabledInBroker, 'enabledInBroker');
  }
  if (input.LoggingInfo !== undefined) validateLoggingInfo(input.LoggingInfo);
}

/** Throws the first rule `input` breaks; order follows the request's members. */
export function validateCreateCluster(input: CreateClusterRequest): void {
  assertName(input.ClusterName, 'clusterName');
  assertKafkaVersion(input.KafkaVersion);
  const group = assertRequired(input.BrokerNodeGroupInfo, 'brokerNodeGroupInfo');
  validateBrokerNodeGroup(group);
  const brokers = assertInteger(input.NumberOfBrokerNodes, 'numberOfBrokerNodes', 1, MAX_BROKERS_PER_CLUSTER);
  if (brokers % group.ClientSubnets!.length !== 0) throw badRequest(BROKER_MULTIPLE_MESSAGE, 'numberOfBrokerNodes');

  const transit = input.EncryptionInfo?.EncryptionInTransit;
  const clientBroker = transit?.ClientBroker === undefined ? 'TLS' : assertEnum(transit.ClientBroker, CLIENT_BROKER_VALUES, 'ClientBroker', 'clientBroker');
  const inCluster = transit?.InCluster === undefined ? true : assertBoolean(transit.InCluster, 'inCluster');
  const atRest = input.EncryptionInfo?.EncryptionAtRest;
  if (atRest !== undefined) assertKmsKeyArn(assertString(atRest.DataVolumeKMSKeyId, 'dataVolumeKMSKeyId', 1, 2048));
  const auth = normalizeClientAuthentication(input.ClientAuthentication);
  assertSecurityCombination(auth, clientBroker, inCluster);

  validateMonitoringAndLogging(input);
  if (input.StorageMode !== undefined) {
    const mode = assertEnum(input.StorageMode, STORAGE_MODE_VALUES, 'StorageMode', 'storageMode');
    if (mode === 'TIERED' && group.InstanceType === 'kafka.t3.small') {
      throw badRequest("Tiered storage isn't supported for instance type kafka.t3.small.", 'storageMode');
    }
  }
  if (input.ConfigurationInfo !== undefined) {
    const arn = assertString(input.ConfigurationInfo.Arn, 'arn');
    if (!parseArnOfType(arn, 'configuration')) throw badRequest(INVALID_CONFIGURATION_ARN_MESSAGE, 'configurationInfo');
    assertInteger(input.ConfigurationInfo.Revision, 'revision', 1, Number.MAX_SAFE_INTEGER);
  }
  validateTags(input.Tags);
}

/**
 * The desired state to store for a validated request. Defaults: clientBroker TLS, inCluster
 * true, enhancedMonitoring DEFAULT, storageMode LOCAL, volume 1000 GiB, open monitoring off,
 * public access DISABLED, unauthenticated access when no client authentication is given.
 */
export function applyCreateDefaults(input: CreateClusterRequest, ctx: ArnContext): ClusterSpec {
  const g = input.BrokerNodeGroupInfo!;
  const ebs = g.StorageInfo?.EbsStorageInfo;
  const p = input.OpenMonitoring?.Prometheus;
  const transit = input.EncryptionInfo?.EncryptionInTransit;
  return {
    ClusterName: input.ClusterName!,
    KafkaVersion: input.KafkaVersion!,
    NumberOfBrokerNodes: input.NumberOfBrokerNodes!,
    BrokerNodeGroupInfo: {
      BrokerAZDistribution: 'DEFAULT',
      ClientSubnets: [...g.ClientSubnets!],
      InstanceType: g.InstanceType!,
      SecurityGroups: [...(g.SecurityGroups ?? [])],
      StorageInfo: {
        EbsStorageInfo: {
          VolumeSize: ebs?.VolumeSize ?? DEFAULT_VOLUME_SIZE_GIB,
          ...(ebs?.ProvisionedThroughput && { ProvisionedThroughput: { ...ebs.ProvisionedThroughput } }),
        },
      },
      ConnectivityInfo: { PublicAccess: { Type: 'DISABLED' } },
    },
    ...(input.ClientAuthentication !== undefined && { ClientAuthentication: normalizeClientAuthentication(input.ClientAuthentication) }),
    ...(input.ConfigurationInfo && { ConfigurationInfo: { Arn: input.ConfigurationInfo.Arn!, Revision: input.ConfigurationInfo.Revision! } }),
    EncryptionInfo: {
      // AWS-PARITY: MSK encrypts every broker volume with this KMS key (by default the AWS-managed key behind
      // alias/aws/kafka). openmsk has no KMS and does not encrypt volumes at rest: the key id (the one given, else the
      // alias ARN) is only stored and reported for client compatibility; the worker and /health say "encryption at
      // rest: none" (docs/encryption-at-rest.md).
      EncryptionAtRest: {
        DataVolumeKMSKeyId: input.EncryptionInfo?.EncryptionAtRest?.DataVolumeKMSKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:alias/aws/kafka`,
      },
      EncryptionInTransit: { ClientBroker: transit?.ClientBroker ?? 'TLS', InCluster: transit?.InCluster ?? true },
    },
    EnhancedMonitoring: input.EnhancedMonitoring ?? 'DEFAULT',
    OpenMonitoring: {
      Prometheus: {
        JmxExporter: { EnabledInBroker: p?.JmxExporter?.EnabledInBroker ?? false },
        NodeExporter: { EnabledInBroker: p?.NodeExporter?.EnabledInBroker ?? false },
      },
    },
    ...(input.LoggingInfo && { LoggingInfo: structuredClone(input.LoggingInfo) }),
    StorageMode: input.StorageMode ?? 'LOCAL',
    Tags: { ...(input.Tags ?? {}) },
  };
}

/** Validate, then fill defaults: what CreateCluster stores. */
export function prepareCreateCluster(input: CreateClusterRequest, ctx: ArnContext): ClusterSpec {
  validateCreateCluster(input);
  return applyCreateDefaults(input, ctx);
}

/**
 * CreateClusterV2 → the v1 request it stands for (same rules, same stored state).
 * AWS-PARITY: serverless clusters are not offered.
 */
export function createClusterV2ToV1(input: CreateClusterV2Request): CreateClusterRequest {
  if (input.Serverless !== undefined) throw badRequest('Serverless clusters are not supported by openmsk yet.', 'serverless');
  const p = assertRequired(input.Provisioned, 'provisioned');
  return { ...p, ClusterName: input.ClusterName, Tags: input.Tags } as CreateClusterRequest;
}

/**
 * A configuration revision may be used by a cluster only if the configuration lists the
 * cluster's version, or lists none (then it applies to every version).
 */
export function assertConfigurationAllowsVersion(kafkaVersions: readonly string[], clusterVersion: string): void {
  if (kafkaVersions.length && !kafkaVersions.includes(clusterVersion)) {
    throw badRequest(
      `The configuration doesn't support Apache Kafka version ${clusterVersion}. Versions it supports: [${kafkaVersions.join(', ')}]`,
      'configurationInfo',
    );
  }
}
