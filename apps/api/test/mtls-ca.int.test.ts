/**
 * CreateCluster with mutual TLS trusts only the caller's own ACTIVE ACM Private CAs: another account's, another
 * region's, a missing or a not yet ACTIVE CA is refused with nothing written.
 */
import { CreateClusterCommand, type CreateClusterRequest, type KafkaClient } from '@aws-sdk/client-kafka';
import { createActiveRootCa } from '../src/acmpca/operations';
import { startApi, type Harness } from './harness';
import { expectError, refused } from './helpers';

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const request = (name: string, CertificateAuthorityArnList: string[]): CreateClusterRequest => ({
  ClusterName: name, KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2,
  BrokerNodeGroupInfo: { InstanceType: 'kafka.m5.large', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 10 } } },
  ClientAuthentication: { Tls: { CertificateAuthorityArnList }, Unauthenticated: { Enabled: false } },
  EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
});
const ca = async (accountId: string, region = 'us-east-1') => (await createActiveRootCa(
  { principal: { accountId }, region, deps: { db: h.db, box: h.box } } as never,
  { CertificateAuthorityConfiguration: { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: 'test' } } },
)).CertificateAuthorityArn;

test('the caller\'s ACTIVE CA is accepted; another account\'s, another region\'s or a pending one is refused', async () => {
  const mine = await ca(h.accountId);
  expect((await kafka.send(new CreateClusterCommand(request('mtls-ok', [mine])))).State).toBe('CREATING');

  const other = await h.newAccount('other-mtls');
  const theirs = await ca(other.accountId);
  const elsewhere = await ca(h.accountId, 'eu-west-1');
  const pending = await ca(h.accountId);
  await h.db.privateCa.update({ where: { arn: pending }, data: { status: 'PENDING_CERTIFICATE' } });
  for (const arn of [theirs, elsewhere, pending]) {
    const e = await refused(h, kafka, new CreateClusterCommand(request('mtls-bad', [mine, arn])));
    expectError(e, 'BadRequestException', 400, 'certificateAuthorityArnList');
    expect(e.message).toBe(`The certificate authority ${arn} does not exist or is not ACTIVE.`);
  }
});
