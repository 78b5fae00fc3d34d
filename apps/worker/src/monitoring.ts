/**
 * Open monitoring on the nodes (docs/open-monitoring.md): every broker and KRaft controller runs the Prometheus JMX
 * exporter and openmsk's node exporter as java agents, each on its own port. openmsk's collector reads the node
 * exporter whatever the cluster's settings; `openMonitoring.prometheus.*.enabledInBroker` decides whether anyone
 * else may read either. An exporter that is off asks for openmsk's own credential (HTTP basic; the node holds only a salted
 * SHA-256 of it), an exporter that is on answers anyone, as MSK's do on 11001 and 11002.
 *
 * The collector reads Kafka's figures from the node exporter's /openmsk/kafka (a few MBeans, always openmsk's own
 * credential), not from the JMX exporter, whose full scrape costs a broker hundreds of CPU milliseconds.
 *
 * The JMX exporter reads its authentication at start only, so turning it on or off restarts the node (nodeDrift sees
 * its file newer than the container); the node exporter reads its file on every request, so it needs no restart.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '@openmsk/db';
import { monitoringCredential } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { writeFileAtomic } from '@openmsk/pki';
import { clusterPaths } from '@openmsk/runtime';
import type { WorkerDeps } from './deps';

/** Where a node's exporter files sit, inside its container (its config directory is mounted read-only at /etc/kafka). */
const CONTAINER_DIR = `${domain.CONTAINER_PATHS.config}/monitoring`;
const JMX_CONFIG = 'jmx-exporter.yaml';
const NODE_AUTH = 'node-exporter.auth';
const COLLECTOR_AUTH = 'collector.auth';

/** Where the node exporter serves openmsk's collector the Kafka MBeans it needs (NodeExporter.KAFKA_PATH). */
export const KAFKA_FIGURES_PATH = '/openmsk/kafka';

export interface OpenMonitoring {
  jmx: boolean;
  node: boolean;
}

export function openMonitoringOf(cluster: Cluster): OpenMonitoring {
  const p = (cluster.spec as unknown as domain.ClusterSpec).OpenMonitoring?.Prometheus;
  return { jmx: p?.JmxExporter?.EnabledInBroker ?? false, node: p?.NodeExporter?.EnabledInBroker ?? false };
}

const hasExporters = (n: domain.PlacedNode) => n.role !== 'zookeeper' && n.ports.jmx_exporter !== undefined && n.ports.node_exporter !== undefined;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** The JMX exporter's config: no rules (its default naming, which MSK's open monitoring gives), and basic auth when closed. */
export function jmxExporterConfig(open: boolean, credential: { user: string; password: string }, salt: string): string {
  const lines = ['# Written by openmsk. The Prometheus JMX exporter of this node: every MBean, default naming.', 'lowercaseOutputName: false', 'lowercaseOutputLabelNames: false'];
  if (!open) {
    lines.push(
      '# Open monitoring is off for it: only openmsk (its collector) may read it.',
      'httpServer:',
      '  authentication:',
      '    basic:',
      `      username: ${credential.user}`,
      `      passwordHash: ${sha256(`${salt}:${credential.password}`)}`,
      '      algorithm: SHA-256',
      `      salt: ${salt}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The node exporter's auth file: `user:sha256hex(password)`, or empty (open). */
export const nodeExporterAuth = (open: boolean, credential: { user: string; password: string }) => (open ? '' : `${credential.user}:${sha256(credential.password)}\n`);

function writeIfChanged(path: string, content: string) {
  if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
  writeFileAtomic(path, content);
}

/** Writes both exporters' files for every broker and controller of the topology, as the cluster's settings say. */
export function renderMonitoring(deps: WorkerDeps, cluster: Cluster, t: domain.ClusterTopology): void {
  const open = openMonitoringOf(cluster);
  const credential = monitoringCredential(deps.box, cluster.id);
  const salt = sha256(`openmsk-monitoring:${cluster.id}`).slice(0, 32);
  for (const n of t.nodes.filter(hasExporters)) {
    const dir = join(clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(n.nodeId).config, 'monitoring');
    mkdirSync(dir, { recursive: true });
    writeIfChanged(join(dir, JMX_CONFIG), jmxExporterConfig(open.jmx, credential, salt));
    writeIfChanged(join(dir, NODE_AUTH), nodeExporterAuth(open.node, credential));
    writeIfChanged(join(dir, COLLECTOR_AUTH), nodeExporterAuth(false, credential));
  }
}

/** The node's JMX exporter config was written after `startedAt`: the running agent still has the old authentication. */
export function jmxConfigNewerThan(deps: WorkerDeps, cluster: Cluster, node: domain.PlacedNode, startedAt: Date): boolean {
  const f = join(clusterPaths(deps.config.OPENMSK_HOME, cluster.id).node(node.nodeId).config, 'monitoring', JMX_CONFIG);
  return hasExporters(node) && existsSync(f) && statSync(f).mtime > startedAt;
}

/** The container environment that loads both agents (see the image's run script), for a node with exporter ports. */
export function exporterEnv(host: string, n: domain.PlacedNode): string[] {
  if (!hasExporters(n)) return [];
  return [
    `OPENMSK_JMX_EXPORTER=${host}:${n.ports.jmx_exporter}:${CONTAINER_DIR}/${JMX_CONFIG}`,
    `OPENMSK_NODE_EXPORTER=host=${host},port=${n.ports.node_exporter},volume=${domain.CONTAINER_PATHS.data},auth=${CONTAINER_DIR}/${NODE_AUTH},collector=${CONTAINER_DIR}/${COLLECTOR_AUTH}`,
  ];
}
