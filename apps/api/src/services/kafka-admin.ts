/**
 * The API's way to a cluster's brokers: the pooled admin client over every broker's REPLICATION listener, TLS with
 * the account CA when encryption in the cluster is on, presenting openmsk's own client certificate (the super user
 * of clusters with an authorizer, whose REPLICATION listener requires one).
 */
import { internalClientIdentity, type Cluster } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { KafkaAdmin } from '@openmsk/kafka';
import { MskError } from '@openmsk/wire';
import type { RequestContext } from '../context';

export async function clusterAdmin(ctx: RequestContext, cluster: Cluster): Promise<KafkaAdmin> {
  const host = ctx.deps.config.OPENMSK_ADVERTISED_HOST;
  const brokers = await ctx.deps.db.node.findMany({ where: { clusterId: cluster.id, role: 'broker' }, orderBy: { ordinal: 'asc' } });
  if (brokers.length === 0) throw new MskError('ServiceUnavailableException', "The cluster's brokers did not answer: it has none yet.");
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const tls = spec.EncryptionInfo?.EncryptionInTransit?.InCluster !== false;
  const caPem = tls
    ? (await ctx.deps.db.certificateAuthority.findUnique({ where: { accountId: cluster.accountId }, select: { certPem: true } }))?.certPem
    : undefined;
  const clientCert = caPem ? await internalClientIdentity(ctx.deps.db, ctx.deps.box, cluster.accountId) : undefined;
  return ctx.deps.kafka.get(cluster.id, {
    brokers: brokers.map((b) => `${host}:${(b.ports as domain.NodePorts).replication}`),
    caPem,
    clientCert,
  });
}
