/**
 * The real thing: a KRaft Kafka node (openmsk/kafka image, host networking) whose client, inter-broker and
 * controller listeners are all SSL with ssl.client.auth=required, configured only with the two files
 * writeTlsFiles produced. kcat (librdkafka/OpenSSL) then produces and consumes with a client certificate and host
 * name verification. Skipped when docker, the image or kcat is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, writeTlsFiles } from '../src';
import { hasCommand, tempDir } from './helpers';

const IMAGE = process.env.OPENMSK_PKI_E2E_IMAGE ?? 'openmsk/kafka:4.1.1';
const NAME = `openmsk-pki-e2e-${process.pid}`;
const sh = (cmd: string, args: string[], timeout = 30_000) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};
const available = hasCommand('docker') && hasCommand('kcat') && sh('docker', ['image', 'inspect', IMAGE]).status === 0;

/** A port the OS just handed out on loopback; free again once we close it (small race, fine for a test). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

(available ? describe : describe.skip)(`Kafka (${IMAGE}) with openmsk certificates`, () => {
  const tmp = tempDir();
  let port = 0;
  const client: Record<string, string> = {};
  let readyAt = '';
  const failures = (log: string, pattern: RegExp) => log.split('\n').filter((line) => pattern.test(line));
  // kcat as a client of the SSL listener; librdkafka checks the broker's name (127.0.0.1) against the IP SANs.
  const kcat = (extra: string[], input?: string) => {
    const args = ['-b', `127.0.0.1:${port}`, '-X', 'security.protocol=ssl', '-X', 'ssl.endpoint.identification.algorithm=https', ...extra];
    const r = spawnSync('kcat', args, { encoding: 'utf8', input, timeout: 30_000 });
    return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
  };
  const withClientCert = () => ['-X', `ssl.ca.location=${client.ca}`, '-X', `ssl.certificate.location=${client.cert}`, '-X', `ssl.key.location=${client.key}`];

  beforeAll(async () => {
    const ca = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
    const broker = await issueCertificate(ca, { commonName: 'b-1.pki-e2e.openmsk.local', dnsNames: ['b-1.pki-e2e.openmsk.local'] });
    const user = await issueCertificate(ca, { commonName: 'e2e-client', usage: 'client' });
    const other = await createCertificateAuthority({ commonName: 'openmsk CA 210987654321' });
    Object.assign(client, {
      ca: tmp.file('ca.pem', ca.certPem),
      cert: tmp.file('client.pem', user.certPem),
      key: tmp.file('client.key', user.keyPem),
      otherCa: tmp.file('other-ca.pem', other.certPem),
    });

    const config = join(tmp.dir, 'config');
    mkdirSync(config);
    const { caPath, keystorePath } = writeTlsFiles(join(config, 'tls'), ca, broker);
    const inContainer = (p: string) => p.replace(config, '/etc/kafka');
    port = await freePort();
    const controllerPort = await freePort();
    writeFileSync(
      join(config, 'server.properties'),
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        'controller.listener.names=CONTROLLER',
        `listeners=SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=SSL://127.0.0.1:${port}`,
        'listener.security.protocol.map=SSL:SSL,CONTROLLER:SSL',
        'inter.broker.listener.name=SSL',
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${inContainer(keystorePath)}`,
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${inContainer(caPath)}`,
        'ssl.client.auth=required',
        'ssl.endpoint.identification.algorithm=https',
        'log.dirs=/tmp/kafka-data',
        'offsets.topic.replication.factor=1',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
      ].join('\n') + '\n',
    );
    // Format and start in one container so its data never lands on the host.
    const start = 'run format /etc/kafka/server.properties "$(run random-uuid | tail -n1)" >/dev/null && exec run broker /etc/kafka/server.properties';
    const r = sh('docker', ['run', '-d', '--name', NAME, '--network', 'host', '-e', 'KAFKA_HEAP_OPTS=-Xms256m -Xmx256m',
      '-v', `${config}:/etc/kafka:ro`, '--entrypoint', 'bash', IMAGE, '-c', start]);
    if (r.status !== 0) throw new Error(`docker run failed: ${r.out}`);

    // Probe only once the node says it started: a probe that times out mid-handshake on a slow machine makes the
    // node log a failed authentication of its own, which would hide a real one.
    const deadline = Date.now() + 90_000;
    while (!sh('docker', ['logs', NAME]).out.includes('Kafka Server started')) {
      if (Date.now() > deadline) throw new Error(`not started in 90 s:\n${sh('docker', ['logs', '--tail', '40', NAME]).out}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    while (!kcat([...withClientCert(), '-L', '-m', '3']).out.includes('broker 1 at')) {
      if (Date.now() > deadline) throw new Error(`no metadata over SSL in 90 s:\n${sh('docker', ['logs', '--tail', '40', NAME]).out}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    readyAt = new Date().toISOString();
  }, 120_000);

  afterAll(() => {
    sh('docker', ['rm', '-f', NAME]);
    tmp.cleanup();
  });

  it('serves metadata, produce and consume over mutual TLS', () => {
    const topic = `pki-${process.pid}`;
    expect(kcat([...withClientCert(), '-t', topic, '-P'], 'one\ntwo\n').status).toBe(0);
    const consumed = kcat([...withClientCert(), '-t', topic, '-C', '-o', 'beginning', '-e', '-q']);
    expect(consumed).toEqual({ status: 0, out: 'one\ntwo\n' });
    // Checked before the negative cases below add failures of their own. The node's own SSL connections to its
    // controller and inter-broker listeners never failed (a client-side failure logs "failed authentication due
    // to"), and since it was ready nothing failed at all, on either side.
    expect(failures(sh('docker', ['logs', NAME]).out, /failed authentication due to|SslAuthenticationException/i)).toEqual([]);
    expect(failures(sh('docker', ['logs', '--since', readyAt, NAME]).out,
      /SSLHandshakeException|SslAuthenticationException|Failed authentication/)).toEqual([]);
  });

  it('refuses a client without a certificate (ssl.client.auth=required)', () => {
    const r = kcat(['-X', `ssl.ca.location=${client.ca}`, '-L', '-m', '3']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/certificate required|handshake|transport failure/i);
  });

  it('is not trusted by a client that trusts another CA', () => {
    const r = kcat(['-X', `ssl.ca.location=${client.otherCa}`, '-X', `ssl.certificate.location=${client.cert}`,
      '-X', `ssl.key.location=${client.key}`, '-L', '-m', '3']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/SSL_HANDSHAKE|certificate verify failed/);
  });
});
