/**
 * BatchAssociateScramSecret, BatchDisassociateScramSecret and ListScramSecrets: MSK's rules and messages, nothing
 * written on a refused call, other accounts' secrets and clusters answer as missing. No worker or brokers here
 * (scram.e2e covers the users on real brokers): the clusters are made ACTIVE in the database.
 */
import {
  BatchAssociateScramSecretCommand, BatchDisassociateScramSecretCommand, CreateClusterCommand, KafkaClient,
  ListScramSecretsCommand, type CreateClusterRequest,
} from '@aws-sdk/client-kafka';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startApi, type Harness } from './harness';
import { expectError, refused } from './helpers';

let h: Harness;
let kafka: KafkaClient;
let sm: SecretsManagerClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  sm = new SecretsManagerClient({ endpoint: h.url, region: 'us-east-1', credentials: h.credentials, maxAttempts: 1 });
});
afterAll(async () => {
  sm.destroy();
  await h.close();
});

const SCRAM: Partial<CreateClusterRequest> = {
  ClientAuthentication: { Sasl: { Scram: { Enabled: true } }, Unauthenticated: { Enabled: false } },
  EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
};
let seq = 0;
async function cluster(over: Partial<CreateClusterRequest> = SCRAM, state = 'ACTIVE') {
  const out = await kafka.send(new CreateClusterCommand({
    ClusterName: `scram-${++seq}`, KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
    ...over,
  }));
  await h.db.cluster.update({ where: { arn: out.ClusterArn! }, data: { state } });
  return out.ClusterArn!;
}
const secret = async (name: string, value: unknown, client = sm) =>
  (await client.send(new CreateSecretCommand({ Name: name, SecretString: typeof value === 'string' ? value : JSON.stringify(value) }))).ARN!;
const associate = (ClusterArn: string, SecretArnList: string[]) => kafka.send(new BatchAssociateScramSecretCommand({ ClusterArn, SecretArnList }));

const NO_ACCESS = "Amazon MSK wasn't able to access the provided secret.";
const PREFIX = "The provided secret arn cannot be used with Amazon MSK. Secret names must have the prefix 'AmazonMSK_'";

test('associates, lists with paging, disassociates', async () => {
  const arn = await cluster();
  const a = await secret('AmazonMSK_ann', { username: 'ann', password: 'p1' });
  const b = await secret('AmazonMSK_ben', { username: 'ben', password: 'p2' });
  const out = await associate(arn, [a, b]);
  expect(out).toMatchObject({ ClusterArn: arn, UnprocessedScramSecrets: [] });
  expect(await associate(arn, [a])).toMatchObject({ UnprocessedScramSecrets: [] }); // again: nothing to do
  expect(await h.db.scramSecret.count({ where: { cluster: { arn } } })).toBe(2);

  const first = await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn, MaxResults: 1 }));
  expect(first.SecretArnList).toHaveLength(1);
  expect(first.NextToken).toBeDefined();
  const second = await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn, MaxResults: 1, NextToken: first.NextToken }));
  expect([...first.SecretArnList!, ...second.SecretArnList!].sort()).toEqual([a, b].sort());
  expect(second.NextToken).toBeUndefined();

  const gone = await kafka.send(new BatchDisassociateScramSecretCommand({ ClusterArn: arn, SecretArnList: [a, b] }));
  expect(gone.UnprocessedScramSecrets).toEqual([]);
  expect((await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn }))).SecretArnList).toEqual([]);
  const again = await kafka.send(new BatchDisassociateScramSecretCommand({ ClusterArn: arn, SecretArnList: [a] }));
  expect(again.UnprocessedScramSecrets).toEqual([{ SecretArn: a, ErrorCode: 'InvalidSecretArn', ErrorMessage: 'The provided secret is not associated with this cluster.' }]);
});

