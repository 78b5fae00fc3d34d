import { useRef, useState } from 'react';
import { Dialog } from '../cluster/Dialog';
import { deleteTopic } from './data';

interface Props {
  token: string;
  clusterArn: string;
  topic: string;
  onError: (e: unknown) => boolean;
  onCancel: () => void;
  onDeleted: (name: string, status: string) => void;
}

/**
 * DeleteTopic behind the console's modal dialog: the button is enabled only once the topic's name is typed exactly;
 * the API's refusal shows inside the dialog.
 */
export function DeleteTopicDialog({ token, clusterArn, topic, onError, onCancel, onDeleted }: Props) {
  const [typed, setTyped] = useState('');
  const answer = useRef({ name: topic, status: 'DELETING' });

  return (
    <Dialog id="delete-topic-dialog" title={`Delete topic ${topic}`} open submitLabel="Delete topic" danger blocked={typed !== topic}
      onError={onError} onClose={onCancel}
      onDone={() => onDeleted(answer.current.name, answer.current.status)}
      submit={async () => {
        const r = await deleteTopic(token, clusterArn, topic);
        answer.current = { name: r.topicName ?? topic, status: r.status ?? 'DELETING' };
        return undefined;
      }}>
      <p>This deletes the topic and every message in it. It cannot be undone.</p>
      <label htmlFor="delete-topic-confirm">Type <code>{topic}</code> to confirm</label>
      <input id="delete-topic-confirm" value={typed} autoComplete="off" spellCheck={false} autoFocus
        onChange={(e) => setTyped(e.target.value)} />
    </Dialog>
  );
}
