import { useEffect, useState } from 'react';
import { call } from '../api';
import { diffProperties } from './properties-diff';
import type { TabProps } from './types';

interface Revision { revision: number; creationTime?: string; description?: string }

const decode = (b64?: string) => (b64 ? new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))) : '');

/** The cluster's configuration and revision, its server.properties, and a key-by-key diff between two revisions. */
export function ConfigurationTab({ token, cluster, onError }: TabProps) {
  const configArn = cluster.currentBrokerSoftwareInfo?.configurationArn;
  const current = cluster.currentBrokerSoftwareInfo?.configurationRevision;
  const [name, setName] = useState<string | undefined>();
  const [revisions, setRevisions] = useState<Revision[]>([]);
  const [texts, setTexts] = useState<Record<number, string>>({});
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (!configArn) return;
    let live = true;
    const a = encodeURIComponent(configArn);
    (async () => {
      const d = await call<{ name: string }>(token, 'GET', `/v1/configurations/${a}`);
      const r = await call<{ revisions?: Revision[] }>(token, 'GET', `/v1/configurations/${a}/revisions?maxResults=100`);
      if (!live) return;
      const list = (r.revisions ?? []).sort((x, y) => x.revision - y.revision);
      setName(d.name);
      setRevisions(list);
      // A newer revision than the cluster's: what applying it would change; otherwise what the current one changed.
      const latest = list.at(-1)?.revision;
      const cur = current ?? latest;
      if (latest !== undefined && cur !== undefined && latest > cur) { setFrom(cur); setTo(latest); } else {
        setFrom(list.filter((x) => x.revision < (cur ?? Infinity)).at(-1)?.revision ?? cur);
        setTo(cur);
      }
    })().catch((e) => { if (live && !onError(e)) setError(`The configuration could not be read: ${(e as Error).message}`); });
    return () => { live = false; };
  }, [token, configArn, current, onError]);

  useEffect(() => {
    if (!configArn) return;
    let live = true;
    for (const rev of [from, to]) {
      if (rev === undefined || texts[rev] !== undefined) continue;
      call<{ serverProperties?: string }>(token, 'GET', `/v1/configurations/${encodeURIComponent(configArn)}/revisions/${rev}`).then(
        (r) => { if (live) setTexts((t) => ({ ...t, [rev]: decode(r.serverProperties) })); },
        (e) => { if (live && !onError(e)) setError(`Revision ${rev} could not be read: ${(e as Error).message}`); },
      );
    }
    return () => { live = false; };
  }, [token, configArn, from, to, texts, onError]);

  if (!configArn) {
    return (
      <div>
        <h2>Configuration</h2>
        <p>This cluster runs MSK's default configuration (no custom configuration). <strong>Edit configuration</strong> on
          the overview applies one.</p>
      </div>
    );
  }
  const changes = from !== undefined && to !== undefined && texts[from] !== undefined && texts[to] !== undefined
    ? diffProperties(texts[from], texts[to]) : undefined;
  const revisionSelect = (id: string, label: string, value: number | undefined, set: (n: number) => void) => (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => set(Number(e.target.value))}>
        {revisions.map((r) => <option key={r.revision} value={r.revision}>{r.revision}{r.revision === current ? ' (current)' : ''}</option>)}
      </select>
    </div>
  );

  return (
    <div>
      <h2>Configuration</h2>
      {error && <p className="error" role="alert">{error}</p>}
      <p data-testid="configuration">Configuration <strong>{name ?? configArn}</strong>, revision <strong>{current}</strong></p>
      <p className="help arn">{configArn}</p>
      {current !== undefined && texts[current] !== undefined && (
        <details>
          <summary>server.properties of revision {current}</summary>
          <pre className="properties">{texts[current]}</pre>
        </details>
      )}
      <h3>Compare revisions</h3>
      <div className="compare">
        {revisionSelect('diff-from', 'From revision', from, setFrom)}
        {revisionSelect('diff-to', 'To revision', to, setTo)}
      </div>
      {changes && (
        <table className="diff">
          <caption className="sr-only">Changes from revision {from} to {to}</caption>
          <thead><tr><th scope="col">Property</th><th scope="col">Revision {from}</th><th scope="col">Revision {to}</th></tr></thead>
          <tbody>
            {changes.filter((c) => c.kind !== 'same').map((c) => (
              <tr key={c.key} data-key={c.key} data-kind={c.kind} className={`diff-${c.kind}`}>
                <th scope="row">{c.key}</th>
                <td>{c.kind === 'added' ? <em>not set</em> : <code>{c.from}</code>}</td>
                <td>{c.kind === 'removed' ? <em>not set</em> : <code>{c.to}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {changes && changes.every((c) => c.kind === 'same') && <p>The two revisions set the same properties.</p>}
    </div>
  );
}
