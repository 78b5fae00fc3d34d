import { useCallback, useState } from 'react';
import { ApiError } from '../api';
import type { TabProps } from '../cluster/types';
import { ErrorLine, TabLink, Updated, hrefOf } from './common';
import { EditTopicDialog } from './EditTopicDialog';
import { REFRESH_MS, describeTopic, describeTopicPartitions, errorText, isNotFound, topicOffsets, usePoll } from './data';
import { decodeTopicConfigs, formatBytes, formatCount, isUnderReplicated, messageCount, toNumber, totalSize, type PartitionOffsets } from './format';

async function readTopic(token: string, arn: string, topic: string) {
  const [description, partitions, offsets] = await Promise.all([
    describeTopic(token, arn, topic),
    describeTopicPartitions(token, arn, topic),
    // The offsets are openmsk's own endpoint: without them the page still shows the MSK half.
    topicOffsets(token, arn, topic).then(
      (o) => ({ partitions: o, error: undefined }),
      (e: unknown) => {
        if (e instanceof ApiError && e.isAuth) throw e;
        return { partitions: [] as PartitionOffsets[], error: `Reading the offsets failed: ${errorText(e)}` };
      },
    ),
  ]);
  return { description, partitions, offsets };
}

/** One topic: DescribeTopic's settings and configs, and its partitions with replicas, ISR and offsets. */
export function TopicPage({ token, cluster, onError, navigate, topic }: TabProps & { topic: string }) {
  const arn = cluster.clusterArn;
  const load = useCallback(() => readTopic(token, arn, topic), [token, arn, topic]);
  const { data, error, updated } = usePoll(load, onError, `DescribeTopic of ${topic}`, REFRESH_MS, isNotFound);
  const configs = data ? decodeTopicConfigs(data.description.configs) : [];
  const byPartition = new Map((data?.offsets.partitions ?? []).map((o) => [o.partition, o]));
  const underReplicated = data?.partitions.filter(isUnderReplicated).length;
  const offsetsKnown = data !== undefined && data.offsets.error === undefined;
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();

  return (
    <section aria-labelledby="topic-title" className="tt topic-page">
      <p className="crumbs">
        <TabLink href={hrefOf(arn, 'topics', [])} to={[]} navigate={navigate}>Topics</TabLink> /
      </p>
      <div className="heading">
        <h2 id="topic-title">{topic}</h2>
        {data && !topic.startsWith('__') && (
          <button type="button" className="secondary" onClick={() => { setNotice(undefined); setEditing(true); }}>Edit topic</button>
        )}
      </div>
      {notice && <p className="notice" role="status">{notice}</p>}
      {data && editing && (
        <EditTopicDialog token={token} clusterArn={arn} topic={topic} partitionCount={data.description.partitionCount}
          configs={configs} open={editing} onClose={() => setEditing(false)} onError={onError}
          onUpdated={() => { setEditing(false); setNotice(`UpdateTopic accepted the changes to ${topic}.`); }} />
      )}
      <ErrorLine text={error} />
      <ErrorLine text={data?.offsets.error} />
      <Updated at={updated} />
      {data && (
        <>
          <dl className="facts">
            <div><dt>Partitions</dt><dd data-testid="topic-partitions">{data.description.partitionCount}</dd></div>
            <div><dt>Replication factor</dt><dd data-testid="topic-replication-factor">{data.description.replicationFactor}</dd></div>
            <div><dt>Under-replicated partitions</dt><dd data-testid="topic-under-replicated">{underReplicated}</dd></div>
            <div><dt>Messages</dt><dd data-testid="topic-messages">{offsetsKnown ? formatCount(messageCount(data.offsets.partitions)) : '—'}</dd></div>
            <div><dt>Size</dt><dd data-testid="topic-size">{offsetsKnown ? formatBytes(totalSize(data.offsets.partitions)) : '—'}</dd></div>
            {data.description.status && <div><dt>Status</dt><dd data-testid="topic-status">{data.description.status}</dd></div>}
          </dl>

          <h3 id="configs-title">Configs</h3>
          {configs.length === 0
            ? <p className="empty" data-testid="no-configs">No topic-level configs: the cluster's defaults apply.</p>
            : (
              <table className="configs ttable" aria-labelledby="configs-title">
                <thead><tr><th scope="col">Key</th><th scope="col">Value</th></tr></thead>
                <tbody>
                  {configs.map(([k, v]) => (
                    <tr key={k} data-config={k}><th scope="row"><code>{k}</code></th><td><code>{v}</code></td></tr>
                  ))}
                </tbody>
              </table>
            )}

          <h3 id="partitions-title">Partitions</h3>
          <div className="table-scroll">
            <table className="partitions ttable" aria-labelledby="partitions-title">
              <thead>
                <tr>
                  <th scope="col" className="num">Partition</th>
                  <th scope="col" className="num">Leader</th>
                  <th scope="col">Replicas</th>
                  <th scope="col">ISR</th>
                  <th scope="col">Under-replicated</th>
                  <th scope="col" className="num">Earliest offset</th>
                  <th scope="col" className="num">Latest offset</th>
                  <th scope="col" className="num">Messages</th>
                  <th scope="col" className="num">Size</th>
                </tr>
              </thead>
              <tbody>
                {data.partitions.map((p) => {
                  const o = byPartition.get(p.partition);
                  const under = isUnderReplicated(p);
                  const earliest = toNumber(o?.earliestOffset);
                  const latest = toNumber(o?.latestOffset);
                  return (
                    <tr key={p.partition} data-partition={p.partition} data-under-replicated={under ? 'true' : 'false'}>
                      <th scope="row" className="num">
                        <TabLink href={hrefOf(arn, 'topics', [topic, String(p.partition)])} to={[topic, String(p.partition)]}
                          navigate={navigate} label={`Messages of partition ${p.partition}`}>{p.partition}</TabLink>
                      </th>
                      <td className="num" data-col="leader">{p.leader >= 0 ? p.leader : 'none'}</td>
                      <td data-col="replicas">{p.replicas.join(', ')}</td>
                      <td data-col="isr">{p.isr.join(', ')}</td>
                      <td data-col="under-replicated">
                        {under ? <span className="flag flag-bad">Under-replicated</span> : <span className="flag">No</span>}
                      </td>
                      <td className="num" data-col="earliest-offset">{earliest ?? '—'}</td>
                      <td className="num" data-col="latest-offset">{latest ?? '—'}</td>
                      <td className="num" data-col="messages">
                        {earliest !== undefined && latest !== undefined ? formatCount(Math.max(0, latest - earliest)) : '—'}
                      </td>
                      <td className="num" data-col="size">{formatBytes(toNumber(o?.sizeBytes))}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="help">Each partition's number opens its latest messages. The latest offset is the next one to be written.</p>
        </>
      )}
    </section>
  );
}
