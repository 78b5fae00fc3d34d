import { syncScramUsers, type Cluster, type ClusterOperation, type Prisma } from '@openmsk/db';
import { containerName } from '@openmsk/runtime';
import * as domain from '@openmsk/domain';
import { ProvisionError, type WorkerDeps } from '../deps';
import { issueCertificates, prepareNodes, provisionStorage, reconcileExporterPorts, reconcileListenerPorts, renderConfigs, containerSpec } from '../nodes';
import { recordWait, type Step } from '../record';
import { clusterAdmin, kafkaTool, loadTopology, rollControllers, rollNode, waitInSync } from '../rolling';
import { customProperties } from './create-cluster';

type Target = domain.UpdatePlan['target'];

export function snapshot(c: Cluster): domain.ClusterSnapshot {
  return {
    kafkaVersion: c.kafkaVersion,
    numberOfBrokerNodes: c.numberOfBrokerNodes,
    configuration: c.configurationArn && c.configurationRevision !== null ? { Arn: c.configurationArn, Revision: Number(c.configurationRevision) } : undefined,
    spec: c.spec as unknown as domain.ClusterSpec,
  };
}

/** The cluster row as it will be once the operation's target is applied. */
export function targetRow(c: Cluster, target: Target): Cluster {
  const s = domain.applyClusterUpdate(snapshot(c), target);
  return {
    ...c,
    kafkaVersion: s.kafkaVersion,
    numberOfBrokerNodes: s.numberOfBrokerNodes,
    configurationArn: s.configuration?.Arn ?? null,
    configurationRevision: s.configuration ? BigInt(s.configuration.Revision) : null,
    spec: s.spec as unknown as Prisma.JsonValue,
  };
}

const targetOf = (op: ClusterOperation) => (op.targetClusterInfo ?? {}) as Target;

/** Steps of every update operation, by MSK operationType. */
export function updateSteps(deps: WorkerDeps, op: ClusterOperation): Step[] {
  const current = () => deps.db.cluster.findUniqueOrThrow({ where: { id: op.clusterId } });
  const target = async () => targetRow(await current(), targetOf(op));
  const brokers = async (c: Cluster) => (await loadTopology(deps, c)).nodes.filter((n) => n.role === 'broker');
  /** Every roll of this operation records on it why it paused. */
  const onWait = (reason: string) => recordWait(deps.db, op.id, reason);

  /** Restart, in turn, every broker whose container no longer matches (rollNode decides restart or recreate). */
  const rollBrokers = (name: string, row: () => Promise<Cluster>, before?: (c: Cluster, nodeId: string) => Promise<void>): Step => ({
    name,
    run: async ({ progress }) => {
      const c = await row();
      // After a crash mid-roll a broker may be stopped or missing: bring those back first.
      for (const b of await brokers(c)) {
        if (!(await deps.docker.inspect(containerName(c.id, b.nodeId)))?.running) {
          if (before) await before(c, b.nodeId);
          const t = await loadTopology(deps, c);
          await rollNode(deps, c, t, t.nodes.find((n) => n.nodeId === b.nodeId)!, { force: true });
        }
      }
      await waitInSync(deps, c, await loadTopology(deps, c));
      const all = await brokers(c);
      await progress(0, all.length);
      for (const [i, b] of all.entries()) {
        if (before) await before(c, b.nodeId);
        const t = await loadTopology(deps, c);
        await rollNode(deps, c, t, t.nodes.find((n) => n.nodeId === b.nodeId)!, { onWait });
        await progress(i + 1, all.length);
      }
    },
  });
  const render = (name: string, row: () => Promise<Cluster>, extra: Map<string, string> = new Map()): Step => ({
    name,
    run: async () => {
      const c = await row();
      await renderConfigs(deps, c, await loadTopology(deps, c), new Map([...(await customProperties(deps, c)), ...extra]));
    },
  });

  switch (op.operationType) {
    case 'UPDATE_MONITORING':
      // enhancedMonitoring changes only what the collector publishes (no step). Open monitoring: the exporters' files,
      // then a roll of the nodes whose JMX exporter must restart to open or close (the node exporter reads its file live).
      return [
        { name: 'PREPARE_EXPORTERS', run: async () => reconcileExporterPorts(deps, await target()) },
        render('RENDER_CONFIGURATION', target),
        rollControllersStep(deps, target, onWait),
        rollBrokers('ROLL_BROKERS', target),
      ];
    case 'UPDATE_BROKER_STORAGE':
    case 'UPDATE_STORAGE':
      return [{
        name: 'GROW_BROKER_VOLUMES',
        // Online: the file system grows under the running broker, as MSK grows EBS volumes.
        run: async ({ progress }) => {
          const t = await target();
          const size = (t.spec as unknown as domain.ClusterSpec).BrokerNodeGroupInfo.StorageInfo.EbsStorageInfo.VolumeSize;
          const all = await brokers(t);
          for (const [i, b] of all.entries()) {
            await deps.storage.grow({ clusterId: t.id, nodeId: b.nodeId }, size);
            await progress(i + 1, all.length);
          }
        },
      }];
    case 'INCREASE_BROKER_COUNT':
      return [
        { name: 'PREPARE_NODES', run: async () => prepareNodes(deps, await target()) },
        { name: 'ISSUE_CERTIFICATES', run: async () => { const t = await target(); await issueCertificates(deps, t, await loadTopology(deps, t)); } },
        render('RENDER_CONFIGURATION', target),
        {
          name: 'START_BROKERS',
          run: async () => {
            const t = await target();
            const topo = await loadTopology(deps, t);
            const mounts = await provisionStorage(deps, t, topo);
            for (const b of topo.nodes.filter((n) => n.role === 'broker')) await deps.docker.ensureRunning(containerSpec(deps, t, b, mounts.get(b.nodeId)));
          },
        },
        { name: 'WAIT_FOR_BROKERS', run: async () => { const t = await target(); await waitInSync(deps, t, await loadTopology(deps, t)); } },
      ];
    case 'UPDATE_BROKER_TYPE':
      return [rollBrokers('ROLL_BROKERS', target, async (c, nodeId) => {
        const type = (c.spec as unknown as domain.ClusterSpec).BrokerNodeGroupInfo.InstanceType;
        await deps.db.node.update({ where: { clusterId_nodeId: { clusterId: c.id, nodeId } }, data: { instanceType: type } });
      })];
    case 'REBOOT_NODE':
      return [{
        name: 'REBOOT_BROKER',
        run: async ({ progress }) => {
          const c = await current();
          const id = Number(targetOf(op as ClusterOperation & { targetClusterInfo: { BrokerIds?: string[] } }).BrokerIds?.[0] ?? NaN);
          const t = await loadTopology(deps, c);
          const node = t.nodes.find((n) => n.role === 'broker' && n.ordinal === id);
          if (!node) throw new ProvisionError('UNKNOWN_BROKER', `Broker ${id} does not exist.`);
          await progress(0, 1);
          await rollNode(deps, c, t, node, { force: true, onWait });
          await progress(1, 1);
        },
      }];
    case 'UPDATE_CLUSTER_CONFIGURATION':
      return configurationSteps(deps, current, target, render, rollBrokers, onWait);
    case 'UPDATE_SECURITY':
      return securitySteps(deps, target, render, rollBrokers, onWait);
    case 'UPDATE_CLUSTER_KAFKA_VERSION':
      return versionSteps(deps, current, target, render, rollBrokers, onWait);
    default:
      throw new Error(`no processor for ${op.operationType}`);
  }
}

