import { useEffect, useState } from 'react';
import { listClusters, type ClusterInfo } from './api';
import { PRICE_NOTE, formatHourly, hourlyCost } from './prices';

/** How often the table re-reads ListClusters. */
export const REFRESH_MS = 5000;

interface Props {
  token: string;
  onError: (e: unknown) => boolean;
  onCreate: () => void;
  onOpen: (clusterArn: string) => void;
}

const created = (iso?: string) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—');

/** ListClusters as a table, refreshed every few seconds. */
export function ClustersPage({ token, onError, onCreate, onOpen }: Props) {
  const [clusters, setClusters] = useState<ClusterInfo[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [updated, setUpdated] = useState<Date | undefined>();

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const list = await listClusters(token);
        if (!live) return;
        list.sort((a, b) => (b.creationTime ?? '').localeCompare(a.creationTime ?? ''));
        setClusters(list);
        setError(undefined);
        setUpdated(new Date());
      } catch (e) {
        if (live && !onError(e)) setError(`ListClusters failed: ${(e as Error).message}`);
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [token, onError]);

  return (
    <section aria-labelledby="clusters-title">
      <div className="heading">
        <h1 id="clusters-title">Clusters</h1>
        <button type="button" onClick={onCreate}>Create cluster</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="help" aria-live="polite">
        {updated ? `Updated ${updated.toLocaleTimeString()}; refreshes every ${REFRESH_MS / 1000} s.` : 'Loading…'}
      </p>
      {clusters && clusters.length === 0 && <p>No clusters yet in this account.</p>}
      {clusters && clusters.length > 0 && (
        <table className="clusters">
          <caption className="sr-only">Clusters of this account</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Kafka version</th>
              <th scope="col" className="num">Brokers</th>
              <th scope="col">Instance type</th>
              <th scope="col" className="num">Storage per broker</th>
              <th scope="col">Created</th>
              <th scope="col" className="num">Est. cost<a href="#price-note" aria-label="about the estimate">*</a></th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => {
              const g = c.brokerNodeGroupInfo;
              const size = g?.storageInfo?.ebsStorageInfo?.volumeSize;
              return (
                <tr key={c.clusterArn} data-arn={c.clusterArn}>
                  <th scope="row" title={c.clusterArn}>
                    <a href={`/console/clusters/${encodeURIComponent(c.clusterArn)}`}
                      onClick={(e) => { e.preventDefault(); onOpen(c.clusterArn); }}>{c.clusterName}</a>
                  </th>
                  <td><span className={`state state-${c.state.toLowerCase()}`}>{c.state}</span></td>
                  <td>{c.currentBrokerSoftwareInfo?.kafkaVersion ?? '—'}</td>
                  <td className="num">{c.numberOfBrokerNodes ?? '—'}</td>
                  <td>{g?.instanceType ?? '—'}</td>
                  <td className="num">{size === undefined ? '—' : `${size} GiB`}</td>
                  <td>{created(c.creationTime)}</td>
                  <td className="num">{formatHourly(hourlyCost(g?.instanceType, c.numberOfBrokerNodes, size))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p id="price-note" className="footnote">* {PRICE_NOTE}</p>
    </section>
  );
}
