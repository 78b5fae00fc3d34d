/**
 * The Topics API (CreateTopic, DescribeTopic, ListTopics, UpdateTopic, DeleteTopic, DescribeTopicPartitions),
 * through the cluster's admin listener (packages/kafka). Every answer is read from the brokers at the time of the
 * request (MSK's answers lag about a minute); nothing about topics is stored in Postgres.
 */
import type { Cluster } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import { KafkaAdminError, type ClusterState, type KafkaAdmin, type TopicState } from '@openmsk/kafka';
import { MskError, badRequest, conflict, notFound } from '@openmsk/wire';
import type { RequestContext } from '../context';
import { findCluster } from './clusters';
import { clusterAdmin } from './kafka-admin';
import { pageSize } from './paging';

/** MSK offers the Topics API on provisioned clusters running Kafka 3.6.0 or later (docs/msk-behaviour.md §9). */
const MIN_VERSION = [3, 6];

/** The cluster, checked for what the Topics API needs: provisioned, a version MSK allows, ACTIVE. */
async function topicCluster(ctx: RequestContext, arn: string, action: string): Promise<{ cluster: Cluster; admin: KafkaAdmin }> {
  const cluster = await findCluster(ctx, arn);
  if (cluster.clusterType !== 'PROVISIONED') throw badRequest('Topic operations are supported only for provisioned clusters.', 'clusterArn');
  const apache = domain.findKafkaVersion(cluster.kafkaVersion)?.apacheVersion ?? cluster.kafkaVersion;
  const [major, minor] = apache.split('.').map(Number);
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw badRequest('Topic operations require Apache Kafka version 3.6.0 or later.', 'clusterArn');
  }
  domain.assertClusterState(cluster.state, ['ACTIVE'], action);
  return { cluster, admin: await clusterAdmin(ctx, cluster) };
}

/** A broker's answer in MSK's error shape; anything unexpected is the brokers being unreachable (503). */
function fromKafka(e: unknown, topic?: string): never {
  if (e instanceof MskError) throw e;
  if (!(e instanceof KafkaAdminError)) throw e;
  const detail = e.message.slice(0, 512);
  switch (e.kafkaCode) {
    case 'TOPIC_ALREADY_EXISTS':
      throw conflict(`Topic ${topic} already exists.`, 'topicName');
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'UNKNOWN_TOPIC_ID':
      throw notFound(`Topic ${topic} does not exist.`, 'topicName');
    case 'INVALID_REPLICATION_FACTOR':
      throw badRequest(detail, 'replicationFactor');
    case 'INVALID_PARTITIONS':
      throw badRequest(detail, 'partitionCount');
    case 'INVALID_CONFIG':
    case 'INVALID_REQUEST':
      throw badRequest(detail, 'configs');
    case 'INVALID_TOPIC_EXCEPTION':
      throw badRequest(detail, 'topicName');
    case 'POLICY_VIOLATION':
    case 'TOPIC_DELETION_DISABLED':
      throw badRequest(detail);
    default:
      throw new MskError('ServiceUnavailableException', `The cluster's brokers did not answer: ${detail}`);
  }
}

/** Runs a seam call, answering its failure in MSK's error shape (fromKafka); openmsk's own endpoints use it too. */
export async function kafka<T>(fn: () => Promise<T>, topic?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    return fromKafka(e, topic);
  }
}

/** Internal topics (`__consumer_offsets`, …) are the brokers' own: listed by none of MSK's answers, never changed. */
export const isInternal = (name: string) => name.startsWith('__');

/**
 * The topic as the brokers' metadata has it, and that metadata (for seam calls that follow, so they need not read it
 * again); unknown: the NotFound DescribeTopic gives.
 */
export async function liveTopic(admin: KafkaAdmin, name: string): Promise<{ topic: TopicState; state: ClusterState }> {
  const state = await kafka(() => admin.metadata({ topics: [name] }), name);
  const topic = state.topics.find((x) => x.name === name);
  if (!topic || topic.partitions.length === 0) throw notFound(`Topic ${name} does not exist.`, 'topicName');
  return { topic, state };
}

