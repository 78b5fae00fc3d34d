/**
 * UpdateSecurity on running clusters (3.9.x with ZooKeeper, 3.9.x.kraft), through the AWS CLI v2: SASL/SCRAM turned on
 * beside unauthenticated TLS while an acks=all producer of an unauthenticated TLS client writes (nothing lost), then
 * unauthenticated access turned off and IAM turned on while a SCRAM producer writes (nothing lost): the TLS listener is
 * gone from the brokers and from GetBootstrapBrokers, SCRAM users keep working, an IAM token connects. Bad input changes
 * nothing.
 */
import {
  BatchAssociateScramSecretCommand, CreateTopicCommand, DescribeClusterCommand, DescribeClusterOperationCommand, GetBootstrapBrokersCommand,
  UpdateSecurityCommand, type KafkaClient,
} from '@aws-sdk/client-kafka';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KafkaAdmin } from '@openmsk/kafka';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsCli, type AwsCli } from '../../api/test/aws-cli';
import { expectError, refused } from '../../api/test/helpers';
import { brokerConfigs, createTestCluster, expectNothingLost, kcat, startProducer, startStack, tlsArgs, waitForState, type Stack, type TestCluster } from './stack';

describe.each(['3.9.x', '3.9.x.kraft'])('UpdateSecurity on %s', (version) => {
  let s: Stack;
  let kafka: KafkaClient;
  let cli: AwsCli;
  let c: TestCluster;
  const topic = 'secured';

  const describe_ = async () => (await kafka.send(new DescribeClusterCommand({ ClusterArn: c.ClusterArn }))).ClusterInfo!;
  const sasl = (bootstrap: string) => ['-b', bootstrap, '-X', 'security.protocol=SASL_SSL', '-X', 'sasl.mechanisms=SCRAM-SHA-512',
    '-X', 'sasl.username=alice', '-X', 'sasl.password=alice-secret', '-X', `ssl.ca.location=${c.ca}`];

  /** Runs `aws kafka update-security` with this client authentication; waits for the cluster to be ACTIVE again. */
  async function update(clientAuthentication: object) {
    const file = join(cli.dir, 'auth.json');
    writeFileSync(file, JSON.stringify(clientAuthentication));
    const out = await cli.ok('kafka', 'update-security', '--cluster-arn', c.ClusterArn, '--current-version', (await describe_()).CurrentVersion!,
      '--client-authentication', `file://${file}`);
    await waitForState(kafka, c.ClusterArn, 'ACTIVE', 420_000);
    const op = (await kafka.send(new DescribeClusterOperationCommand({ ClusterOperationArn: out.ClusterOperationArn }))).ClusterOperationInfo!;
    if (op.OperationState !== 'UPDATE_COMPLETE') throw new Error(`operation ${op.OperationState}: ${JSON.stringify(op.ErrorInfo)}\n${s.logs.slice(-20).join('\n')}`);
    expect(op.OperationType).toBe('UPDATE_SECURITY');
    return op;
  }

  /** The brokers' own listener protocols (CONTROLLER aside), read through the admin listener. */
  const brokerListeners = async () => (await brokerConfigs(s, c.id)).map((b) => b.protocols);

  beforeAll(async () => {
    s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5 });
    kafka = s.client();
    cli = await startAwsCli('openmsk-update-security-', s);
    c = await createTestCluster(s, kafka, 'secure-later', version);
    await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
  }, 300_000);
  afterAll(async () => {
    await cli?.close();
    await s?.close();
  });

  test('refused: in-cluster encryption, IAM and SCRAM over TLS_PLAINTEXT, a stale currentVersion; nothing written', async () => {
    const { CurrentVersion } = await describe_();
    const cases: [object, string, string][] = [
      [{ EncryptionInfo: { EncryptionInTransit: { InCluster: false } } }, "You can't update the in-cluster (broker-to-broker) encryption setting of a cluster.", 'inCluster'],
      [{ ClientAuthentication: { Sasl: { Iam: { Enabled: true } } }, EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } } }, 'SASL/SCRAM and IAM client authentication require clientBroker encryption TLS.', 'clientBroker'],
      [{ ClientAuthentication: { Sasl: { Scram: { Enabled: true } } }, EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS_PLAINTEXT' } } }, 'SASL/SCRAM and IAM client authentication require clientBroker encryption TLS.', 'clientBroker'],
      [{}, 'The request does not include any updates to the security settings of the cluster. Verify the request, then try again.', 'clientAuthentication'],
    ];
    for (const [change, message, param] of cases) {
      const e = await refused(s, kafka, new UpdateSecurityCommand({ ClusterArn: c.ClusterArn, CurrentVersion, ...change }));
      expectError(e, 'BadRequestException', 400, param);
      expect(e.message).toBe(message);
    }
    const stale = await refused(s, kafka, new UpdateSecurityCommand({ ClusterArn: c.ClusterArn, CurrentVersion: 'K0000000000000', ClientAuthentication: { Unauthenticated: { Enabled: true } } }));
    expectError(stale, 'BadRequestException', 400, 'currentVersion');
    expect((await describe_()).CurrentVersion).toBe(CurrentVersion);
  });

  test('SCRAM turned on beside unauthenticated TLS: a connected TLS producer loses nothing', async () => {
    const producer = startProducer(c.bootstrap, tlsArgs(c.ca), topic, 5);
    const op = await update({ Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: true } });
    expect(op.SourceClusterInfo!.ClientAuthentication!.Sasl!.Scram!.Enabled).toBe(false);
    expect(op.TargetClusterInfo!.ClientAuthentication!.Sasl!.Scram!.Enabled).toBe(true);
    await expectNothingLost(producer, c, topic);

    expect((await describe_()).ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: true }, Iam: { Enabled: false } },
      Tls: { Enabled: false, CertificateAuthorityArnList: [] },
      Unauthenticated: { Enabled: true },
    });
    for (const l of await brokerListeners()) expect(l).toEqual(['CLIENT_SASL_SCRAM:SASL_SSL', 'CLIENT_SECURE:SSL', 'REPLICATION:SSL']);
    const b = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: c.ClusterArn }));
    expect(b.BootstrapBrokerStringTls).toBeDefined();
    expect(b.BootstrapBrokerStringSaslScram).toBeDefined();

    const sm = new SecretsManagerClient({ endpoint: s.url, region: 'us-east-1', credentials: s.credentials, maxAttempts: 1 });
    const secret = await sm.send(new CreateSecretCommand({ Name: 'AmazonMSK_alice', SecretString: JSON.stringify({ username: 'alice', password: 'alice-secret' }) }));
    sm.destroy();
    expect((await kafka.send(new BatchAssociateScramSecretCommand({ ClusterArn: c.ClusterArn, SecretArnList: [secret.ARN!] }))).UnprocessedScramSecrets).toEqual([]);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await kcat([...sasl(b.BootstrapBrokerStringSaslScram!), '-L', '-m', '5'], undefined, 20_000).then(() => true, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('alice cannot connect');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }, 600_000);

  test('unauthenticated access off and IAM on: a SCRAM producer loses nothing, the TLS listener is gone, IAM connects', async () => {
    const scram = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: c.ClusterArn }))).BootstrapBrokerStringSaslScram!;
    const before = (await kcat([...sasl(scram), '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], undefined, 120_000)).trim().split('\n').length;
    const producer = startProducer(scram, sasl(scram).slice(2), topic, 5);
    await update({ Sasl: { Scram: { Enabled: true }, Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } });
    const { sent, failed, exitCode, stderr } = await producer.stop();
    if (failed !== 0 || exitCode !== 0) throw new Error(`producer: ${failed} failed, exit ${exitCode}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
    const got = new Set((await kcat([...sasl(scram), '-C', '-t', topic, '-o', 'beginning', '-e', '-q'], undefined, 120_000)).trim().split('\n'));
    expect(sent.filter((m) => !got.has(m))).toEqual([]);
    expect(got.size).toBeGreaterThanOrEqual(before);

    for (const l of await brokerListeners()) expect(l).toEqual(['CLIENT_SASL_IAM:SASL_SSL', 'CLIENT_SASL_SCRAM:SASL_SSL', 'REPLICATION:SSL']);
    const b = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: c.ClusterArn }));
    expect(b.BootstrapBrokerStringTls).toBeUndefined();
    const { token } = await generateAuthTokenFromCredentialsProvider({ region: 'us-east-1', awsCredentialsProvider: async () => s.credentials });
    const iam = new KafkaAdmin({ brokers: b.BootstrapBrokerStringSaslIam!.split(','), caPem: readFileSync(c.ca, 'utf8'), sasl: { mechanism: 'OAUTHBEARER', token } });
    try {
      expect((await iam.metadata({ topics: [] })).brokers).toHaveLength(3);
    } finally {
      await iam.close();
    }
    expect((await s.db.portAllocation.count({ where: { clusterId: c.id, purpose: 'client_tls' } }))).toBe(0);
    await expect(kcat(['-b', c.bootstrap, ...tlsArgs(c.ca), '-L', '-m', '5'], undefined, 20_000)).rejects.toThrow();
  }, 600_000);
});
