/**
 * Placeholders are bad input: the body Swagger UI offers by default ("string" everywhere), once its obviously
 * wrong numbers are fixed, is refused field by field with MSK-style messages, and nothing is written. A security
 * mode the brokers would not enforce is refused too, and a cluster created without clientAuthentication does not
 * report one.
 */
import { DescribeClusterCommand, KafkaClient } from '@aws-sdk/client-kafka';
import { rowCounts, startApi, type Harness } from './harness';
import { bearer } from './helpers';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
let kafka: KafkaClient;
beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
});
afterAll(() => h.close());

const valid = () => ({
  clusterName: 'placeholders',
  kafkaVersion: '3.9.x',
  numberOfBrokerNodes: 3,
  brokerNodeGroupInfo: {
    instanceType: 'kafka.t3.small',
    clientSubnets: ['subnet-0a1b2c3d', 'subnet-1b2c3d4e', 'subnet-2c3d4e5f'],
    storageInfo: { ebsStorageInfo: { volumeSize: 10 } },
  },
});

/** Refused with 400 BadRequestException naming `param`, and no table changed. */
async function refusedBody(body: Obj, message: string | RegExp, param: string) {
  const before = await rowCounts(h.db);
  const res = await bearer(h, 'POST', '/v1/clusters', body);
  expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), invalidParameter: res.json?.invalidParameter })
    .toEqual({ status: 400, type: 'BadRequestException', invalidParameter: param });
  if (typeof message === 'string') expect(res.json.message).toBe(message);
  else expect(res.json.message).toMatch(message);
  expect(await rowCounts(h.db)).toEqual(before);
}

describe("Swagger UI's placeholder body", () => {
  const cases: Array<[string, (b: Obj) => void, string | RegExp, string]> = [
    ['subnet "string"', (b) => { b.brokerNodeGroupInfo.clientSubnets = ['string', 'subnet-1b2c3d4e', 'subnet-2c3d4e5f']; },
      'The subnet ID string is not valid. A subnet ID is "subnet-" followed by 8 or 17 hexadecimal digits, e.g. subnet-0a1b2c3d.', 'clientSubnets'],
    ['security group "string"', (b) => { b.brokerNodeGroupInfo.securityGroups = ['string']; },
      'The security group ID string is not valid. A security group ID is "sg-" followed by 8 or 17 hexadecimal digits, e.g. sg-0a1b2c3d.', 'securityGroups'],
    ['KMS key "string"', (b) => { b.encryptionInfo = { encryptionAtRest: { dataVolumeKMSKeyId: 'string' } }; },
      'The dataVolumeKMSKeyId parameter must be the ARN of a KMS key (arn:aws:kms:<region>:<account>:key/<key id>) or alias; string is not.', 'dataVolumeKMSKeyId'],
    ['certificate authority "string"', (b) => { b.clientAuthentication = { tls: { certificateAuthorityArnList: ['string'], enabled: true } }; },
      'The certificate authority ARN string is not valid. Expected arn:aws:acm-pca:<region>:<account>:certificate-authority/<id>.', 'certificateAuthorityArnList'],
    ['configuration ARN "string"', (b) => { b.configurationInfo = { arn: 'string', revision: 1 }; }, 'Invalid Configuration ARN.', 'configurationInfo'],
    ['CloudWatch log group with a space', (b) => { b.loggingInfo = { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: 'my logs' } } }; },
      'The logGroup parameter my logs is not a valid CloudWatch Logs log group name.', 'logGroup'],
    ['S3 bucket "String_Bucket"', (b) => { b.loggingInfo = { brokerLogs: { s3: { enabled: true, bucket: 'String_Bucket' } } }; },
      'The bucket parameter String_Bucket is not a valid S3 bucket name.', 'bucket'],
    ['Firehose stream missing', (b) => { b.loggingInfo = { brokerLogs: { firehose: { enabled: true } } }; }, 'The deliveryStream parameter is required.', 'deliveryStream'],
  ];
  test.each(cases)('%s is refused, nothing written', async (_name, change, message, param) => {
    const body = valid();
    change(body);
    await refusedBody(body, message, param);
  });
});

describe('clientAuthentication in DescribeCluster', () => {
  test('absent from the request: absent from the answer (as MSK does)', async () => {
    const res = await bearer(h, 'POST', '/v1/clusters', { ...valid(), clusterName: 'no-auth' });
    expect(res.status).toBe(200);
    const wire = await bearer(h, 'GET', `/v1/clusters/${encodeURIComponent(res.json.clusterArn)}`);
    expect(wire.json.clusterInfo).not.toHaveProperty('clientAuthentication');
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: res.json.clusterArn }));
    expect(ClusterInfo?.ClientAuthentication).toBeUndefined();
    expect(ClusterInfo?.ActiveOperationArn).toMatch(/:cluster-operation\/no-auth\//);
  });

  test('unauthenticated access asked for: reported with every flag explicit', async () => {
    const res = await bearer(h, 'POST', '/v1/clusters', { ...valid(), clusterName: 'open', clientAuthentication: { unauthenticated: { enabled: true } } });
    expect(res.status).toBe(200);
    const { ClusterInfo } = await kafka.send(new DescribeClusterCommand({ ClusterArn: res.json.clusterArn }));
    expect(ClusterInfo?.ClientAuthentication).toEqual({
      Sasl: { Scram: { Enabled: false }, Iam: { Enabled: false } },
      Tls: { Enabled: false, CertificateAuthorityArnList: [] },
      Unauthenticated: { Enabled: true },
    });
  });
});
