import { useCallback, useState } from 'react';
import type { TabProps } from '../cluster/types';
import { ErrorLine, TabLink, Updated, hrefOf } from './common';
import { latestMessages, usePoll, type MessageHeader } from './data';
import { showBytes, toNumber, type BytesView } from './format';

export const LIMITS = [10, 20, 50, 100] as const;
const DEFAULT_LIMIT = 20;
/** Characters of a key or value shown in a cell; the rest is cut (a record may be a megabyte). */
const SHOWN_CHARS = 4000;

/** A key, value or header value as shown: `null` and empty are marked, long ones cut. */
function Bytes({ b64, view }: { b64: string | null | undefined; view: BytesView }) {
  const shown = showBytes(b64, view);
  if (shown === null) return <span className="null">null</span>;
  if (shown === '') return <span className="null">(empty)</span>;
  if (shown.length <= SHOWN_CHARS) return <code className="bytes">{shown}</code>;
  return (
    <>
      <code className="bytes">{shown.slice(0, SHOWN_CHARS)}</code>
      <span className="null"> … cut at {SHOWN_CHARS} of {shown.length} characters</span>
    </>
  );
}

function Headers({ headers, view }: { headers?: MessageHeader[]; view: BytesView }) {
  if (!headers || headers.length === 0) return <span className="null">—</span>;
  return (
    <ul className="headers">
      {headers.map((h, i) => (
        <li key={i}><code className="hkey">{h.key}</code>: <Bytes b64={h.value} view={view} /></li>
      ))}
    </ul>
  );
}

/** The latest N messages of one partition, from openmsk's messages endpoint; read on open, on Refresh and on a new N. */
export function MessageBrowser({ token, cluster, onError, navigate, topic, partitionText }: TabProps & { topic: string; partitionText: string }) {
  const arn = cluster.clusterArn;
  const partition = /^(0|[1-9]\d{0,8})$/.test(partitionText) ? Number(partitionText) : undefined;
  const [limit, setLimit] = useState(DEFAULT_LIMIT);
  const [view, setView] = useState<BytesView>('text');

  const load = useCallback(
    () => (partition === undefined ? Promise.reject(new Error(`"${partitionText}" is not a partition number.`)) : latestMessages(token, arn, topic, partition, limit)),
    [token, arn, topic, partition, partitionText, limit],
  );
  const { data, error, updated, loading, reload } = usePoll(load, onError, 'Reading messages', 0);
  const messages = data ? [...data.messages].sort((a, b) => (toNumber(a.offset) ?? 0) - (toNumber(b.offset) ?? 0)) : undefined;

  return (
    <section aria-labelledby="messages-title" className="tt messages-page">
      <p className="crumbs">
        <TabLink href={hrefOf(arn, 'topics', [])} to={[]} navigate={navigate}>Topics</TabLink> /{' '}
        <TabLink href={hrefOf(arn, 'topics', [topic])} to={[topic]} navigate={navigate}>{topic}</TabLink> /
      </p>
      <h2 id="messages-title">Partition {partitionText} of {topic}</h2>

      <div className="message-controls">
        <div>
          <label htmlFor="message-limit">Latest messages</label>
          <select id="message-limit" value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {LIMITS.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </div>
        <fieldset className="view-toggle">
          <legend>Key and value as</legend>
          <div className="check">
            <input type="radio" id="view-text" name="message-view" value="text" checked={view === 'text'} onChange={() => setView('text')} />
            <label htmlFor="view-text">Text</label>
          </div>
          <div className="check">
            <input type="radio" id="view-hex" name="message-view" value="hex" checked={view === 'hex'} onChange={() => setView('hex')} />
            <label htmlFor="view-hex">Hex</label>
          </div>
        </fieldset>
        <button type="button" onClick={reload} aria-busy={loading || undefined}>Refresh</button>
      </div>

      <ErrorLine text={error} />
      <Updated at={updated} every={0} />
      {data && (
        <p className="help" data-testid="partition-offsets">
          Offsets <span data-testid="earliest-offset">{String(data.earliestOffset)}</span> to{' '}
          <span data-testid="latest-offset">{String(data.latestOffset)}</span> (the latest is the next one to be written).
          {view === 'text' ? ' Text: UTF-8, with non-printable characters and invalid bytes escaped (\\n, \\xNN, \\u{NNNN}).' : ' Hex: one byte per pair.'}
        </p>
      )}
      {messages && messages.length === 0 && <p className="empty" data-testid="no-messages">No messages</p>}
      {messages && messages.length > 0 && (
        <div className="table-scroll">
          <table className={`messages ttable view-${view}`}>
            <caption className="sr-only">The latest {messages.length} messages of partition {partitionText} of {topic}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col" className="num">Offset</th>
                <th scope="col">Timestamp</th>
                <th scope="col">Key</th>
                <th scope="col">Value</th>
                <th scope="col">Headers</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={String(m.offset)} data-offset={String(m.offset)}>
                  <th scope="row" className="num">{String(m.offset)}</th>
                  <td data-col="timestamp" className="nowrap"><time dateTime={m.timestamp}>{m.timestamp}</time></td>
                  <td data-col="key"><Bytes b64={m.key} view={view} /></td>
                  <td data-col="value"><Bytes b64={m.value} view={view} /></td>
                  <td data-col="headers"><Headers headers={m.headers} view={view} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
