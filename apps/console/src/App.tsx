import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';
import { ClusterPage } from './cluster/ClusterPage';
import { ClustersPage } from './ClustersPage';
import { CreateClusterPage } from './CreateClusterPage';
import { clearToken, loadToken, saveToken } from './session';
import { SignInPage } from './SignInPage';

const BASE = '/console/';
/** `clusters` (the list), `create` (the form) or one cluster: `/console/clusters/<ARN, URI-encoded>/<tab>/<rest...>`. */
type Route = { page: 'clusters' } | { page: 'create' } | { page: 'cluster'; arn: string; path: string[] };

function routeOf(path: string): Route {
  if (path.startsWith(`${BASE}clusters/new`)) return { page: 'create' };
  const m = /^\/console\/clusters\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (m) {
    try {
      return { page: 'cluster', arn: decodeURIComponent(m[1]), path: (m[2] ?? '').split('/').filter(Boolean).map(decodeURIComponent) };
    } catch { /* a malformed escape: the list */ }
  }
  return { page: 'clusters' };
}

function pathOf(r: Route): string {
  if (r.page === 'create') return `${BASE}clusters/new`;
  if (r.page === 'cluster') return `${BASE}clusters/${[r.arn, ...r.path].map(encodeURIComponent).join('/')}`;
  return BASE;
}

/** The console: sign-in until a token works, then the clusters list and the create form (history-routed). */
export function App() {
  const [token, setToken] = useState<string | undefined>(() => loadToken());
  const [authError, setAuthError] = useState<string | undefined>();
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname));

  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((to: Route) => {
    const next = pathOf(to);
    if (next !== location.pathname) history.pushState(null, '', next);
    setRoute(to);
  }, []);
  const list = useCallback(() => go({ page: 'clusters' }), [go]);

  const signOut = useCallback((reason?: string) => {
    clearToken();
    setToken(undefined);
    setAuthError(reason);
  }, []);

  /** Any 401/403 ends the session: no data stays on screen under a token the API refused. */
  const onError = useCallback((e: unknown): boolean => {
    if (e instanceof ApiError && e.isAuth) {
      signOut(`The API refused the token (${e.type}): ${e.message}`);
      return true;
    }
    return false;
  }, [signOut]);

  if (!token) {
    return (
      <SignInPage
        error={authError}
        onSignedIn={(t) => { saveToken(t); setAuthError(undefined); setToken(t); }}
      />
    );
  }
  return (
    <div className="shell">
      <header className="top">
        <a className="brand" href="/">openmsk</a>
        <nav aria-label="Console">
          <a href={BASE} aria-current={route.page === 'clusters' ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); list(); }}>Clusters</a>
          <a href="/docs">API docs</a>
        </nav>
        <button type="button" className="secondary" onClick={() => signOut()}>Sign out</button>
      </header>
      <main>
        {route.page === 'create' && (
          <CreateClusterPage
            token={token}
            onError={onError}
            onCancel={list}
            onCreated={(arn) => go({ page: 'cluster', arn, path: ['operations'] })}
          />
        )}
        {route.page === 'cluster' && (
          <ClusterPage
            key={route.arn}
            token={token}
            clusterArn={route.arn}
            path={route.path}
            onError={onError}
            go={(path) => go({ page: 'cluster', arn: route.arn, path })}
            onBack={list}
          />
        )}
        {route.page === 'clusters' && (
          <ClustersPage
            token={token}
            onError={onError}
            onCreate={() => go({ page: 'create' })}
            onOpen={(arn) => go({ page: 'cluster', arn, path: [] })}
          />
        )}
      </main>
    </div>
  );
}
