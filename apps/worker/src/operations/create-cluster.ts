import { readFileSync } from 'node:fs';
import type { Cluster, ClusterOperation } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { KafkaAdmin, saslListenerRefusesStrangers, tlsListenerAnswers } from '@openmsk/kafka';
import { clusterPaths, waitFor, zookeeperOk } from '@openmsk/runtime';
import { ProvisionError, type WorkerDeps } from '../deps';
import { containerSpec, issueCertificates, prepareNodes, provisionStorage, renderConfigs } from '../nodes';
import { Abandon, type Step } from '../record';
import { clusterAdmin } from '../rolling';
import { clientEndpoints, toTopology } from '../topology';

/** The custom configuration revision's keys (empty when the cluster has none). */
export async function customProperties(deps: WorkerDeps, cluster: Cluster): Promise<Map<string, string>> {
  if (!cluster.configurationArn || cluster.configurationRevision === null) return new Map();
  const cfg = await deps.db.configuration.findUnique({ where: { arn: cluster.configurationArn } });
  const rev = cfg && (await deps.db.configurationRevision.findUnique({
    where: { configurationId_revision: { configurationId: cfg.id, revision: cluster.configurationRevision } },
  }));
  if (!rev) throw new ProvisionError('CONFIGURATION_MISSING', `Configuration ${cluster.configurationArn} revision ${cluster.configurationRevision} no longer exists.`);
  return domain.propertiesToMap(domain.parseProperties(Buffer.from(rev.serverProperties).toString('utf8')));
}

/** CREATE: nodes, certificates, configuration, storage, metadata quorum, brokers, then readiness as a client sees it. */
export function createClusterSteps(deps: WorkerDeps, op: ClusterOperation): Step[] {
  // Re-read before each step: a DeleteCluster may have arrived meanwhile, and then this create stops.
  const cluster = async () => {
    const c = await deps.db.cluster.findUnique({ where: { id: op.clusterId } });
    if (!c || c.state !== 'CREATING') throw new Abandon(`cluster is ${c?.state ?? 'gone'}`);
    return c;
  };
  const topology = async (c: Cluster) => toTopology(deps, c, await deps.db.node.findMany({ where: { clusterId: c.id } }));
  const readyMs = deps.config.OPENMSK_READY_TIMEOUT_SECONDS * 1000;
  const startRole = async (role: domain.NodeRole) => {
    const c = await cluster();
    const t = await topology(c);
    const mounts = role === 'broker' ? await provisionStorage(deps, c, t) : new Map<string, string>();
    const image = containerSpec(deps, c, t.nodes.find((n) => n.role === role)!).image;
    if (!(await deps.docker.imageExists(image))) {
      throw new ProvisionError('IMAGE_MISSING', `Image ${image} is not built; run npm start (scripts/images.sh) to build it.`);
    }
    await Promise.all(t.nodes.filter((n) => n.role === role).map((n) => deps.docker.ensureRunning(containerSpec(deps, c, n, mounts.get(n.nodeId)))));
    return { c, t };
  };

  return [
    { name: 'PREPARE_NODES', run: async () => prepareNodes(deps, await cluster()) },
    { name: 'ISSUE_CERTIFICATES', run: async () => { const c = await cluster(); await issueCertificates(deps, c, await topology(c)); } },
    { name: 'RENDER_CONFIGURATION', run: async () => { const c = await cluster(); await renderConfigs(deps, c, await topology(c), await customProperties(deps, c)); } },
    { name: 'PROVISION_STORAGE', run: async () => { const c = await cluster(); await provisionStorage(deps, c, await topology(c)); } },
    {
      name: 'START_METADATA_QUORUM',
      run: async () => {
        const c = await cluster();
        const role = domain.isKraft(c.kafkaVersion) ? 'controller' : 'zookeeper';
        const { t } = await startRole(role);
        if (role === 'zookeeper') {
          for (const z of t.nodes.filter((n) => n.role === 'zookeeper')) {
            await waitFor(`ZooKeeper ${z.nodeId}`, () => zookeeperOk(t.host, z.ports.zk_client!), readyMs);
          }
        }
      },
    },
    { name: 'START_BROKERS', run: async () => { await startRole('broker'); } },
    {
      name: 'WAIT_FOR_BROKERS',
      run: async () => {
        const c = await cluster();
        const t = await topology(c);
        const caPem = readFileSync(clusterPaths(deps.config.OPENMSK_HOME, c.id).ca, 'utf8');
        // A listener that requires a client certificate answers no Kafka request without one: see the admin check below.
        const mutualTlsOnly = domain.hasMutualTls(t.security) && !t.security.auth?.unauthenticated;
        // Every client listener answers as a client would reach it (TLS ones verified against the cluster CA); a
        // SASL/SCRAM listener, which has no users yet, by refusing a made-up one; an IAM listener by refusing a made-up
        // token, which its validator had the API refuse.
        await Promise.all(clientEndpoints(t).map(({ purpose, endpoint }) =>
          waitFor(`broker listener ${endpoint}`, async () => {
            if (purpose === 'client_sasl_scram') return saslListenerRefusesStrangers(endpoint, caPem, 'SCRAM-SHA-512');
            if (purpose === 'client_sasl_iam') return saslListenerRefusesStrangers(endpoint, caPem, 'OAUTHBEARER');
            if (purpose === 'client_tls' && mutualTlsOnly) return tlsListenerAnswers(endpoint, caPem);
            const admin = new KafkaAdmin({ brokers: [endpoint], caPem: purpose === 'client_tls' ? caPem : undefined }, { clientId: 'openmsk-worker', timeoutMs: 3000 });
            try {
              return (await admin.metadata()).brokers.length === c.numberOfBrokerNodes;
            } finally {
              await admin.close();
            }
          }, readyMs).catch((e) => {
            throw new ProvisionError('BROKERS_NOT_READY', (e as Error).message);
          }),
        ));
        // Every broker registered, as the admin listener sees it (the only Kafka-level check when no client listener
        // answers an unauthenticated client: SASL/SCRAM or mutual TLS only).
        await waitFor('every broker in the metadata', async () => {
          const m = await (await clusterAdmin(deps, c, t)).metadata({ topics: [] }).catch(() => undefined);
          return m?.brokers.length === c.numberOfBrokerNodes;
        }, readyMs).catch((e) => {
          throw new ProvisionError('BROKERS_NOT_READY', (e as Error).message);
        });
      },
    },
  ];
}
