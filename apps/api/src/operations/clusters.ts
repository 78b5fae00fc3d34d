import type { CreateClusterRequest, CreateClusterV2Request } from '@aws-sdk/client-kafka';
import type { Handler } from '../context';
import * as clusters from '../services/clusters';
import * as nodes from '../services/nodes';
import * as domain from '@openmsk/domain';

/** Cluster lifecycle operations, by AWS operation name. */
export const clusterHandlers: Record<string, Handler> = {
  CreateCluster: (ctx, input) => clusters.createCluster(ctx, input as CreateClusterRequest),
  CreateClusterV2: async (ctx, input) => {
    const created = await clusters.createCluster(ctx, domain.createClusterV2ToV1(input as CreateClusterV2Request));
    return { ...created, ClusterType: 'PROVISIONED' };
  },
  ListClusters: async (ctx, input) => {
    const { items, nextToken } = await clusters.listClusters(ctx, { ...input, ClusterTypeFilter: undefined });
    return { ClusterInfoList: items.map(clusters.toClusterInfo), NextToken: nextToken };
  },
  ListClustersV2: async (ctx, input) => {
    const { items, nextToken } = await clusters.listClusters(ctx, input);
    return { ClusterInfoList: items.map((r) => clusters.toClusterV2(r)), NextToken: nextToken };
  },
  DescribeCluster: async (ctx, input) => ({ ClusterInfo: await nodes.withConnectStrings(ctx, await clusters.findCluster(ctx, input.ClusterArn)) }),
  DescribeClusterV2: async (ctx, input) => {
    const row = await clusters.findCluster(ctx, input.ClusterArn);
    return { ClusterInfo: clusters.toClusterV2(row, await nodes.withConnectStrings(ctx, row)) };
  },
  GetBootstrapBrokers: (ctx, input) => nodes.getBootstrapBrokers(ctx, input.ClusterArn),
  ListNodes: (ctx, input) => nodes.listNodes(ctx, input.ClusterArn, input),
  DeleteCluster: (ctx, input) => clusters.deleteCluster(ctx, input.ClusterArn, input.CurrentVersion),
};
