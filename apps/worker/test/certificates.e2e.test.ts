/**
 * Certificates renewed on a running cluster (3.9.x, ZooKeeper, TLS), with a validity of minutes: every broker's
 * client and replication listeners serve a new certificate without a restart, and a producer connected before the
 * renewal keeps writing with acks=all, losing nothing.
 */
import { CreateTopicCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { createTestCluster, expectNothingLost, sh, startProducer, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

let s: Stack;
let kafka: KafkaClient;
let c: TestCluster;
const topic = 'renewed';

/** The serial number and expiry of the certificate a listener serves, verified against the cluster CA. */
function served(port: number): Promise<{ serial: string; validTo: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: readFileSync(c.ca, 'utf8'), servername: 'localhost' }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve({ serial: cert.serialNumber, validTo: cert.valid_to });
    });
    socket.once('error', reject);
  });
}

beforeAll(async () => {
  // Leaves valid 150 s, renewed once less than 120 s are left: the first renewal comes ~30 s after the cluster's.
  s = await startStack({ OPENMSK_LEAF_CERT_DAYS: 150 / 86400, OPENMSK_CERT_RENEW_DAYS: 120 / 86400, OPENMSK_RECONCILE_SECONDS: 3 });
  kafka = s.client();
  c = await createTestCluster(s, kafka, 'certs', '3.9.x');
  await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
}, 240_000);
afterAll(() => s?.close());

test('every broker listener serves a renewed certificate, no broker restarts, the connected producer loses nothing', async () => {
  const brokers = await s.db.node.findMany({ where: { clusterId: c.id, role: 'broker' }, orderBy: { ordinal: 'asc' } });
  const ports = brokers.flatMap((b) => {
    const p = b.ports as { client_tls: number; replication: number };
    return [p.client_tls, p.replication];
  });
  const before = await Promise.all(ports.map(served));
  const startedAt = await Promise.all(brokers.map(async (b) => (await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${c.id}-${b.nodeId}`])).trim()));
  const producer = startProducer(c.bootstrap, tlsArgs(c.ca), topic, 5);

  const deadline = Date.now() + 150_000;
  let now = before;
  while (now.some((x, i) => x.serial === before[i].serial)) {
    if (Date.now() > deadline) throw new Error(`not renewed: ${JSON.stringify(now)}\n${s.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 2000));
    now = await Promise.all(ports.map(served));
  }
  for (const [i, x] of now.entries()) expect(new Date(x.validTo).getTime()).toBeGreaterThan(new Date(before[i].validTo).getTime());
  await new Promise((r) => setTimeout(r, 2000));
  await expectNothingLost(producer, c, topic);
  const after = await Promise.all(brokers.map(async (b) => (await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${c.id}-${b.nodeId}`])).trim()));
  expect(after).toEqual(startedAt);
}, 240_000);
