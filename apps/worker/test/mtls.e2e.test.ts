/**
 * Mutual TLS the MSK way, on real clusters (3.9.x with ZooKeeper, 3.9.x.kraft): a root CA made with the ACM Private
 * CA API through the AWS CLI v2, a cluster that trusts exactly that CA on its TLS listener with client certificates
 * required, a client key and CSR made with openssl and a certificate from `aws acm-pca issue-certificate`. kcat with
 * that certificate produces and consumes; without one, or with one from another CA, it is refused; an ACL on the
 * certificate's distinguished name (the principal, as on MSK) is enforced. The brokers' own listener configuration is
 * checked against DescribeCluster.
 */
import {
  CreateClusterCommand, CreateTopicCommand, DescribeClusterCommand, GetBootstrapBrokersCommand, type CreateClusterRequest, type KafkaClient,
} from '@aws-sdk/client-kafka';
import { clusterPaths } from '@openmsk/runtime';
import { Admin, AclOperations, AclPermissionTypes, ResourcePatternTypes, ResourceTypes } from '@platformatic/kafka';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsCli, type AwsCli } from '../../api/test/aws-cli';
import { expectError, refused } from '../../api/test/helpers';
import { brokerConfigs, kcat, sh, startStack, waitForState, type Stack } from './stack';

