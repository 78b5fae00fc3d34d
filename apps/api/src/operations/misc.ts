import * as domain from '@openmsk/domain';
import type { Handler } from '../context';
import { findCluster } from '../services/clusters';
import * as operations from '../services/operations';
import * as tags from '../services/tags';
import * as versions from '../services/versions';
import { pageSize } from '../services/paging';
import { badRequest } from '@openmsk/wire';

const decodeLabel = (token: string) => Buffer.from(token, 'base64url').toString('utf8');

/** Tags, versions and operation records, by AWS operation name. */
export const miscHandlers: Record<string, Handler> = {
  TagResource: async (ctx, input) => tags.tagResource(ctx, input.ResourceArn, input.Tags ?? {}),
  UntagResource: async (ctx, input) => tags.untagResource(ctx, input.ResourceArn, input.TagKeys ?? []),
  ListTagsForResource: (ctx, input) => tags.listTags(ctx, input.ResourceArn),

  ListKafkaVersions: async (ctx, input) => {
    const size = pageSize(input.MaxResults);
    const all = await versions.availableVersions(ctx);
    const start = input.NextToken === undefined ? 0 : all.findIndex((v) => v.label === decodeLabel(input.NextToken)) + 1;
    if (start < 0 || (input.NextToken !== undefined && start === 0)) throw badRequest('The specified nextToken is not valid.', 'nextToken');
    const items = all.slice(start, start + size);
    const more = start + size < all.length;
    return {
      KafkaVersions: items.map((v) => ({ Version: v.label, Status: v.status })),
      NextToken: more ? Buffer.from(items[items.length - 1].label).toString('base64url') : undefined,
    };
  },
  GetCompatibleKafkaVersions: async (ctx, input) => {
    if (input.ClusterArn === undefined) {
      // The domain matrix is lowerCamel; the codec wants SDK (PascalCase) members or it drops them.
      const sources = await versions.availableVersions(ctx);
      const matrix = await Promise.all(sources.map(async (v) => ({ SourceVersion: v.label, TargetVersions: await versions.compatibleTargets(ctx, v.label) })));
      return { CompatibleKafkaVersions: matrix };
    }
    const cluster = await findCluster(ctx, input.ClusterArn);
    return { CompatibleKafkaVersions: [{ SourceVersion: cluster.kafkaVersion, TargetVersions: await versions.compatibleTargets(ctx, cluster.kafkaVersion) }] };
  },

  ListClusterOperations: (ctx, input) => operations.listClusterOperations(ctx, input.ClusterArn, input),
  ListClusterOperationsV2: (ctx, input) => operations.listClusterOperationsV2(ctx, input.ClusterArn, input),
  DescribeClusterOperation: (ctx, input) => operations.describeClusterOperation(ctx, input.ClusterOperationArn),
  DescribeClusterOperationV2: (ctx, input) => operations.describeClusterOperationV2(ctx, input.ClusterOperationArn),
};
