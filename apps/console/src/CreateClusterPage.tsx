import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, call, listConfigurations, listKafkaVersions, type Configuration, type KafkaVersion } from './api';

// The instance types openmsk runs (packages/domain/src/catalog.ts); the console cannot import the catalog, and MSK
// has no operation that lists instance types.
export const INSTANCE_TYPES = ['kafka.t3.small', 'kafka.m5.large', 'kafka.m5.xlarge', 'kafka.m5.2xlarge', 'kafka.m5.4xlarge',
  'kafka.m7g.large', 'kafka.m7g.xlarge'];
const ZONE_SUBNETS = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d', 'subnet-2a3b4c5d'];

type Field = 'name' | 'version' | 'subnets' | 'instanceType' | 'brokers' | 'storage' | 'configuration' | 'revision'
  | 'clientBroker' | 'inCluster' | 'auth' | 'caArns';

/** The API's `invalidParameter` (wire member names, lowerCamel) → the form field showing the error. */
export const FIELD_OF_PARAMETER: Readonly<Record<string, Field>> = {
  clusterName: 'name',
  kafkaVersion: 'version',
  clientSubnets: 'subnets',
  brokerAZDistribution: 'subnets',
  instanceType: 'instanceType',
  numberOfBrokerNodes: 'brokers',
  volumeSize: 'storage',
  storageInfo: 'storage',
  ebsStorageInfo: 'storage',
  configurationInfo: 'configuration',
  arn: 'configuration',
  revision: 'revision',
  clientBroker: 'clientBroker',
  encryptionInTransit: 'clientBroker',
  inCluster: 'inCluster',
  clientAuthentication: 'auth',
  sasl: 'auth',
  scram: 'auth',
  iam: 'auth',
  tls: 'auth',
  unauthenticated: 'auth',
  certificateAuthorityArnList: 'caArns',
};

interface Props {
  token: string;
  onError: (e: unknown) => boolean;
  onCancel: () => void;
  onCreated: (clusterArn: string) => void;
}

/** A number input's value as a number when it is one; otherwise as typed, so the API judges it (and says why). */
const numberOrRaw = (s: string): number | string | undefined => (s.trim() === '' ? undefined : /^-?\d+$/.test(s.trim()) ? Number(s) : s);

