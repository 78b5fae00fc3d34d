/**
 * The API's hot reads (DescribeCluster, ListClusters and every operation that starts by finding its cluster) on
 * postgres.js with prepared statements. Measured beside Prisma on the same SQL (`npx tsx bench/api-phases.ts`):
 * Prisma's client spends ~220 µs of CPU per single-row read, a plain driver ~80 µs, and Postgres parses and plans a
 * prepared statement once per connection. postgres.js rather than `pg`: it pipelines the queries of concurrent
 * requests on each connection, so under load one write and one read carry many of them (`npm run bench:api`:
 * DescribeCluster 3,988 -> 5,176 req/s, Postgres CPU 61 -> 32 µs per request, docs/benchmarks.md). Rows come back in the Prisma model's shape (field names, BigInt, Date), so
 * services use them exactly like Prisma's. Writes, transactions and cold reads stay on Prisma.
 */
import postgres from 'postgres';
import type { Cluster } from './generated/client';

const TIMESTAMP = 1114;
const INT8 = 20;

/** Every column of `cluster` under its Prisma field name. */
const CLUSTER_COLUMNS = Object.entries({
  id: 'id', accountId: 'account_id', region: 'region', arn: 'arn', name: 'name', clusterType: 'cluster_type', state: 'state',
  stateCode: 'state_code', stateMessage: 'state_message', currentVersion: 'current_version', kafkaVersion: 'kafka_version',
  numberOfBrokerNodes: 'number_of_broker_nodes', spec: 'spec', configurationArn: 'configuration_arn',
  configurationRevision: 'configuration_revision', activeOperationArn: 'active_operation_arn', kraftClusterId: 'kraft_cluster_id',
  tags: 'tags', createdAt: 'created_at',
}).map(([field, column]) => `"${column}" AS "${field}"`).join(', ');

/** ListClusters' page query: a name prefix (already LIKE-escaped) or none, a type or none, after a keyset cursor. */
export interface ClusterPageQuery {
  accountId: string;
  region: string;
  namePrefix?: string;
  clusterType?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** A cluster's place in a page and its row version (`xmin`: every update of the row makes a new one). */
export interface ClusterVersion {
  id: string;
  createdAt: Date;
  version: string;
}

/** What decides whether a kept answer about a cluster still holds: its owner and its row version. */
export interface ClusterHead {
  id: string;
  accountId: string;
  region: string;
  version: string;
}

export interface HotReads {
  /** The cluster with this ARN, whoever owns it (callers check the account and region), or undefined. */
  clusterByArn(arn: string): Promise<(Cluster & { version: string }) | undefined>;
  /** The owner and row version of the cluster with this ARN, or undefined. */
  clusterHeadByArn(arn: string): Promise<ClusterHead | undefined>;
  /** One page of an account's clusters in a region, in (createdAt, id) order: ids and row versions only, for
   * callers that keep what they built from a row version (the rows themselves: clustersByIds). */
  clusterPageVersions(q: ClusterPageQuery): Promise<ClusterVersion[]>;
  /** These clusters (those still there), each with its row version. */
  clustersByIds(ids: readonly string[]): Promise<Array<Cluster & { version: string }>>;
  close(): Promise<void>;
}

const BY_ARN = `SELECT xmin::text AS version, ${CLUSTER_COLUMNS} FROM cluster WHERE arn = $1`;
const HEAD_BY_ARN = 'SELECT id, account_id AS "accountId", region, xmin::text AS version FROM cluster WHERE arn = $1';
// One statement for every page: absent filters are NULL parameters, so the statement is prepared once.
const PAGE_VERSIONS = `SELECT id, created_at AS "createdAt", xmin::text AS version FROM cluster
  WHERE account_id = $1 AND region = $2
    AND ($3::text IS NULL OR name LIKE $3 || '%')
    AND ($4::text IS NULL OR cluster_type = $4)
    AND ($5::timestamp IS NULL OR created_at > $5 OR (created_at = $5 AND id > $6::uuid))
  ORDER BY created_at, id LIMIT $7`;
const BY_IDS = `SELECT xmin::text AS version, ${CLUSTER_COLUMNS} FROM cluster WHERE id = ANY($1::uuid[])`;

/** Hot reads on their own small pool. postgres.js pipelines concurrent queries on each connection (one write and
 * one read for many requests) and prepares each statement once per connection. */
export function createHotReads(databaseUrl: string, poolSize = 4): HotReads {
  const sql = postgres(databaseUrl, {
    max: poolSize,
    prepare: true,
    onnotice: () => {},
    types: {
      // Columns are TIMESTAMP(3) holding UTC (Prisma's convention); read them as UTC whatever the process's zone.
      utcTimestamp: { to: TIMESTAMP, from: [TIMESTAMP], serialize: (d: Date | string) => (typeof d === "string" ? d : toTimestamp(d)), parse: (v: string) => new Date(`${v.replace(' ', 'T')}Z`) },
      bigint: { to: INT8, from: [INT8], serialize: (v: bigint) => v.toString(), parse: (v: string) => BigInt(v) },
    },
  });
  const query = <T>(text: string, values: unknown[]) => sql.unsafe(text, values as never[], { prepare: true }) as unknown as Promise<T[]>;
  return {
    async clusterByArn(arn) {
      return (await query<Cluster & { version: string }>(BY_ARN, [arn]))[0];
    },
    async clusterHeadByArn(arn) {
      return (await query<ClusterHead>(HEAD_BY_ARN, [arn]))[0];
    },
    async clusterPageVersions(q) {
      return [...(await query<ClusterVersion>(PAGE_VERSIONS, pageValues(q)))];
    },
    async clustersByIds(ids) {
      if (ids.length === 0) return [];
      return [...(await query<Cluster & { version: string }>(BY_IDS, [ids]))];
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

const pageValues = (q: ClusterPageQuery) => [
  q.accountId, q.region, q.namePrefix ?? null, q.clusterType ?? null, q.after ? toTimestamp(q.after.createdAt) : null, q.after?.id ?? null, q.limit,
];

/** A Date as the UTC TIMESTAMP text the columns hold. */
const toTimestamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
