import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
export { PrismaClient };
export { Prisma } from './generated/client';
export type { Account, AccessKey, ApiToken, Cluster, Configuration, ConfigurationRevision, ClusterOperation, Node, PortAllocation, CertificateAuthority, KafkaImage } from './generated/client';

/** A Prisma client on the pg driver adapter (no query-engine binary needed). */
export function createDb(databaseUrl: string, poolSize = 10): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}
