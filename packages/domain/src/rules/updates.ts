/**
 * Cluster update operations (UpdateClusterConfiguration, UpdateBrokerStorage, UpdateStorage,
 * UpdateBrokerCount, UpdateBrokerType, RebootBroker, UpdateClusterKafkaVersion, UpdateMonitoring, UpdateSecurity):
 * request rules against the cluster as it is, and the operation record they produce (docs/msk-behaviour.md §4, §5).
 *
 * Each `planX` takes the SDK-shaped request and a {@link ClusterSnapshot} and either throws the
 * 400 the client gets or returns the `sourceClusterInfo`/`targetClusterInfo` (SDK
 * MutableClusterInfo, PascalCase) holding only what changes. The worker carries out
 * `targetClusterInfo` and, when done, stores {@link applyClusterUpdate}'s result.
 * State and currentVersion checks are the caller's (they need the locked row).
 */
import type {
  BrokerEBSVolumeInfo, ConfigurationInfo, EnhancedMonitoring, LoggingInfo, MutableClusterInfo, OpenMonitoring,
  ProvisionedThroughput, RebootBrokerRequest, StorageMode, UpdateBrokerCountRequest, UpdateBrokerStorageRequest,
  UpdateBrokerTypeRequest, UpdateClusterKafkaVersionRequest, UpdateMonitoringRequest, UpdateSecurityRequest,
  UpdateStorageRequest,
} from '@aws-sdk/client-kafka';
import { badRequest } from '@openmsk/wire/src/errors';
import { parseArnOfType } from '../arn';
import { compatibleTargets, findInstanceType } from '../catalog';
import { assertBoolean, assertEnum, assertInteger, assertRequired, assertString } from './common';
import { validateLoggingInfo } from './formats';
import { assertSecurityCombination, normalizeClientAuthentication } from './security';
import {
  assertConfigurationAllowsVersion, assertInstanceType, BROKER_MULTIPLE_MESSAGE, type ClusterSpec, ENHANCED_MONITORING_VALUES,
  CLIENT_BROKER_VALUES, INVALID_CONFIGURATION_ARN_MESSAGE, MAX_BROKERS_PER_CLUSTER, MAX_VOLUME_SIZE_GIB, MIN_PROVISIONED_THROUGHPUT_MIBPS,
  STORAGE_MODE_VALUES,
} from './create-cluster';

/** What the update rules read of a cluster: the row's columns plus its stored spec. */
export interface ClusterSnapshot {
  kafkaVersion: string;
  numberOfBrokerNodes: number;
  /** The configuration the brokers run (row columns configurationArn/Revision), if any. */
  configuration?: { Arn: string; Revision: number };
  spec: ClusterSpec;
}

/**
 * What an operation record stores. `target` may carry keys outside MutableClusterInfo for the
 * worker only (RebootBroker's `BrokerIds`); the wire encoder drops keys the model lacks, so
 * DescribeClusterOperation never shows them.
 */
export interface UpdatePlan {
  source: MutableClusterInfo;
  target: MutableClusterInfo & { BrokerIds?: string[] };
}

/** A configuration revision as found in the database (existence is the caller's to check). */
export interface FoundConfiguration {
  arn: string;
  revision: number;
  kafkaVersions: readonly string[];
}

/** Real MSK text (terraform-provider-aws matches it to treat the call as a no-op; docs/msk-behaviour.md §5). */
export const NO_EBS_UPDATES_MESSAGE = 'The request does not include any updates to the EBS volumes of the cluster. Verify the request, then try again.';
// AWS-PARITY: MSK's texts for the other "nothing to do" cases are not known; they follow the EBS one.
export const noUpdatesMessage = (what: string) => `The request does not include any updates to the ${what} of the cluster. Verify the request, then try again.`;
export const ALL_BROKERS = 'All';

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** `configurationInfo {arn, revision}` well-formed (existence is checked against the database). */
export function validateConfigurationInfo(ci: unknown): { Arn: string; Revision: number } {
  const info = assertRequired(ci as ConfigurationInfo | undefined, 'configurationInfo');
  const arn = assertString(info.Arn, 'arn');
  if (!parseArnOfType(arn, 'configuration')) throw badRequest(INVALID_CONFIGURATION_ARN_MESSAGE, 'configurationInfo');
  const revision = assertInteger(info.Revision, 'revision', 1, Number.MAX_SAFE_INTEGER);
  return { Arn: arn, Revision: revision };
}

