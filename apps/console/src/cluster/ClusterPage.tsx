import { useCallback, useEffect, useState, type ComponentType } from 'react';
import { call } from '../api';
import { MetricsTab } from '../charts/MetricsTab';
import { GroupsTab } from '../topics/GroupsTab';
import { TopicsTab } from '../topics/TopicsTab';
import { ConfigurationTab } from './ConfigurationTab';
import { OperationsTab } from './OperationsTab';
import { OverviewTab } from './OverviewTab';
import type { ClusterDetail, TabProps } from './types';

/** How often the page re-reads DescribeCluster (state, version, sizes). */
export const CLUSTER_REFRESH_MS = 3000;

export const TABS: ReadonlyArray<{ id: string; label: string; component: ComponentType<TabProps> }> = [
  { id: 'overview', label: 'Overview', component: OverviewTab },
  { id: 'operations', label: 'Operations', component: OperationsTab },
  { id: 'topics', label: 'Topics', component: TopicsTab },
  { id: 'groups', label: 'Consumer groups', component: GroupsTab },
  { id: 'metrics', label: 'Metrics', component: MetricsTab },
  { id: 'configuration', label: 'Configuration', component: ConfigurationTab },
];

interface Props {
  token: string;
  clusterArn: string;
  /** The tab and the path below it. */
  path: string[];
  onError: (e: unknown) => boolean;
  /** Moves to `/console/clusters/<arn>/<path...>`. */
  go: (path: string[]) => void;
  onBack: () => void;
}

/** One cluster: its state in the header, then tabs, each reading the public API on its own. */
export function ClusterPage({ token, clusterArn, path, onError, go, onBack }: Props) {
  const [cluster, setCluster] = useState<ClusterDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const tabId = TABS.some((t) => t.id === path[0]) ? path[0] : 'overview';
  const rest = path.slice(1);

  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const r = await call<{ clusterInfo: ClusterDetail }>(token, 'GET', `/v1/clusters/${encodeURIComponent(clusterArn)}`);
        if (!live) return;
        setCluster(r.clusterInfo);
        setError(undefined);
      } catch (e) {
        if (live && !onError(e)) setError(`DescribeCluster failed: ${(e as Error).message}`);
      }
    };
    void load();
    const timer = setInterval(load, CLUSTER_REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [token, clusterArn, onError]);

  const navigate = useCallback((r: string[]) => go([tabId, ...r]), [go, tabId]);
  const onOperation = useCallback((arn: string) => go(['operations', arn]), [go]);

  const Tab = TABS.find((t) => t.id === tabId)!.component;
  return (
    <section aria-labelledby="cluster-title">
      <p className="crumbs"><a href="/console/" onClick={(e) => { e.preventDefault(); onBack(); }}>Clusters</a> /</p>
      {error && <p className="error" role="alert">{error}</p>}
      {!cluster && !error && <p className="help">Loading…</p>}
      {cluster && (
        <>
          <div className="heading">
            <h1 id="cluster-title">{cluster.clusterName}</h1>
            <span className={`state state-${cluster.state.toLowerCase()}`} data-testid="cluster-state">{cluster.state}</span>
          </div>
          <p className="help arn">{cluster.clusterArn}</p>
          {cluster.stateInfo?.message && <p className="error">{cluster.stateInfo.code}: {cluster.stateInfo.message}</p>}
          <nav className="tabs" aria-label="Cluster sections">
            {TABS.map((t) => (
              <a key={t.id} href={`/console/clusters/${encodeURIComponent(clusterArn)}/${t.id}`}
                aria-current={t.id === tabId ? 'page' : undefined}
                onClick={(e) => { e.preventDefault(); go([t.id]); }}>{t.label}</a>
            ))}
          </nav>
          <Tab token={token} cluster={cluster} onError={onError} rest={rest} navigate={navigate} onOperation={onOperation} />
        </>
      )}
    </section>
  );
}
