/**
 * openmsk's one way to talk to a cluster it runs: an admin client over the cluster's admin listener (the brokers'
 * REPLICATION listener, TLS with the cluster's CA when encryption in the cluster is on), on @platformatic/kafka.
 * Everything openmsk decides about a running cluster (ready, in sync, what a broker runs with, who leads) is read
 * here, from the brokers' own answers; nothing parses a tool's text output.
 */
import {
  Admin,
  ConfigResourceTypes,
  ConfigSources,
  IncrementalAlterConfigOperationTypes,
  ScramMechanisms,
  alterUserScramCredentialsV0,
  describeConfigsV4,
  describeLogDirsV4,
  describeUserScramCredentialsV0,
  describeQuorumV1,
  fetchV12,
  incrementalAlterConfigsV1,
  listOffsetsV8,
  metadataV12,
  saslOAuthBearer,
  type Broker,
  type Connection,
  type Group,
} from '@platformatic/kafka';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { connect as tlsConnect } from 'node:tls';
import { ELECTION_TYPE, electLeadersV2, errorName, type ElectLeadersPartitionResult, type ElectLeadersTopics } from './protocol';

/** How to reach a cluster's admin listener. */
export interface KafkaTarget {
  /** `host:port` of each broker's admin listener. */
  brokers: string[];
  /** The CA the listener's certificates chain to (PEM); absent: the listener is plaintext. */
  caPem?: string;
  /** The certificate (and key) presented where the listener asks for one: openmsk's own, a super user there. */
  clientCert?: { certPem: string; keyPem: string };
  /** SASL credentials, for a SASL_SSL listener (a client's view; openmsk's own listener needs none). */
  sasl?: { mechanism: 'SCRAM-SHA-512'; username: string; password: string } | { mechanism: 'OAUTHBEARER'; token: string };
}

/**
 * The client's SASL options. OAUTHBEARER: a refused token comes back as a challenge (`{"status":"invalid_token"}`),
 * not an error, so the client must be told to read it as a refusal.
 */
function saslOptions(sasl: NonNullable<KafkaTarget['sasl']>) {
  return sasl.mechanism === 'OAUTHBEARER' ? { ...sasl, authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes } : sasl;
}

/** A SCRAM user and the password it gets. */
export interface ScramUser {
  name: string;
  password: string;
}

/** Kafka's minimum for SCRAM-SHA-512 (and what MSK uses). */
const SCRAM_ITERATIONS = 4096;

export interface PartitionState {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offline: number[];
}

export interface TopicState {
  name: string;
  id: string;
  partitions: PartitionState[];
}

export interface ClusterState {
  clusterId: string;
  controllerId: number;
  brokers: { id: number; host: string; port: number; rack: string | null }[];
  /** Sorted by name; internal topics (names starting with `__`) only when asked for. */
  topics: TopicState[];
}

export type ConfigSource = keyof typeof ConfigSources;

export interface ConfigEntry {
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
  /** With `synonyms`: the value the broker read from its server.properties, when it has one (even if a dynamic value overrides it). */
  staticValue?: string | null;
}

/** A broker (by id), the cluster-wide broker default, or a topic. */
export type ConfigResource = { broker: number } | { brokerDefault: true } | { topic: string };

export interface ConfigChanges {
  set?: Record<string, string>;
  delete?: string[];
}

export interface QuorumVoter {
  id: number;
  logEndOffset: bigint;
  /** Epoch milliseconds, -1 when unknown (the leader knows them for every voter). */
  lastFetchTimestamp: bigint;
  lastCaughtUpTimestamp: bigint;
}

export interface QuorumState {
  leaderId: number;
  leaderEpoch: number;
  highWatermark: bigint;
  voters: QuorumVoter[];
  observers: QuorumVoter[];
}

export interface LogDir {
  broker: number;
  path: string;
  totalBytes: bigint;
  usableBytes: bigint;
  /** Bytes on this log directory per topic-partition (`topic-partition`). */
  partitions: Map<string, bigint>;
}

/** One partition of one consumer group: its committed offset, the partition's end offset and the difference. */
export interface GroupPartitionLag {
  group: string;
  topic: string;
  partition: number;
  committed: bigint;
  end: bigint;
  lag: bigint;
}

/** One consumer group as its coordinator describes it; a member's assignments decoded from the consumer protocol. */
export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  members: { memberId: string; clientId: string; clientHost: string; assignments: { topic: string; partitions: number[] }[] }[];
}

/** A partition's first and next offsets (ListOffsets earliest and latest: the log start and the high watermark). */
export interface PartitionOffsets {
  partition: number;
  earliest: bigint;
  latest: bigint;
}