type Throughput = { Enabled: true; VolumeThroughput: number } | { Enabled: false };

/** The stored throughput in one form: enabled with a rate, or disabled. */
function currentThroughput(spec: ClusterSpec): Throughput {
  const pt = spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.ProvisionedThroughput;
  return pt?.Enabled === true && typeof pt.VolumeThroughput === 'number'
    ? { Enabled: true, VolumeThroughput: pt.VolumeThroughput }
    : { Enabled: false };
}

/**
 * Same rules as CreateCluster: only types with a throughput limit, volume ≥ 10 GiB, rate
 * 250..max MiB/s [doc msk-provision-throughput]. AWS-PARITY: on an update `enabled` is required
 * (CreateCluster treats a missing one as "off"); a throughput object without it means nothing.
 */
function checkThroughput(pt: ProvisionedThroughput, instanceType: string, volumeSize: number): Throughput {
  if (!assertBoolean(pt.Enabled, 'enabled')) return { Enabled: false };
  const max = findInstanceType(instanceType)?.maxProvisionedThroughputMiBps;
  if (!max) throw badRequest(`Provisioned throughput isn't supported for instance type ${instanceType}.`, 'provisionedThroughput');
  if (volumeSize < 10) throw badRequest('Provisioned throughput requires a volume size of at least 10 GiB.', 'provisionedThroughput');
  return { Enabled: true, VolumeThroughput: assertInteger(pt.VolumeThroughput, 'volumeThroughput', MIN_PROVISIONED_THROUGHPUT_MIBPS, max) };
}

/** Deep equality of JSON values, key order ignored (Postgres jsonb does not keep it). */
function sameJson(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, x]) => [k, canon(x)]))
        : v;
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

interface StorageChange {
  volumeSizeGB?: unknown;
  provisionedThroughput?: ProvisionedThroughput;
}

/**
 * Volume size and throughput: grow only, ≤ 16384 GiB. Returns the source/target
 * BrokerEBSVolumeInfo entries, or undefined when neither changes. The entries always carry
 * VolumeSizeGB (the whole desired size); ProvisionedThroughput only when it changes.
 */
function planEbs(c: ClusterSnapshot, change: StorageChange): { source: BrokerEBSVolumeInfo; target: BrokerEBSVolumeInfo } | undefined {
  const ebs = c.spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo;
  const size = change.volumeSizeGB === undefined ? ebs.VolumeSize : assertInteger(change.volumeSizeGB, 'volumeSizeGB', 1, MAX_VOLUME_SIZE_GIB);
  if (size < ebs.VolumeSize) {
    throw badRequest(
      `The volume size can only be increased. The brokers have ${ebs.VolumeSize} GiB; specify a volumeSizeGB greater than ${ebs.VolumeSize}.`,
      'volumeSizeGB',
    );
  }
  const fromPt = currentThroughput(c.spec);
  const toPt = change.provisionedThroughput === undefined
    ? fromPt
    : checkThroughput(change.provisionedThroughput, c.spec.BrokerNodeGroupInfo.InstanceType, size);
  const ptChanges = !sameJson(fromPt, toPt);
  if (size === ebs.VolumeSize && !ptChanges) return undefined;
  return {
    source: { KafkaBrokerNodeId: ALL_BROKERS, VolumeSizeGB: ebs.VolumeSize, ...(ptChanges && { ProvisionedThroughput: fromPt }) },
    target: { KafkaBrokerNodeId: ALL_BROKERS, VolumeSizeGB: size, ...(ptChanges && { ProvisionedThroughput: toPt }) },
  };
}

// ---------------------------------------------------------------------------------------------
// Per operation

/** UpdateBrokerCount: increase only, ≤ 30, a multiple of the client subnets [doc msk-update-broker-count]. */
export function planUpdateBrokerCount(input: Pick<UpdateBrokerCountRequest, 'TargetNumberOfBrokerNodes'>, c: ClusterSnapshot): UpdatePlan {
  const target = assertInteger(input.TargetNumberOfBrokerNodes, 'targetNumberOfBrokerNodes', 1, MAX_BROKERS_PER_CLUSTER);
  const current = c.numberOfBrokerNodes;
  if (target === current) throw badRequest(`${noUpdatesMessage('number of broker nodes')} The cluster already has ${current} broker nodes.`, 'targetNumberOfBrokerNodes');
  // AWS-PARITY: newer MSK can also remove brokers; this model's UpdateBrokerCount only adds them.
  if (target < current) {
    throw badRequest(`The number of broker nodes can only be increased. The cluster has ${current}; specify a larger targetNumberOfBrokerNodes.`, 'targetNumberOfBrokerNodes');
  }
  if (target % c.spec.BrokerNodeGroupInfo.ClientSubnets.length !== 0) throw badRequest(BROKER_MULTIPLE_MESSAGE, 'targetNumberOfBrokerNodes');
  return { source: { NumberOfBrokerNodes: current }, target: { NumberOfBrokerNodes: target } };
}

