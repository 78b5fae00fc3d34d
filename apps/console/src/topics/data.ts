/**
 * What the topics and consumer-group pages read and change: MSK's Topics API (`/v1/clusters/{arn}/topics…`) and
 * openmsk's own read-only endpoints (`/openmsk/v1/clusters/{arn}/…`: offsets, messages, consumer groups), all with
 * the session's bearer token through `call()`. Wire names are lowerCamel.
 */
import { useEffect, useRef, useState } from 'react';
import { ApiError, call } from '../api';
import type { PartitionOffsets } from './format';

/** How often the lists and a topic's or group's page re-read the API. */
export const REFRESH_MS = 5000;

const enc = encodeURIComponent;
const topicsPath = (arn: string) => `/v1/clusters/${enc(arn)}/topics`;
const openmskPath = (arn: string) => `/openmsk/v1/clusters/${enc(arn)}`;

export interface TopicInfo {
  topicArn: string;
  topicName: string;
  partitionCount: number;
  replicationFactor: number;
  outOfSyncReplicaCount: number;
}

export interface TopicDescription {
  topicArn: string;
  topicName: string;
  partitionCount: number;
  replicationFactor: number;
  configs?: string;
  status?: string;
}

export interface PartitionInfo { partition: number; leader: number; replicas: number[]; isr: number[] }

export interface MessageHeader { key: string; value: string | null }
export interface Message {
  offset: number | string;
  timestamp: string;
  key: string | null;
  value: string | null;
  headers?: MessageHeader[];
}
export interface MessagePage {
  topic: string;
  partition: number;
  earliestOffset: number | string;
  latestOffset: number | string;
  messages: Message[];
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  assignments: Array<{ topic: string; partitions: number[] }>;
}
export interface GroupPartition {
  topic: string;
  partition: number;
  committedOffset: number | string | null;
  endOffset: number | string | null;
  lag: number | string | null;
}
export interface ConsumerGroup {
  groupId: string;
  state: string;
  protocolType: string;
  members: GroupMember[];
  partitions: GroupPartition[];
  totalLag: number | string | null;
}

/** ListTopics, every page (it never lists internal topics). */
export async function listTopics(token: string, arn: string): Promise<TopicInfo[]> {
  const all: TopicInfo[] = [];
  let next: string | undefined;
  do {
    const q = new URLSearchParams({ maxResults: '100', ...(next ? { nextToken: next } : {}) });
    const page = await call<{ topics?: TopicInfo[]; nextToken?: string }>(token, 'GET', `${topicsPath(arn)}?${q}`);
    all.push(...(page.topics ?? []));
    next = page.nextToken || undefined;
  } while (next);
  return all;
}

export const describeTopic = (token: string, arn: string, topic: string) =>
  call<TopicDescription>(token, 'GET', `${topicsPath(arn)}/${enc(topic)}`);

/** DescribeTopicPartitions, every page, by partition number. */
export async function describeTopicPartitions(token: string, arn: string, topic: string): Promise<PartitionInfo[]> {
  const all: PartitionInfo[] = [];
  let next: string | undefined;
  do {
    const q = new URLSearchParams({ maxResults: '100', ...(next ? { nextToken: next } : {}) });
    const page = await call<{ partitions?: PartitionInfo[]; nextToken?: string }>(token, 'GET', `${topicsPath(arn)}/${enc(topic)}/partitions?${q}`);
    all.push(...(page.partitions ?? []));
    next = page.nextToken || undefined;
  } while (next);
  return all.sort((a, b) => a.partition - b.partition);
}

export const createTopic = (token: string, arn: string, body: Record<string, unknown>) =>
  call<{ topicArn: string; topicName: string; status: string }>(token, 'POST', topicsPath(arn), body);

export const deleteTopic = (token: string, arn: string, topic: string) =>
  call<{ topicArn: string; topicName: string; status: string }>(token, 'DELETE', `${topicsPath(arn)}/${enc(topic)}`);