/** A record as Fetch returned it: key, value and header values are raw bytes (null when the producer sent none). */
export interface FetchedRecord {
  offset: bigint;
  /** Epoch milliseconds. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
}

/** Kafka's LEADER_NOT_AVAILABLE: a topic being created or moving leaders; asking again later may answer. */
const LEADER_NOT_AVAILABLE = 5;
/** A record batch's attribute bit for control batches (transaction commit and abort markers). */
const IS_CONTROL_BATCH = 0x20;

/** A failure the brokers answered with: Kafka's error name (`TOPIC_ALREADY_EXISTS`, …) and its message. */
export class KafkaAdminError extends Error {
  constructor(
    readonly kafkaCode: string,
    message: string,
    readonly retriable = false,
  ) {
    super(message);
    this.name = 'KafkaAdminError';
  }
}

export interface KafkaAdminOptions {
  clientId?: string;
  /** Per request and per connection attempt. */
  timeoutMs?: number;
}

/** The first broker-answered error inside one of @platformatic/kafka's errors, as a KafkaAdminError. */
export function toKafkaAdminError(e: unknown): Error {
  if (e instanceof KafkaAdminError) return e;
  const found = protocolErrorIn(e);
  if (found) return new KafkaAdminError(found.apiId, found.serverErrorMessage || found.message, Boolean(found.canRetry));
  const err = e instanceof Error ? e : new Error(String(e));
  // The client reports a refused SASL handshake as its own AuthenticationError, somewhere inside what it throws.
  if (inErrorChain(e, (x) => x.code === 'PLT_KFK_AUTHENTICATION')) return new KafkaAdminError('SASL_AUTHENTICATION_FAILED', err.message);
  // The client turns a broker's UNKNOWN_TOPIC_OR_PARTITION in metadata into an error of its own.
  if (/^Unknown topic .*\.$/.test(err.message)) return new KafkaAdminError('UNKNOWN_TOPIC_OR_PARTITION', err.message);
  const detail = err instanceof AggregateError && err.errors.length ? `: ${err.errors.map((x: Error) => x.message).join('; ')}` : '';
  return new KafkaAdminError(/timeout/i.test(err.message) ? 'REQUEST_TIMED_OUT' : 'NETWORK_EXCEPTION', `${err.message}${detail}`, true);
}

function inErrorChain(e: unknown, found: (x: { apiId?: unknown; code?: unknown }) => boolean, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 6) return false;
  const x = e as { apiId?: unknown; code?: unknown; errors?: unknown[]; cause?: unknown };
  return found(x) || (x.errors ?? []).some((inner) => inErrorChain(inner, found, depth + 1)) || inErrorChain(x.cause, found, depth + 1);
}

type ProtocolErrorLike = { apiId: string; serverErrorMessage?: string | null; message: string; canRetry?: boolean };

function protocolErrorIn(e: unknown, depth = 0): ProtocolErrorLike | undefined {
  if (!e || typeof e !== 'object' || depth > 4) return undefined;
  const x = e as { apiId?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof x.apiId === 'string') return x as ProtocolErrorLike;
  for (const inner of x.errors ?? []) {
    const f = protocolErrorIn(inner, depth + 1);
    if (f) return f;
  }
  return protocolErrorIn(x.cause, depth + 1);
}

