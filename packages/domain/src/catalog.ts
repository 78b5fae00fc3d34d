/**
 * Kafka version and instance-type catalogs: the only place that says which MSK labels openmsk
 * accepts, which Apache Kafka release each label runs, and what an MSK instance type costs on
 * the host. The image builder reads the same table, so patch numbers change here only.
 */

export type MetadataMode = 'zookeeper' | 'kraft';
/** ListKafkaVersions' `status` enum (model: KafkaVersionStatus). */
export type KafkaVersionStatus = 'ACTIVE' | 'DEPRECATED';

export interface KafkaVersionInfo {
  /** The MSK label clients send and see (`kafkaVersion`). */
  label: string;
  /** The exact Apache Kafka release the images run for this label. */
  apacheVersion: string;
  mode: MetadataMode;
  status: KafkaVersionStatus;
}

// Ascending Apache order; ties (same release, different mode) keep ZooKeeper first.
// AWS-PARITY: MSK also lists 3.6.0, 3.7.x, 4.0.x and older labels; openmsk only offers the
// labels it builds images for. Labels are MSK-style; `.kraft` selects KRaft mode (docs/msk-behaviour.md §7).
const KAFKA_VERSIONS: readonly KafkaVersionInfo[] = [
  { label: '3.8.x', apacheVersion: '3.8.1', mode: 'zookeeper', status: 'ACTIVE' },
  { label: '3.9.x', apacheVersion: '3.9.1', mode: 'zookeeper', status: 'ACTIVE' },
  { label: '3.9.x.kraft', apacheVersion: '3.9.1', mode: 'kraft', status: 'ACTIVE' },
  { label: '4.1.x.kraft', apacheVersion: '4.1.1', mode: 'kraft', status: 'ACTIVE' },
];

/** All catalog versions, oldest first (ListKafkaVersions order). */
export function listKafkaVersions(): KafkaVersionInfo[] {
  return KAFKA_VERSIONS.map((v) => ({ ...v }));
}

/** Labels of versions a new cluster or configuration may use. */
export function activeKafkaVersionLabels(): string[] {
  return KAFKA_VERSIONS.filter((v) => v.status === 'ACTIVE').map((v) => v.label);
}

/** The catalog entry for an MSK label, or undefined (labels are case-sensitive, as in MSK). */
export function findKafkaVersion(label: string): KafkaVersionInfo | undefined {
  const v = KAFKA_VERSIONS.find((x) => x.label === label);
  return v && { ...v };
}

export function isKraft(label: string): boolean {
  return findKafkaVersion(label)?.mode === 'kraft';
}

/** Compares dotted numeric versions (`3.9.1` vs `4.1.1`). */
export function compareApacheVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `[major, minor]` of a label's Apache release, for version-gated rules (allowlist). */
export function apacheMajorMinor(label: string): [number, number] | undefined {
  const v = findKafkaVersion(label);
  if (!v) return undefined;
  const [major, minor] = v.apacheVersion.split('.').map(Number);
  return [major, minor];
}

/**
 * Labels a cluster on `label` may upgrade to: strictly newer Apache releases of the same
 * metadata mode (never ZooKeeper↔KRaft, never downgrade) (docs/msk-behaviour.md §7). Unknown label → [].
 */
export function compatibleTargets(label: string): string[] {
  const src = findKafkaVersion(label);
  if (!src) return [];
  return KAFKA_VERSIONS.filter(
    (t) => t.status === 'ACTIVE' && t.mode === src.mode && compareApacheVersions(t.apacheVersion, src.apacheVersion) > 0,
  ).map((t) => t.label);
}

/** GetCompatibleKafkaVersions without a cluster: the whole matrix, one entry per source. */
export function compatibilityMatrix(): { sourceVersion: string; targetVersions: string[] }[] {
  return KAFKA_VERSIONS.map((v) => ({ sourceVersion: v.label, targetVersions: compatibleTargets(v.label) }));
}

export interface InstanceTypeInfo {
  /** MSK name, e.g. `kafka.m5.large`. */
  name: string;
  /** Container CPU limit (docker `--cpus`). */
  cpus: number;
  /** Container memory limit. */
  memoryMiB: number;
  /** JVM `-Xmx`/`-Xms`; about half the container, the rest is page cache as Kafka expects. */
  heapMiB: number;
  /** What AWS gives this type, for documentation and ratios. */
  awsVcpus: number;
  awsMemoryGiB: number;
  /** MSK's recommended maximum partitions per broker (replicas included) [doc bestpractices]. */
  maxPartitionsPerBroker: number;
  /** Max provisioned storage throughput in MiB/s; only types that support it [doc msk-provision-throughput]. */
  maxProvisionedThroughputMiBps?: number;
}

// Scaled for a 2-core / 24 GiB host that must fit several brokers plus ZooKeeper or
// controllers: t3.small = 1/4 core, m5.large = 1/2 core and 1 GiB, each size up roughly ×1.5
// and capped at the host's 2 cores and 4 GiB so one broker can never starve the rest.
// AWS-PARITY: real brokers get the whole instance; here the numbers only keep ratios.
const INSTANCE_TYPES: readonly InstanceTypeInfo[] = [
  { name: 'kafka.t3.small', cpus: 0.5, memoryMiB: 768, heapMiB: 384, awsVcpus: 2, awsMemoryGiB: 2, maxPartitionsPerBroker: 300 },
  { name: 'kafka.m5.large', cpus: 1, memoryMiB: 1024, heapMiB: 512, awsVcpus: 2, awsMemoryGiB: 8, maxPartitionsPerBroker: 1000 },
  { name: 'kafka.m5.xlarge', cpus: 1.5, memoryMiB: 1536, heapMiB: 768, awsVcpus: 4, awsMemoryGiB: 16, maxPartitionsPerBroker: 1000 },
  { name: 'kafka.m5.2xlarge', cpus: 2, memoryMiB: 2048, heapMiB: 1024, awsVcpus: 8, awsMemoryGiB: 32, maxPartitionsPerBroker: 2000 },
  {
    name: 'kafka.m5.4xlarge', cpus: 2, memoryMiB: 4096, heapMiB: 2048, awsVcpus: 16, awsMemoryGiB: 64,
    maxPartitionsPerBroker: 4000, maxProvisionedThroughputMiBps: 593,
  },
  { name: 'kafka.m7g.large', cpus: 1, memoryMiB: 1024, heapMiB: 512, awsVcpus: 2, awsMemoryGiB: 8, maxPartitionsPerBroker: 1000 },
  { name: 'kafka.m7g.xlarge', cpus: 1.5, memoryMiB: 1536, heapMiB: 768, awsVcpus: 4, awsMemoryGiB: 16, maxPartitionsPerBroker: 1000 },
];

export function listInstanceTypes(): InstanceTypeInfo[] {
  return INSTANCE_TYPES.map((t) => ({ ...t }));
}

export function findInstanceType(name: string): InstanceTypeInfo | undefined {
  const t = INSTANCE_TYPES.find((x) => x.name === name);
  return t && { ...t };
}