/**
 * UpdateBrokerStorage: exactly one entry for "All" brokers [doc msk-update-storage]; grow only;
 * nothing changing is MSK's "does not include any updates" 400.
 * AWS-PARITY: the ≥ 6 h cool-down between storage scaling events is not enforced.
 */
export function planUpdateBrokerStorage(input: Pick<UpdateBrokerStorageRequest, 'TargetBrokerEBSVolumeInfo'>, c: ClusterSnapshot): UpdatePlan {
  const list = assertRequired(input.TargetBrokerEBSVolumeInfo, 'targetBrokerEBSVolumeInfo');
  if (!Array.isArray(list) || list.length !== 1) {
    throw badRequest('The targetBrokerEBSVolumeInfo parameter must contain exactly one entry, with kafkaBrokerNodeId "All".', 'targetBrokerEBSVolumeInfo');
  }
  const [entry] = list;
  if (entry.KafkaBrokerNodeId !== ALL_BROKERS) {
    throw badRequest(`Unsupported KafkaBrokerNodeId [${String(entry.KafkaBrokerNodeId)}]. Storage is updated on all brokers at once: use "All".`, 'kafkaBrokerNodeId');
  }
  const ebs = planEbs(c, { volumeSizeGB: entry.VolumeSizeGB, provisionedThroughput: entry.ProvisionedThroughput });
  if (!ebs) throw badRequest(NO_EBS_UPDATES_MESSAGE, 'targetBrokerEBSVolumeInfo');
  return { source: { BrokerEBSVolumeInfo: [ebs.source] }, target: { BrokerEBSVolumeInfo: [ebs.target] } };
}

/**
 * UpdateStorage: volume size and throughput as UpdateBrokerStorage, plus storageMode.
 * LOCAL→TIERED is allowed except on kafka.t3.small (as on create); TIERED→LOCAL is refused
 * [doc msk-tiered-storage: tiered storage can't be turned off].
 */
export function planUpdateStorage(input: Pick<UpdateStorageRequest, 'VolumeSizeGB' | 'ProvisionedThroughput' | 'StorageMode'>, c: ClusterSnapshot): UpdatePlan {
  const ebs = planEbs(c, { volumeSizeGB: input.VolumeSizeGB, provisionedThroughput: input.ProvisionedThroughput });
  const from = c.spec.StorageMode;
  let to: StorageMode = from;
  if (input.StorageMode !== undefined) {
    to = assertEnum(input.StorageMode, STORAGE_MODE_VALUES, 'StorageMode', 'storageMode');
    if (from === 'TIERED' && to === 'LOCAL') throw badRequest("The storage mode can't be changed from TIERED to LOCAL.", 'storageMode');
    const type = c.spec.BrokerNodeGroupInfo.InstanceType;
    if (to === 'TIERED' && from !== 'TIERED' && type === 'kafka.t3.small') {
      throw badRequest(`Tiered storage isn't supported for instance type ${type}.`, 'storageMode');
    }
  }
  if (!ebs && to === from) throw badRequest(NO_EBS_UPDATES_MESSAGE, 'volumeSizeGB');
  const source: MutableClusterInfo = {};
  const target: MutableClusterInfo = {};
  if (ebs) {
    source.BrokerEBSVolumeInfo = [ebs.source];
    target.BrokerEBSVolumeInfo = [ebs.target];
  }
  if (to !== from) {
    source.StorageMode = from;
    target.StorageMode = to;
  }
  return { source, target };
}

/**
 * UpdateBrokerType: a catalog type other than the current one, compatible with how the cluster
 * stores data (tiered storage, provisioned throughput). AWS-PARITY: MSK also refuses a smaller
 * type when partitions per broker exceed its limit; the API cannot see partitions (the worker can).
 */