test('each secret MSK cannot use is unprocessed with its reason, and only the good one is associated', async () => {
  const arn = await cluster();
  const other = await h.newAccount('other-scram');
  const theirs = new SecretsManagerClient({ endpoint: h.url, region: 'us-east-1', credentials: other, maxAttempts: 1 });
  const good = await secret('AmazonMSK_good', { username: 'good', password: 'p' });
  const cases: [string, string][] = [
    [await secret('plain_name', { username: 'x', password: 'p' }), PREFIX],
    [await secret('AmazonMSK_theirs', { username: 'y', password: 'p' }, theirs), NO_ACCESS],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:AmazonMSK_nothing-abcdef', NO_ACCESS],
    [`arn:aws:kms:us-east-1:${h.accountId}:key/AmazonMSK_x-abcdef`, NO_ACCESS],
    [await secret('AmazonMSK_notjson', 'not json'), 'The provided secret cannot be used with Amazon MSK: The secret value is not valid JSON.'],
    [await secret('AmazonMSK_nopass', { username: 'z' }), 'The provided secret cannot be used with Amazon MSK: The secret value must be a JSON object with a username and a password.'],
    [await secret('AmazonMSK_internal', { username: 'CN=openmsk-internal', password: 'p' }), 'The provided secret cannot be used with Amazon MSK: The user name CN=openmsk-internal is reserved.'],
    [await secret('AmazonMSK_iam', { username: `arn:aws:iam::${h.accountId}:root`, password: 'p' }), `The provided secret cannot be used with Amazon MSK: The user name arn:aws:iam::${h.accountId}:root is reserved.`],
    [await secret('AmazonMSK_good2', { username: 'good', password: 'q' }), 'The user name good is already used by another secret associated with this cluster.'],
  ];
  theirs.destroy();
  const out = await associate(arn, [good, ...cases.map(([a]) => a)].slice(0, 10));
  expect(out.UnprocessedScramSecrets).toEqual(cases.map(([SecretArn, ErrorMessage]) => ({ SecretArn, ErrorCode: 'InvalidSecretArn', ErrorMessage })));
  expect((await kafka.send(new ListScramSecretsCommand({ ClusterArn: arn }))).SecretArnList).toEqual([good]);
});

test('refused calls write nothing: SCRAM off, a cluster not running, list sizes, unknown or foreign clusters', async () => {
  const s = await secret('AmazonMSK_refused', { username: 'r', password: 'p' });
  const open = await cluster({});
  let e = await refused(h, kafka, new BatchAssociateScramSecretCommand({ ClusterArn: open, SecretArnList: [s] }));
  expectError(e, 'BadRequestException', 400, 'clusterArn');
  expect(e.message).toBe('SASL/SCRAM authentication is not enabled for this cluster.');

  const creating = await cluster(SCRAM, 'CREATING');
  e = await refused(h, kafka, new BatchAssociateScramSecretCommand({ ClusterArn: creating, SecretArnList: [s] }));
  expectError(e, 'BadRequestException', 400, 'clusterArn');
  expect(e.message).toBe("You can't associate SCRAM secrets with a cluster in CREATING state.");

  const arn = await cluster();
  for (const list of [[], Array.from({ length: 11 }, (_, i) => `${s}${i}`)]) {
    e = await refused(h, kafka, new BatchAssociateScramSecretCommand({ ClusterArn: arn, SecretArnList: list }));
    expectError(e, 'BadRequestException', 400, 'secretArnList');
    expect(e.message).toBe('secretArnList must contain between 1 and 10 secret ARNs.');
  }

  const missing = arn.replace(/\/[0-9a-f-]+-\d+$/, '/00000000-0000-4000-8000-000000000000-1');
  e = await refused(h, kafka, new BatchAssociateScramSecretCommand({ ClusterArn: missing, SecretArnList: [s] }));
  expectError(e, 'NotFoundException', 404);
  const other = await h.newAccount('other-scram-2');
  const foreign = h.client(other);
  e = await refused(h, foreign, new ListScramSecretsCommand({ ClusterArn: arn }));
  expectError(e, 'NotFoundException', 404);
  e = await refused(h, foreign, new BatchAssociateScramSecretCommand({ ClusterArn: arn, SecretArnList: [s] }));
  expectError(e, 'NotFoundException', 404);
});