/** What openmsk's topic-stats endpoint gives of each topic, internal ones included. */
export interface TopicStats extends TopicInfo {
  internal: boolean;
  underReplicatedPartitions: number;
  /** Records between each partition's log start and high watermark; null when the offsets could not be read. */
  messageCount: number | null;
  /** The leader replicas' bytes on disk; null when a leader's log directories could not be read. */
  sizeBytes: number | null;
}

/** Every topic's figures in one request (one Metadata, two ListOffsets and a DescribeLogDirs per broker). */
export async function topicStats(token: string, arn: string): Promise<TopicStats[]> {
  const r = await call<{ topics?: Omit<TopicStats, 'topicArn'>[] }>(token, 'GET', `${openmskPath(arn)}/topic-stats`);
  return (r.topics ?? []).map((t) => ({ ...t, topicArn: '' }));
}

export async function topicOffsets(token: string, arn: string, topic: string): Promise<PartitionOffsets[]> {
  const r = await call<{ partitions?: PartitionOffsets[] }>(token, 'GET', `${openmskPath(arn)}/topics/${enc(topic)}/offsets`);
  return r.partitions ?? [];
}

export const latestMessages = (token: string, arn: string, topic: string, partition: number, limit: number) =>
  call<MessagePage>(token, 'GET', `${openmskPath(arn)}/topics/${enc(topic)}/partitions/${partition}/messages?limit=${limit}`);

export async function consumerGroups(token: string, arn: string): Promise<ConsumerGroup[]> {
  const r = await call<{ groups?: ConsumerGroup[] }>(token, 'GET', `${openmskPath(arn)}/consumer-groups`);
  return r.groups ?? [];
}

/** An error as the pages show it: the API's message and its type. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return `${e.message}${e.type ? ` (${e.type})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;

/** A stable default (a new function each render would restart the effect each render). */
const never = () => false;

export interface Poll<T> {
  data?: T;
  error?: string;
  updated?: Date;
  loading: boolean;
  /** Reads again now, or as soon as the read under way ends (what it reads may predate a change just made). */
  reload: () => void;
}

/**
 * Reads `load` now and every `every` ms (0: only now and on reload) until unmounted or `load` changes. A failed read
 * keeps the last data and shows the error, unless `onError` says it ended the session (then it stops). Reads never
 * overlap (a timer tick during a read is skipped); a read that `load` changed under is dropped.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  onError: (e: unknown) => boolean,
  what: string,
  every = REFRESH_MS,
  /** An error after which asking again is pointless (the topic is gone): the data goes, the timer stops. */
  final: (e: unknown) => boolean = never,
): Poll<T> {
  const [state, setState] = useState<{ data?: T; error?: string; updated?: Date; loading: boolean }>({ loading: true });
  const run = useRef<() => void>(() => {});

  useEffect(() => {
    let live = true;
    let busy = false;
    let again = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    const read = async (): Promise<void> => {
      if (!live || busy) return;
      busy = true;
      setState((s) => ({ ...s, loading: true }));
      try {
        const data = await load();
        if (live) setState({ data, updated: new Date(), loading: false });
      } catch (e) {
        if (!live) return;
        if (onError(e)) {
          live = false;
          clearInterval(timer);
          return;
        }
        const error = `${what} failed: ${errorText(e)}`;
        if (final(e)) {
          clearInterval(timer);
          setState({ error, loading: false });
        } else {
          setState((s) => ({ ...s, error, loading: false }));
        }
      } finally {
        busy = false;
      }
      if (again && live) { again = false; await read(); }
    };
    run.current = () => { if (busy) again = true; else void read(); };
    void read();
    if (every > 0) timer = setInterval(read, every);
    return () => { live = false; clearInterval(timer); };
  }, [load, onError, what, every, final]);

  return { ...state, reload: () => run.current() };
}
