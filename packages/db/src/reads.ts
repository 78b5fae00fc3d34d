/**
 * The API's hot reads (DescribeCluster, ListClusters and every operation that starts by finding its cluster) on
 * plain `pg` with named prepared statements. Measured beside Prisma on the same SQL (`npx tsx bench/api-phases.ts`):
 * Prisma's client spends ~220 µs of CPU per single-row read, `pg` ~80 µs, and Postgres parses and plans a named
 * statement once per connection. Rows come back in the Prisma model's shape (field names, BigInt, Date), so
 * services use them exactly like Prisma's. Writes, transactions and cold reads stay on Prisma.
 */
import { Pool, types, type PoolConfig } from 'pg';
import type { Cluster } from './generated/client';

// Columns are TIMESTAMP(3) holding UTC (Prisma's convention); pg would read them in the process's time zone.
const TIMESTAMP = 1114;
const INT8 = 20;
const typeParsers: PoolConfig['types'] = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === TIMESTAMP) return (v: string) => new Date(`${v.replace(' ', 'T')}Z`);
    if (oid === INT8) return (v: string) => BigInt(v);
    return types.getTypeParser(oid, format as 'text');
  }) as never,
};

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

/** Hot reads on their own small pool. */
export function createHotReads(databaseUrl: string, poolSize = 10): HotReads {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, types: typeParsers });
  return {
    async clusterByArn(arn) {
      const { rows } = await pool.query<Cluster & { version: string }>({ name: 'omsk_cluster_by_arn', text: BY_ARN, values: [arn] });
      return rows[0];
    },
    async clusterHeadByArn(arn) {
      const { rows } = await pool.query<ClusterHead>({ name: 'omsk_cluster_head_by_arn', text: HEAD_BY_ARN, values: [arn] });
      return rows[0];
    },
    async clusterPageVersions(q) {
      const { rows } = await pool.query<ClusterVersion>({ name: 'omsk_cluster_page_versions', text: PAGE_VERSIONS, values: pageValues(q) });
      return rows;
    },
    async clustersByIds(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<Cluster & { version: string }>({ name: 'omsk_clusters_by_ids', text: BY_IDS, values: [ids] });
      return rows;
    },
    close: () => pool.end(),
  };
}

const pageValues = (q: ClusterPageQuery) => [
  q.accountId, q.region, q.namePrefix ?? null, q.clusterType ?? null, q.after ? toTimestamp(q.after.createdAt) : null, q.after?.id ?? null, q.limit,
];

/** A Date as the UTC TIMESTAMP text the columns hold. */
const toTimestamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
