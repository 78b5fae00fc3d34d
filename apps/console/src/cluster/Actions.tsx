import { useEffect, useState } from 'react';
import { call, listConfigurations, type Configuration } from '../api';
import { INSTANCE_TYPES } from '../CreateClusterPage';
import { Dialog } from './Dialog';
import type { ClusterDetail } from './types';

/** MSK's largest EBS volume per broker (GiB). */
const MAX_VOLUME_GIB = 16384;

type Action = 'storage' | 'count' | 'type' | 'configuration' | 'version' | 'reboot' | 'delete';

interface Props {
  token: string;
  cluster: ClusterDetail;
  onError: (e: unknown) => boolean;
  onOperation: (operationArn: string) => void;
  brokerIds: number[];
  /** A broker whose row asked for a reboot: opens the reboot dialog on it. */
  reboot?: number;
  onRebootClosed: () => void;
}

interface OperationStarted { clusterOperationArn?: string }

/**
 * The updates MSK's console offers, each a dialog calling the MSK operation with the cluster's current version; the
 * operation it starts is then shown in the operations tab. The API validates: the dialogs only say what MSK allows.
 */
export function Actions({ token, cluster, onError, onOperation, brokerIds, reboot, onRebootClosed }: Props) {
  const arn = encodeURIComponent(cluster.clusterArn);
  const [open, setOpen] = useState<Action | undefined>();
  const size = cluster.brokerNodeGroupInfo?.storageInfo?.ebsStorageInfo?.volumeSize ?? 0;
  const [volume, setVolume] = useState('');
  const [count, setCount] = useState('');
  const [type, setType] = useState('');
  const [configs, setConfigs] = useState<Configuration[]>([]);
  const [configArn, setConfigArn] = useState('');
  const [revision, setRevision] = useState('');
  const [versions, setVersions] = useState<string[] | undefined>();
  const [version, setVersion] = useState('');
  const [broker, setBroker] = useState('');
  const [confirm, setConfirm] = useState('');

  useEffect(() => {
    if (reboot !== undefined) { setBroker(String(reboot)); setOpen('reboot'); }
  }, [reboot]);

  function show(a: Action) {
    setVolume(String(size + 1));
    setCount(String((cluster.numberOfBrokerNodes ?? 0) + (cluster.brokerNodeGroupInfo?.clientSubnets?.length ?? 1)));
    setType(cluster.brokerNodeGroupInfo?.instanceType ?? '');
    setConfirm('');
    if (a === 'reboot' && !broker) setBroker(String(brokerIds[0] ?? 1));
    if (a === 'configuration') {
      listConfigurations(token).then((list) => {
        setConfigs(list);
        const cur = cluster.currentBrokerSoftwareInfo?.configurationArn;
        const pick = list.find((c) => c.arn === cur) ?? list[0];
        setConfigArn(pick?.arn ?? '');
        setRevision(String(pick?.latestRevision?.revision ?? 1));
      }, onError);
    }
    if (a === 'version') {
      setVersions(undefined);
      call<{ compatibleKafkaVersions?: { targetVersions?: string[] }[] }>(token, 'GET', `/v1/compatible-kafka-versions?clusterArn=${arn}`).then((r) => {
        const list = r.compatibleKafkaVersions?.flatMap((v) => v.targetVersions ?? []) ?? [];
        setVersions(list);
        setVersion(list[0] ?? '');
      }, onError);
    }
    setOpen(a);
  }
  const close = () => { if (open === 'reboot') onRebootClosed(); setOpen(undefined); };
  const done = (opArn: string | undefined) => { close(); if (opArn) onOperation(opArn); };
  const update = async (path: string, body: Record<string, unknown>) =>
    (await call<OperationStarted>(token, 'PUT', `/v1/clusters/${arn}/${path}`, { currentVersion: cluster.currentVersion, ...body })).clusterOperationArn;
  const busy = cluster.state !== 'ACTIVE';
  const common = { onClose: close, onDone: done, onError };

  return (
    <div className="cluster-actions">
      <div className="actions" role="group" aria-label="Cluster actions">
        <button type="button" onClick={() => show('storage')} disabled={busy}>Edit storage</button>
        <button type="button" onClick={() => show('count')} disabled={busy}>Edit broker count</button>
        <button type="button" onClick={() => show('type')} disabled={busy}>Edit broker type</button>
        <button type="button" onClick={() => show('configuration')} disabled={busy}>Edit configuration</button>
        <button type="button" onClick={() => show('version')} disabled={busy}>Upgrade Kafka version</button>
        <button type="button" onClick={() => show('reboot')} disabled={busy}>Reboot broker</button>
        <button type="button" className="danger" onClick={() => show('delete')}
          disabled={cluster.state === 'DELETING'}>Delete</button>
      </div>
      {busy && cluster.state !== 'DELETING' && <p className="help">Updates are available while the cluster is ACTIVE (it is {cluster.state}).</p>}

      <Dialog id="storage-dialog" title="Edit storage" open={open === 'storage'} submitLabel="Save changes" {...common}
        submit={() => update('nodes/storage', { targetBrokerEBSVolumeInfo: [{ kafkaBrokerNodeId: 'All', volumeSizeGB: Number(volume) }] })}>
        <p>Current storage per broker: <strong data-testid="current-size">{size} GiB</strong>.</p>
        <label htmlFor="storage-size">Storage per broker (GiB)</label>
        <input id="storage-size" type="number" min={size + 1} max={MAX_VOLUME_GIB} step={1} value={volume}
          aria-describedby="storage-help" onChange={(e) => setVolume(e.target.value)} />
        <p id="storage-help" className="help">
          Minimum {size + 1} GiB, maximum {MAX_VOLUME_GIB} GiB. Storage can't be decreased once it has been increased.
          Every broker's volume grows online; no broker restarts.
        </p>
      </Dialog>

      <Dialog id="count-dialog" title="Edit number of brokers" open={open === 'count'} submitLabel="Save changes" {...common}
        submit={() => update('nodes/count', { targetNumberOfBrokerNodes: Number(count) })}>
        <p>Current: {cluster.numberOfBrokerNodes} brokers in {cluster.brokerNodeGroupInfo?.clientSubnets?.length} zones.</p>
        <label htmlFor="broker-count">Number of brokers</label>
        <input id="broker-count" type="number" min={1} step={1} value={count} aria-describedby="count-help" onChange={(e) => setCount(e.target.value)} />
        <p id="count-help" className="help">A multiple of the number of zones. Brokers can be added, not removed here.</p>
      </Dialog>

      <Dialog id="type-dialog" title="Edit broker type" open={open === 'type'} submitLabel="Save changes" {...common}
        submit={() => update('nodes/type', { targetInstanceType: type })}>
        <label htmlFor="broker-type">Broker type</label>
        <select id="broker-type" value={type} onChange={(e) => setType(e.target.value)} aria-describedby="type-help">
          {INSTANCE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <p id="type-help" className="help">The brokers restart one at a time with the new type's CPU and memory.</p>
      </Dialog>

      <Dialog id="configuration-dialog" title="Edit cluster configuration" open={open === 'configuration'} submitLabel="Save changes" {...common}
        blocked={!configArn}
        submit={() => update('configuration', { configurationInfo: { arn: configArn, revision: Number(revision) } })}>
        <label htmlFor="config-arn">Configuration</label>
        <select id="config-arn" value={configArn} onChange={(e) => {
          setConfigArn(e.target.value);
          setRevision(String(configs.find((c) => c.arn === e.target.value)?.latestRevision?.revision ?? 1));
        }}>
          {configs.length === 0 && <option value="">No configurations in this account</option>}
          {configs.map((c) => <option key={c.arn} value={c.arn}>{c.name}</option>)}
        </select>
        <label htmlFor="config-revision">Revision</label>
        <input id="config-revision" type="number" min={1} step={1} value={revision} onChange={(e) => setRevision(e.target.value)} />
      </Dialog>

      <Dialog id="version-dialog" title="Upgrade Apache Kafka version" open={open === 'version'} submitLabel="Upgrade" {...common}
        blocked={!version}
        submit={() => update('version', { targetKafkaVersion: version })}>
        <p>Current version: {cluster.currentBrokerSoftwareInfo?.kafkaVersion}.</p>
        <label htmlFor="target-version">Target version</label>
        <select id="target-version" value={version} onChange={(e) => setVersion(e.target.value)}>
          {versions === undefined && <option value="">Loading…</option>}
          {versions?.length === 0 && <option value="">No compatible version</option>}
          {versions?.map((v) => <option key={v} value={v}>{v}</option>)}
        </select>
      </Dialog>

      <Dialog id="reboot-dialog" title="Reboot broker" open={open === 'reboot'} submitLabel="Reboot" {...common}
        submit={async () => (await call<OperationStarted>(token, 'PUT', `/v1/clusters/${arn}/reboot-broker`, { brokerIds: [broker] })).clusterOperationArn}>
        <label htmlFor="reboot-broker">Broker</label>
        <select id="reboot-broker" value={broker} onChange={(e) => setBroker(e.target.value)}>
          {brokerIds.map((b) => <option key={b} value={String(b)}>{b}</option>)}
        </select>
        <p className="help">The broker restarts once its partitions' followers are in sync, so no acknowledged write is lost.</p>
      </Dialog>

      <Dialog id="delete-dialog" title={`Delete ${cluster.clusterName}`} open={open === 'delete'} submitLabel="Delete" danger {...common}
        blocked={confirm !== 'delete'}
        submit={async () => {
          await call(token, 'DELETE', `/v1/clusters/${arn}?currentVersion=${encodeURIComponent(cluster.currentVersion)}`);
          return undefined;
        }}>
        <p>Deleting the cluster removes its brokers, their data and its configuration files. This can't be undone.</p>
        <label htmlFor="delete-confirm">To confirm, type <code>delete</code></label>
        <input id="delete-confirm" autoComplete="off" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Dialog>
    </div>
  );
}