/** The settings given to the topic itself (not defaults or broker-wide values), as `configs` carries them. */
async function topicOverrides(admin: KafkaAdmin, name: string): Promise<Record<string, string>> {
  const all = await kafka(() => admin.describeConfigs({ topic: name }), name);
  const out: Record<string, string> = {};
  for (const [k, c] of all) if (c.source === 'DYNAMIC_TOPIC_CONFIG' && c.value !== null && !c.sensitive) out[k] = c.value;
  return out;
}

export const replicationFactorOf = (t: TopicState) => Math.max(0, ...t.partitions.map((p) => p.replicas.length));
export const outOfSync = (t: TopicState) => t.partitions.reduce((n, p) => n + (p.replicas.length - p.isr.length), 0);

export async function createTopic(ctx: RequestContext, input: Record<string, any>) {
  const name = domain.assertTopicName(input.TopicName);
  const partitions = domain.assertPartitionCount(input.PartitionCount);
  const replicationFactor = domain.assertReplicationFactor(input.ReplicationFactor);
  const configs = input.Configs === undefined ? {} : domain.parseTopicConfigs(input.Configs);
  const { cluster, admin } = await topicCluster(ctx, input.ClusterArn, 'create a topic in');
  if (replicationFactor > cluster.numberOfBrokerNodes) {
    throw badRequest(`Replication factor: ${replicationFactor} larger than available brokers: ${cluster.numberOfBrokerNodes}.`, 'replicationFactor');
  }
  // Kafka creates a topic with all its settings or not at all: a refused config leaves nothing behind.
  await kafka(() => admin.createTopic({ name, partitions, replicationFactor, configs }), name);
  // AWS-PARITY: MSK answers CREATING and reports ACTIVE about a minute later; openmsk answers once every
  // partition has a leader on the brokers, so the topic is ACTIVE when this answer leaves.
  return { TopicArn: domain.topicArn(cluster.arn, name), TopicName: name, Status: 'ACTIVE' };
}

export async function describeTopic(ctx: RequestContext, input: Record<string, any>) {
  const name = domain.assertTopicName(input.TopicName);
  const { cluster, admin } = await topicCluster(ctx, input.ClusterArn, 'describe a topic in');
  const { topic: t } = await liveTopic(admin, name);
  const configs = await topicOverrides(admin, name);
  return {
    TopicArn: domain.topicArn(cluster.arn, name),
    TopicName: name,
    ReplicationFactor: replicationFactorOf(t),
    PartitionCount: t.partitions.length,
    Configs: domain.encodeTopicConfigs(configs),
    Status: 'ACTIVE',
  };
}

const decodeName = (token: string) => {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) throw badRequest('The specified nextToken is not valid.', 'nextToken');
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(name)) throw badRequest('The specified nextToken is not valid.', 'nextToken');
  return name;
};
const encodeName = (name: string) => Buffer.from(name, 'utf8').toString('base64url');

export async function listTopics(ctx: RequestContext, input: Record<string, any>) {
  const size = pageSize(input.MaxResults);
  const after = input.NextToken === undefined || input.NextToken === '' ? undefined : decodeName(input.NextToken);
  const prefix = input.TopicNameFilter === undefined ? '' : String(input.TopicNameFilter);
  if (prefix.length > 249) throw badRequest('The topicNameFilter parameter must be between 0 and 249 characters long.', 'topicNameFilter');
  const { cluster, admin } = await topicCluster(ctx, input.ClusterArn, 'list the topics of');
  const m: ClusterState = await kafka(() => admin.metadata());
  const names = m.topics.filter((t) => !isInternal(t.name) && t.name.startsWith(prefix) && (after === undefined || t.name > after));
  const items = names.slice(0, size);
  return {
    Topics: items.map((t) => ({
      TopicArn: domain.topicArn(cluster.arn, t.name),
      TopicName: t.name,
      ReplicationFactor: replicationFactorOf(t),
      PartitionCount: t.partitions.length,
      OutOfSyncReplicaCount: outOfSync(t),
    })),
    NextToken: names.length > size ? encodeName(items[items.length - 1].name) : undefined,
  };
}