/** A KRaft cluster's controllers that no longer match their files, one at a time with the quorum kept (none in ZooKeeper mode). */
async function rollKraftControllers(deps: WorkerDeps, c: Cluster, onWait: (reason: string) => Promise<void>) {
  if (domain.isKraft(c.kafkaVersion)) await rollControllers(deps, c, await loadTopology(deps, c), { onWait });
}

const rollControllersStep = (deps: WorkerDeps, target: () => Promise<Cluster>, onWait: (reason: string) => Promise<void>): Step => ({
  name: 'ROLL_CONTROLLERS',
  run: async () => rollKraftControllers(deps, await target(), onWait),
});

/**
 * UpdateSecurity: listener ports for the new settings, certificates (openmsk's own principal; the client CAs of mutual
 * TLS), configuration, then a roll (KRaft controllers first when theirs changed, then every broker whose listeners or
 * authorizer changed), the new client CAs loaded where the listener stayed, SCRAM users synced, unused ports released.
 * Brokers and admin client present CN=openmsk-internal throughout, so brokers with and without the authorizer, mid-roll,
 * still replicate from each other.
 */
function securitySteps(
  deps: WorkerDeps,
  target: () => Promise<Cluster>,
  render: (n: string, r: () => Promise<Cluster>) => Step,
  rollBrokers: (n: string, r: () => Promise<Cluster>) => Step,
  onWait: (reason: string) => Promise<void>,
): Step[] {
  return [
    { name: 'PREPARE_LISTENERS', run: async () => reconcileListenerPorts(deps, await target()) },
    {
      name: 'ISSUE_CERTIFICATES',
      run: async () => {
        const t = await target();
        const topo = await loadTopology(deps, t);
        const renewed = await issueCertificates(deps, t, topo);
        // A node certificate reissued for openmsk's own principal: brokers load it now (as a renewal does), so they
        // present it to brokers that already run the authorizer; controllers take theirs in the roll below.
        const admin = await clusterAdmin(deps, t, topo);
        for (const n of renewed.filter((x) => x.role === 'broker')) {
          const running = await admin.describeConfigs({ broker: n.ordinal }, ['listener.security.protocol.map']).catch(() => undefined);
          const names = (running?.get('listener.security.protocol.map')?.value ?? '').split(',')
            .map((l) => l.split(':'))
            .filter(([name, proto]) => name !== 'CONTROLLER' && (proto === 'SSL' || proto === 'SASL_SSL'))
            .map(([name]) => name.toLowerCase());
          const set = Object.fromEntries(names.map((l) => [`listener.name.${l}.ssl.keystore.location`, domain.CONTAINER_PATHS.keystore]));
          await admin.alterConfigs({ broker: n.ordinal }, { set });
        }
      },
    },
    render('RENDER_CONFIGURATION', target),
    rollControllersStep(deps, target, onWait),
    rollBrokers('ROLL_BROKERS', target),
    {
      name: 'APPLY_CLIENT_CERTIFICATE_AUTHORITIES',
      run: async () => {
        const t = await target();
        const topo = await loadTopology(deps, t);
        if (!domain.hasMutualTls(topo.security)) return;
        // A broker that kept its TLS listener through the roll reloads the client truststore (KIP-226), as renewals do.
        const admin = await clusterAdmin(deps, t, topo);
        for (const b of topo.nodes.filter((n) => n.role === 'broker')) {
          await admin.alterConfigs({ broker: b.ordinal }, { set: { 'listener.name.client_secure.ssl.truststore.location': domain.CONTAINER_PATHS.clientTruststore } });
        }
      },
    },
    {
      name: 'SYNC_SCRAM_USERS',
      run: async () => {
        const t = await target();
        if (!(t.spec as unknown as domain.ClusterSpec).ClientAuthentication?.Sasl.Scram.Enabled) return;
        await syncScramUsers(deps.db, deps.box, t.id, await clusterAdmin(deps, t, await loadTopology(deps, t)));
      },
    },
    { name: 'RELEASE_LISTENERS', run: async () => reconcileListenerPorts(deps, await target(), { release: true }) },
  ];
}