export function planUpdateBrokerType(input: Pick<UpdateBrokerTypeRequest, 'TargetInstanceType'>, c: ClusterSnapshot): UpdatePlan {
  const type = assertInstanceType(input.TargetInstanceType, 'targetInstanceType');
  const current = c.spec.BrokerNodeGroupInfo.InstanceType;
  if (type === current) throw badRequest(`${noUpdatesMessage('broker type')} The brokers already are ${current}.`, 'targetInstanceType');
  if (c.spec.StorageMode === 'TIERED' && type === 'kafka.t3.small') {
    throw badRequest(`Tiered storage isn't supported for instance type ${type}.`, 'targetInstanceType');
  }
  const pt = currentThroughput(c.spec);
  if (pt.Enabled) {
    const max = findInstanceType(type)?.maxProvisionedThroughputMiBps;
    if (!max || max < pt.VolumeThroughput) {
      throw badRequest(
        `Instance type ${type} doesn't support the cluster's provisioned throughput of ${pt.VolumeThroughput} MiB/s. Turn it off or lower it with UpdateStorage first.`,
        'targetInstanceType',
      );
    }
  }
  return { source: { InstanceType: current }, target: { InstanceType: type } };
}

/**
 * RebootBroker: exactly one broker id per call, "1".."numberOfBrokerNodes" [doc msk-reboot-broker].
 * The id goes to `target.BrokerIds` for the worker; MutableClusterInfo has no member for it, so
 * DescribeClusterOperation shows empty source and target infos.
 */
export function planRebootBroker(input: Pick<RebootBrokerRequest, 'BrokerIds'>, c: ClusterSnapshot): UpdatePlan {
  const ids = assertRequired(input.BrokerIds, 'brokerIds');
  if (!Array.isArray(ids) || ids.length !== 1) throw badRequest('The brokerIds parameter must contain exactly one broker ID.', 'brokerIds');
  const [id] = ids;
  const n = c.numberOfBrokerNodes;
  if (typeof id !== 'string' || !/^[1-9][0-9]*$/.test(id) || Number(id) > n) {
    throw badRequest(`Broker ID ${JSON.stringify(id)} doesn't exist in this cluster. Valid broker IDs: 1 to ${n}.`, 'brokerIds');
  }
  return { source: {}, target: { BrokerIds: [id] } };
}

/** `target` must be one of compatibleTargets(`from`): newer, same metadata mode (docs/msk-behaviour.md §7). */
export function assertUpgradeTarget(from: string, target: unknown): string {
  const version = assertString(target, 'targetKafkaVersion', 1, 128);
  const valid = compatibleTargets(from);
  if (!valid.includes(version)) {
    throw badRequest(`Unsupported TargetKafkaVersion [${version}] for a cluster on ${from}. Valid values: [${valid.join(', ')}]`, 'targetKafkaVersion');
  }
  return version;
}

/**
 * UpdateClusterKafkaVersion: a target GetCompatibleKafkaVersions lists (newer, same metadata
 * mode). The configuration that will run on the target must list it: the one given, else the
 * cluster's current one (`current`, looked up by the caller).
 * AWS-PARITY: checking the current configuration when none is given is our inference from the
 * upgrade guide (custom configurations are per version); MSK's exact behaviour is unverified.
 */
export function planUpdateClusterKafkaVersion(
  input: Pick<UpdateClusterKafkaVersionRequest, 'TargetKafkaVersion'>,
  c: ClusterSnapshot,
  given: FoundConfiguration | undefined,
  current: FoundConfiguration | undefined,
): UpdatePlan {
  const version = assertUpgradeTarget(c.kafkaVersion, input.TargetKafkaVersion);
  const runs = given ?? current;
  if (runs) assertConfigurationAllowsVersion(runs.kafkaVersions, version);
  const source: MutableClusterInfo = { KafkaVersion: c.kafkaVersion };
  const target: MutableClusterInfo = { KafkaVersion: version };
  if (given) {
    if (c.configuration) source.ConfigurationInfo = { ...c.configuration };
    target.ConfigurationInfo = { Arn: given.arn, Revision: given.revision };
  }
  return { source, target };
}

/**
 * UpdateClusterConfiguration: `found` is the revision the request names (validateConfigurationInfo,
 * then looked up by the caller); it must allow the cluster's version and differ from the current one.
 */