const parseBroker = (hostPort: string): Broker => {
  const i = hostPort.lastIndexOf(':');
  return { host: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
};

export class KafkaAdmin {
  private readonly admin: Admin;
  private readonly timeoutMs: number;

  constructor(
    readonly target: KafkaTarget,
    opts: KafkaAdminOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.admin = new Admin({
      clientId: opts.clientId ?? 'openmsk',
      bootstrapBrokers: target.brokers.map(parseBroker),
      connectTimeout: this.timeoutMs,
      requestTimeout: this.timeoutMs,
      timeout: this.timeoutMs,
      retries: 1,
      retryDelay: 100,
      metadataMaxAge: 1000,
      ...(target.caPem
        ? { tls: { ca: target.caPem, ...(target.clientCert && { cert: target.clientCert.certPem, key: target.clientCert.keyPem }) }, tlsServerName: false }
        : {}),
      ...(target.sasl && { sasl: saslOptions(target.sasl) }),
    });
  }

  private async call<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (e) {
      throw toKafkaAdminError(e);
    }
  }

  /**
   * Brokers, the controller and every partition's leader, replicas and in-sync replicas, fresh from a broker: one
   * Metadata request of our own, because the library's cached metadata drops Kafka's internal topics, so asking it
   * for `__consumer_offsets` answers nothing. A topic asked for by name that the brokers refuse throws their error.
   */
  async metadata(opts: { topics?: string[]; internal?: boolean } = {}): Promise<ClusterState> {
    return this.call(async () => {
      const m = await this.fromAnyBroker((conn) => metadataV12.api.async(conn, opts.topics ?? null, false, false));
      const refused = opts.topics ? m.topics.find((t) => t.errorCode !== 0) : undefined;
      if (refused) throw new KafkaAdminError(errorName(refused.errorCode), `${refused.name ?? refused.topicId}: ${errorName(refused.errorCode)}`, refused.errorCode === LEADER_NOT_AVAILABLE);
      return {
        clusterId: m.clusterId ?? '',
        controllerId: m.controllerId,
        brokers: m.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port, rack: b.rack ?? null })).sort((a, b) => a.id - b.id),
        topics: m.topics
          .filter((t) => t.errorCode === 0 && t.name && (opts.topics !== undefined || opts.internal || !t.isInternal))
          .map((t) => ({
            name: t.name!,
            id: t.topicId,
            partitions: [...t.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => ({
              partition: p.partitionIndex,
              leader: p.leaderId,
              replicas: [...p.replicaNodes],
              isr: [...p.isrNodes],
              offline: [...(p.offlineReplicas ?? [])],
            })),
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    });
  }

  /** What a broker, the broker default or a topic runs with, as the brokers report it (source tells where from). */
  async describeConfigs(resource: ConfigResource, keys?: string[], opts: { synonyms?: boolean } = {}): Promise<Map<string, ConfigEntry>> {
    return this.call(async () => {
      const resources = [{ ...resourceOf(resource), configurationKeys: keys ?? null }];
      const synonyms = opts.synonyms ?? false;
      // The client sends a broker resource to the broker it names, and the default ('') names none: any broker answers it.
      const [res] = 'brokerDefault' in resource
        ? (await describeConfigsV4.api.async(await this.controllerConnection(), resources, synonyms, false)).results
        : await this.admin.describeConfigs({ resources, includeSynonyms: synonyms });
      return new Map(
        (res?.configs ?? []).map((c) => {
          const entry: ConfigEntry = { value: c.value ?? null, source: sourceName(c.configSource), readOnly: c.readOnly, sensitive: c.isSensitive };
          if (synonyms) {
            const fromFile = (c.synonyms ?? []).find((x) => x.name === c.name && sourceName(x.source) === 'STATIC_BROKER_CONFIG');
            if (fromFile) entry.staticValue = fromFile.value ?? null;
          }
          return [c.name, entry];
        }),
      );
    });
  }

  /** Sets and deletes dynamic configuration (IncrementalAlterConfigs); `validateOnly` asks the brokers to check only. */
  async alterConfigs(resource: ConfigResource, changes: ConfigChanges, validateOnly = false): Promise<void> {
    const configs = [
      ...Object.entries(changes.set ?? {}).map(([name, value]) => ({ name, value, configOperation: IncrementalAlterConfigOperationTypes.SET })),
      ...(changes.delete ?? []).map((name) => ({ name, configOperation: IncrementalAlterConfigOperationTypes.DELETE })),
    ];
    if (configs.length === 0) return;
    const resources = [{ ...resourceOf(resource), configs }];
    await this.call(async () => {
      if ('brokerDefault' in resource) await incrementalAlterConfigsV1.api.async(await this.controllerConnection(), resources, validateOnly);
      else await this.admin.incrementalAlterConfigs({ resources, validateOnly });
    });
    if (validateOnly || !('brokerDefault' in resource)) return;
    // A cluster-wide default reaches each broker a moment later: return once every broker runs with it.
    const deadline = Date.now() + this.timeoutMs;
    const keys = [...Object.keys(changes.set ?? {}), ...(changes.delete ?? [])];
    for (;;) {
      const m = await this.admin.metadata({ topics: [], forceUpdate: true }).catch(() => undefined);
      let applied = m !== undefined;
      for (const id of m ? m.brokers.keys() : []) {
        const running = await this.describeConfigs({ broker: id }, keys).catch(() => undefined);
        const ok = running !== undefined
          && Object.entries(changes.set ?? {}).every(([k, v]) => running.get(k)?.value === v)
          && (changes.delete ?? []).every((k) => running.get(k)?.source !== 'DYNAMIC_DEFAULT_BROKER_CONFIG');
        if (!ok) applied = false;
      }
      if (applied) return;
      if (Date.now() > deadline) throw new KafkaAdminError('REQUEST_TIMED_OUT', `broker default ${keys.join(', ')}: not in effect on every broker after ${this.timeoutMs} ms`, true);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Creates a topic and returns once the brokers' metadata shows it with a leader for every partition. */
  async createTopic(topic: NewTopic): Promise<{ id: string }> {
    const created = await this.call(async () => {
      const [c] = await this.admin.createTopics({
        topics: [topic.name],
        partitions: topic.partitions,
        replicas: topic.replicationFactor,
        configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
      });
      return c;
    });
    await this.settle(`topic ${topic.name} created`, (m) => {
      const t = m.topics.find((x) => x.name === topic.name);
      return t !== undefined && t.partitions.length === topic.partitions && t.partitions.every((p) => p.leader >= 0);
    });
    return { id: created.id };
  }

  /** Deletes a topic and returns once the brokers' metadata no longer lists it. */
  async deleteTopic(name: string): Promise<void> {
    await this.call(() => this.admin.deleteTopics({ topics: [name] }));
    await this.settle(`topic ${name} deleted`, (m) => !m.topics.some((t) => t.name === name));
  }

  /** Grows a topic to `count` partitions; returns once the brokers' metadata shows them (unless `validateOnly`). */
  async createPartitions(name: string, count: number, validateOnly = false): Promise<void> {
    await this.call(() => this.admin.createPartitions({ topics: [{ name, count }], validateOnly }));
    if (!validateOnly) await this.settle(`topic ${name} at ${count} partitions`, (m) => m.topics.find((t) => t.name === name)?.partitions.length === count);
  }

  /**
   * A change the controller accepted reaches each broker's metadata a moment later, not all at once: wait (bounded by
   * the request timeout) until every broker's own answer shows it, so that what openmsk answers next is already true
   * whichever broker a client asks.
   */
  private async settle(what: string, done: (m: ClusterState) => boolean): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const m = await this.everyBroker(done).catch(() => false);
      if (m) return;
      if (Date.now() > deadline) throw new KafkaAdminError('REQUEST_TIMED_OUT', `${what}: not visible in the brokers' metadata after ${this.timeoutMs} ms`, true);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * Moves leadership back to each partition's preferred (first) replica where it is in sync: all partitions, or
   * those given. Sent to the controller broker (ZooKeeper mode needs it there; KRaft brokers forward it).
   * ELECTION_NOT_NEEDED for a partition is success: its preferred replica leads already.
   */
  async electPreferredLeaders(topics: ElectLeadersTopics = null): Promise<ElectLeadersPartitionResult[]> {
    return this.call(async () => {
      const res = await electLeadersV2.async(await this.controllerConnection(), ELECTION_TYPE.PREFERRED, topics, this.timeoutMs);
      if (res.errorCode !== 0) throw new KafkaAdminError(errorName(res.errorCode), `ElectLeaders failed: ${errorName(res.errorCode)}`);
      return res.results;
    });
  }

  /** The KRaft metadata quorum as its leader sees it (DescribeQuorum v1; brokers forward it to the controllers). */
  async describeQuorum(): Promise<QuorumState> {
    return this.call(async () => {
      const res = await describeQuorumV1.api.async(await this.controllerConnection(), [
        { topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] },
      ]);
      const p = res.topics[0]?.partitions[0];
      if (!p) throw new KafkaAdminError('UNKNOWN_SERVER_ERROR', 'DescribeQuorum answered no partition');
      if (p.errorCode !== 0) throw new KafkaAdminError(errorName(p.errorCode), p.errorMessage ?? errorName(p.errorCode));
      const voter = (v: { replicaId: number; logEndOffset: bigint; lastFetchTimestamp: bigint; lastCaughtUpTimestamp: bigint }) => ({
        id: v.replicaId, logEndOffset: v.logEndOffset, lastFetchTimestamp: v.lastFetchTimestamp, lastCaughtUpTimestamp: v.lastCaughtUpTimestamp,
      });
      return { leaderId: p.leaderId, leaderEpoch: p.leaderEpoch, highWatermark: p.highWatermark, voters: p.currentVoters.map(voter), observers: p.observers.map(voter) };
    });
  }

  /**
   * Each broker's log directories: capacity, free space and the bytes of every partition on them. A broker that does
   * not answer leaves out only its own directories (see logDirsByBroker).
   */
  async describeLogDirs(): Promise<LogDir[]> {
    return [...(await this.logDirsByBroker()).values()].flat();
  }

  /**
   * The log directories of each broker in the metadata, each broker asked on its own connection, so that one that
   * does not answer (or a directory that is offline) leaves out only itself: brokers missing from the map could not
   * be read. `brokers` saves the Metadata request when the caller has just read it; `topics` limits the partitions
   * listed (all of them by default).
   */
  async logDirsByBroker(brokers?: ClusterState['brokers'], topics?: { name: string; partitions: number[] }[]): Promise<Map<number, LogDir[]>> {
    const live = brokers ?? (await this.metadata({ topics: [] })).brokers;
    const out = new Map<number, LogDir[]>();
    await Promise.all(live.map(async (b) => {
      try {
        const res = await describeLogDirsV4.api.async(await this.admin.connections.get({ host: b.host, port: b.port }), topics ?? null);
        if (res.errorCode !== 0) return;
        out.set(b.id, res.results.filter((r) => r.errorCode === 0).map((r) => ({
          broker: b.id,
          path: r.logDir,
          totalBytes: r.totalBytes,
          usableBytes: r.usableBytes,
          partitions: new Map(r.topics.flatMap((t) => t.partitions.map((p) => [`${t.name}-${p.partitionIndex}`, p.partitionSize] as const))),
        })));
      } catch {
        // this broker's figures stay unknown
      }
    }));
    return out;
  }

  /**
   * Every consumer group's committed offsets against each partition's end offset (the high watermark, what a consumer
   * could read up to): the lag MSK publishes as SumOffsetLag, MaxOffsetLag and OffsetLag. Partitions a group has no
   * committed offset for are left out, as Kafka's own consumer-groups tool shows no lag for them.
   */
  async consumerLag(): Promise<GroupPartitionLag[]> {
    return this.call(async () => {
      const groups = [...(await this.admin.listGroups()).keys()].sort();
      if (groups.length === 0) return [];
      const committed = await this.admin.listConsumerGroupOffsets({ groups });
      const wanted = new Map<string, Set<number>>();
      for (const g of committed) for (const t of g.topics) for (const p of t.partitions) {
        if (p.committedOffset >= 0n) (wanted.get(t.name) ?? wanted.set(t.name, new Set()).get(t.name)!).add(p.partitionIndex);
      }
      if (wanted.size === 0) return [];
      // offsetsOf, not the library's listOffsets: a group may have committed offsets of an internal topic.
      const ends = await this.offsetsOf([...wanted].map(([name, parts]) => ({ name, partitions: [...parts] })));
      const end = new Map([...ends].flatMap(([name, parts]) => parts.map((p) => [`${name}\0${p.partition}`, p.latest] as const)));
      const out: GroupPartitionLag[] = [];
      for (const g of committed) for (const t of g.topics) for (const p of t.partitions) {
        const e = end.get(`${t.name}\0${p.partitionIndex}`);
        if (p.committedOffset < 0n || e === undefined) continue;
        out.push({ group: g.groupId, topic: t.name, partition: p.partitionIndex, committed: p.committedOffset, end: e, lag: e > p.committedOffset ? e - p.committedOffset : 0n });
      }
      return out;
    });
  }

  /**
   * Consumer groups as their coordinators describe them: every group the brokers list, or those named. Groups of
   * another protocol type (Kafka Connect, ...) are described one by one, because the client decodes every member's
   * metadata as the consumer protocol's; one it cannot decode is given with its state and no members.
   */
  async describeGroups(names?: string[]): Promise<GroupDescription[]> {
    return this.call(async () => {
      const listed = await this.admin.listGroups();
      const wanted = (names ?? [...listed.keys()]).slice().sort();
      if (wanted.length === 0) return [];
      const consumer = wanted.filter((g) => (listed.get(g)?.protocolType ?? 'consumer') === 'consumer');
      const described = new Map<string, Group>(consumer.length ? await this.admin.describeGroups({ groups: consumer }) : []);
      for (const g of wanted.filter((x) => !consumer.includes(x))) {
        const one = await this.admin.describeGroups({ groups: [g] }).catch(() => undefined);
        const d = one?.get(g);
        if (d) described.set(g, d);
      }
      return wanted.map((g) => {
        const d = described.get(g);
        const base = listed.get(g);
        return {
          groupId: g,
          state: String(d?.state ?? base?.state ?? 'Unknown'),
          protocolType: d?.protocolType ?? base?.protocolType ?? '',
          members: [...(d?.members.values() ?? [])].map((m) => ({
            memberId: m.id,
            clientId: m.clientId,
            clientHost: m.clientHost,
            assignments: [...(m.assignments?.values() ?? [])]
              .map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }))
              .sort((x, y) => x.topic.localeCompare(y.topic)),
          })).sort((x, y) => x.memberId.localeCompare(y.memberId)),
        };
      });
    });
  }

  /**
   * Each named partition's earliest and latest offset (read uncommitted), sorted by partition: ListOffsets sent by us
   * to each partition's leader, twice (log start, then high watermark), whatever the number of topics. Not the
   * library's listOffsets: it looks topics up in its cached metadata, which drops Kafka's internal topics, and then
   * throws outside any promise for `__consumer_offsets`. `state` saves the Metadata request when the caller has just
   * read it. Keyed by topic name; a topic with no partitions named is left out.
   */
  async offsetsOf(topics: { name: string; partitions: number[] }[], state?: ClusterState): Promise<Map<string, PartitionOffsets[]>> {
    const wanted = topics.filter((t) => t.partitions.length > 0);
    if (wanted.length === 0) return new Map();
    return this.call(async () => {
      const m = state ?? (await this.metadata({ topics: wanted.map((t) => t.name) }));
      const key = (topic: string, partition: number) => `${topic}\0${partition}`;
      const byLeader = new Map<number, Map<string, number[]>>();
      for (const t of wanted) {
        const known = m.topics.find((x) => x.name === t.name);
        if (!known) throw new KafkaAdminError('UNKNOWN_TOPIC_OR_PARTITION', `${t.name}: not in the metadata`);
        for (const partition of t.partitions) {
          const leader = known.partitions.find((x) => x.partition === partition)?.leader ?? -1;
          if (leader < 0) throw new KafkaAdminError('LEADER_NOT_AVAILABLE', `${t.name}-${partition}: no leader in the metadata`, true);
          const mine = byLeader.get(leader) ?? byLeader.set(leader, new Map()).get(leader)!;
          (mine.get(t.name) ?? mine.set(t.name, []).get(t.name)!).push(partition);
        }
      }
      const earliest = new Map<string, bigint>();
      const latest = new Map<string, bigint>();
      await Promise.all([...byLeader].map(async ([id, asked]) => {
        const b = m.brokers.find((x) => x.id === id);
        if (!b) throw new KafkaAdminError('LEADER_NOT_AVAILABLE', `broker ${id}: not in the metadata`, true);
        const conn = await this.admin.connections.get({ host: b.host, port: b.port });
        for (const [into, timestamp] of [[earliest, -2n], [latest, -1n]] as const) {
          // Replica -1 (a client), isolation 0 (read uncommitted): the high watermark, as the console's counts need.
          const res = await listOffsetsV8.api.async(conn, -1, 0, [...asked].map(([name, parts]) => ({
            name, partitions: parts.map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp })),
          })));
          for (const t of res.topics) for (const p of t.partitions) {
            if (p.errorCode !== 0) throw new KafkaAdminError(errorName(p.errorCode), `${t.name}-${p.partitionIndex}: ${errorName(p.errorCode)}`, true);
            into.set(key(t.name, p.partitionIndex), p.offset);
          }
        }
      }));
      return new Map(wanted.map((t) => [t.name, [...t.partitions].sort((x, y) => x - y).map((partition) => {
        const e = earliest.get(key(t.name, partition));
        const l = latest.get(key(t.name, partition));
        if (e === undefined || l === undefined) throw new KafkaAdminError('UNKNOWN_TOPIC_OR_PARTITION', `${t.name}-${partition}: no offsets answered`);
        return { partition, earliest: e, latest: l };
      })]));
    });
  }

  /**
   * The last `n` records of a partition (fewer where compaction or transaction markers left gaps), ascending by
   * offset: ListOffsets, then Fetch from the partition's leader from max(earliest, latest - n). A plain Fetch, as a
   * follower or a tool would send it: no consumer group is joined and nothing is committed. `state` saves the
   * Metadata request when the caller has just read it.
   */
  async lastMessages(topic: string, partition: number, n: number, state?: ClusterState): Promise<PartitionOffsets & { records: FetchedRecord[] }> {
    const m = state ?? (await this.metadata({ topics: [topic] }));
    const [offsets] = (await this.offsetsOf([{ name: topic, partitions: [partition] }], m)).get(topic)!;
    const { earliest, latest } = offsets;
    const from = latest - BigInt(n) > earliest ? latest - BigInt(n) : earliest;
    const records: FetchedRecord[] = [];
    if (from >= latest) return { ...offsets, records };
    return this.call(async () => {
      const leaderId = m.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partition === partition)?.leader;
      const leader = m.brokers.find((b) => b.id === leaderId);
      if (!leader) throw new KafkaAdminError('LEADER_NOT_AVAILABLE', `${topic}-${partition}: no leader in the metadata`, true);
      const conn = await this.admin.connections.get({ host: leader.host, port: leader.port });
      let next = from;
      // Each answer holds at least one whole batch however large; a few rounds reach `latest` for any n up to 100.
      for (let round = 0; round < 16 && next < latest && records.length < n; round++) {
        const res = await fetchV12.api.async(conn, 500, 1, 8 << 20, 0, 0, -1, [
          { topicId: topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: next, lastFetchedEpoch: -1, partitionMaxBytes: 4 << 20 }] },
        ], [], '');
        const p = res.responses[0]?.partitions[0];
        if (!p) break;
        if (p.errorCode !== 0) throw new KafkaAdminError(errorName(p.errorCode), `${topic}-${partition}: ${errorName(p.errorCode)}`, true);
        const batches = p.records ?? [];
        if (batches.length === 0) break;
        for (const b of batches) {
          const last = b.firstOffset + BigInt(b.lastOffsetDelta);
          if (last + 1n > next) next = last + 1n;
          if (b.attributes & IS_CONTROL_BATCH) continue; // transaction markers
          for (const r of b.records) {
            const offset = b.firstOffset + BigInt(r.offsetDelta);
            if (offset < from || offset >= latest) continue;
            records.push({
              offset,
              timestamp: b.firstTimestamp + r.timestampDelta,
              key: r.key,
              value: r.value,
              headers: r.headers.map(([k, v]) => ({ key: k ? k.toString('utf8') : '', value: v })),
            });
          }
        }
      }
      return { ...offsets, records: records.slice(-n) };
    });
  }

  /** Users that have a SCRAM-SHA-512 credential (DescribeUserScramCredentials). */
  async scramUsers(): Promise<string[]> {
    return this.call(async () => {
      const conn = await this.controllerConnection();
      const r = await describeUserScramCredentialsV0.api.async(conn, null);
      return r.results.filter((u) => u.credentialInfos.some((c) => c.mechanism === ScramMechanisms.SCRAM_SHA_512)).map((u) => u.user);
    });
  }

  /**
   * Creates or replaces SCRAM-SHA-512 credentials and deletes others, in one AlterUserScramCredentials request to the
   * controller. The password never leaves this process: the brokers get a salt and Hi(password, salt, 4096) (RFC 5802).
   */
  async alterScramUsers(change: { upsert?: ScramUser[]; delete?: string[] }): Promise<void> {
    const mechanism = ScramMechanisms.SCRAM_SHA_512;
    const deletions = (change.delete ?? []).map((name) => ({ name, mechanism }));
    const upsertions = (change.upsert ?? []).map((u) => {
      const salt = randomBytes(32);
      return { name: u.name, mechanism, iterations: SCRAM_ITERATIONS, salt, saltedPassword: pbkdf2Sync(Buffer.from(u.password, 'utf8'), salt, SCRAM_ITERATIONS, 64, 'sha512') };
    });
    if (deletions.length + upsertions.length === 0) return;
    await this.call(async () => {
      await alterUserScramCredentialsV0.api.async(await this.controllerConnection(), deletions, upsertions);
    });
  }

  /** Closes every connection; the client cannot be used afterwards. */
  async close(): Promise<void> {
    await this.admin.close().catch(() => undefined);
  }

  /** Whether `done` holds for the metadata of every broker, each asked on its own connection. */
  private async everyBroker(done: (m: ClusterState) => boolean): Promise<boolean> {
    const m = await this.admin.metadata({ topics: [], forceUpdate: true });
    for (const [, b] of m.brokers) {
      const res = await metadataV12.api.async(await this.admin.connections.get({ host: b.host, port: b.port }), null, false, false);
      const view: ClusterState = {
        clusterId: m.id,
        controllerId: m.controllerId,
        brokers: [],
        topics: res.topics.filter((t) => t.errorCode === 0 && t.name).map((t) => ({
          name: t.name!,
          id: t.topicId,
          partitions: t.partitions.map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes, offline: p.offlineReplicas })),
        })),
      };
      if (!done(view)) return false;
    }
    return true;
  }

  /**
   * Asks the admin listener's brokers in turn until one answers: any broker's metadata will do, and a stopped broker
   * (which the cached metadata may still name as controller) must not make the question fail.
   */
  private async fromAnyBroker<T>(ask: (conn: Connection) => Promise<T>): Promise<T> {
    let last: unknown;
    for (const broker of this.target.brokers.map(parseBroker)) {
      try {
        return await ask(await this.admin.connections.get(broker));
      } catch (e) {
        last = e;
      }
    }
    throw last ?? new KafkaAdminError('BROKER_NOT_AVAILABLE', 'no broker to ask');
  }

  private async controllerConnection(): Promise<Connection> {
    const m = await this.admin.metadata({ topics: [], forceUpdate: true });
    const controller = m.brokers.get(m.controllerId) ?? [...m.brokers.values()][0];
    if (!controller) throw new KafkaAdminError('BROKER_NOT_AVAILABLE', 'no broker in the metadata');
    return this.admin.connections.get({ host: controller.host, port: controller.port });
  }
}

