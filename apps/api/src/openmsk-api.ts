/**
 * openmsk's own read endpoints, which MSK's API has no equivalent for (the web console's, and any client's): a
 * cluster's brokers, its consumer groups, every topic's figures, a topic's offsets, a partition's last messages, and
 * an operation's step progress. JSON with lowerCamelCase keys; the same authentication, account and region scoping
 * and AWS error form as the MSK operations. Kafka figures are read from the brokers at the time of the request
 * (packages/kafka).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '@openmsk/db';
import * as domain from '@openmsk/domain';
import type { KafkaAdmin } from '@openmsk/kafka';
import { badRequest, notFound } from '@openmsk/wire';
import type { AppDeps, RequestContext } from './context';
import { findCluster } from './services/clusters';
import { findOperation } from './services/operations';
import { clusterAdmin } from './services/kafka-admin';
import { isInternal, kafka, liveTopic, outOfSync, replicationFactorOf } from './services/topics';

type Authenticate = (req: FastifyRequest) => Promise<{ principal: Principal; region: string }>;

/** The most messages one request for a partition's last messages returns, and how many when `limit` is not given. */
const MAX_MESSAGES = 100;
const DEFAULT_MESSAGES = 20;

/** Registers the endpoints under /openmsk/v1 (`authenticate` is the MSK front door's). */
export function registerOpenmskApi(app: FastifyInstance, deps: AppDeps, authenticate: Authenticate): void {
  const context = async (req: FastifyRequest): Promise<RequestContext> => {
    const caller = await authenticate(req);
    return { principal: caller.principal, region: caller.region, requestId: req.requestId, deps };
  };
  type Params = Record<string, string>;
  const json = <T>(fn: (ctx: RequestContext, params: Params, query: Record<string, unknown>) => Promise<T>) =>
    async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const ctx = await context(req);
      const out = await fn(ctx, req.params as Params, (req.query ?? {}) as Record<string, unknown>);
      return reply.type('application/json').send(JSON.stringify(out));
    };
  app.get('/openmsk/v1/clusters/:clusterArn/brokers', json((ctx, p) => brokers(ctx, p.clusterArn)));
  app.get('/openmsk/v1/clusters/:clusterArn/consumer-groups', json((ctx, p) => consumerGroups(ctx, p.clusterArn)));
  app.get('/openmsk/v1/clusters/:clusterArn/topic-stats', json((ctx, p) => topicStats(ctx, p.clusterArn)));
  app.get('/openmsk/v1/clusters/:clusterArn/topics/:topicName/offsets', json((ctx, p) => topicOffsets(ctx, p.clusterArn, p.topicName)));
  app.get('/openmsk/v1/clusters/:clusterArn/topics/:topicName/partitions/:partition/messages',
    json((ctx, p, q) => lastMessages(ctx, p.clusterArn, p.topicName, p.partition, q.limit)));
  app.get('/openmsk/v1/operations/:clusterOperationArn/progress', json((ctx, p) => operationProgress(ctx, p.clusterOperationArn)));
}

async function adminOf(ctx: RequestContext, arn: string) {
  const cluster = await findCluster(ctx, arn);
  return { cluster, admin: await clusterAdmin(ctx, cluster) };
}

const num = (v: bigint) => Number(v);
type LogDirs = Awaited<ReturnType<KafkaAdmin['logDirsByBroker']>>;
type Offsets = Awaited<ReturnType<KafkaAdmin['offsetsOf']>>;

