import type { ClusterOperationInfo, ClusterOperationV2, ClusterOperationV2Summary } from '@aws-sdk/client-kafka';
import type { ClusterOperation } from '@openmsk/db';
import { notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { findCluster } from './clusters';
import { afterCursor, decodeToken, page, pageSize } from './paging';

export function toOperationInfo(op: ClusterOperation, clusterArn: string): ClusterOperationInfo {
  return {
    ClientRequestId: op.clientRequestId ?? undefined,
    ClusterArn: clusterArn,
    CreationTime: op.createdAt,
    EndTime: op.endTime ?? undefined,
    ErrorInfo: op.errorCode || op.errorString ? { ErrorCode: op.errorCode ?? undefined, ErrorString: op.errorString ?? undefined } : undefined,
    OperationArn: op.arn,
    OperationState: op.operationState,
    OperationSteps: op.steps as ClusterOperationInfo['OperationSteps'],
    OperationType: op.operationType,
    SourceClusterInfo: (op.sourceClusterInfo ?? undefined) as ClusterOperationInfo['SourceClusterInfo'],
    TargetClusterInfo: (op.targetClusterInfo ?? undefined) as ClusterOperationInfo['TargetClusterInfo'],
  };
}

function toSummary(op: ClusterOperation, clusterArn: string): ClusterOperationV2Summary {
  return {
    ClusterArn: clusterArn,
    ClusterType: 'PROVISIONED',
    StartTime: op.createdAt,
    EndTime: op.endTime ?? undefined,
    OperationArn: op.arn,
    OperationState: op.operationState,
    OperationType: op.operationType,
  };
}

async function listFor(ctx: RequestContext, clusterArn: string, q: { MaxResults?: number; NextToken?: string }) {
  const cluster = await findCluster(ctx, clusterArn);
  const size = pageSize(q.MaxResults);
  const rows = await ctx.deps.db.clusterOperation.findMany({
    where: { clusterId: cluster.id, ...afterCursor(decodeToken(q.NextToken, 'uuid')) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: size + 1,
  });
  return page(rows, size);
}

export async function listClusterOperations(ctx: RequestContext, clusterArn: string, q: { MaxResults?: number; NextToken?: string }) {
  const { items, nextToken } = await listFor(ctx, clusterArn, q);
  return { ClusterOperationInfoList: items.map((op) => toOperationInfo(op, clusterArn)), NextToken: nextToken };
}

export async function listClusterOperationsV2(ctx: RequestContext, clusterArn: string, q: { MaxResults?: number; NextToken?: string }) {
  const { items, nextToken } = await listFor(ctx, clusterArn, q);
  return { ClusterOperationInfoList: items.map((op) => toSummary(op, clusterArn)), NextToken: nextToken };
}

/** The caller's operation (its account, the request's region), with its cluster's ARN; unknown: MSK's NotFound. */
export async function findOperation(ctx: RequestContext, arn: string) {
  const op = await ctx.deps.db.clusterOperation.findFirst({
    where: { arn, accountId: ctx.principal.accountId, cluster: { region: ctx.region } },
    include: { cluster: { select: { arn: true } } },
  });
  if (!op) throw notFound(`The specified cluster operation ARN ${arn} was not found. Check the ARN and try again.`, 'clusterOperationArn');
  return op;
}

export async function describeClusterOperation(ctx: RequestContext, arn: string) {
  const op = await findOperation(ctx, arn);
  return { ClusterOperationInfo: toOperationInfo(op, op.cluster.arn) };
}

export async function describeClusterOperationV2(ctx: RequestContext, arn: string) {
  const op = await findOperation(ctx, arn);
  const info = toOperationInfo(op, op.cluster.arn);
  const v2: ClusterOperationV2 = {
    ...toSummary(op, op.cluster.arn),
    ErrorInfo: info.ErrorInfo,
    Provisioned: { OperationSteps: info.OperationSteps, SourceClusterInfo: info.SourceClusterInfo, TargetClusterInfo: info.TargetClusterInfo },
  };
  return { ClusterOperationInfo: v2 };
}