function resourceOf(r: ConfigResource) {
  if ('topic' in r) return { resourceType: ConfigResourceTypes.TOPIC, resourceName: r.topic };
  if ('broker' in r) return { resourceType: ConfigResourceTypes.BROKER, resourceName: String(r.broker) };
  return { resourceType: ConfigResourceTypes.BROKER, resourceName: '' };
}

const SOURCE_NAMES = new Map<number, ConfigSource>(
  (Object.entries(ConfigSources) as [ConfigSource, number][]).filter(([name]) => name !== 'TOPIC_CONFIG').map(([name, v]) => [v, name]),
);
const sourceName = (v: number): ConfigSource => SOURCE_NAMES.get(v) ?? 'UNKNOWN';

/**
 * A SASL listener is up and authenticates: a TLS connection to it is made and a made-up SCRAM user, or a made-up IAM
 * token, is refused (SASL_AUTHENTICATION_FAILED). What a listener with no users yet can show; for IAM it also shows
 * that the brokers' validator reaches the API.
 */
export async function saslListenerRefusesStrangers(endpoint: string, caPem: string, mechanism: 'SCRAM-SHA-512' | 'OAUTHBEARER', timeoutMs = 3000): Promise<boolean> {
  const stranger = `openmsk-probe-${randomBytes(6).toString('hex')}`;
  const sasl: KafkaTarget['sasl'] = mechanism === 'OAUTHBEARER'
    ? { mechanism, token: randomBytes(32).toString('base64url') }
    : { mechanism, username: stranger, password: randomBytes(16).toString('hex') };
  const admin = new KafkaAdmin({ brokers: [endpoint], caPem, sasl }, { clientId: 'openmsk-probe', timeoutMs });
  try {
    await admin.metadata({ topics: [] });
    return false;
  } catch (e) {
    return e instanceof KafkaAdminError && e.kafkaCode === 'SASL_AUTHENTICATION_FAILED';
  } finally {
    await admin.close();
  }
}

