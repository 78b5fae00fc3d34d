import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/client';

export type Db = PrismaClient;
export { PrismaClient };
export { Prisma };
export type { Account, AccessKey, ApiToken, Cluster, Configuration, ConfigurationRevision, ClusterOperation, Node, PortAllocation, CertificateAuthority, KafkaImage, Secret, SecretVersion, PrivateCa, PrivateCaCertificate } from './generated/client';

/**
 * A Prisma client on the pg driver adapter (no query-engine binary needed). Statements are
 * prepared once per connection and named by their SQL, which roughly halves Postgres' CPU on hot reads.
 */
export function createDb(databaseUrl: string, poolSize = 10): Db {
  const names = new Map<string, string>();
  const statementNameGenerator = ({ sql }: { sql: string }) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `omsk_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
    return name;
  };
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }, { statementNameGenerator }) });
}

/** True for Prisma's unique-constraint violation (P2002): a row with that unique key already exists. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';
}
