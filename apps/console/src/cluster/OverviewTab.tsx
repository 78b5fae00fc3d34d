import { useEffect, useState } from 'react';
import { call } from '../api';
import { Actions } from './Actions';
import type { ClusterDetail, TabProps } from './types';

/** `GET /openmsk/v1/clusters/{arn}/brokers`: openmsk's own view of the brokers (MSK's API has none). */
export interface BrokerView {
  brokerId: number;
  zone?: string;
  online: boolean;
  leaderCount: number;
  partitionCount: number;
  diskUsedBytes?: number | null;
  diskTotalBytes?: number | null;
}
export interface BrokersView {
  controller: { kind: 'broker' | 'controller'; id: number } | null;
  brokers: BrokerView[];
}

/** How often the brokers' figures are re-read. */
export const BROKERS_REFRESH_MS = 5000;

const BOOTSTRAP_LABELS: ReadonlyArray<[string, string]> = [
  ['bootstrapBrokerString', 'Plaintext'],
  ['bootstrapBrokerStringTls', 'TLS'],
  ['bootstrapBrokerStringSaslScram', 'SASL/SCRAM'],
  ['bootstrapBrokerStringSaslIam', 'IAM'],
];

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 3 : 1)} GiB`;

function encryption(c: ClusterDetail): string {
  const t = c.encryptionInfo?.encryptionInTransit;
  return `client–broker ${t?.clientBroker ?? 'TLS'}; within the cluster ${t?.inCluster === false ? 'plaintext' : 'TLS'}`;
}

function authentication(c: ClusterDetail): string {
  const a = c.clientAuthentication;
  const modes = [
    a?.sasl?.scram?.enabled && 'SASL/SCRAM',
    a?.sasl?.iam?.enabled && 'IAM',
    a?.tls?.enabled && 'mutual TLS',
    (a?.unauthenticated?.enabled || !a) && 'unauthenticated',
  ].filter(Boolean);
  return modes.join(', ') || 'unauthenticated';
}

/** A value with a Copy button (the clipboard, or the text selected when the browser refuses it). */
function Copyable({ id, label, value }: { id: string; label: string; value: string }) {
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied');
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('Selected: press Ctrl+C');
    }
    setTimeout(() => setCopied(undefined), 3000);
  };
  return (
    <div className="copyable">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} readOnly value={value} onFocus={(e) => e.target.select()} />
        <button type="button" className="secondary" onClick={copy} aria-describedby={`${id}-copied`}>Copy</button>
        <span id={`${id}-copied`} role="status" className="help">{copied}</span>
      </div>
    </div>
  );
}

/** The cluster's settings, bootstrap strings, the CA, the brokers per zone, and the actions MSK's console offers. */
export function OverviewTab({ token, cluster, onError, onOperation }: TabProps) {
  const arn = encodeURIComponent(cluster.clusterArn);
  const [bootstrap, setBootstrap] = useState<Record<string, string> | undefined>();
  const [bootstrapError, setBootstrapError] = useState<string | undefined>();
  const [brokers, setBrokers] = useState<BrokersView | undefined>();
  const [brokersError, setBrokersError] = useState<string | undefined>();
  const [reboot, setReboot] = useState<number | undefined>();
  const serving = cluster.state === 'ACTIVE' || cluster.state === 'UPDATING' || cluster.state === 'REBOOTING_BROKER' || cluster.state === 'HEALING';

  useEffect(() => {
    if (!serving) return;
    let live = true;
    call<Record<string, string>>(token, 'GET', `/v1/clusters/${arn}/bootstrap-brokers`).then(
      (r) => { if (live) { setBootstrap(r); setBootstrapError(undefined); } },
      (e) => { if (live && !onError(e)) setBootstrapError(`GetBootstrapBrokers failed: ${(e as Error).message}`); },
    );
    return () => { live = false; };
  }, [token, arn, serving, onError]);

  useEffect(() => {
    if (!serving) return;
    let live = true;
    const load = async () => {
      try {
        const r = await call<BrokersView>(token, 'GET', `/openmsk/v1/clusters/${arn}/brokers`);
        if (live) { setBrokers(r); setBrokersError(undefined); }
      } catch (e) {
        if (live && !onError(e)) setBrokersError(`Reading the brokers failed: ${(e as Error).message}`);
      }
    };
    void load();
    const timer = setInterval(load, BROKERS_REFRESH_MS);
    return () => { live = false; clearInterval(timer); };
  }, [token, arn, serving, onError]);

  async function downloadCa() {
    try {
      const res = await fetch('/openmsk/v1/certificate-authority', { headers: { authorization: `Bearer ${token}` }, credentials: 'omit' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const url = URL.createObjectURL(new Blob([await res.text()], { type: 'application/x-pem-file' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'openmsk-ca.pem';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      if (!onError(e)) setBootstrapError(`The CA could not be read: ${(e as Error).message}`);
    }
  }

  const g = cluster.brokerNodeGroupInfo;
  const size = g?.storageInfo?.ebsStorageInfo?.volumeSize;
  const zones = new Map<string, BrokerView[]>();
  for (const b of [...(brokers?.brokers ?? [])].sort((x, y) => x.brokerId - y.brokerId)) {
    const z = b.zone ?? '—';
    zones.set(z, [...(zones.get(z) ?? []), b]);
  }

  return (
    <div className="overview">
      <Actions token={token} cluster={cluster} onError={onError} onOperation={onOperation}
        brokerIds={(brokers?.brokers ?? []).map((b) => b.brokerId)} reboot={reboot} onRebootClosed={() => setReboot(undefined)} />
      <h2>Settings</h2>
      <dl className="settings">
        <dt>Kafka version</dt><dd>{cluster.currentBrokerSoftwareInfo?.kafkaVersion ?? '—'}</dd>
        <dt>Brokers</dt><dd data-testid="broker-count">{cluster.numberOfBrokerNodes}</dd>
        <dt>Instance type</dt><dd data-testid="instance-type">{g?.instanceType}</dd>
        <dt>Storage per broker</dt><dd data-testid="volume-size">{size === undefined ? '—' : `${size} GiB`}</dd>
        <dt>Zones (client subnets)</dt><dd>{g?.clientSubnets?.join(', ')}</dd>
        <dt>Configuration</dt>
        <dd>{cluster.currentBrokerSoftwareInfo?.configurationArn
          ? `${cluster.currentBrokerSoftwareInfo.configurationArn.split('/').at(-2) ?? cluster.currentBrokerSoftwareInfo.configurationArn}, revision ${cluster.currentBrokerSoftwareInfo.configurationRevision}`
          : "MSK's default"}</dd>
        <dt>Encryption in transit</dt><dd>{encryption(cluster)}</dd>
        <dt>Client authentication</dt><dd>{authentication(cluster)}</dd>
        <dt>Monitoring level</dt><dd>{cluster.enhancedMonitoring ?? 'DEFAULT'}</dd>
        <dt>Cluster version</dt><dd><code>{cluster.currentVersion}</code></dd>
      </dl>

      <h2>Client connection</h2>
      {!serving && <p className="help">Bootstrap brokers are available once the cluster is ACTIVE.</p>}
      {bootstrapError && <p className="error" role="alert">{bootstrapError}</p>}
      {bootstrap && BOOTSTRAP_LABELS.filter(([k]) => bootstrap[k]).map(([k, label]) => (
        <Copyable key={k} id={`bootstrap-${k}`} label={`Bootstrap brokers (${label})`} value={bootstrap[k]} />
      ))}
      <p>
        <button type="button" className="secondary" onClick={downloadCa}>Download CA certificate</button>{' '}
        <span className="help">The account's CA (PEM), which signs the TLS listeners' certificates: the client's trust store.</span>
      </p>

      <h2>Brokers</h2>
      {!serving && <p className="help">The brokers' figures are shown while the cluster serves (ACTIVE, UPDATING, REBOOTING_BROKER).</p>}
      {brokersError && <p className="error" role="alert">{brokersError}</p>}
      {brokers && (
        <p data-testid="controller">
          Active controller: {brokers.controller
            ? (brokers.controller.kind === 'broker' ? `broker ${brokers.controller.id}` : `KRaft controller ${brokers.controller.id}`)
            : 'none'}
        </p>
      )}
      {[...zones.entries()].map(([zone, list]) => (
        <table key={zone} className="brokers" data-zone={zone}>
          <caption>Zone {zone}</caption>
          <thead>
            <tr>
              <th scope="col">Broker</th><th scope="col">Status</th><th scope="col" className="num">Leaders</th>
              <th scope="col" className="num">Partitions</th><th scope="col">Disk used / total</th><th scope="col"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => {
              const total = b.diskTotalBytes ?? undefined;
              const used = b.diskUsedBytes ?? undefined;
              return (
                <tr key={b.brokerId} data-broker={b.brokerId}>
                  <th scope="row">{b.brokerId}{brokers?.controller?.kind === 'broker' && brokers.controller.id === b.brokerId ? ' (controller)' : ''}</th>
                  <td>{b.online ? 'online' : 'offline'}</td>
                  <td className="num" data-testid="leaders">{b.leaderCount}</td>
                  <td className="num" data-testid="partitions">{b.partitionCount}</td>
                  <td data-testid="disk" data-total={total}>
                    {total === undefined || used === undefined ? '—' : (
                      <>
                        <meter min={0} max={total} value={used} aria-label={`Broker ${b.brokerId} disk used`} />{' '}
                        {gib(used)} / {gib(total)}
                      </>
                    )}
                  </td>
                  <td><button type="button" className="secondary small" onClick={() => setReboot(b.brokerId)}
                    aria-label={`Reboot broker ${b.brokerId}`}>Reboot</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