/** Dynamic keys through the admin API (no restart, faster than MSK); the rest by a rolling restart. */
function configurationSteps(
  deps: WorkerDeps,
  current: () => Promise<Cluster>,
  target: () => Promise<Cluster>,
  render: (n: string, r: () => Promise<Cluster>) => Step,
  rollBrokers: (n: string, r: () => Promise<Cluster>) => Step,
  onWait: (reason: string) => Promise<void>,
): Step[] {
  const diff = async () => domain.diffProperties(await customProperties(deps, await current()), await customProperties(deps, await target()));
  const roll = rollBrokers('ROLL_BROKERS', target);
  return [
    render('RENDER_CONFIGURATION', target),
    {
      name: 'APPLY_DYNAMIC_CONFIGURATION',
      run: async () => {
        const d = await diff();
        const t = await target();
        const topo = await loadTopology(deps, t);
        // Cluster-wide dynamic broker defaults, set and removed through the admin client (IncrementalAlterConfigs).
        const set = Object.fromEntries([...d.set].filter(([k]) => domain.DYNAMIC_CLUSTER_WIDE_KEYS.has(k)));
        const removed = d.removed.filter((k) => domain.DYNAMIC_CLUSTER_WIDE_KEYS.has(k));
        await (await clusterAdmin(deps, t, topo)).alterConfigs({ brokerDefault: true }, { set, delete: removed });
      },
    },
    {
      name: roll.name,
      run: async (ctx) => {
        if (domain.isDynamicOnly(await diff())) return;
        // KRaft controllers whose file changed (with an authorizer they carry allow.everyone.if.no.acl.found) first.
        await rollKraftControllers(deps, await target(), onWait);
        await roll.run(ctx);
      },
    },
  ];
}

/**
 * Rolling image swap. ZooKeeper mode pins inter.broker.protocol.version to the old release while
 * brokers of both versions run, then lifts it with a second roll; KRaft rolls controllers, then
 * brokers, then raises the metadata version.
 */
function versionSteps(
  deps: WorkerDeps,
  current: () => Promise<Cluster>,
  target: () => Promise<Cluster>,
  render: (n: string, r: () => Promise<Cluster>, extra?: Map<string, string>) => Step,
  rollBrokers: (n: string, r: () => Promise<Cluster>) => Step,
  onWait: (reason: string) => Promise<void>,
): Step[] {
  const release = (label: string) => domain.findKafkaVersion(label)!.apacheVersion.split('.').slice(0, 2).join('.');
  return [
    {
      name: 'INITIALIZE_UPDATE',
      run: async (ctx) => {
        const [c, t] = [await current(), await target()];
        const pin = domain.isKraft(t.kafkaVersion) ? new Map<string, string>() : new Map([['inter.broker.protocol.version', release(c.kafkaVersion)]]);
        await render('render', target, pin).run(ctx);
      },
    },
    {
      name: 'UPDATE_APACHE_KAFKA_BINARIES',
      run: async (ctx) => {
        await rollKraftControllers(deps, await target(), onWait);
        await rollBrokers('roll', target).run(ctx);
      },
    },
    {
      name: 'FINALIZE_UPDATE',
      run: async (ctx) => {
        const t = await target();
        if (domain.isKraft(t.kafkaVersion)) {
          await kafkaTool(deps, t, await loadTopology(deps, t), 'features', ['upgrade', '--release-version', release(t.kafkaVersion)]);
        } else {
          await render('render', target).run(ctx);
          await rollBrokers('roll', target).run(ctx);
        }
      },
    },
  ];
}