async function brokers(ctx: RequestContext, arn: string) {
  const { cluster, admin } = await adminOf(ctx, arn);
  const nodes = await ctx.deps.db.node.findMany({ where: { clusterId: cluster.id, role: 'broker' }, orderBy: { ordinal: 'asc' } });
  const m = await kafka(() => admin.metadata({ internal: true }));
  // KRaft brokers name a random live broker as controller in Metadata; the active controller is the quorum's leader.
  const controller = domain.isKraft(cluster.kafkaVersion)
    ? await admin.describeQuorum().then((q) => (q.leaderId >= 0 ? { kind: 'controller', id: q.leaderId } : null), () => null)
    : m.controllerId >= 0 ? { kind: 'broker', id: m.controllerId } : null;
  const dirs = await admin.logDirsByBroker(m.brokers).catch((): LogDirs => new Map());
  const partitions = m.topics.flatMap((t) => t.partitions);
  return {
    controller,
    brokers: nodes.map((n) => {
      const logDirs = dirs.get(n.ordinal);
      const total = logDirs?.length ? logDirs.reduce((s, d) => s + d.totalBytes, 0n) : undefined;
      const usable = logDirs?.length ? logDirs.reduce((s, d) => s + d.usableBytes, 0n) : undefined;
      return {
        brokerId: n.ordinal,
        zone: n.zone,
        online: m.brokers.some((b) => b.id === n.ordinal),
        leaderCount: partitions.filter((p) => p.leader === n.ordinal).length,
        partitionCount: partitions.filter((p) => p.replicas.includes(n.ordinal)).length,
        diskUsedBytes: total !== undefined && usable !== undefined ? num(total - usable) : null,
        diskTotalBytes: total !== undefined ? num(total) : null,
      };
    }),
  };
}

async function consumerGroups(ctx: RequestContext, arn: string) {
  const { admin } = await adminOf(ctx, arn);
  const [groups, lag] = await kafka(() => Promise.all([admin.describeGroups(), admin.consumerLag()]));
  return {
    groups: groups.map((g) => {
      const partitions = lag
        .filter((l) => l.group === g.groupId)
        .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        .map((l) => ({ topic: l.topic, partition: l.partition, committedOffset: num(l.committed), endOffset: num(l.end), lag: num(l.lag) }));
      return {
        groupId: g.groupId,
        state: g.state,
        protocolType: g.protocolType,
        members: g.members,
        partitions,
        totalLag: partitions.reduce((s, p) => s + p.lag, 0),
      };
    }),
  };
}

/**
 * A partition's size on disk as its leader holds it: followers may lag, and summing replicas would count the same
 * records several times. null when the leader's log directories could not be read.
 */
function leaderSize(dirs: LogDirs, topic: string, partition: number, leader: number): number | null {
  const found = (dirs.get(leader) ?? []).map((d) => d.partitions.get(`${topic}-${partition}`)).filter((x) => x !== undefined);
  return found.length ? num(found.reduce((s, x) => s + x, 0n)) : null;
}

/**
 * Every topic's figures for a list of topics, internal ones included: one Metadata request, two ListOffsets rounds and
 * one DescribeLogDirs per broker, whatever the number of topics. A topic whose offsets cannot be read (being created
 * or deleted) has `messageCount: null`; the others still answer.
 */
async function topicStats(ctx: RequestContext, arn: string) {
  const { admin } = await adminOf(ctx, arn);
  const m = await kafka(() => admin.metadata({ internal: true }));
  const topics = m.topics.filter((t) => t.partitions.length > 0);
  const wanted = topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partition) }));
  const offsets = await admin.offsetsOf(wanted, m).catch(async () => {
    // One partition's answer fails the whole request: ask topic by topic, so only that topic goes without.
    const each = await Promise.all(wanted.map((w) => admin.offsetsOf([w], m).catch((): Offsets => new Map())));
    return new Map(each.flatMap((x) => [...x]));
  });
  const dirs = await admin.logDirsByBroker(m.brokers).catch((): LogDirs => new Map());
  return {
    topics: topics.map((t) => {
      const o = offsets.get(t.name);
      const sizes = t.partitions.map((p) => leaderSize(dirs, t.name, p.partition, p.leader));
      return {
        topicName: t.name,
        internal: isInternal(t.name),
        partitionCount: t.partitions.length,
        replicationFactor: replicationFactorOf(t),
        outOfSyncReplicaCount: outOfSync(t),
        underReplicatedPartitions: t.partitions.filter((p) => p.isr.length < p.replicas.length).length,
        messageCount: o ? o.reduce((n, x) => n + num(x.latest > x.earliest ? x.latest - x.earliest : 0n), 0) : null,
        sizeBytes: sizes.includes(null) ? null : sizes.reduce((n: number, x) => n + (x ?? 0), 0),
      };
    }),
  };
}

