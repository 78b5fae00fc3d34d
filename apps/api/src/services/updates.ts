/**
 * Cluster update operations, API side: validate, then in ONE transaction that holds the cluster
 * row (`SELECT ... FOR UPDATE`) check state and currentVersion, record the operation and flip
 * the cluster to UPDATING / REBOOTING_BROKER with a new currentVersion; then enqueue the job.
 * The worker carries out `targetClusterInfo` and applies it to the cluster when done
 * (domain.applyClusterUpdate), so DescribeCluster shows the old values until then.
 */
import { randomUUID } from 'node:crypto';
import type {
  RebootBrokerRequest, UpdateBrokerCountRequest, UpdateBrokerStorageRequest, UpdateBrokerTypeRequest,
  UpdateClusterConfigurationRequest, UpdateClusterKafkaVersionRequest, UpdateMonitoringRequest, UpdateSecurityRequest, UpdateStorageRequest,
} from '@aws-sdk/client-kafka';
import type { Cluster, Db } from '@openmsk/db';
import { Prisma } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { RequestContext } from '../context';
import { assertUsableCertificateAuthorities, enqueue, findCluster, operationArn } from './clusters';
import { findConfigurationRevision } from './configurations';

type Tx = Prisma.TransactionClient;

/** Exact MSK operationType values (docs/msk-behaviour.md §4). */
export const OPERATION_TYPES = {
  UpdateClusterConfiguration: 'UPDATE_CLUSTER_CONFIGURATION',
  UpdateBrokerStorage: 'UPDATE_BROKER_STORAGE',
  // AWS-PARITY: MSK's type for UpdateStorage is not documented (UPDATE_STORAGE is only seen in an
  // emulator, UPDATE_BROKER_STORAGE in a third-party sample). We keep the two APIs apart so a
  // client can tell them apart; both carry the same BrokerEBSVolumeInfo target shape.
  UpdateStorage: 'UPDATE_STORAGE',
  UpdateBrokerCount: 'INCREASE_BROKER_COUNT',
  UpdateBrokerType: 'UPDATE_BROKER_TYPE',
  RebootBroker: 'REBOOT_NODE',
  UpdateClusterKafkaVersion: 'UPDATE_CLUSTER_KAFKA_VERSION',
  UpdateMonitoring: 'UPDATE_MONITORING',
  // AWS-PARITY: MSK's operationType for UpdateSecurity is not documented; UPDATE_SECURITY follows the others.
  UpdateSecurity: 'UPDATE_SECURITY',
} as const;

/** Only ACTIVE clusters accept updates (docs/msk-behaviour.md §2). */
const UPDATABLE_STATES = ['ACTIVE'] as const;

interface Accept {
  clusterArn: string;
  operationType: string;
  /** The state while the operation runs. */
  state: 'UPDATING' | 'REBOOTING_BROKER';
  /** The client's token; `null` for RebootBroker, whose request has none. */
  currentVersion: string | undefined | null;
  /** Request rules against the locked cluster; may read (and lock) configurations through `tx`. */
  plan: (c: domain.ClusterSnapshot, tx: Tx) => Promise<domain.UpdatePlan> | domain.UpdatePlan;
}

function snapshot(row: Cluster): domain.ClusterSnapshot {
  return {
    kafkaVersion: row.kafkaVersion,
    numberOfBrokerNodes: row.numberOfBrokerNodes,
    configuration: row.configurationArn && row.configurationRevision !== null
      ? { Arn: row.configurationArn, Revision: Number(row.configurationRevision) }
      : undefined,
    spec: row.spec as unknown as domain.ClusterSpec,
  };
}

/** The request context with its database replaced by the transaction, so lookups run inside it. */
const within = (ctx: RequestContext, tx: Tx): RequestContext => ({ ...ctx, deps: { ...ctx.deps, db: tx as unknown as Db } });

const json = (v: unknown) => v as Prisma.InputJsonValue;

