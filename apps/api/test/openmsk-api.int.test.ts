/**
 * openmsk's own read endpoints (apps/api/src/openmsk-api.ts) without Kafka: authentication, account scoping, the
 * AWS error form, query checks, the operation progress read from its row, and brokers that do not answer.
 * What they read from real brokers is checked in apps/worker/test/openmsk-api.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { CreateClusterCommand, ListClusterOperationsCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { startApi, type Harness } from './harness';
import { bearer, raw, signed } from './helpers';

let h: Harness;
let kafka: KafkaClient;
let arn: string;
let otherArn: string;
let otherOperationArn: string;

async function createCluster(client: KafkaClient, name: string): Promise<string> {
  const out = await client.send(new CreateClusterCommand({
    ClusterName: name,
    KafkaVersion: '3.9.x',
    NumberOfBrokerNodes: 2,
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-11111111', 'subnet-22222222'] },
  }));
  return out.ClusterArn!;
}

const enc = encodeURIComponent;
const clusterPaths = (a: string) => [
  `/openmsk/v1/clusters/${enc(a)}/brokers`,
  `/openmsk/v1/clusters/${enc(a)}/consumer-groups`,
  `/openmsk/v1/clusters/${enc(a)}/topic-stats`,
  `/openmsk/v1/clusters/${enc(a)}/topics/orders/offsets`,
  `/openmsk/v1/clusters/${enc(a)}/topics/orders/partitions/0/messages`,
];

beforeAll(async () => {
  h = await startApi();
  kafka = h.client();
  arn = await createCluster(kafka, 'own-endpoints');
  const other = await h.newAccount('other');
  const otherClient = h.client(other);
  otherArn = await createCluster(otherClient, 'own-endpoints');
  otherOperationArn = (await otherClient.send(new ListClusterOperationsCommand({ ClusterArn: otherArn }))).ClusterOperationInfoList![0].OperationArn!;
});
afterAll(() => h.close());

describe('authentication', () => {
  test('no token: the same refusal an MSK operation gives', async () => {
    const msk = await raw(h, 'GET', '/v1/clusters');
    expect(msk.status).toBe(403);
    for (const path of [...clusterPaths(arn), `/openmsk/v1/operations/${enc('arn:aws:kafka:us-east-1:123456789012:cluster-operation/x/y/z')}/progress`]) {
      const res = await raw(h, 'GET', path);
      expect({ path, status: res.status, type: res.headers.get('x-amzn-errortype'), body: res.json })
        .toEqual({ path, status: msk.status, type: msk.headers.get('x-amzn-errortype'), body: msk.json });
    }
  });

  test('a wrong token: the same refusal an MSK operation gives', async () => {
    const msk = await bearer(h, 'GET', '/v1/clusters', undefined, 'not-a-token');
    expect(msk.status).toBe(403);
    for (const path of clusterPaths(arn)) {
      const res = await bearer(h, 'GET', path, undefined, 'not-a-token');
      expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), body: res.json })
        .toEqual({ status: msk.status, type: msk.headers.get('x-amzn-errortype'), body: msk.json });
    }
  });
  test('SigV4 is accepted as for the MSK operations; another account signs for its own clusters only', async () => {
    const res = await signed(h, 'GET', `/openmsk/v1/clusters/${enc(arn)}/topics/orders/partitions/0/messages`, { limit: '0' });
    expect({ status: res.status, invalidParameter: res.json.invalidParameter }).toEqual({ status: 400, invalidParameter: 'limit' });
    const mine = await signed(h, 'GET', `/openmsk/v1/clusters/${enc(otherArn)}/brokers`);
    expect({ status: mine.status, type: mine.headers.get('x-amzn-errortype') }).toEqual({ status: 404, type: 'NotFoundException' });
  });
});

describe('scoping', () => {
  test("another account's cluster and an unknown ARN answer NotFound, as DescribeCluster does", async () => {
    const unknown = arn.replace(/\/[0-9a-f-]+-\d+$/, `/${randomUUID()}-1`);
    for (const a of [otherArn, unknown]) {
      const msk = await bearer(h, 'GET', `/v1/clusters/${enc(a)}`);
      expect(msk.status).toBe(404);
      for (const path of clusterPaths(a)) {
        const res = await bearer(h, 'GET', path);
        expect({ path, status: res.status, type: res.headers.get('x-amzn-errortype'), body: res.json })
          .toEqual({ path, status: 404, type: 'NotFoundException', body: msk.json });
        expect(res.json.invalidParameter).toBe('clusterArn');
      }
    }
  });

  test("another account's operation answers NotFound, as DescribeClusterOperation does", async () => {
    const msk = await bearer(h, 'GET', `/v1/operations/${enc(otherOperationArn)}`);
    expect(msk.status).toBe(404);
    const res = await bearer(h, 'GET', `/openmsk/v1/operations/${enc(otherOperationArn)}/progress`);
    expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), body: res.json })
      .toEqual({ status: 404, type: 'NotFoundException', body: msk.json });
    expect(res.json.invalidParameter).toBe('clusterOperationArn');
  });
});

describe('query checks', () => {
  test.each(['0', '101', 'abc', '1.5', '-1', '', '20&limit=30'])('limit=%s is a BadRequest naming limit', async (limit) => {
    const res = await bearer(h, 'GET', `/openmsk/v1/clusters/${enc(arn)}/topics/orders/partitions/0/messages?limit=${limit}`);
    expect({ status: res.status, type: res.headers.get('x-amzn-errortype'), invalidParameter: res.json.invalidParameter })
      .toEqual({ status: 400, type: 'BadRequestException', invalidParameter: 'limit' });
    expect(res.json.message).toMatch(/limit/);
  });

  test('a partition that is no number is a BadRequest naming partition', async () => {
    const res = await bearer(h, 'GET', `/openmsk/v1/clusters/${enc(arn)}/topics/orders/partitions/x/messages`);
    expect({ status: res.status, invalidParameter: res.json.invalidParameter }).toEqual({ status: 400, invalidParameter: 'partition' });
  });
});

describe('operation progress', () => {
  test("reads the operation's row: steps with their times and progress, and waits", async () => {
    const op = (await kafka.send(new ListClusterOperationsCommand({ ClusterArn: arn }))).ClusterOperationInfoList![0];
    const path = `/openmsk/v1/operations/${enc(op.OperationArn!)}/progress`;
    const before = await bearer(h, 'GET', path);
    expect(before.status).toBe(200);
    expect(before.json).toEqual({ operationArn: op.OperationArn, operationState: 'PENDING', steps: [], waits: [] });

    await h.db.clusterOperation.update({
      where: { arn: op.OperationArn! },
      data: {
        operationState: 'UPDATE_IN_PROGRESS',
        steps: [
          { StepName: 'PREPARE_NODES', StepInfo: { StepStatus: 'COMPLETE' }, StartTime: '2026-12-03T10:00:00.000Z', EndTime: '2026-12-03T10:00:01.500Z' },
          { StepName: 'START_BROKERS', StepInfo: { StepStatus: 'IN_PROGRESS' }, StartTime: '2026-12-03T10:00:02.000Z', Progress: { Done: 1, Total: 2 } },
          { StepName: 'WAIT_FOR_BROKERS', StepInfo: { StepStatus: 'PENDING' } },
        ],
      },
    });
    await h.db.$executeRaw`UPDATE cluster_operation SET waits = jsonb_build_array(jsonb_build_object('at', '2026-12-03T10:00:03.25+00:00'::timestamptz, 'reason', 'orders-0 at min.insync.replicas')) WHERE arn = ${op.OperationArn}`;

    const res = await bearer(h, 'GET', path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({
      operationArn: op.OperationArn,
      operationState: 'UPDATE_IN_PROGRESS',
      steps: [
        { name: 'PREPARE_NODES', status: 'COMPLETE', startTime: '2026-12-03T10:00:00.000Z', endTime: '2026-12-03T10:00:01.500Z' },
        { name: 'START_BROKERS', status: 'IN_PROGRESS', startTime: '2026-12-03T10:00:02.000Z', progress: { done: 1, total: 2 } },
        { name: 'WAIT_FOR_BROKERS', status: 'PENDING' },
      ],
      waits: [{ at: '2026-12-03T10:00:03.250Z', reason: 'orders-0 at min.insync.replicas' }],
    });
  });
});

describe('brokers that do not answer', () => {
  test('a cluster with no brokers yet: ServiceUnavailable', async () => {
    for (const path of clusterPaths(arn)) {
      const res = await bearer(h, 'GET', path);
      expect({ path, status: res.status, type: res.headers.get('x-amzn-errortype') }).toEqual({ path, status: 503, type: 'ServiceUnavailableException' });
    }
  });

  test('brokers recorded but not listening: ServiceUnavailable', async () => {
    const cluster = await h.db.cluster.findUniqueOrThrow({ where: { arn } });
    // A port nothing listens on: the admin client is refused at once.
    const { createServer } = await import('node:net');
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
    await h.db.node.create({
      data: { clusterId: cluster.id, nodeId: 'broker-1', role: 'broker', ordinal: 1, zone: 'use1-az1', ports: { replication: closed }, nodeUuid: randomUUID() },
    });
    for (const path of clusterPaths(arn)) {
      const res = await bearer(h, 'GET', path);
      expect({ path, status: res.status, type: res.headers.get('x-amzn-errortype') }).toEqual({ path, status: 503, type: 'ServiceUnavailableException' });
      expect(res.json.message).toMatch(/did not answer/);
    }
  }, 60_000);
});
