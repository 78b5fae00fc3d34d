/**
 * SASL/SCRAM the MSK way, on real clusters (3.9.x with ZooKeeper, 3.9.x.kraft): a cluster created with SCRAM on and
 * unauthenticated access off has one client listener, SASL_SSL; secrets made with the Secrets Manager API and
 * associated with the AWS CLI v2 become SCRAM-SHA-512 users on the brokers; kcat (librdkafka) with the right password
 * produces and consumes, without credentials or with a wrong password it is refused; an ACL made through Kafka's admin
 * API is enforced; a new secret value takes effect; a disassociated user loses access. DescribeCluster's
 * clientAuthentication is checked against the brokers' own listener configuration.
 */
import {
  CreateClusterCommand, CreateTopicCommand, DescribeClusterCommand, GetBootstrapBrokersCommand, ListScramSecretsCommand, type KafkaClient,
} from '@aws-sdk/client-kafka';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clusterPaths } from '@openmsk/runtime';
import { Admin, AclOperations, AclPermissionTypes, ResourcePatternTypes, ResourceTypes } from '@platformatic/kafka';
import { internalClientIdentity } from '@openmsk/db';
import * as zookeeper from 'node-zookeeper-client';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect_ } from 'node:tls';
import { startAwsCli, type AwsCli } from '../../api/test/aws-cli';
import { brokerConfigs, createSecuredCluster, kcat, startStack, type Stack } from './stack';

