import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';
import { ClustersPage } from './ClustersPage';
import { CreateClusterPage } from './CreateClusterPage';
import { clearToken, loadToken, saveToken } from './session';
import { SignInPage } from './SignInPage';

const BASE = '/console/';
type Route = 'clusters' | 'create';

const routeOf = (path: string): Route => (path.startsWith(`${BASE}clusters/new`) ? 'create' : 'clusters');

/** The console: sign-in until a token works, then the clusters list and the create form (history-routed). */
export function App() {
  const [token, setToken] = useState<string | undefined>(() => loadToken());
  const [authError, setAuthError] = useState<string | undefined>();
  const [route, setRoute] = useState<Route>(() => routeOf(location.pathname));
  const [notice, setNotice] = useState<string | undefined>();

  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((to: Route) => {
    history.pushState(null, '', to === 'create' ? `${BASE}clusters/new` : BASE);
    setRoute(to);
  }, []);

  const signOut = useCallback((reason?: string) => {
    clearToken();
    setToken(undefined);
    setNotice(undefined);
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
          <a href={BASE} aria-current={route === 'clusters' ? 'page' : undefined}
            onClick={(e) => { e.preventDefault(); go('clusters'); }}>Clusters</a>
          <a href="/docs">API docs</a>
        </nav>
        <button type="button" className="secondary" onClick={() => signOut()}>Sign out</button>
      </header>
      <main>
        {route === 'create'
          ? (
            <CreateClusterPage
              token={token}
              onError={onError}
              onCancel={() => go('clusters')}
              onCreated={(name, state) => { setNotice(`CreateCluster accepted ${name}: ${state}.`); go('clusters'); }}
            />
          )
          : <ClustersPage token={token} onError={onError} notice={notice} onCreate={() => { setNotice(undefined); go('create'); }} />}
      </main>
    </div>
  );
}
