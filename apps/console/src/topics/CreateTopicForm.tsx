import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api';
import type { ClusterDetail } from '../cluster/types';
import { createTopic, errorText } from './data';
import { encodeTopicConfigs } from './format';

type Field = 'name' | 'partitions' | 'replication' | 'configs';

/** CreateTopic's `invalidParameter` (wire member names) → the field showing the error. */
export const TOPIC_FIELD_OF_PARAMETER: Readonly<Record<string, Field>> = {
  topicName: 'name',
  partitionCount: 'partitions',
  replicationFactor: 'replication',
  configs: 'configs',
};

const ID: Readonly<Record<Field, string>> = {
  name: 'topic-name', partitions: 'topic-partitions', replication: 'topic-replication', configs: 'topic-configs',
};

/** A number as typed becomes a number; anything else is sent as typed, so the API judges it (and says why). */
const numberOrRaw = (s: string): number | string | undefined => (s.trim() === '' ? undefined : /^-?\d+$/.test(s.trim()) ? Number(s) : s);

interface Props {
  token: string;
  cluster: ClusterDetail;
  onError: (e: unknown) => boolean;
  onCreated: (name: string) => void;
}

/**
 * CreateTopic from a form. The form judges nothing: the API's error is shown beside the field its `invalidParameter`
 * names (focus moves there; editing that field clears it), or above the form when it names none. A refused request
 * leaves every field as typed.
 */
export function CreateTopicForm({ token, cluster, onError, onCreated }: Props) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [replication, setReplication] = useState(String(Math.min(3, cluster.numberOfBrokerNodes ?? 3)));
  const [configs, setConfigs] = useState('');
  const [fieldError, setFieldError] = useState<{ field: Field; message: string } | undefined>();
  const [topError, setTopError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (fieldError) formRef.current?.querySelector<HTMLElement>(`#${ID[fieldError.field]}`)?.focus();
  }, [fieldError]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFieldError(undefined);
    setTopError(undefined);
    const encoded = encodeTopicConfigs(configs);
    const body = {
      topicName: name,
      partitionCount: numberOrRaw(partitions),
      replicationFactor: numberOrRaw(replication),
      ...(encoded !== undefined && { configs: encoded }),
    };
    try {
      const r = await createTopic(token, cluster.clusterArn, body);
      setBusy(false);
      setName('');
      setConfigs('');
      onCreated(r.topicName ?? name);
    } catch (err) {
      setBusy(false);
      if (onError(err)) return;
      const field = err instanceof ApiError && err.invalidParameter ? TOPIC_FIELD_OF_PARAMETER[err.invalidParameter] : undefined;
      if (field) setFieldError({ field, message: errorText(err) });
      else setTopError(`CreateTopic failed: ${errorText(err)}`);
    }
  }

  function clearEdited(e: FormEvent) {
    const id = (e.target as HTMLElement).id;
    if (fieldError && id === ID[fieldError.field]) setFieldError(undefined);
  }

  const errorOf = (f: Field) => (fieldError?.field === f ? fieldError.message : undefined);
  const aria = (f: Field, help?: string) => ({
    id: ID[f],
    'aria-invalid': errorOf(f) ? true : undefined,
    'aria-describedby': [help, errorOf(f) ? `${ID[f]}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });
  const FieldError = ({ f }: { f: Field }): ReactNode =>
    errorOf(f) ? <p className="error field-error" id={`${ID[f]}-error`} role="alert">{errorOf(f)}</p> : null;

  return (
    <section aria-labelledby="create-topic-title" className="create-topic-section">
      <h3 id="create-topic-title">Create topic</h3>
      <form ref={formRef} onSubmit={submit} onChange={clearEdited} noValidate className="create-topic">
        {topError && <p className="error" role="alert" id="create-topic-error">{topError}</p>}
        <div className="topic-fields">
          <div className="topic-field-name">
            <label htmlFor="topic-name">Topic name</label>
            <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" spellCheck={false} {...aria('name', 'topic-name-help')} />
            <p className="help" id="topic-name-help">Up to 249 letters, digits, '.', '_' and '-'.</p>
            <FieldError f="name" />
          </div>
          <div>
            <label htmlFor="topic-partitions">Partitions</label>
            <input inputMode="numeric" value={partitions} onChange={(e) => setPartitions(e.target.value)} {...aria('partitions')} />
            <FieldError f="partitions" />
          </div>
          <div>
            <label htmlFor="topic-replication">Replication factor</label>
            <input inputMode="numeric" value={replication} onChange={(e) => setReplication(e.target.value)} {...aria('replication', 'topic-replication-help')} />
            <p className="help" id="topic-replication-help">At most the number of brokers ({cluster.numberOfBrokerNodes ?? '?'}).</p>
            <FieldError f="replication" />
          </div>
        </div>
        <label htmlFor="topic-configs">Configs (optional)</label>
        <textarea rows={3} value={configs} onChange={(e) => setConfigs(e.target.value)} spellCheck={false}
          placeholder="retention.ms=604800000" {...aria('configs', 'topic-configs-help')} />
        <p className="help" id="topic-configs-help">One <code>key=value</code> per line, e.g. <code>cleanup.policy=compact</code>.</p>
        <FieldError f="configs" />
        <div className="actions">
          <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create topic'}</button>
        </div>
      </form>
    </section>
  );
}