describe.each(['3.9.x', '3.9.x.kraft'])('mutual TLS on %s', (version) => {
  let s: Stack;
  let kafka: KafkaClient;
  let cli: AwsCli;
  let arn: string;
  let ca: string;
  let bootstrap: string;
  let trusted: string;
  let untrusted: string;

  /** A root CA, ACTIVE, made the four-step AWS way. */
  async function rootCa(name: string): Promise<string> {
    const cfg = join(cli.dir, `${name}.json`);
    writeFileSync(cfg, JSON.stringify({ KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: name, Organization: 'Example' } }));
    const { CertificateAuthorityArn: caArn } = await cli.ok('acm-pca', 'create-certificate-authority', '--certificate-authority-type', 'ROOT',
      '--certificate-authority-configuration', `file://${cfg}`);
    const { Csr } = await cli.ok('acm-pca', 'get-certificate-authority-csr', '--certificate-authority-arn', caArn);
    writeFileSync(join(cli.dir, `${name}.csr`), Csr);
    const { CertificateArn } = await cli.ok('acm-pca', 'issue-certificate', '--certificate-authority-arn', caArn, '--csr', `fileb://${join(cli.dir, `${name}.csr`)}`,
      '--signing-algorithm', 'SHA256WITHECDSA', '--template-arn', 'arn:aws:acm-pca:::template/RootCACertificate/V1', '--validity', 'Value=1,Type=YEARS');
    const { Certificate } = await cli.ok('acm-pca', 'get-certificate', '--certificate-authority-arn', caArn, '--certificate-arn', CertificateArn);
    writeFileSync(join(cli.dir, `${name}.pem`), Certificate);
    await cli.ok('acm-pca', 'import-certificate-authority-certificate', '--certificate-authority-arn', caArn, '--certificate', `fileb://${join(cli.dir, `${name}.pem`)}`);
    return caArn;
  }

  /** A client's key and certificate: the key and CSR by openssl, the certificate by `aws acm-pca issue-certificate`. */
  async function client(user: string, caArn: string): Promise<{ cert: string; key: string; principal: string }> {
    const key = join(cli.dir, `${user}.key`);
    const csr = join(cli.dir, `${user}.csr`);
    const cert = join(cli.dir, `${user}.pem`);
    await sh('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/O=Example/CN=${user}`, '-keyout', key, '-out', csr]);
    const { CertificateArn } = await cli.ok('acm-pca', 'issue-certificate', '--certificate-authority-arn', caArn, '--csr', `fileb://${csr}`,
      '--signing-algorithm', 'SHA256WITHECDSA', '--validity', 'Value=30,Type=DAYS');
    const out = await cli.ok('acm-pca', 'get-certificate', '--certificate-authority-arn', caArn, '--certificate-arn', CertificateArn);
    writeFileSync(cert, out.Certificate);
    const subject = (await sh('openssl', ['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'RFC2253'])).trim().replace(/^subject=\s*/, '');
    return { cert, key, principal: `User:${subject}` };
  }

  const tls = (c?: { cert: string; key: string }) => [
    '-b', bootstrap, '-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${ca}`,
    ...(c ? ['-X', `ssl.certificate.location=${c.cert}`, '-X', `ssl.key.location=${c.key}`] : []),
  ];
  const produces = (c: { cert: string; key: string } | undefined, topic = 'orders') =>
    kcat([...tls(c), '-P', '-t', topic, '-X', 'message.timeout.ms=8000', '-X', 'socket.timeout.ms=5000'], `m-${Date.now()}\n`, 20_000).then(() => true, () => false);
  async function eventually(c: { cert: string; key: string }, want: boolean, topic: string) {
    const deadline = Date.now() + 30_000;
    while ((await produces(c, topic)) !== want) {
      if (Date.now() > deadline) throw new Error(`${c.cert} ${want ? 'cannot' : 'can still'} produce to ${topic}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  const request = (caArns: string[]): CreateClusterRequest => ({
    ClusterName: 'mtls', KafkaVersion: version, NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
    ClientAuthentication: { Tls: { CertificateAuthorityArnList: caArns }, Unauthenticated: { Enabled: false } },
    EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
  });

  beforeAll(async () => {
    s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5 });
    kafka = s.client();
    cli = await startAwsCli('openmsk-mtls-', s);
    trusted = await rootCa('trusted');
    untrusted = await rootCa('untrusted');
    ({ ClusterArn: arn } = (await kafka.send(new CreateClusterCommand(request([trusted]))) as { ClusterArn: string }));
    const id = arn.split('/')[2].replace(/-\d+$/, '');
    await waitForState(kafka, arn, 'ACTIVE', 240_000).catch((e) => {
      throw new Error(`${(e as Error).message}\n${s.logs.slice(-15).join('\n')}`);
    });
    ca = clusterPaths(s.config.OPENMSK_HOME, id).ca;
    bootstrap = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }))).BootstrapBrokerStringTls!;
    for (const TopicName of ['orders', 'payroll']) {
      await kafka.send(new CreateTopicCommand({ ClusterArn: arn, TopicName, PartitionCount: 2, ReplicationFactor: 2 }));
    }
  }, 360_000);
  afterAll(async () => {
    await cli?.close();
    await s?.close();
  });

  test('a CA that is not the caller\'s ACTIVE private CA is refused, nothing written', async () => {
    const missing = trusted.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000');
    const e = await refused(s, kafka, new CreateClusterCommand({ ...request([missing]), ClusterName: 'mtls-bad' }));
    expectError(e, 'BadRequestException', 400, 'certificateAuthorityArnList');
    expect(e.message).toBe(`The certificate authority ${missing} does not exist or is not ACTIVE.`);
  });

  test('the TLS listener requires client certificates of exactly the listed CA; DescribeCluster says so', async () => {
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }));
    expect(ClusterInfo!.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: false }, Iam: { Enabled: false } },
      Tls: { Enabled: true, CertificateAuthorityArnList: [trusted] },
      Unauthenticated: { Enabled: false },
    });
    const b = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }));
    expect(b.BootstrapBrokerString).toBeUndefined();
    expect(b.BootstrapBrokerStringSaslScram).toBeUndefined();

    const id = arn.split('/')[2].replace(/-\d+$/, '');
    for (const { config, protocols } of await brokerConfigs(s, id)) {
      expect(protocols).toEqual(['CLIENT_SECURE:SSL', 'REPLICATION:SSL']);
      expect(config.get('listener.name.client_secure.ssl.client.auth')?.value).toBe('required');
      expect(config.get('authorizer.class.name')?.value).toMatch(/Authorizer$/);
    }
    // The brokers' client truststore is exactly the listed CA's certificate.
    const truststore = readFileSync(join(clusterPaths(s.config.OPENMSK_HOME, id).node('broker-1').config, 'tls', 'clients-ca.pem'), 'utf8');
    expect(truststore.trim()).toBe(readFileSync(join(cli.dir, 'trusted.pem'), 'utf8').trim());
  });

  test('a certificate from the trusted CA produces and consumes; none, or one from another CA, is refused', async () => {
    const alice = await client('alice', trusted);
    await eventually(alice, true, 'orders');
    expect(await kcat([...tls(alice), '-C', '-t', 'orders', '-o', 'beginning', '-e', '-q'], undefined, 30_000)).toMatch(/^m-/m);
    expect(await produces(undefined)).toBe(false);
    const mallory = await client('mallory', untrusted);
    expect(await produces(mallory)).toBe(false);
  });

  test('an ACL on a certificate\'s distinguished name is enforced', async () => {
    const alice = await client('alice2', trusted);
    const bob = await client('bob', trusted);
    await eventually(bob, true, 'payroll');
    const [host, port] = bootstrap.split(',')[0].split(':');
    const admin = new Admin({
      clientId: 'acl-test', bootstrapBrokers: [{ host, port: Number(port) }], tlsServerName: false,
      tls: { ca: readFileSync(ca, 'utf8'), cert: readFileSync(alice.cert, 'utf8'), key: readFileSync(alice.key, 'utf8') },
    });
    try {
      const payroll = { resourceType: ResourceTypes.TOPIC, resourceName: 'payroll', resourcePatternType: ResourcePatternTypes.LITERAL, host: '*' };
      await admin.createAcls({
        creations: [
          { ...payroll, principal: bob.principal, operation: AclOperations.WRITE, permissionType: AclPermissionTypes.DENY },
          { ...payroll, principal: alice.principal, operation: AclOperations.WRITE, permissionType: AclPermissionTypes.ALLOW },
        ],
      });
    } finally {
      await admin.close();
    }
    expect(bob.principal).toBe('User:CN=bob,O=Example');
    await eventually(bob, false, 'payroll');
    expect(await produces(bob, 'orders')).toBe(true);
    expect(await produces(alice, 'payroll')).toBe(true);
  });
});