/**
 * A listener that requires client certificates (mutual TLS) is up: it completes a TLS handshake with a certificate that
 * chains to `caPem` for `localhost`. (Without a client certificate Kafka then closes the connection, so no Kafka request
 * can show more.)
 */
export function tlsListenerAnswers(endpoint: string, caPem: string, timeoutMs = 3000): Promise<boolean> {
  const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(':')), Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const socket = tlsConnect({ host, port, ca: caPem, servername: 'localhost', timeout: timeoutMs }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/**
 * Partitions a broker cannot leave now without taking them below their minimum in-sync replicas (Strimzi's
 * KafkaAvailability rule): the broker is in the partition's ISR and the ISR is at or below `minIsr`. A partition
 * whose min.insync.replicas equals its replica count is not counted (no restart could ever keep it available, and
 * waiting would stall the roll for ever), nor one whose ISR lacks this broker (restarting it cannot make that worse).
 * `minIsr` gives each topic's effective min.insync.replicas.
 */
export function partitionsBlockingRestart(state: ClusterState, brokerId: number, minIsr: (topic: string) => number): string[] {
  const out: string[] = [];
  for (const t of state.topics) {
    const min = minIsr(t.name);
    for (const p of t.partitions) {
      if (!p.isr.includes(brokerId) || min >= p.replicas.length) continue;
      if (p.isr.length <= min) out.push(`${t.name}-${p.partition} (ISR ${p.isr.join(',')}, min.insync.replicas ${min})`);
    }
  }
  return out;
}

/** Partitions whose in-sync replicas are fewer than their replicas. */
export function underReplicated(state: ClusterState): string[] {
  return state.topics.flatMap((t) => t.partitions.filter((p) => p.isr.length < p.replicas.length).map((p) => `${t.name}-${p.partition}`));
}

/** Keys a broker reports as read from its file while the file has only the key it derives them from (KRaft: broker.id from node.id; ZooKeeper mode: the reverse). */
const DERIVED: Record<string, string> = { 'broker.id': 'node.id', 'node.id': 'broker.id' };

/**
 * The keys of a broker's configuration file (`rendered`) that the running broker does not run with, from its own
 * DescribeConfigs with synonyms (`running`): a key whose value the broker read from its file at start differs and no
 * dynamic value already gives it, or a key it read from its file that the file no longer has. Keys the broker reports
 * without a value (sensitive ones, and keys no component of the broker defines, such as an authorizer's when none
 * runs) cannot be compared and are left out. Empty: the broker needs no restart for its configuration.
 */
export function configDrift(rendered: ReadonlyMap<string, string>, running: ReadonlyMap<string, ConfigEntry>): string[] {
  const out: string[] = [];
  const comparable = (e: ConfigEntry) => !(e.sensitive && e.value === null);
  for (const [key, value] of rendered) {
    const e = running.get(key);
    if (!e || !comparable(e) || e.staticValue === value) continue;
    if (e.value === value && e.source.startsWith('DYNAMIC_')) continue; // applied without a restart
    out.push(key);
  }
  for (const [key, e] of running) {
    if (e.staticValue === undefined || rendered.has(key) || !comparable(e)) continue;
    if (DERIVED[key] && rendered.get(DERIVED[key]) === e.staticValue) continue;
    out.push(key);
  }
  return out;
}
