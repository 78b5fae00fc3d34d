import { CreateClusterCommand, CreateConfigurationCommand, DeleteClusterCommand, GetBootstrapBrokersCommand, ListClusterOperationsCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { sh, startStack, waitForState, type Stack } from './stack';

let s: Stack;
let kafka: KafkaClient;
beforeAll(async () => {
  s = await startStack({ OPENMSK_READY_TIMEOUT_SECONDS: 20 });
  kafka = s.client();
}, 60_000);
afterAll(() => s?.close());

test('brokers that never become ready: FAILED with stateInfo, containers kept until DeleteCluster', async () => {
  // Allowed by MSK's allowlist, fatal to Kafka at start-up ("log.retention.ms must be unlimited (-1) or, equal or
  // greater than 1"): the brokers exit and never answer.
  const cfg = await kafka.send(new CreateConfigurationCommand({
    Name: 'broken', KafkaVersions: ['3.9.x'], ServerProperties: Buffer.from('log.retention.ms=0\n'),
  }));
  const { ClusterArn } = await kafka.send(new CreateClusterCommand({
    ClusterName: 'doomed', KafkaVersion: '3.9.x', NumberOfBrokerNodes: 2, ConfigurationInfo: { Arn: cfg.Arn!, Revision: 1 },
    BrokerNodeGroupInfo: { InstanceType: 'kafka.t3.small', ClientSubnets: ['subnet-aaaaaaaa', 'subnet-bbbbbbbb'], StorageInfo: { EbsStorageInfo: { VolumeSize: 1 } } },
  }));
  const info = (await waitForState(kafka, ClusterArn!, 'FAILED', 120_000)) as { StateInfo?: { Code?: string; Message?: string } };
  expect(info.StateInfo?.Code).toBe('BROKERS_NOT_READY');
  expect(info.StateInfo?.Message).toMatch(/not ready after 20 s/);

  const e = await kafka.send(new GetBootstrapBrokersCommand({ ClusterArn })).then(() => undefined, (x) => x);
  expect(e).toMatchObject({ name: 'BadRequestException', message: "You can't get bootstrap broker nodes for a cluster in FAILED state." });
  const ops = await kafka.send(new ListClusterOperationsCommand({ ClusterArn }));
  expect(ops.ClusterOperationInfoList?.[0]).toMatchObject({ OperationType: 'CREATE', OperationState: 'UPDATE_FAILED', ErrorInfo: { ErrorCode: 'BROKERS_NOT_READY' } });

  const id = ClusterArn!.split('/')[2].replace(/-\d+$/, '');
  const kept = (await sh('docker', ['ps', '-a', '--filter', `label=openmsk.cluster=${id}`, '-q'])).trim().split('\n');
  expect(kept.length).toBe(5); // 2 brokers + 3 ZooKeeper nodes, kept for inspection

  await kafka.send(new DeleteClusterCommand({ ClusterArn }));
  await waitForState(kafka, ClusterArn!, 'NotFoundException', 120_000);
  expect((await sh('docker', ['ps', '-a', '--filter', `label=openmsk.cluster=${id}`, '-q'])).trim()).toBe('');
}, 300_000);
