import { useCallback } from 'react';
import type { TabProps } from '../cluster/types';
import { ErrorLine, TabLink, Updated, hrefOf } from './common';
import { consumerGroups, usePoll, type ConsumerGroup } from './data';
import { formatAssignments, formatCount, toNumber } from './format';

const stateClass = (s: string) => `state group-state-${s.toLowerCase().replace(/[^a-z]+/g, '-')}`;

/**
 * The Consumer groups tab: every group with its state, members and total lag (rest = []), or one group's members and
 * lag per partition (rest = [groupId]). Both read openmsk's consumer-groups endpoint every few seconds.
 */
export function GroupsTab(props: TabProps) {
  // No brokers to ask while the cluster is being made or removed (or failed to be made).
  if (NO_BROKERS.includes(props.cluster.state)) {
    return (
      <p className="notice groups-inactive" role="status">
        Consumer groups can be read once the cluster has brokers; it is {props.cluster.state} now.
      </p>
    );
  }
  return <Groups {...props} />;
}

const NO_BROKERS = ['CREATING', 'DELETING', 'FAILED'];

function Groups({ token, cluster, onError, rest, navigate }: TabProps) {
  const arn = cluster.clusterArn;
  const load = useCallback(() => consumerGroups(token, arn), [token, arn]);
  const { data, error, updated } = usePoll(load, onError, 'Reading the consumer groups');
  const groupId = rest[0];

  if (groupId !== undefined) {
    const group = data?.find((g) => g.groupId === groupId);
    return (
      <section aria-labelledby="group-title" className="tt group-page">
        <p className="crumbs">
          <TabLink href={hrefOf(arn, 'groups', [])} to={[]} navigate={navigate}>Consumer groups</TabLink> /
        </p>
        <h2 id="group-title">{groupId}</h2>
        <ErrorLine text={error} />
        <Updated at={updated} />
        {data && !group && <p className="error" role="alert">The cluster has no consumer group {groupId} (now).</p>}
        {group && <GroupDetail group={group} />}
      </section>
    );
  }

  const groups = data ? [...data].sort((a, b) => a.groupId.localeCompare(b.groupId)) : undefined;
  return (
    <section aria-labelledby="groups-title" className="tt groups-page">
      <h2 id="groups-title">Consumer groups</h2>
      <ErrorLine text={error} />
      <Updated at={updated} />
      {groups && groups.length === 0 && <p className="empty">No consumer groups</p>}
      {groups && groups.length > 0 && (
        <table className="groups ttable">
          <caption className="sr-only">Consumer groups of {cluster.clusterName}</caption>
          <thead>
            <tr>
              <th scope="col">Group id</th>
              <th scope="col">State</th>
              <th scope="col">Protocol type</th>
              <th scope="col" className="num">Members</th>
              <th scope="col" className="num">Total lag</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.groupId} data-group={g.groupId}>
                <th scope="row">
                  <TabLink href={hrefOf(arn, 'groups', [g.groupId])} to={[g.groupId]} navigate={navigate}>{g.groupId}</TabLink>
                </th>
                <td data-col="state"><span className={stateClass(g.state)}>{g.state}</span></td>
                <td data-col="protocol-type">{g.protocolType || '—'}</td>
                <td className="num" data-col="members">{g.members.length}</td>
                <td className="num" data-col="total-lag" data-value={toNumber(g.totalLag)}>{formatCount(g.totalLag)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function GroupDetail({ group }: { group: ConsumerGroup }) {
  const lag = [...group.partitions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return (
    <>
      <dl className="facts">
        <div><dt>State</dt><dd data-testid="group-state"><span className={stateClass(group.state)}>{group.state}</span></dd></div>
        <div><dt>Protocol type</dt><dd>{group.protocolType || '—'}</dd></div>
        <div><dt>Members</dt><dd data-testid="group-members">{group.members.length}</dd></div>
        <div><dt>Total lag</dt><dd data-testid="total-lag" data-value={toNumber(group.totalLag)}>{formatCount(group.totalLag)}</dd></div>
      </dl>

      <h3 id="members-title">Members</h3>
      {group.members.length === 0
        ? <p className="empty">No active members.</p>
        : (
          <table className="members ttable" aria-labelledby="members-title">
            <thead>
              <tr>
                <th scope="col">Member id</th>
                <th scope="col">Client id</th>
                <th scope="col">Host</th>
                <th scope="col">Assignments</th>
              </tr>
            </thead>
            <tbody>
              {group.members.map((m) => (
                <tr key={m.memberId} data-member={m.memberId}>
                  <th scope="row" className="wrap"><code>{m.memberId}</code></th>
                  <td data-col="client-id">{m.clientId}</td>
                  <td data-col="host">{m.clientHost}</td>
                  <td data-col="assignments">{formatAssignments(m.assignments)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

      <h3 id="lag-title">Lag per partition</h3>
      {lag.length === 0
        ? <p className="empty">No committed offsets.</p>
        : (
          <table className="lag ttable" aria-labelledby="lag-title">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" className="num">Partition</th>
                <th scope="col" className="num">Committed offset</th>
                <th scope="col" className="num">End offset</th>
                <th scope="col" className="num">Lag</th>
              </tr>
            </thead>
            <tbody>
              {lag.map((p) => {
                const n = toNumber(p.lag);
                return (
                  <tr key={`${p.topic}/${p.partition}`} data-topic={p.topic} data-partition={p.partition}>
                    <th scope="row">{p.topic}</th>
                    <td className="num" data-col="partition">{p.partition}</td>
                    <td className="num" data-col="committed">{toNumber(p.committedOffset) ?? '—'}</td>
                    <td className="num" data-col="end">{toNumber(p.endOffset) ?? '—'}</td>
                    <td className={`num${n !== undefined && n > 0 ? ' lagging' : ''}`} data-col="lag" data-value={n}>{formatCount(n)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
    </>
  );
}
