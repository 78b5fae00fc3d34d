import { apiUrl } from '@openmsk/config';
import { iamVerifierCredential, zookeeperSuperUser, type Cluster, type Node } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { WorkerDeps } from './deps';
import type { PlacedWithType } from './nodes';

/** The cluster's nodes as stored, with their ports, as the pure config builders want them. */
export function toTopology(deps: WorkerDeps, cluster: Cluster, nodes: Node[]): domain.ClusterTopology & { nodes: PlacedWithType[] } {
  const spec = cluster.spec as unknown as domain.ClusterSpec;
  const security = domain.securityOf(spec);
  return {
    kafkaVersion: cluster.kafkaVersion,
    host: deps.config.OPENMSK_ADVERTISED_HOST,
    security,
    ...(domain.hasIamClients(security) && {
      iam: {
        url: `${apiUrl(deps.config)}${domain.IAM_TOKEN_VERIFY_PATH}`,
        clusterId: cluster.id,
        accountId: cluster.accountId,
        credential: iamVerifierCredential(deps.box, cluster.id),
      },
    }),
    ...(!domain.isKraft(cluster.kafkaVersion) && { zookeeperSuper: zookeeperSuperUser(deps.box, cluster.id) }),
    nodes: nodes
      .map((n) => ({
        nodeId: n.nodeId,
        role: n.role as domain.NodeRole,
        ordinal: n.ordinal,
        zone: n.zone,
        purposes: Object.keys(n.ports as object) as domain.PortPurpose[],
        ports: n.ports as domain.NodePorts,
        instanceType: n.instanceType,
      }))
      .sort((a, b) => (a.role === b.role ? a.ordinal - b.ordinal : a.role.localeCompare(b.role))),
  };
}

export type ClientPurpose = 'client_plaintext' | 'client_tls' | 'client_sasl_scram' | 'client_sasl_iam';

/** Every client listener of the cluster as (purpose, endpoint) pairs, one per broker. */
export function clientEndpoints(t: domain.ClusterTopology): { purpose: ClientPurpose; endpoint: string }[] {
  return t.nodes
    .filter((n) => n.role === 'broker')
    .flatMap((n) =>
      (['client_plaintext', 'client_tls', 'client_sasl_scram', 'client_sasl_iam'] as const)
        .filter((p) => n.ports[p] !== undefined)
        .map((p) => ({ purpose: p, endpoint: `${t.host}:${n.ports[p]}` })),
    );
}
