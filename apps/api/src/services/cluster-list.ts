/**
 * ListClusters and ListClustersV2. A page is read in two steps: the page's ids and row versions (Postgres `xmin`,
 * new on every update of a row), then the full rows of only those clusters whose wire JSON for that version is not
 * already kept (kept-json.ts). Building and encoding ~100 clusters per page was most of ListClusters' time.
 */
import type { Cluster } from '@openmsk/db';
import { badRequest, encodeListItem, encodeWithList, type EncodedBody } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { keptJson, keptKey } from './kept-json';
import { toClusterInfo, toClusterV2 } from './clusters';
import { decodeToken, page, pageSize } from './paging';

type ListOperation = 'ListClusters' | 'ListClustersV2';

const encode = (op: ListOperation, row: Cluster) =>
  encodeListItem(op, 'ClusterInfoList', op === 'ListClustersV2' ? toClusterV2(row) : toClusterInfo(row));

export async function listClusters(
  ctx: RequestContext,
  op: ListOperation,
  q: { ClusterNameFilter?: string; ClusterTypeFilter?: string; MaxResults?: number; NextToken?: string },
): Promise<EncodedBody> {
  const size = pageSize(q.MaxResults);
  const cursor = decodeToken(q.NextToken, 'uuid');
  if (q.ClusterTypeFilter !== undefined && !['PROVISIONED', 'SERVERLESS'].includes(q.ClusterTypeFilter)) {
    throw badRequest('clusterTypeFilter must be PROVISIONED or SERVERLESS.', 'clusterTypeFilter');
  }
  const versions = await ctx.deps.reads.clusterPageVersions({
    accountId: ctx.principal.accountId,
    region: ctx.region,
    // MSK's filter is a plain prefix; the query is LIKE 'x%', so `%`, `_` and `\` (Postgres's LIKE escape) are
    // escaped here, else `%` would list every cluster.
    namePrefix: q.ClusterNameFilter ? q.ClusterNameFilter.replace(/[\\%_]/g, '\\$&') : undefined,
    clusterType: q.ClusterTypeFilter,
    after: cursor,
    limit: size + 1,
  });
  const { items, nextToken } = page(versions, size);
  const cache = keptJson(ctx.deps);
  const key = (id: string, version: string) => keptKey(op, id, version);
  const fresh = new Map<string, string>();
  const missing = items.filter((v) => !cache.has(key(v.id, v.version)));
  for (const row of await ctx.deps.reads.clustersByIds(missing.map((v) => v.id))) {
    // A row updated between the two reads comes back newer than the page said: its newer state is the answer.
    const json = encode(op, row);
    cache.set(key(row.id, row.version), json);
    fresh.set(row.id, json);
  }
  // A cluster deleted between the two reads is gone, and left out.
  const json = items.map((v) => fresh.get(v.id) ?? cache.get(key(v.id, v.version))).filter((j): j is string => j !== undefined);
  return encodeWithList(op, 'ClusterInfoList', json, { NextToken: nextToken });
}
