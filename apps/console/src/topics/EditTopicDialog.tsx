import { useState } from 'react';
import { call } from '../api';
import { Dialog } from '../cluster/Dialog';
import { encodeTopicConfigs } from './format';

interface Props {
  token: string;
  clusterArn: string;
  topic: string;
  partitionCount: number;
  configs: Array<[string, string]>;
  open: boolean;
  onClose: () => void;
  onUpdated: () => void;
  onError: (e: unknown) => boolean;
}

/**
 * UpdateTopic, as the Topics API takes it: more partitions (never fewer) and topic configs to set (`key=value` lines,
 * the topic's own shown first). Only what changed is sent; the API refuses the rest (it checks both halves with the
 * brokers before applying either).
 */
export function EditTopicDialog({ token, clusterArn, topic, partitionCount, configs, open, onClose, onUpdated, onError }: Props) {
  const current = configs.map(([k, v]) => `${k}=${v}`).join('\n');
  const [partitions, setPartitions] = useState(String(partitionCount));
  const [text, setText] = useState(current);

  return (
    <Dialog id="edit-topic-dialog" title={`Edit topic ${topic}`} open={open} submitLabel="Save changes" onError={onError}
      onClose={() => { setPartitions(String(partitionCount)); setText(current); onClose(); }}
      onDone={onUpdated}
      submit={async () => {
        const body: Record<string, unknown> = {};
        if (partitions.trim() !== String(partitionCount)) body.partitionCount = /^\d+$/.test(partitions.trim()) ? Number(partitions) : partitions;
        // UpdateTopic sets configs; it has no way to remove one, so a deleted line sends nothing.
        const encoded = encodeTopicConfigs(text);
        if (text.trim() !== current.trim() && encoded) body.configs = encoded;
        await call(token, 'PUT', `/v1/clusters/${encodeURIComponent(clusterArn)}/topics/${encodeURIComponent(topic)}`, body);
        return undefined;
      }}>
      <label htmlFor="edit-topic-partitions">Partitions</label>
      <input id="edit-topic-partitions" inputMode="numeric" value={partitions} aria-describedby="edit-topic-partitions-help"
        onChange={(e) => setPartitions(e.target.value)} />
      <p id="edit-topic-partitions-help" className="help">Now {partitionCount}. Partitions can be added, never removed; keyed
        messages written later may go to other partitions.</p>
      <label htmlFor="edit-topic-configs">Configs to set (one <code>key=value</code> per line)</label>
      <textarea id="edit-topic-configs" rows={5} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} />
    </Dialog>
  );
}