export async function updateTopic(ctx: RequestContext, input: Record<string, any>) {
  const name = domain.assertTopicName(input.TopicName);
  if (input.Configs === undefined && input.PartitionCount === undefined) {
    throw badRequest('At least one of configs and partitionCount is required.', 'configs');
  }
  const configs = input.Configs === undefined ? undefined : domain.parseTopicConfigs(input.Configs);
  const partitions = input.PartitionCount === undefined ? undefined : domain.assertPartitionCount(input.PartitionCount);
  const { cluster, admin } = await topicCluster(ctx, input.ClusterArn, 'update a topic in');
  if (isInternal(name)) throw badRequest(`Topic ${name} is internal to Kafka and cannot be changed.`, 'topicName');
  const { topic: t } = await liveTopic(admin, name);
  if (partitions !== undefined && partitions < t.partitions.length) {
    throw badRequest(`Topic currently has ${t.partitions.length} partitions, which is higher than the requested ${partitions}.`, 'partitionCount');
  }
  const grow = partitions !== undefined && partitions > t.partitions.length;
  // Both halves are checked by the brokers before either is applied, so a refused half changes nothing.
  if (configs) await kafka(() => admin.alterConfigs({ topic: name }, { set: configs }, true), name);
  if (grow) await kafka(() => admin.createPartitions(name, partitions, true), name);
  if (configs) await kafka(() => admin.alterConfigs({ topic: name }, { set: configs }), name);
  if (grow) await kafka(() => admin.createPartitions(name, partitions), name);
  return { TopicArn: domain.topicArn(cluster.arn, name), TopicName: name, Status: 'ACTIVE' };
}

export async function deleteTopic(ctx: RequestContext, input: Record<string, any>) {
  const name = domain.assertTopicName(input.TopicName);
  const { cluster, admin } = await topicCluster(ctx, input.ClusterArn, 'delete a topic in');
  if (isInternal(name)) throw badRequest(`Topic ${name} is internal to Kafka and cannot be deleted.`, 'topicName');
  await kafka(() => admin.deleteTopic(name), name);
  // The brokers no longer list the topic when this answers; they remove its log files in the background
  // (file.delete.delay.ms), which is what DELETING says.
  return { TopicArn: domain.topicArn(cluster.arn, name), TopicName: name, Status: 'DELETING' };
}

export async function describeTopicPartitions(ctx: RequestContext, input: Record<string, any>) {
  const name = domain.assertTopicName(input.TopicName);
  const size = pageSize(input.MaxResults);
  let start = 0;
  if (input.NextToken !== undefined && input.NextToken !== '') {
    const raw = String(input.NextToken);
    const n = /^[A-Za-z0-9_-]{1,16}$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
    if (!/^(0|[1-9]\d{0,8})$/.test(n)) throw badRequest('The specified nextToken is not valid.', 'nextToken');
    start = Number(n) + 1;
  }
  const { admin } = await topicCluster(ctx, input.ClusterArn, 'describe a topic in');
  const { topic: t } = await liveTopic(admin, name);
  const all = [...t.partitions].sort((a, b) => a.partition - b.partition).filter((p) => p.partition >= start);
  const items = all.slice(0, size);
  return {
    Partitions: items.map((p) => ({ Partition: p.partition, Leader: p.leader, Replicas: p.replicas, Isr: p.isr })),
    NextToken: all.length > size ? Buffer.from(String(items[items.length - 1].partition)).toString('base64url') : undefined,
  };
}
