/**
 * Certificates renewed on running clusters (3.9.x with ZooKeeper, 3.9.x.kraft; TLS), with a validity of minutes:
 * every broker's client and replication listeners serve a new certificate without a restart, KRaft controllers serve
 * theirs after a roll (they read it at start only), and a producer connected before the renewal keeps writing with
 * acks=all, losing nothing.
 */
import { CreateTopicCommand, type KafkaClient } from '@aws-sdk/client-kafka';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { createTestCluster, expectNothingLost, sh, startProducer, startStack, tlsArgs, type Stack, type TestCluster } from './stack';

const topic = 'renewed';

describe.each(['3.9.x', '3.9.x.kraft'])('%s', (version) => {
  let s: Stack;
  let c: TestCluster;

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
    const kafka: KafkaClient = s.client();
    c = await createTestCluster(s, kafka, 'certs', version);
    await kafka.send(new CreateTopicCommand({ ClusterArn: c.ClusterArn, TopicName: topic, PartitionCount: 3, ReplicationFactor: 3, Configs: Buffer.from('min.insync.replicas=2').toString('base64') }));
  }, 240_000);
  afterAll(() => s?.close());

  test('every listener serves a renewed certificate, no broker restarts, the connected producer loses nothing', async () => {
    const nodes = await s.db.node.findMany({ where: { clusterId: c.id, role: { in: ['broker', 'controller'] } }, orderBy: [{ role: 'asc' }, { ordinal: 'asc' }] });
    const brokers = nodes.filter((n) => n.role === 'broker');
    const ports = nodes.flatMap((n) => {
      const p = n.ports as { client_tls?: number; replication?: number; controller?: number };
      return n.role === 'broker' ? [p.client_tls!, p.replication!] : [p.controller!];
    });
    const started = () => Promise.all(brokers.map(async (b) => (await sh('docker', ['inspect', '-f', '{{.State.StartedAt}}', `openmsk-${c.id}-${b.nodeId}`])).trim()));
    const before = await Promise.all(ports.map(served));
    const startedAt = await started();
    const producer = startProducer(c.bootstrap, tlsArgs(c.ca), topic, 5);

    const deadline = Date.now() + 180_000;
    let now = before;
    while (now.some((x, i) => x.serial === before[i].serial)) {
      if (Date.now() > deadline) throw new Error(`not renewed: ${JSON.stringify(now)}\n${s.logs.slice(-10).join('\n')}`);
      await new Promise((r) => setTimeout(r, 2000));
      now = await Promise.all(ports.map((p, i) => served(p).catch(() => before[i]))); // a controller rolling does not answer
    }
    for (const [i, x] of now.entries()) expect(new Date(x.validTo).getTime()).toBeGreaterThan(new Date(before[i].validTo).getTime());
    await new Promise((r) => setTimeout(r, 2000));
    await expectNothingLost(producer, c, topic);
    expect(await started()).toEqual(startedAt);
  }, 300_000);
});