export function planUpdateClusterConfiguration(c: ClusterSnapshot, found: FoundConfiguration): UpdatePlan {
  assertConfigurationAllowsVersion(found.kafkaVersions, c.kafkaVersion);
  // AWS-PARITY: MSK's answer to re-applying the revision the cluster runs is not known; nothing would change, so 400.
  if (c.configuration?.Arn === found.arn && c.configuration.Revision === found.revision) {
    throw badRequest(`${noUpdatesMessage('configuration')} The cluster already uses revision ${found.revision} of ${found.arn}.`, 'configurationInfo');
  }
  return {
    source: c.configuration ? { ConfigurationInfo: { ...c.configuration } } : {},
    target: { ConfigurationInfo: { Arn: found.arn, Revision: found.revision } },
  };
}

type MonitoringInput = Pick<UpdateMonitoringRequest, 'EnhancedMonitoring' | 'OpenMonitoring' | 'LoggingInfo'>;

/**
 * UpdateMonitoring: enhancedMonitoring enum; openMonitoring replaces the exporter settings (an
 * exporter left out is off, as on create; both off is accepted, as on create); loggingInfo is
 * stored as given. Fields equal to the current ones are left out of the record; when none
 * differs the request is refused like the other updates.
 */
export function planUpdateMonitoring(input: MonitoringInput, c: ClusterSnapshot): UpdatePlan {
  const source: MutableClusterInfo = {};
  const target: MutableClusterInfo = {};
  if (input.EnhancedMonitoring !== undefined) {
    const v: EnhancedMonitoring = assertEnum(input.EnhancedMonitoring, ENHANCED_MONITORING_VALUES, 'EnhancedMonitoring', 'enhancedMonitoring');
    if (v !== c.spec.EnhancedMonitoring) {
      source.EnhancedMonitoring = c.spec.EnhancedMonitoring;
      target.EnhancedMonitoring = v;
    }
  }
  if (input.OpenMonitoring !== undefined) {
    const p = assertRequired(input.OpenMonitoring.Prometheus, 'prometheus');
    const flag = (x: { EnabledInBroker?: boolean } | undefined) => (x === undefined ? false : assertBoolean(x.EnabledInBroker, 'enabledInBroker'));
    const v: OpenMonitoring = {
      Prometheus: { JmxExporter: { EnabledInBroker: flag(p.JmxExporter) }, NodeExporter: { EnabledInBroker: flag(p.NodeExporter) } },
    };
    if (!sameJson(v, c.spec.OpenMonitoring)) {
      source.OpenMonitoring = structuredClone(c.spec.OpenMonitoring);
      target.OpenMonitoring = v;
    }
  }
  if (input.LoggingInfo !== undefined) {
    validateLoggingInfo(input.LoggingInfo);
    const v: LoggingInfo = JSON.parse(JSON.stringify(input.LoggingInfo));
    if (!sameJson(v, c.spec.LoggingInfo)) {
      // A cluster created without logging reports none; its "before" is logging off.
      source.LoggingInfo = c.spec.LoggingInfo ? structuredClone(c.spec.LoggingInfo) : { BrokerLogs: {} };
      target.LoggingInfo = v;
    }
  }
  if (Object.keys(target).length === 0) {
    const param = input.EnhancedMonitoring !== undefined || (input.OpenMonitoring === undefined && input.LoggingInfo === undefined)
      ? 'enhancedMonitoring'
      : input.OpenMonitoring !== undefined ? 'openMonitoring' : 'loggingInfo';
    throw badRequest(noUpdatesMessage('monitoring settings'), param);
  }
  return { source, target };
}

// ---------------------------------------------------------------------------------------------
// Applying a finished operation

/**
 * The cluster after `target` took effect: what the worker stores when an operation completes
 * (UpdateMonitoring's API call stores it at once). Keys outside MutableClusterInfo
 * (BrokerIds) change nothing. Pure: returns a new snapshot.
 */
/**
 * UpdateSecurity: client authentication and clientBroker, with MSK's combinations (rules/security.ts); encryption within
 * the cluster and at rest cannot change. A `clientAuthentication` given is the whole new setting (what is left out is
 * off, unauthenticated access on only when nothing else is); left out, authentication stays as it is. Sending the
 * current settings is accepted and changes nothing on the brokers.
 */