describe.each(['3.9.x', '3.9.x.kraft'])('SASL/SCRAM on %s', (version) => {
  let s: Stack;
  let kafka: KafkaClient;
  let sm: SecretsManagerClient;
  let cli: AwsCli;
  let arn: string;
  let id: string;
  let ca: string;
  let bootstrap: string;
  const secrets: Record<string, string> = {};

  const sasl = (user: string, password: string) => [
    '-b', bootstrap, '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-512',
    '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`, '-X', `ssl.ca.location=${ca}`,
  ];
  /** Produces one message as `user`; resolves whether the brokers took it. */
  const produces = (user: string, password: string, topic = 'orders') =>
    kcat([...sasl(user, password), '-P', '-t', topic, '-X', 'message.timeout.ms=8000', '-X', 'socket.timeout.ms=5000'], `${user}-${Date.now()}\n`, 20_000)
      .then(() => true, () => false);
  /** Waits until `user` can (or cannot) produce: credentials reach every broker a moment after the API answers. */
  async function eventually(user: string, password: string, want: boolean, topic?: string) {
    const deadline = Date.now() + 30_000;
    while ((await produces(user, password, topic)) !== want) {
      if (Date.now() > deadline) throw new Error(`${user} ${want ? 'cannot' : 'can still'} produce to ${topic ?? 'orders'}\n${s.logs.slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  async function secret(user: string, password: string, name = `AmazonMSK_${user}`): Promise<string> {
    const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ username: user, password }) }));
    secrets[user] = out.ARN!;
    return out.ARN!;
  }

  beforeAll(async () => {
    s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5 });
    kafka = s.client();
    sm = new SecretsManagerClient({ endpoint: s.url, region: 'us-east-1', credentials: s.credentials, maxAttempts: 1 });
    cli = await startAwsCli('openmsk-scram-', s);
    ({ arn, id } = await createSecuredCluster(s, kafka, 'scram', version, { Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: false } }));
    ca = clusterPaths(s.config.OPENMSK_HOME, id).ca;
    // Through the Topics API, which reaches the brokers with openmsk's own certificate (auto-creation is off, as on MSK).
    for (const TopicName of ['orders', 'payroll']) {
      await kafka.send(new CreateTopicCommand({ ClusterArn: arn, TopicName, PartitionCount: 2, ReplicationFactor: 2 }));
    }
  }, 300_000);
  afterAll(async () => {
    sm?.destroy();
    await cli?.close();
    await s?.close();
  });

  test('one client listener, SASL_SSL; DescribeCluster says what the brokers enforce', async () => {
    const b = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }));
    expect(b.BootstrapBrokerString).toBeUndefined();
    expect(b.BootstrapBrokerStringTls).toBeUndefined();
    expect(b.BootstrapBrokerStringSaslScram).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    bootstrap = b.BootstrapBrokerStringSaslScram!;

    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }));
    expect(ClusterInfo!.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: true }, Iam: { Enabled: false } },
      Tls: { Enabled: false, CertificateAuthorityArnList: [] },
      Unauthenticated: { Enabled: false },
    });

    // The brokers' own configuration, read through the admin listener with openmsk's certificate.
    for (const { config, protocols } of await brokerConfigs(s, id)) {
      // Every listener a client can reach authenticates: SASL_SSL for clients, SSL with required certificates for REPLICATION.
      expect(protocols).toEqual(['CLIENT_SASL_SCRAM:SASL_SSL', 'REPLICATION:SSL']);
      expect(config.get('listener.name.client_sasl_scram.sasl.enabled.mechanisms')?.value).toBe('SCRAM-SHA-512');
      expect(config.get('listener.name.replication.ssl.client.auth')?.value).toBe('required');
      expect(config.get('authorizer.class.name')?.value).toMatch(/Authorizer$/);
    }
    const brokers = await s.db.node.findMany({ where: { clusterId: id, role: 'broker' }, orderBy: { ordinal: 'asc' } });
    // The REPLICATION listener refuses a TLS client without openmsk's certificate.
    const replication = `127.0.0.1:${(brokers[0].ports as { replication: number }).replication}`;
    await expect(kcat(['-b', replication, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${ca}`, '-L', '-m', '5'], undefined, 20_000)).rejects.toThrow();
  });

  test('associated users produce and consume; no credentials or a wrong password are refused', async () => {
    await secret('alice', 'alice-secret-1');
    await secret('bob', 'bob-secret-1');
    const unprefixed = await secret('carol', 'carol-secret', 'carol');
    const out = await cli.ok('kafka', 'batch-associate-scram-secret', '--cluster-arn', arn, '--secret-arn-list', secrets.alice, secrets.bob, unprefixed);
    expect(out.UnprocessedScramSecrets).toEqual([{
      SecretArn: unprefixed,
      ErrorCode: 'InvalidSecretArn',
      ErrorMessage: "The provided secret arn cannot be used with Amazon MSK. Secret names must have the prefix 'AmazonMSK_'",
    }]);
    const listed = await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn }));
    expect([...listed.SecretArnList!].sort()).toEqual([secrets.alice, secrets.bob].sort());

    await eventually('alice', 'alice-secret-1', true);
    const read = await kcat([...sasl('alice', 'alice-secret-1'), '-C', '-t', 'orders', '-o', 'beginning', '-e', '-q'], undefined, 30_000);
    expect(read).toMatch(/^alice-/m);
    expect(await produces('alice', 'wrong-password')).toBe(false);
    expect(await produces('mallory', 'alice-secret-1')).toBe(false);
    // No credentials at all: TLS to the SASL listener without SASL.
    await expect(kcat(['-b', bootstrap, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${ca}`, '-L', '-m', '5'], undefined, 20_000)).rejects.toThrow();
  });

  test('an ACL made through the admin API is enforced', async () => {
    await eventually('bob', 'bob-secret-1', true, 'payroll');
    const [host, port] = bootstrap.split(',')[0].split(':');
    const admin = new Admin({
      clientId: 'acl-test', bootstrapBrokers: [{ host, port: Number(port) }],
      tls: { ca: readFileSync(ca, 'utf8') }, tlsServerName: false,
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'alice-secret-1' },
    });
    try {
      // Once a topic has ACLs, allow.everyone.if.no.acl.found no longer applies to it: alice needs her own ALLOW.
      const payroll = { resourceType: ResourceTypes.TOPIC, resourceName: 'payroll', resourcePatternType: ResourcePatternTypes.LITERAL, host: '*' };
      await admin.createAcls({
        creations: [
          { ...payroll, principal: 'User:bob', operation: AclOperations.WRITE, permissionType: AclPermissionTypes.DENY },
          { ...payroll, principal: 'User:alice', operation: AclOperations.WRITE, permissionType: AclPermissionTypes.ALLOW },
        ],
      });
    } finally {
      await admin.close();
    }
    await eventually('bob', 'bob-secret-1', false, 'payroll');
    expect(await produces('bob', 'bob-secret-1', 'orders')).toBe(true);
    expect(await produces('alice', 'alice-secret-1', 'payroll')).toBe(true);
  });

  test('a new secret value takes effect; a disassociated user loses access', async () => {
    await sm.send(new PutSecretValueCommand({ SecretId: secrets.alice, SecretString: JSON.stringify({ username: 'alice', password: 'alice-secret-2' }) }));
    await eventually('alice', 'alice-secret-1', false);
    await eventually('alice', 'alice-secret-2', true);

    const out = await cli.ok('kafka', 'batch-disassociate-scram-secret', '--cluster-arn', arn, '--secret-arn-list', secrets.bob);
    expect(out.UnprocessedScramSecrets).toEqual([]);
    await eventually('bob', 'bob-secret-1', false, 'orders');
    const listed = await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn }));
    expect(listed.SecretArnList).toEqual([secrets.alice]);
  });

  test('ZooKeeper mode: brokers reach ZooKeeper over TLS, and its plaintext port gives no one SCRAM credentials or writes', async () => {
    if (version.endsWith('.kraft')) return;
    const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
    const tlsConnect = info.ZookeeperConnectStringTls!;
    expect(tlsConnect.split(',')).toHaveLength(3);
    for (const b of await brokerConfigs(s, id)) {
      expect(b.config.get('zookeeper.connect')?.value).toBe(tlsConnect);
      expect(b.config.get('zookeeper.ssl.client.enable')?.value).toBe('true');
      expect(b.config.get('zookeeper.set.acl')?.value).toBe('true');
    }
    // Plaintext, no credentials: world-readable broker registrations, nothing sensitive, no writes.
    const zk = zookeeper.createClient(info.ZookeeperConnectString!, { retries: 0 });
    await new Promise<void>((resolve) => { zk.once('connected', () => resolve()); zk.connect(); });
    type ZkError = Error | zookeeper.Exception | null;
    const code = (f: (done: (e: ZkError) => void) => void) =>
      new Promise<string>((resolve) => f((e) => resolve(e ? String(e instanceof zookeeper.Exception ? e.getCode() : e) : 'ok')));
    try {
      expect(await code((done) => zk.getData('/brokers/ids/1', (e) => done(e)))).toBe('ok');
      expect(await code((done) => zk.getChildren('/config/users', (e) => done(e)))).toBe(String(zookeeper.Exception.NO_AUTH));
      // Writing where Kafka reads: a fake broker, a topic deletion request (ZooKeeper's root itself stays open to all, as
      // Kafka leaves it: a new top-level znode touches nothing Kafka reads).
      expect(await code((done) => zk.create('/brokers/ids/99', (e) => done(e)))).toBe(String(zookeeper.Exception.NO_AUTH));
      expect(await code((done) => zk.create('/admin/delete_topics/orders', (e) => done(e)))).toBe(String(zookeeper.Exception.NO_AUTH));
      expect(await code((done) => zk.remove('/brokers/ids/1', -1, (e) => done(e)))).toBe(String(zookeeper.Exception.NO_AUTH));
    } finally {
      zk.close();
    }
    // TLS: a client certificate from the cluster's CA is required.
    const [host, port] = tlsConnect.split(',')[0].split(':');
    const ruok = (cert?: { cert: string; key: string }) => new Promise<string>((resolve) => {
      let out = '';
      const sock = tlsConnect_({ host, port: Number(port), ca: readFileSync(ca, 'utf8'), ...cert, checkServerIdentity: () => undefined }, () => sock.end('ruok'));
      sock.on('data', (d) => (out += d.toString()));
      sock.once('error', () => resolve(`refused:${out}`));
      sock.once('close', () => resolve(out));
      sock.setTimeout(5000, () => sock.destroy());
    });
    expect(await ruok()).not.toBe('imok');
    const mine = await internalClientIdentity(s.db, s.box, s.accountId);
    expect(await ruok({ cert: mine.certPem, key: mine.keyPem })).toBe('imok');
  });
});
