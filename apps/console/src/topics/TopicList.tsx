import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api';
import type { TabProps } from '../cluster/types';
import { ErrorLine, TabLink, Updated, hrefOf } from './common';
import { CreateTopicForm } from './CreateTopicForm';
import {
  describeTopicPartitions, errorText, isNotFound, listTopics, settleLimited, topicOffsets, usePoll,
  type PartitionInfo, type TopicInfo,
} from './data';
import { DeleteTopicDialog } from './DeleteTopicDialog';
import { formatBytes, formatCount, isInternalTopic, isUnderReplicated, messageCount, totalSize } from './format';

/**
 * ListTopics never lists the brokers' internal topics; these are the ones Kafka makes, looked up one by one
 * (DescribeTopicPartitions) when the user asks to see internal topics. One that does not exist (404) is left out and
 * not asked for again until the toggle is turned on again, so the browser logs that 404 once, not every refresh.
 */
const INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state'];

interface Row extends TopicInfo {
  internal: boolean;
  underReplicated?: number;
  messages?: number;
  size?: number;
}

interface ListData {
  rows: Row[];
  /** The first error of a per-topic read (partitions or offsets), shown once above the table. */
  detailError?: string;
}

const authError = (e: unknown) => e instanceof ApiError && e.isAuth;

/** What ListTopics says of a topic, from its partitions (for the internal ones, which it does not list). */
function infoOf(name: string, parts: PartitionInfo[]): TopicInfo {
  return {
    topicArn: '',
    topicName: name,
    partitionCount: parts.length,
    replicationFactor: Math.max(0, ...parts.map((p) => p.replicas.length)),
    outOfSyncReplicaCount: parts.reduce((n, p) => n + Math.max(0, p.replicas.length - p.isr.length), 0),
  };
}

/** The internal topics found by the first read after the toggle was turned on (undefined: not looked up yet). */
type InternalFound = { current: string[] | undefined };

async function readTopics(token: string, arn: string, internal: InternalFound | undefined): Promise<ListData> {
  const listed = await listTopics(token, arn);
  const known = new Map<string, PartitionInfo[]>();
  const infos: TopicInfo[] = [...listed];
  let detailError: string | undefined;
  const note = (what: string, e: unknown) => {
    if (authError(e)) throw e;
    if (!isNotFound(e)) detailError ??= `${what} failed: ${errorText(e)}`;
  };
  if (internal) {
    const wanted = internal.current ?? INTERNAL_TOPICS;
    const probes = await settleLimited(wanted.map((n) => () => describeTopicPartitions(token, arn, n)));
    const found: string[] = [];
    probes.forEach((r, i) => {
      if (r.status === 'fulfilled') {
        found.push(wanted[i]);
        known.set(wanted[i], r.value);
        infos.push(infoOf(wanted[i], r.value));
      } else if (!isNotFound(r.reason)) {
        found.push(wanted[i]);
        note(`DescribeTopicPartitions of ${wanted[i]}`, r.reason);
      }
    });
    internal.current = found;
  }
  const names = infos.map((t) => t.topicName);
  const [parts, offsets] = await Promise.all([
    settleLimited(names.map((n) => () => (known.has(n) ? Promise.resolve(known.get(n)!) : describeTopicPartitions(token, arn, n)))),
    settleLimited(names.map((n) => () => topicOffsets(token, arn, n))),
  ]);
  const rows = infos.map((t, i): Row => {
    const row: Row = { ...t, internal: isInternalTopic(t.topicName) };
    const p = parts[i];
    if (p.status === 'fulfilled') row.underReplicated = p.value.filter(isUnderReplicated).length;
    else note(`DescribeTopicPartitions of ${t.topicName}`, p.reason);
    const o = offsets[i];
    if (o.status === 'fulfilled') {
      row.messages = messageCount(o.value);
      row.size = totalSize(o.value);
    } else note(`Reading the offsets of ${t.topicName}`, o.reason);
    return row;
  });
  rows.sort((a, b) => Number(a.internal) - Number(b.internal) || a.topicName.localeCompare(b.topicName));
  return { rows, detailError };
}

/** The topics of the cluster with their partitions, replication, sizes and messages; create and delete. */
export function TopicList({ token, cluster, onError, navigate }: TabProps) {
  const arn = cluster.clusterArn;
  const [showInternal, setShowInternal] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const titleRef = useRef<HTMLHeadingElement>(null);

  const internalFound = useRef<string[] | undefined>(undefined);
  const load = useCallback(() => readTopics(token, arn, showInternal ? internalFound : undefined), [token, arn, showInternal]);
  const { data, error, updated, reload } = usePoll(load, onError, 'ListTopics');
  const rows = data?.rows;

  return (
    <section aria-labelledby="topics-title" className="tt topics-page">
      <div className="heading">
        <h2 id="topics-title" ref={titleRef} tabIndex={-1}>Topics</h2>
        <div className="check">
          <input id="show-internal" type="checkbox" checked={showInternal} onChange={(e) => { internalFound.current = undefined; setShowInternal(e.target.checked); }} />
          <label htmlFor="show-internal">Show internal topics</label>
        </div>
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      <ErrorLine text={error} />
      <ErrorLine text={data?.detailError} />
      <Updated at={updated} />
      {rows && rows.length === 0 && <p className="empty">No topics yet.</p>}
      {rows && rows.length > 0 && (
        <div className="table-scroll">
          <table className="topics ttable">
            <caption className="sr-only">Topics of {cluster.clusterName}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">Partitions</th>
                <th scope="col" className="num">Replication factor</th>
                <th scope="col" className="num">Out-of-sync replicas</th>
                <th scope="col" className="num">Under-replicated partitions</th>
                <th scope="col" className="num">Messages</th>
                <th scope="col" className="num">Size</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.topicName} data-topic={t.topicName} className={t.internal ? 'internal' : undefined}>
                  <th scope="row">
                    <TabLink href={hrefOf(arn, 'topics', [t.topicName])} to={[t.topicName]} navigate={navigate}>{t.topicName}</TabLink>
                    {t.internal && <span className="badge">internal</span>}
                  </th>
                  <td className="num" data-col="partitions">{t.partitionCount}</td>
                  <td className="num" data-col="replication-factor">{t.replicationFactor}</td>
                  <td className={`num${t.outOfSyncReplicaCount > 0 ? ' bad' : ''}`} data-col="out-of-sync">{t.outOfSyncReplicaCount}</td>
                  <td className={`num${(t.underReplicated ?? 0) > 0 ? ' bad' : ''}`} data-col="under-replicated">{formatCount(t.underReplicated)}</td>
                  <td className="num" data-col="messages" data-value={t.messages}>{formatCount(t.messages)}</td>
                  <td className="num" data-col="size" data-value={t.size}>{formatBytes(t.size)}</td>
                  <td className="actions-cell">
                    {!t.internal && (
                      <button type="button" className="secondary danger small" aria-label={`Delete topic ${t.topicName}`}
                        onClick={() => { setNotice(undefined); setDeleting(t.topicName); }}>Delete</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <CreateTopicForm token={token} cluster={cluster} onError={onError}
        onCreated={(name) => { setNotice(`Created topic ${name}.`); reload(); }} />

      {deleting && (
        <DeleteTopicDialog token={token} clusterArn={arn} topic={deleting} onError={onError}
          onCancel={() => setDeleting(undefined)}
          onDeleted={(name, status) => {
            setDeleting(undefined);
            setNotice(`Deleted topic ${name} (${status}).`);
            titleRef.current?.focus();
            reload();
          }} />
      )}
    </section>
  );
}