async function topicOffsets(ctx: RequestContext, arn: string, topicName: string) {
  const name = domain.assertTopicName(topicName);
  const { admin } = await adminOf(ctx, arn);
  const { topic: t, state } = await liveTopic(admin, name);
  const asked = [{ name, partitions: t.partitions.map((p) => p.partition) }];
  const offsets = (await kafka(() => admin.offsetsOf(asked, state), name)).get(name) ?? [];
  // This topic's partitions only, from the brokers the metadata just listed.
  const dirs = await admin.logDirsByBroker(state.brokers, asked).catch((): LogDirs => new Map());
  return {
    partitions: offsets.map((o) => ({
      partition: o.partition,
      earliestOffset: num(o.earliest),
      latestOffset: num(o.latest),
      sizeBytes: leaderSize(dirs, name, o.partition, t.partitions.find((p) => p.partition === o.partition)?.leader ?? -1),
    })),
  };
}

function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_MESSAGES;
  const s = typeof raw === 'string' ? raw : '';
  const n = /^[1-9]\d{0,2}$/.test(s) ? Number(s) : NaN;
  if (!(n >= 1 && n <= MAX_MESSAGES)) throw badRequest(`The limit parameter must be an integer from 1 to ${MAX_MESSAGES}.`, 'limit');
  return n;
}

async function lastMessages(ctx: RequestContext, arn: string, topicName: string, partitionText: string, limitRaw: unknown) {
  const name = domain.assertTopicName(topicName);
  if (!/^(0|[1-9]\d{0,8})$/.test(partitionText)) throw badRequest('The partition parameter must be a non-negative integer.', 'partition');
  const partition = Number(partitionText);
  const limit = parseLimit(limitRaw);
  const { admin } = await adminOf(ctx, arn);
  const { topic: t, state } = await liveTopic(admin, name);
  if (!t.partitions.some((p) => p.partition === partition)) {
    throw notFound(`Partition ${partition} of topic ${name} does not exist: the topic has ${t.partitions.length} partitions.`, 'partition');
  }
  const got = await kafka(() => admin.lastMessages(name, partition, limit, state), name);
  const b64 = (b: Buffer | null) => (b === null ? null : b.toString('base64'));
  return {
    topic: name,
    partition,
    earliestOffset: num(got.earliest),
    latestOffset: num(got.latest),
    messages: got.records.map((r) => ({
      offset: num(r.offset),
      timestamp: new Date(num(r.timestamp)).toISOString(),
      key: b64(r.key),
      value: b64(r.value),
      headers: r.headers.map((h) => ({ key: h.key, value: b64(h.value) })),
    })),
  };
}

/** A time the worker wrote (an ISO string, or epoch milliseconds) as ISO; anything else is left out. */
function isoTime(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

interface StoredStep {
  StepName?: string;
  StepInfo?: { StepStatus?: string };
  StartTime?: unknown;
  EndTime?: unknown;
  Progress?: { Done?: unknown; Total?: unknown };
}

async function operationProgress(ctx: RequestContext, arn: string) {
  // Scoped and refused as DescribeClusterOperation: the caller's account, the request's region.
  const op = await findOperation(ctx, arn);
  const steps = (Array.isArray(op.steps) ? op.steps : []) as StoredStep[];
  const waits = (Array.isArray(op.waits) ? op.waits : []) as { at?: unknown; reason?: unknown }[];
  return {
    operationArn: op.arn,
    operationState: op.operationState,
    steps: steps.map((s) => {
      const startTime = isoTime(s.StartTime);
      const endTime = isoTime(s.EndTime);
      const done = s.Progress?.Done;
      const total = s.Progress?.Total;
      return {
        name: s.StepName ?? '',
        status: s.StepInfo?.StepStatus ?? '',
        ...(startTime && { startTime }),
        ...(endTime && { endTime }),
        ...(typeof done === 'number' && typeof total === 'number' && { progress: { done, total } }),
      };
    }),
    waits: waits.flatMap((w) => {
      const at = isoTime(w.at);
      return at && typeof w.reason === 'string' ? [{ at, reason: w.reason }] : [];
    }),
  };
}
