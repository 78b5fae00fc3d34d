/**
 * IAM client authentication, on real clusters (3.9.x with ZooKeeper, 3.9.x.kraft): a cluster created with IAM on and
 * unauthenticated access off has one client listener, SASL_SSL with OAUTHBEARER; a Node client (@platformatic/kafka)
 * with the token AWS's own signer (aws-msk-iam-sasl-signer-js) makes from the account's access key produces and
 * consumes; no token, a tampered token, an expired token and another account's token are refused by the brokers,
 * whose validator plugin asked the API. DescribeCluster's clientAuthentication is checked against the brokers' own
 * listener configuration.
 */
import { CreateClusterCommand, CreateTopicCommand, DescribeClusterCommand, GetBootstrapBrokersCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { iamVerifierCredential } from '@openmsk/db';
import { KafkaAdmin, KafkaAdminError, type KafkaTarget } from '@openmsk/kafka';
import { clusterPaths } from '@openmsk/runtime';
import { NodeSha256 } from '@openmsk/wire';
import {
  AclOperations, AclPermissionTypes, Admin, Consumer, Producer, ResourcePatternTypes, ResourceTypes, saslOAuthBearer, stringDeserializers, stringSerializers,
} from '@platformatic/kafka';
import { SignatureV4 } from '@smithy/signature-v4';
import { generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { readFileSync } from 'node:fs';
import { brokerConfigs, createSecuredCluster, startStack, type Stack } from './stack';

type Credentials = { accessKeyId: string; secretAccessKey: string };

/** The token as MSK's IAM clients make it, from AWS's own JS signer (local signing, nothing on the network). */
const signerToken = async (credentials: Credentials) =>
  (await generateAuthTokenFromCredentialsProvider({ region: 'us-east-1', awsCredentialsProvider: async () => credentials })).token;

/** The same presigned URL as the JS signer's, signed at `signedAt` (an expired token, when far enough back). */
async function tokenSignedAt(credentials: Credentials, signedAt: Date): Promise<string> {
  const signer = new SignatureV4({ service: 'kafka-cluster', region: 'us-east-1', credentials, sha256: NodeSha256, applyChecksum: false });
  const host = 'kafka.us-east-1.amazonaws.com';
  const req = await signer.presign(
    { method: 'GET', protocol: 'https:', hostname: host, path: '/', headers: { host }, query: { Action: 'kafka-cluster:Connect' } },
    { expiresIn: 900, signingDate: signedAt },
  );
  const query = Object.entries(req.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
  return Buffer.from(`https://${host}/?${query}`).toString('base64url');
}

/** A token whose signature lost its last hex digit's value: everything else as signed. */
function tampered(token: string): string {
  const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
  const sig = url.searchParams.get('X-Amz-Signature')!;
  url.searchParams.set('X-Amz-Signature', sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'));
  return Buffer.from(url.toString()).toString('base64url');
}

describe.each(['3.9.x', '3.9.x.kraft'])('IAM on %s', (version) => {
  let s: Stack;
  let kafka: KafkaClient;
  let arn: string;
  let id: string;
  let caPem: string;
  let bootstrap: string;

  const sasl = (token: string) => ({ mechanism: 'OAUTHBEARER' as const, token, authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes });
  /** What the brokers answer a client holding `sasl` (undefined: none): metadata, or the refusal's Kafka code. */
  async function answer(auth: KafkaTarget['sasl'] | undefined): Promise<string> {
    const admin = new KafkaAdmin({ brokers: bootstrap.split(','), caPem, ...(auth && { sasl: auth }) }, { clientId: 'iam-test', timeoutMs: 8000 });
    try {
      const m = await admin.metadata({ topics: [] });
      return `brokers:${m.brokers.length}`;
    } catch (e) {
      return e instanceof KafkaAdminError ? e.kafkaCode ?? e.message : String(e);
    } finally {
      await admin.close();
    }
  }

  beforeAll(async () => {
    s = await startStack({ OPENMSK_RECONCILE_SECONDS: 5 });
    kafka = s.client();
    ({ arn, id } = await createSecuredCluster(s, kafka, 'iam', version, { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } }));
    caPem = readFileSync(clusterPaths(s.config.OPENMSK_HOME, id).ca, 'utf8');
    await kafka.send(new CreateTopicCommand({ ClusterArn: arn, TopicName: 'orders', PartitionCount: 2, ReplicationFactor: 2 }));
    bootstrap = (await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }))).BootstrapBrokerStringSaslIam!;
  }, 300_000);
  afterAll(async () => {
    await s?.close();
  });

  test('one client listener, SASL_SSL with OAUTHBEARER; DescribeCluster says what the brokers enforce', async () => {
    const info = (await kafka.send(new DescribeClusterCommand({ ClusterArn: arn }))).ClusterInfo!;
    expect(info.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: false }, Iam: { Enabled: true } },
      Tls: { Enabled: false, CertificateAuthorityArnList: [] },
      Unauthenticated: { Enabled: false },
    });
    const strings = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn: arn }));
    expect(strings.BootstrapBrokerStringSaslIam?.split(',')).toHaveLength(2);
    expect([strings.BootstrapBrokerString, strings.BootstrapBrokerStringTls, strings.BootstrapBrokerStringSaslScram]).toEqual([undefined, undefined, undefined]);
    for (const b of await brokerConfigs(s, id)) {
      expect(b.protocols).toEqual(['CLIENT_SASL_IAM:SASL_SSL', 'REPLICATION:SSL']);
      expect(b.config.get('listener.name.client_sasl_iam.sasl.enabled.mechanisms')?.value).toBe('OAUTHBEARER');
      expect(b.config.get('listener.name.client_sasl_iam.oauthbearer.sasl.server.callback.handler.class')?.value).toBe('org.openmsk.kafka.IamTokenValidator');
      expect(b.config.get('listener.name.replication.ssl.client.auth')?.value).toBe('required');
    }
  });

  test("the account's token produces and consumes (acks=all), through AWS's own signer, ACLs or not (a super user)", async () => {
    const token = await signerToken(s.credentials);
    const common = { bootstrapBrokers: bootstrap.split(','), tls: { ca: caPem }, tlsServerName: false as const, sasl: sasl(token), connectTimeout: 8000, retries: 2 };
    // The account's IAM principal may do everything: even an ACL denying every principal writes leaves it writing.
    const admin = new Admin({ ...common, clientId: 'iam-acl' });
    try {
      await admin.createAcls({
        creations: [{
          resourceType: ResourceTypes.TOPIC, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL, host: '*',
          principal: 'User:*', operation: AclOperations.WRITE, permissionType: AclPermissionTypes.DENY,
        }],
      });
      // KRaft brokers learn ACLs from the metadata log a moment after the controller took them.
      const filter = {
        resourceType: ResourceTypes.TOPIC, resourceName: 'orders', resourcePatternType: ResourcePatternTypes.LITERAL,
        operation: AclOperations.ANY, permissionType: AclPermissionTypes.ANY, host: null, principal: null,
      };
      let acls: string[] = [];
      for (const deadline = Date.now() + 15_000; acls.length === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 300))) {
        acls = (await admin.describeAcls({ filter })).flatMap((r) => r.acls.map((a) => `${a.principal} ${a.permissionType}`));
      }
      expect(acls).toEqual([`User:* ${AclPermissionTypes.DENY}`]);
    } finally {
      await admin.close();
    }
    const producer = new Producer({ ...common, clientId: 'iam-producer', serializers: stringSerializers, acks: -1 });
    const sent = Array.from({ length: 20 }, (_, i) => `m-${i}`);
    try {
      await producer.send({ messages: sent.map((value, i) => ({ topic: 'orders', key: String(i), value })) });
    } finally {
      await producer.close();
    }
    const consumer = new Consumer({ ...common, clientId: 'iam-consumer', groupId: `iam-${Date.now()}`, deserializers: stringDeserializers, maxWaitTime: 500 });
    const seen: string[] = [];
    try {
      const stream = await consumer.consume({ topics: ['orders'], mode: 'earliest' });
      const deadline = Date.now() + 30_000;
      for await (const m of stream) {
        seen.push(m.value as string);
        if (seen.length >= sent.length || Date.now() > deadline) break;
      }
      await stream.close();
    } finally {
      await consumer.close(true);
    }
    expect(seen.sort()).toEqual([...sent].sort());
  });

  test('refused by the brokers: no token, a tampered token, an expired token, another account\'s token, a made-up key', async () => {
    const good = await signerToken(s.credentials);
    expect(await answer({ mechanism: 'OAUTHBEARER', token: good })).toBe('brokers:2');
    // No SASL at all: the SASL_SSL listener answers nothing before authentication.
    expect(await answer(undefined)).not.toMatch(/^brokers:/);
    const other = await s.newAccount('iam-other');
    const cases: [string, string][] = [
      ['tampered', tampered(good)],
      ['expired', await tokenSignedAt(s.credentials, new Date(Date.now() - 16 * 60_000))],
      ['other account', await signerToken({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey })],
      ['made-up key', await signerToken({ accessKeyId: 'AKIAOPENMSKMADEUP000', secretAccessKey: s.credentials.secretAccessKey })],
    ];
    for (const [what, token] of cases) {
      expect([what, await answer({ mechanism: 'OAUTHBEARER', token })]).toEqual([what, 'SASL_AUTHENTICATION_FAILED']);
    }
    // A token signed moments ago with the right key, not expired: accepted, so the expired one was refused for its time.
    expect(await answer({ mechanism: 'OAUTHBEARER', token: await tokenSignedAt(s.credentials, new Date(Date.now() - 60_000)) })).toBe('brokers:2');
  });

  test("the verifier answers only a cluster's own brokers", async () => {
    const token = await signerToken(s.credentials);
    const post = (authorization: string, clusterId = id) => fetch(`${s.url}/openmsk/internal/iam-token`, {
      method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify({ clusterId, token }),
    });
    expect((await post('Bearer not-the-credential')).status).toBe(403);
    const credential = iamVerifierCredential(s.box, id);
    const ok = await post(`Bearer ${credential}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ principal: `arn:aws:iam::${s.accountId}:root`, accessKeyId: s.credentials.accessKeyId });
    // One cluster's credential is worthless for another cluster id.
    expect((await post(`Bearer ${credential}`, '00000000-0000-4000-8000-000000000000')).status).toBe(403);
  });
});
