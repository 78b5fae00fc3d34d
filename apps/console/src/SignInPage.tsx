import { useState, type FormEvent } from 'react';
import { ApiError, call } from './api';

interface Props {
  error?: string;
  onSignedIn: (token: string) => void;
}

/** Asks for the API token and keeps it only if the API accepts it (one ListClusters call with it). */
export function SignInPage({ error, onSignedIn }: Props) {
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string | undefined>(error);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const t = token.trim();
    if (!t) { setMessage('Enter an API token.'); return; }
    setBusy(true);
    try {
      await call(t, 'GET', '/v1/clusters?maxResults=1');
      onSignedIn(t);
    } catch (err) {
      setMessage(err instanceof ApiError && err.isAuth
        ? `The API refused the token (${err.type}): ${err.message}`
        : `Sign-in failed: ${(err as Error).message}`);
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <h1>openmsk console</h1>
      <form onSubmit={submit} aria-describedby="signin-help">
        {message && <p className="error" role="alert" id="signin-error">{message}</p>}
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" autoFocus value={token}
          aria-invalid={message ? true : undefined} aria-describedby={message ? 'signin-error' : undefined}
          onChange={(e) => setToken(e.target.value)} />
        <p id="signin-help" className="help">
          The bearer token that <code>npm start</code> wrote to <code>.openmsk/token</code> (another:{' '}
          <code>npm run admin -- create-token &lt;account&gt;</code>). It is kept for this browser session only and sent
          with every call to the MSK API on this server.
        </p>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}
