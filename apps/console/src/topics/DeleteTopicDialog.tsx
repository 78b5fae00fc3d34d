import { useEffect, useRef, useState, type FormEvent } from 'react';
import { deleteTopic, errorText } from './data';

interface Props {
  token: string;
  clusterArn: string;
  topic: string;
  onError: (e: unknown) => boolean;
  onCancel: () => void;
  onDeleted: (name: string, status: string) => void;
}

/**
 * DeleteTopic behind a modal confirmation: the button is enabled only once the topic's name is typed exactly.
 * A native <dialog> (showModal): focus stays inside it and Escape cancels.
 */
export function DeleteTopicDialog({ token, clusterArn, topic, onError, onCancel, onDeleted }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => { if (d?.open) d.close(); };
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (typed !== topic) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await deleteTopic(token, clusterArn, topic);
      onDeleted(r.topicName ?? topic, r.status ?? 'DELETING');
    } catch (err) {
      setBusy(false);
      if (onError(err)) return;
      setError(`DeleteTopic failed: ${errorText(err)}`);
    }
  }

  return (
    <dialog ref={ref} className="confirm" aria-labelledby="delete-topic-title" aria-describedby="delete-topic-what"
      onCancel={(e) => { e.preventDefault(); if (!busy) onCancel(); }}>
      <form onSubmit={submit} noValidate>
        <h2 id="delete-topic-title">Delete topic {topic}</h2>
        <p id="delete-topic-what">This deletes the topic and every message in it. It cannot be undone.</p>
        <label htmlFor="delete-topic-confirm">Type <code>{topic}</code> to confirm</label>
        <input id="delete-topic-confirm" value={typed} autoComplete="off" spellCheck={false} autoFocus
          onChange={(e) => setTyped(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        <div className="actions">
          <button type="submit" className="danger" disabled={busy || typed !== topic}>{busy ? 'Deleting…' : 'Delete topic'}</button>
          <button type="button" className="secondary" onClick={onCancel} disabled={busy}>Cancel</button>
        </div>
      </form>
    </dialog>
  );
}
