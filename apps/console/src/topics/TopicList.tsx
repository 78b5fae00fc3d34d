import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../api';
import type { TabProps } from '../cluster/types';
import { ErrorLine, TabLink, Updated, hrefOf } from './common';
import { CreateTopicForm } from './CreateTopicForm';
import { errorText, listTopics, topicStats, usePoll, type TopicInfo } from './data';
import { DeleteTopicDialog } from './DeleteTopicDialog';
import { formatBytes, formatCount, isInternalTopic } from './format';

interface Row extends TopicInfo {
  internal: boolean;
  underReplicated?: number;
  messages?: number;
  size?: number;
}

interface ListData {
  rows: Row[];
  /** Why the figures (under-replicated, messages, size) are missing, shown once above the table. */
  detailError?: string;
}

const authError = (e: unknown) => e instanceof ApiError && e.isAuth;

/**
 * ListTopics (MSK's Topics API: the topics, never the brokers' internal ones) and openmsk's topic-stats (every topic's
 * figures, internal ones included) in two requests, whatever the number of topics. Internal topics come from the
 * latter when asked for.
 */
async function readTopics(token: string, arn: string, showInternal: boolean): Promise<ListData> {
  const [listed, stats] = await Promise.all([
    listTopics(token, arn),
    topicStats(token, arn).then((v) => ({ v }), (e: unknown) => {
      if (authError(e)) throw e;
      return { e };
    }),
  ]);
  const byName = new Map(('v' in stats ? stats.v : []).map((t) => [t.topicName, t]));
  const figures = (name: string) => {
    const t = byName.get(name);
    return t
      ? { underReplicated: t.underReplicatedPartitions, messages: t.messageCount ?? undefined, size: t.sizeBytes ?? undefined }
      : {};
  };
  const rows: Row[] = listed.map((t) => ({ ...t, internal: isInternalTopic(t.topicName), ...figures(t.topicName) }));
  if (showInternal) {
    for (const t of byName.values()) if (t.internal) rows.push({ ...t, ...figures(t.topicName) });
  }
  rows.sort((a, b) => Number(a.internal) - Number(b.internal) || a.topicName.localeCompare(b.topicName));
  return { rows, detailError: 'e' in stats ? `Reading the topics' figures failed: ${errorText(stats.e)}` : undefined };
}

/** The topics of the cluster with their partitions, replication, sizes and messages; create and delete. */
export function TopicList({ token, cluster, onError, navigate }: TabProps) {
  const arn = cluster.clusterArn;
  const [showInternal, setShowInternal] = useState(false);
  const [deleting, setDeleting] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const titleRef = useRef<HTMLHeadingElement>(null);

  const load = useCallback(() => readTopics(token, arn, showInternal), [token, arn, showInternal]);
  const { data, error, updated, reload } = usePoll(load, onError, 'ListTopics');
  const rows = data?.rows;

  return (
    <section aria-labelledby="topics-title" className="tt topics-page">
      <div className="heading">
        <h2 id="topics-title" ref={titleRef} tabIndex={-1}>Topics</h2>
        <div className="check">
          <input id="show-internal" type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.target.checked)} />
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
