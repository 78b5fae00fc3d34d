/**
 * DescribeCluster and DescribeClusterV2: the cluster's owner and row version first (a small row), then, only when no
 * answer built from that version is kept (kept-json.ts), the whole row. ZooKeeper connect strings are part of the
 * kept answer: they appear once the cluster serves (a state change, so a new row version) and a node's ports are
 * allocated once for its life.
 */
import { EncodedBody, encodeResponse } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { assertOwned, toClusterV2 } from './clusters';
import { keptJson, keptKey } from './kept-json';
import { withConnectStrings } from './nodes';

type DescribeOperation = 'DescribeCluster' | 'DescribeClusterV2';

export async function describeCluster(ctx: RequestContext, op: DescribeOperation, arn: string): Promise<EncodedBody> {
  const cache = keptJson(ctx.deps);
  const head = assertOwned(ctx, arn, await ctx.deps.reads.clusterHeadByArn(arn));
  const hit = cache.get(keptKey(op, head.id, head.version));
  if (hit !== undefined) return new EncodedBody(hit);
  const row = assertOwned(ctx, arn, await ctx.deps.reads.clusterByArn(arn));
  const info = await withConnectStrings(ctx, row);
  const json = JSON.stringify(encodeResponse(op, { ClusterInfo: op === 'DescribeClusterV2' ? toClusterV2(row, info) : info }));
  cache.set(keptKey(op, row.id, row.version), json);
  return new EncodedBody(json);
}