export function planUpdateSecurity(input: Pick<UpdateSecurityRequest, 'ClientAuthentication' | 'EncryptionInfo'>, c: ClusterSnapshot): UpdatePlan {
  if (input.ClientAuthentication === undefined && input.EncryptionInfo === undefined) {
    throw badRequest(noUpdatesMessage('security settings'), 'clientAuthentication');
  }
  const was = c.spec.EncryptionInfo;
  const atRest = input.EncryptionInfo?.EncryptionAtRest;
  if (atRest !== undefined && atRest.DataVolumeKMSKeyId !== was.EncryptionAtRest.DataVolumeKMSKeyId) {
    throw badRequest("You can't update the encryption at rest settings of a cluster.", 'encryptionAtRest');
  }
  const transit = input.EncryptionInfo?.EncryptionInTransit;
  if (transit?.InCluster !== undefined && assertBoolean(transit.InCluster, 'inCluster') !== was.EncryptionInTransit.InCluster) {
    throw badRequest("You can't update the in-cluster (broker-to-broker) encryption setting of a cluster.", 'inCluster');
  }
  const clientBroker = transit?.ClientBroker === undefined
    ? was.EncryptionInTransit.ClientBroker
    : assertEnum(transit.ClientBroker, CLIENT_BROKER_VALUES, 'ClientBroker', 'clientBroker');
  const before = c.spec.ClientAuthentication ?? normalizeClientAuthentication(undefined);
  const after = input.ClientAuthentication === undefined ? before : normalizeClientAuthentication(input.ClientAuthentication);
  assertSecurityCombination(after, clientBroker, was.EncryptionInTransit.InCluster);
  return {
    source: { ClientAuthentication: structuredClone(before), EncryptionInfo: { EncryptionInTransit: { ...was.EncryptionInTransit } } },
    target: { ClientAuthentication: after, EncryptionInfo: { EncryptionInTransit: { ClientBroker: clientBroker, InCluster: was.EncryptionInTransit.InCluster } } },
  };
}

export function applyClusterUpdate(c: ClusterSnapshot, target: UpdatePlan['target']): ClusterSnapshot {
  const spec: ClusterSpec = structuredClone(c.spec);
  const out: ClusterSnapshot = { ...c, configuration: c.configuration && { ...c.configuration }, spec };
  if (target.NumberOfBrokerNodes !== undefined) {
    out.numberOfBrokerNodes = target.NumberOfBrokerNodes;
    spec.NumberOfBrokerNodes = target.NumberOfBrokerNodes;
  }
  const ebsTarget = target.BrokerEBSVolumeInfo?.[0];
  if (ebsTarget) {
    const ebs = spec.BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo;
    if (ebsTarget.VolumeSizeGB !== undefined) ebs.VolumeSize = ebsTarget.VolumeSizeGB;
    if (ebsTarget.ProvisionedThroughput !== undefined) ebs.ProvisionedThroughput = { ...ebsTarget.ProvisionedThroughput };
  }
  if (target.InstanceType !== undefined) spec.BrokerNodeGroupInfo.InstanceType = target.InstanceType;
  if (target.KafkaVersion !== undefined) {
    out.kafkaVersion = target.KafkaVersion;
    spec.KafkaVersion = target.KafkaVersion;
  }
  if (target.ConfigurationInfo?.Arn !== undefined && target.ConfigurationInfo.Revision !== undefined) {
    const ci = { Arn: target.ConfigurationInfo.Arn, Revision: target.ConfigurationInfo.Revision };
    out.configuration = ci;
    spec.ConfigurationInfo = { ...ci };
  }
  if (target.StorageMode !== undefined) spec.StorageMode = target.StorageMode;
  if (target.EnhancedMonitoring !== undefined) spec.EnhancedMonitoring = target.EnhancedMonitoring;
  if (target.OpenMonitoring !== undefined) spec.OpenMonitoring = structuredClone(target.OpenMonitoring) as ClusterSpec['OpenMonitoring'];
  if (target.LoggingInfo !== undefined) spec.LoggingInfo = structuredClone(target.LoggingInfo);
  if (target.ClientAuthentication !== undefined) spec.ClientAuthentication = structuredClone(target.ClientAuthentication) as ClusterSpec['ClientAuthentication'];
  const clientBroker = target.EncryptionInfo?.EncryptionInTransit?.ClientBroker;
  if (clientBroker !== undefined) spec.EncryptionInfo.EncryptionInTransit.ClientBroker = clientBroker;
  return out;
}