async function acceptUpdate(ctx: RequestContext, a: Accept) {
  const operationId = randomUUID();
  let opArn = '';
  await ctx.deps.db.$transaction(async (tx) => {
    // Lock first, then read: the read sees whatever a concurrent update committed before us.
    await tx.$queryRaw`SELECT id FROM cluster
      WHERE arn = ${a.clusterArn} AND account_id = ${ctx.principal.accountId} AND region = ${ctx.region} FOR UPDATE`;
    const row = await findCluster(within(ctx, tx), a.clusterArn);
    domain.assertClusterState(row.state, UPDATABLE_STATES);
    if (a.currentVersion !== null) domain.assertCurrentVersion(row.currentVersion, a.currentVersion);
    const before = snapshot(row);
    const plan = await a.plan(before, tx);
    opArn = operationArn(row.arn, operationId);
    await tx.cluster.update({
      where: { id: row.id },
      data: {
        state: a.state,
        currentVersion: domain.newCurrentVersion(),
        activeOperationArn: opArn,
      },
    });
    await tx.clusterOperation.create({
      data: {
        id: operationId,
        arn: opArn,
        clusterId: row.id,
        accountId: ctx.principal.accountId,
        operationType: a.operationType,
        operationState: 'PENDING',
        sourceClusterInfo: json(plan.source),
        targetClusterInfo: json(plan.target),
      },
    });
  });
  await enqueue(ctx, operationId);
  return { ClusterArn: a.clusterArn, ClusterOperationArn: opArn };
}

/**
 * A configuration revision of the caller's, found and held (FOR SHARE) inside `tx`, so a
 * concurrent DeleteConfiguration (which locks it FOR UPDATE) waits for this transaction.
 */
async function holdConfiguration(ctx: RequestContext, tx: Tx, ci: { Arn: string; Revision: number }): Promise<domain.FoundConfiguration> {
  await tx.$queryRaw`SELECT 1 FROM configuration WHERE arn = ${ci.Arn} AND account_id = ${ctx.principal.accountId} FOR SHARE`;
  const found = await findConfigurationRevision(within(ctx, tx), ci.Arn, ci.Revision);
  return { arn: found.arn, revision: Number(found.revision), kafkaVersions: found.kafkaVersions };
}

export function updateClusterConfiguration(ctx: RequestContext, input: UpdateClusterConfigurationRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateClusterConfiguration,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: async (c, tx) => {
      const ci = domain.validateConfigurationInfo(input.ConfigurationInfo);
      return domain.planUpdateClusterConfiguration(c, await holdConfiguration(ctx, tx, ci));
    },
  });
}

export function updateBrokerStorage(ctx: RequestContext, input: UpdateBrokerStorageRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateBrokerStorage,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: (c) => domain.planUpdateBrokerStorage(input, c),
  });
}

export function updateStorage(ctx: RequestContext, input: UpdateStorageRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateStorage,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: (c) => domain.planUpdateStorage(input, c),
  });
}

export function updateBrokerCount(ctx: RequestContext, input: UpdateBrokerCountRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateBrokerCount,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: (c) => domain.planUpdateBrokerCount(input, c),
  });
}

export function updateBrokerType(ctx: RequestContext, input: UpdateBrokerTypeRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateBrokerType,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: (c) => domain.planUpdateBrokerType(input, c),
  });
}

/** RebootBroker: no currentVersion in the request (model), yet an accepted reboot still replaces it. */
export function rebootBroker(ctx: RequestContext, input: RebootBrokerRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.RebootBroker,
    state: 'REBOOTING_BROKER',
    currentVersion: null,
    plan: (c) => domain.planRebootBroker(input, c),
  });
}

export function updateClusterKafkaVersion(ctx: RequestContext, input: UpdateClusterKafkaVersionRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateClusterKafkaVersion,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: async (c, tx) => {
      domain.assertUpgradeTarget(c.kafkaVersion, input.TargetKafkaVersion);
      const given = input.ConfigurationInfo === undefined
        ? undefined
        : await holdConfiguration(ctx, tx, domain.validateConfigurationInfo(input.ConfigurationInfo));
      // Without a new configuration the brokers keep theirs, so it must list the target version.
      const current = given || !c.configuration ? undefined : await holdConfiguration(ctx, tx, c.configuration);
      return domain.planUpdateClusterKafkaVersion(input, c, given, current);
    },
  });
}

export function updateMonitoring(ctx: RequestContext, input: UpdateMonitoringRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateMonitoring,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: (c) => domain.planUpdateMonitoring(input, c),
  });
}

/** UpdateSecurity: client authentication and clientBroker, changed by a rolling restart (docs/client-authentication.md). */
export function updateSecurity(ctx: RequestContext, input: UpdateSecurityRequest) {
  return acceptUpdate(ctx, {
    clusterArn: input.ClusterArn!,
    operationType: OPERATION_TYPES.UpdateSecurity,
    state: 'UPDATING',
    currentVersion: input.CurrentVersion,
    plan: async (c) => {
      const plan = domain.planUpdateSecurity(input, c);
      const tls = plan.target.ClientAuthentication?.Tls;
      if (tls?.Enabled) await assertUsableCertificateAuthorities(ctx, tls.CertificateAuthorityArnList ?? []);
      return plan;
    },
  });
}
