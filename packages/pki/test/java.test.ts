/**
 * The JVM side (Kafka brokers and Java clients): fixtures/KafkaPemHandshake.java loads our PEM keystore and
 * truststore the way Kafka's ssl.keystore.type=PEM does and runs a mutual-TLS handshake with HTTPS host name
 * checking. JSSE is stricter than OpenSSL in places (EKU, SAN matching), so this is the check that matters for
 * brokers. Skipped only when no `java` is on PATH.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate } from '../src';
import { hasCommand, tempDir } from './helpers';

const PROGRAM = join(__dirname, 'fixtures', 'KafkaPemHandshake.java');
const tmp = tempDir();
const files: Record<string, string> = {};

type Case = [serverKeystore: string, clientKeystore: string, truststore: string, host: string];

/** Runs the handshakes in one JVM (compiling the source costs ~1.5 s); resolves with one output line per case. */
const javaHandshakes = (cases: Case[]) =>
  new Promise<string[]>((resolve, reject) =>
    execFile(
      'java',
      [PROGRAM, ...cases.map(([s, c, t, host]) => [files[s], files[c], files[t], host].join(','))],
      { timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.trim().split('\n'))),
    ),
  );

(hasCommand('java') ? describe : describe.skip)('Java (JSSE) with Kafka-style PEM stores', () => {
  beforeAll(async () => {
    const ca = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
    const other = await createCertificateAuthority({ commonName: 'openmsk CA 210987654321' });
    const broker = await issueCertificate(ca, { commonName: 'b-1.demo.openmsk.local', dnsNames: ['b-1.demo.openmsk.local'] });
    const client = await issueCertificate(ca, { commonName: 'client', usage: 'client' });
    const serverOnly = await issueCertificate(ca, { commonName: 'server-only', usage: 'server' });
    files.ca = tmp.file('ca.pem', ca.certPem);
    files.other = tmp.file('other.pem', other.certPem);
    files.broker = tmp.file('broker-keystore.pem', broker.keystorePem);
    files.client = tmp.file('client-keystore.pem', client.keystorePem);
    files.serverOnly = tmp.file('server-only-keystore.pem', serverOnly.keystorePem);
  });
  afterAll(() => tmp.cleanup());

  it('handshakes for every SAN, broker-to-broker too, and rejects what it must', async () => {
    const [localhost, ip, dns, interBroker, wrongHost, serverAsClient, clientAsServer, wrongCa] = await javaHandshakes([
      ['broker', 'client', 'ca', 'localhost'],
      ['broker', 'client', 'ca', '127.0.0.1'],
      ['broker', 'client', 'ca', 'b-1.demo.openmsk.local'],
      // a node using its own "both" keystore on each end: inter-broker and controller listeners
      ['broker', 'broker', 'ca', 'b-1.demo.openmsk.local'],
      ['broker', 'client', 'ca', 'b-2.demo.openmsk.local'],
      ['broker', 'serverOnly', 'ca', 'localhost'],
      ['client', 'broker', 'ca', 'localhost'],
      ['broker', 'client', 'other', 'localhost'],
    ]);
    expect([localhost, ip, dns, interBroker]).toEqual(['OK TLSv1.3', 'OK TLSv1.3', 'OK TLSv1.3', 'OK TLSv1.3']);
    expect(wrongHost).toMatch(/^FAIL client: .*No subject alternative DNS name matching b-2\.demo\.openmsk\.local/);
    expect(serverAsClient).toMatch(/server: .*Extended key usage does not permit use for TLS client authentication/);
    expect(clientAsServer).toMatch(/client: .*Extended key usage does not permit use for TLS server authentication/);
    expect(wrongCa).toMatch(/^FAIL client: .*PKIX path building failed/);
  });
});
