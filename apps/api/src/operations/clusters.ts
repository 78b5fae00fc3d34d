import type { CreateClusterRequest, CreateClusterV2Request } from '@aws-sdk/client-kafka';
import type { Handler } from '../context';
import * as clusters from '../services/clusters';
import { describeCluster } from '../services/cluster-describe';
import { listClusters } from '../services/cluster-list';
import * as nodes from '../services/nodes';
import * as domain from '@openmsk/domain';

/** Cluster lifecycle operations, by AWS operation name. */
export const clusterHandlers: Record<string, Handler> = {
  CreateCluster: (ctx, input) => clusters.createCluster(ctx, input as CreateClusterRequest),
  CreateClusterV2: async (ctx, input) => {
    const created = await clusters.createCluster(ctx, domain.createClusterV2ToV1(input as CreateClusterV2Request));
    return { ...created, ClusterType: 'PROVISIONED' };
  },
  ListClusters: (ctx, input) => listClusters(ctx, 'ListClusters', { ...input, ClusterTypeFilter: undefined }),
  ListClustersV2: (ctx, input) => listClusters(ctx, 'ListClustersV2', input),
  DescribeCluster: (ctx, input) => describeCluster(ctx, 'DescribeCluster', input.ClusterArn),
  DescribeClusterV2: (ctx, input) => describeCluster(ctx, 'DescribeClusterV2', input.ClusterArn),
  GetBootstrapBrokers: (ctx, input) => nodes.getBootstrapBrokers(ctx, input.ClusterArn),
  ListNodes: (ctx, input) => nodes.listNodes(ctx, input.ClusterArn, input),
  DeleteCluster: (ctx, input) => clusters.deleteCluster(ctx, input.ClusterArn, input.CurrentVersion),
};