/** The create-cluster form, as in MSK's console; CreateCluster decides, and its error is shown beside the field it names. */
export function CreateClusterPage({ token, onError, onCancel, onCreated }: Props) {
  const [versions, setVersions] = useState<KafkaVersion[]>([]);
  const [configs, setConfigs] = useState<Configuration[]>([]);
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [zones, setZones] = useState(3);
  const [subnets, setSubnets] = useState<string[]>(ZONE_SUBNETS);
  const [instanceType, setInstanceType] = useState('kafka.m5.large');
  const [brokers, setBrokers] = useState('3');
  const [storage, setStorage] = useState('100');
  const [configArn, setConfigArn] = useState('');
  const [revision, setRevision] = useState('');
  const [clientBroker, setClientBroker] = useState('TLS');
  const [inCluster, setInCluster] = useState(true);
  const [unauth, setUnauth] = useState(true);
  const [scram, setScram] = useState(false);
  const [iam, setIam] = useState(false);
  const [mtls, setMtls] = useState(false);
  const [caArns, setCaArns] = useState('');
  const [fieldError, setFieldError] = useState<{ field: Field; message: string } | undefined>();
  const [topError, setTopError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let live = true;
    Promise.all([listKafkaVersions(token), listConfigurations(token)]).then(([v, c]) => {
      if (!live) return;
      setVersions(v);
      setVersion((cur) => cur || (v.at(-1)?.version ?? ''));
      setConfigs(c);
    }, (e) => { if (live && !onError(e)) setTopError(`Could not load versions or configurations: ${(e as Error).message}`); });
    return () => { live = false; };
  }, [token, onError]);

  useEffect(() => {
    if (!fieldError) return;
    formRef.current?.querySelector<HTMLElement>(`[data-field="${fieldError.field}"]`)?.focus();
  }, [fieldError]);

  const chosenConfig = configs.find((c) => c.arn === configArn);

  function request() {
    const tlsAuth = mtls ? { enabled: true, certificateAuthorityArnList: caArns.split(/[\s,]+/).filter(Boolean) } : { enabled: false };
    return {
      clusterName: name,
      kafkaVersion: version,
      numberOfBrokerNodes: numberOrRaw(brokers),
      brokerNodeGroupInfo: {
        clientSubnets: subnets.slice(0, zones).map((s) => s.trim()),
        instanceType,
        storageInfo: { ebsStorageInfo: { volumeSize: numberOrRaw(storage) } },
      },
      ...(configArn && { configurationInfo: { arn: configArn, revision: numberOrRaw(revision) } }),
      encryptionInfo: { encryptionInTransit: { clientBroker, inCluster } },
      clientAuthentication: {
        sasl: { scram: { enabled: scram }, iam: { enabled: iam } },
        tls: tlsAuth,
        unauthenticated: { enabled: unauth },
      },
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setFieldError(undefined);
    setTopError(undefined);
    try {
      const r = await call<{ clusterArn: string; clusterName: string; state: string }>(token, 'POST', '/v1/clusters', request());
      onCreated(r.clusterArn);
    } catch (err) {
      setBusy(false);
      if (onError(err)) return;
      const field = err instanceof ApiError && err.invalidParameter ? FIELD_OF_PARAMETER[err.invalidParameter] : undefined;
      const text = err instanceof ApiError ? `${err.message}${err.type ? ` (${err.type})` : ''}` : String(err);
      if (field) setFieldError({ field, message: text });
      else setTopError(text);
    }
  }

  /** Editing the field an error names clears that error: it spoke of the value the API saw, not of this one. */
  function clearEdited(e: FormEvent) {
    const f = (e.target as HTMLElement).closest('[data-field]')?.getAttribute('data-field');
    if (fieldError && f === fieldError.field) setFieldError(undefined);
  }

  /** Error props for a field's control, and the message element under it. */
  const errorOf = (f: Field) => (fieldError?.field === f ? fieldError.message : undefined);
  const aria = (f: Field, help?: string) => ({
    'data-field': f,
    'aria-invalid': errorOf(f) ? true : undefined,
    'aria-describedby': [help, errorOf(f) ? `${f}-error` : undefined].filter(Boolean).join(' ') || undefined,
  });
  const FieldError = ({ f }: { f: Field }): ReactNode =>
    errorOf(f) ? <p className="error field-error" id={`${f}-error`} role="alert">{errorOf(f)}</p> : null;

  return (
    <section aria-labelledby="create-title">
      <h1 id="create-title">Create cluster</h1>
      <form ref={formRef} onSubmit={submit} onChange={clearEdited} noValidate className="create">
        {topError && <p className="error" role="alert" id="form-error">{topError}</p>}

        <fieldset>
          <legend>General</legend>
          <label htmlFor="name">Cluster name</label>
          <input id="name" value={name} onChange={(e) => setName(e.target.value)} {...aria('name', 'name-help')} />
          <p className="help" id="name-help">1–64 characters: letters, digits and hyphens, starting with a letter.</p>
          <FieldError f="name" />

          <label htmlFor="version">Apache Kafka version</label>
          <select id="version" value={version} onChange={(e) => setVersion(e.target.value)} {...aria('version')}>
            {versions.map((v) => <option key={v.version} value={v.version}>{v.version}</option>)}
          </select>
          <FieldError f="version" />
        </fieldset>

        <fieldset>
          <legend>Brokers</legend>
          <label htmlFor="zones">Number of zones</label>
          <select id="zones" value={zones} onChange={(e) => setZones(Number(e.target.value))}>
            <option value={2}>2</option>
            <option value={3}>3</option>
          </select>
          <div className="subnets" {...{ 'data-field': 'subnets', tabIndex: -1 }}>
            {subnets.slice(0, zones).map((s, i) => (
              <div key={i}>
                <label htmlFor={`subnet-${i}`}>Zone {i + 1} subnet</label>
                <input id={`subnet-${i}`} value={s}
                  aria-invalid={errorOf('subnets') ? true : undefined}
                  aria-describedby={errorOf('subnets') ? 'subnets-error' : undefined}
                  onChange={(e) => setSubnets((cur) => cur.map((x, j) => (j === i ? e.target.value : x)))} />
              </div>
            ))}
          </div>
          <FieldError f="subnets" />

          <label htmlFor="instanceType">Broker instance type</label>
          <select id="instanceType" value={instanceType} onChange={(e) => setInstanceType(e.target.value)} {...aria('instanceType')}>
            {INSTANCE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
          <FieldError f="instanceType" />

          <label htmlFor="brokers">Number of brokers</label>
          <input id="brokers" inputMode="numeric" value={brokers} onChange={(e) => setBrokers(e.target.value)} {...aria('brokers', 'brokers-help')} />
          <p className="help" id="brokers-help">A multiple of the number of zones.</p>
          <FieldError f="brokers" />

          <label htmlFor="storage">Storage per broker (GiB)</label>
          <input id="storage" inputMode="numeric" value={storage} onChange={(e) => setStorage(e.target.value)} {...aria('storage')} />
          <FieldError f="storage" />
        </fieldset>

        <fieldset>
          <legend>Configuration (optional)</legend>
          <label htmlFor="configuration">Cluster configuration</label>
          <select id="configuration" value={configArn} onChange={(e) => {
            setConfigArn(e.target.value);
            setRevision(String(configs.find((c) => c.arn === e.target.value)?.latestRevision?.revision ?? ''));
          }} {...aria('configuration')}>
            <option value="">MSK default configuration</option>
            {configs.map((c) => <option key={c.arn} value={c.arn}>{c.name}</option>)}
          </select>
          <FieldError f="configuration" />
          <label htmlFor="revision">Revision</label>
          <select id="revision" value={revision} disabled={!chosenConfig} onChange={(e) => setRevision(e.target.value)} {...aria('revision')}>
            {chosenConfig
              ? Array.from({ length: chosenConfig.latestRevision?.revision ?? 1 }, (_, i) => i + 1).reverse()
                .map((r) => <option key={r} value={String(r)}>{r}</option>)
              : <option value="">—</option>}
          </select>
          <FieldError f="revision" />
        </fieldset>

        <fieldset>
          <legend>Encryption in transit</legend>
          <label htmlFor="clientBroker">Between clients and brokers</label>
          <select id="clientBroker" value={clientBroker} onChange={(e) => setClientBroker(e.target.value)} {...aria('clientBroker')}>
            <option value="TLS">TLS encryption only</option>
            <option value="TLS_PLAINTEXT">TLS and plaintext</option>
            <option value="PLAINTEXT">Plaintext only</option>
          </select>
          <FieldError f="clientBroker" />
          <div className="check">
            <input id="inCluster" type="checkbox" checked={inCluster} onChange={(e) => setInCluster(e.target.checked)} {...aria('inCluster')} />
            <label htmlFor="inCluster">TLS between brokers (within the cluster)</label>
          </div>
          <FieldError f="inCluster" />
        </fieldset>

        <fieldset {...{ 'data-field': 'auth', tabIndex: -1 }}>
          <legend>Client authentication</legend>
          <div className="check">
            <input id="auth-unauth" type="checkbox" checked={unauth} onChange={(e) => setUnauth(e.target.checked)} />
            <label htmlFor="auth-unauth">Unauthenticated access</label>
          </div>
          <div className="check">
            <input id="auth-scram" type="checkbox" checked={scram} onChange={(e) => setScram(e.target.checked)} />
            <label htmlFor="auth-scram">SASL/SCRAM</label>
          </div>
          <div className="check">
            <input id="auth-iam" type="checkbox" checked={iam} onChange={(e) => setIam(e.target.checked)} />
            <label htmlFor="auth-iam">IAM role-based authentication</label>
          </div>
          <div className="check">
            <input id="auth-tls" type="checkbox" checked={mtls} onChange={(e) => setMtls(e.target.checked)} />
            <label htmlFor="auth-tls">Mutual TLS (certificate authorities below)</label>
          </div>
          <FieldError f="auth" />
          <label htmlFor="caArns">Certificate authority ARNs (one per line)</label>
          <textarea id="caArns" rows={2} value={caArns} disabled={!mtls} onChange={(e) => setCaArns(e.target.value)} {...aria('caArns')} />
          <FieldError f="caArns" />
        </fieldset>

        <div className="actions">
          <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create cluster'}</button>
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </section>
  );
}
