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

export interface HotReads {
  /** The cluster with this ARN, whoever owns it (callers check the account and region), or undefined. */
  clusterByArn(arn: string): Promise<Cluster | undefined>;
  /** One page of an account's clusters in a region, in (createdAt, id) order. */
  clusterPage(q: ClusterPageQuery): Promise<Cluster[]>;
  close(): Promise<void>;
}

const BY_ARN = `SELECT ${CLUSTER_COLUMNS} FROM cluster WHERE arn = $1`;
// One statement for every page: absent filters are NULL parameters, so the statement is prepared once.
const PAGE = `SELECT ${CLUSTER_COLUMNS} FROM cluster
  WHERE account_id = $1 AND region = $2
    AND ($3::text IS NULL OR name LIKE $3 || '%')
    AND ($4::text IS NULL OR cluster_type = $4)
    AND ($5::timestamp IS NULL OR created_at > $5 OR (created_at = $5 AND id > $6::uuid))
  ORDER BY created_at, id LIMIT $7`;

/** Hot reads on their own small pool. */
export function createHotReads(databaseUrl: string, poolSize = 10): HotReads {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize, types: typeParsers });
  return {
    async clusterByArn(arn) {
      const { rows } = await pool.query<Cluster>({ name: 'omsk_cluster_by_arn', text: BY_ARN, values: [arn] });
      return rows[0];
    },
    async clusterPage(q) {
      const after = q.after;
      const { rows } = await pool.query<Cluster>({
        name: 'omsk_cluster_page',
        text: PAGE,
        values: [q.accountId, q.region, q.namePrefix ?? null, q.clusterType ?? null, after ? toTimestamp(after.createdAt) : null, after?.id ?? null, q.limit],
      });
      return rows;
    },
    close: () => pool.end(),
  };
}

/** A Date as the UTC TIMESTAMP text the columns hold. */
const toTimestamp = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
