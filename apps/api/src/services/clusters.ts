import { randomInt, randomUUID } from 'node:crypto';
import type { Cluster as SdkCluster, ClusterInfo, CreateClusterRequest } from '@aws-sdk/client-kafka';
import type { Cluster, Db } from '@openmsk/db';
import { Prisma, isUniqueViolation } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { badRequest, conflict, notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { findConfigurationRevision } from './configurations';
import { assertVersionAvailable } from './versions';

type ClusterSpec = domain.ClusterSpec;

const notFoundCluster = (arn: string) =>
  notFound(`The specified cluster ARN ${arn} was not found. Check the ARN and try again.`, 'clusterArn');

/** A cluster of the caller's account; another account's ARN is indistinguishable from a missing one. */
export async function findCluster(ctx: RequestContext, arn: string): Promise<Cluster> {
  // The hottest read (every cluster operation starts here), on plain pg (packages/db/src/reads.ts). The row is found
  // by its unique ARN alone, so Postgres always takes that index: with account and region in the WHERE clause the
  // planner could walk the (account, region, created_at) index and filter every cluster of the account by ARN.
  return assertOwned(ctx, arn, await ctx.deps.reads.clusterByArn(arn));
}

/** A row of the caller's account and region, else the same NotFound as a missing one. */
export function assertOwned<T extends { accountId: string; region: string }>(ctx: RequestContext, arn: string, row: T | undefined): T {
  if (!row || row.accountId !== ctx.principal.accountId || row.region !== ctx.region) throw notFoundCluster(arn);
  return row;
}

/** CreateCluster and CreateClusterV2 (provisioned): validate, then cluster + CREATE operation in one transaction. */
/**
 * Mutual TLS trusts the caller's own ACM Private CAs (apps/api/src/acmpca), ACTIVE ones only: the brokers get their
 * certificates as the client truststore. Another account's or region's CA answers as missing.
 */
export async function assertUsableCertificateAuthorities(ctx: RequestContext, arns: string[]): Promise<void> {
  const found = await ctx.deps.db.privateCa.findMany({
    where: { arn: { in: arns }, accountId: ctx.principal.accountId, region: ctx.region, status: 'ACTIVE' },
    select: { arn: true },
  });
  const missing = arns.find((a) => !found.some((f) => f.arn === a));
  // AWS-PARITY: MSK's wording for an unusable CA is not documented; openmsk's names the ARN.
  if (missing) throw badRequest(`The certificate authority ${missing} does not exist or is not ACTIVE.`, 'certificateAuthorityArnList');
}

export async function createCluster(ctx: RequestContext, input: CreateClusterRequest) {
  domain.validateCreateCluster(input);
  await assertVersionAvailable(ctx, input.KafkaVersion!);
  const { db } = ctx.deps;
  let configuration: { arn: string; revision: bigint } | undefined;
  if (input.ConfigurationInfo) {
    const found = await findConfigurationRevision(ctx, input.ConfigurationInfo.Arn!, input.ConfigurationInfo.Revision!);
    domain.assertConfigurationAllowsVersion(found.kafkaVersions, input.KafkaVersion!);
    configuration = { arn: found.arn, revision: found.revision };
  }
  const arnCtx = { region: ctx.region, account: ctx.principal.accountId };
  const spec: ClusterSpec = domain.applyCreateDefaults(input, arnCtx);
  if (spec.ClientAuthentication?.Tls.Enabled) await assertUsableCertificateAuthorities(ctx, spec.ClientAuthentication.Tls.CertificateAuthorityArnList);
  const id = randomUUID();
  const arn = domain.clusterArn(arnCtx, input.ClusterName!, `${id}-${randomInt(1, 8)}`);
  const operationId = randomUUID();
  try {
    await db.$transaction(async (tx) => {
      if (configuration) {
        // Hold the configuration against a concurrent DeleteConfiguration (which locks it FOR UPDATE).
        const held = await tx.$queryRaw<unknown[]>`SELECT 1 FROM configuration WHERE arn = ${configuration.arn} FOR SHARE`;
        if (held.length === 0) throw badRequest('Invalid Configuration ARN.', 'configurationInfo');
      }
      await tx.cluster.create({
        data: {
          id,
          arn,
          accountId: ctx.principal.accountId,
          region: ctx.region,
          name: input.ClusterName!,
          state: 'CREATING',
          currentVersion: domain.newCurrentVersion(),
          kafkaVersion: input.KafkaVersion!,
          numberOfBrokerNodes: input.NumberOfBrokerNodes!,
          spec: spec as unknown as Prisma.InputJsonValue,
          configurationArn: configuration?.arn,
          configurationRevision: configuration?.revision,
          tags: (input.Tags ?? {}) as Prisma.InputJsonValue,
          // AWS-PARITY: AWS does not document whether DescribeCluster names the CREATE while a cluster is CREATING;
          // openmsk records the CREATE like any other operation, so it names it until the operation ends.
          activeOperationArn: operationArn(arn, operationId),
        },
      });
      await tx.clusterOperation.create({
        data: {
          id: operationId,
          arn: operationArn(arn, operationId),
          clusterId: id,
          accountId: ctx.principal.accountId,
          operationType: 'CREATE',
          operationState: 'PENDING',
        },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(`A cluster named ${input.ClusterName} already exists in this account.`, 'clusterName');
    throw e;
  }
  await enqueue(ctx, operationId);
  return { ClusterArn: arn, ClusterName: input.ClusterName!, State: 'CREATING' as const };
}

/** Marks the row enqueued only when Redis took the job; otherwise the reconciler picks it up later. */
export async function enqueue(ctx: RequestContext, operationId: string) {
  if (await ctx.deps.enqueue(operationId)) {
    await ctx.deps.db.clusterOperation.update({ where: { id: operationId }, data: { enqueued: true } });
  }
}

/** cluster-operation/<clusterName>/<clusterUuid-n>/<operationUuid>, from the cluster's own ARN. */
export function operationArn(clusterArn: string, operationId: string): string {
  const p = domain.parseArnOfType(clusterArn, 'cluster')!;
  return domain.clusterOperationArn(p, p.name, p.id, operationId);
}

export function toClusterInfo(row: Cluster): ClusterInfo {
  const spec = row.spec as unknown as ClusterSpec;
  return {
    ActiveOperationArn: row.activeOperationArn ?? undefined,
    BrokerNodeGroupInfo: spec.BrokerNodeGroupInfo as ClusterInfo['BrokerNodeGroupInfo'],
    ClientAuthentication: spec.ClientAuthentication as ClusterInfo['ClientAuthentication'],
    ClusterArn: row.arn,
    ClusterName: row.name,
    CreationTime: row.createdAt,
    CurrentBrokerSoftwareInfo: {
      KafkaVersion: row.kafkaVersion,
      ConfigurationArn: row.configurationArn ?? undefined,
      ConfigurationRevision: row.configurationRevision === null ? undefined : Number(row.configurationRevision),
    },
    CurrentVersion: row.currentVersion,
    EncryptionInfo: spec.EncryptionInfo,
    EnhancedMonitoring: spec.EnhancedMonitoring,
    OpenMonitoring: spec.OpenMonitoring,
    LoggingInfo: spec.LoggingInfo,
    NumberOfBrokerNodes: row.numberOfBrokerNodes,
    State: row.state as ClusterInfo['State'],
    StateInfo: row.stateCode || row.stateMessage ? { Code: row.stateCode ?? undefined, Message: row.stateMessage ?? undefined } : undefined,
    Tags: row.tags as Record<string, string>,
    StorageMode: spec.StorageMode,
  };
}

export function toClusterV2(row: Cluster, info: ClusterInfo = toClusterInfo(row)): SdkCluster {
  return {
    ActiveOperationArn: info.ActiveOperationArn,
    ClusterType: 'PROVISIONED',
    ClusterArn: info.ClusterArn,
    ClusterName: info.ClusterName,
    CreationTime: info.CreationTime,
    CurrentVersion: info.CurrentVersion,
    State: info.State,
    StateInfo: info.StateInfo,
    Tags: info.Tags,
    Provisioned: {
      BrokerNodeGroupInfo: info.BrokerNodeGroupInfo,
      CurrentBrokerSoftwareInfo: info.CurrentBrokerSoftwareInfo,
      ClientAuthentication: info.ClientAuthentication,
      EncryptionInfo: info.EncryptionInfo,
      EnhancedMonitoring: info.EnhancedMonitoring,
      OpenMonitoring: info.OpenMonitoring as SdkCluster['Provisioned'] extends { OpenMonitoring?: infer O } ? O : never,
      LoggingInfo: info.LoggingInfo,
      NumberOfBrokerNodes: info.NumberOfBrokerNodes,
      ZookeeperConnectString: info.ZookeeperConnectString,
      ZookeeperConnectStringTls: info.ZookeeperConnectStringTls,
      StorageMode: info.StorageMode,
    },
  };
}

/** DeleteCluster: DELETING plus a DELETE operation the worker carries out (it removes the row when done). */
export async function deleteCluster(ctx: RequestContext, arn: string, currentVersion: string | undefined) {
  const { db } = ctx.deps;
  const operationId = randomUUID();
  await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Cluster[]>`SELECT id, state, current_version AS "currentVersion" FROM cluster
      WHERE arn = ${arn} AND account_id = ${ctx.principal.accountId} AND region = ${ctx.region} FOR UPDATE`;
    if (!row) throw notFoundCluster(arn);
    if (currentVersion !== undefined) domain.assertCurrentVersion(row.currentVersion, currentVersion);
    if (row.state === 'DELETING') throw badRequest(`The cluster ${arn} is already being deleted.`, 'clusterArn');
    await tx.cluster.update({
      where: { id: row.id },
      data: { state: 'DELETING', currentVersion: domain.newCurrentVersion(), activeOperationArn: operationArn(arn, operationId) },
    });
    await tx.clusterOperation.create({
      data: {
        id: operationId,
        arn: operationArn(arn, operationId),
        clusterId: row.id,
        accountId: ctx.principal.accountId,
        operationType: 'DELETE',
        operationState: 'PENDING',
      },
    });
  });
  await enqueue(ctx, operationId);
  return { ClusterArn: arn, State: 'DELETING' as const };
}

export type { Db };
