/** The real AWS CLI v2 against the ACM Private CA API (see aws-cli.ts for how it is run), checked with openssl. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsCli, type AwsCli } from './aws-cli';

let cli: AwsCli;
let h: AwsCli['h'];
let dir: string;
beforeAll(async () => {
  cli = await startAwsCli('openmsk-pca-cli-');
  ({ h, dir } = cli);
}, 60_000);
afterAll(() => cli?.close());

const aws = (...args: string[]) => cli.aws(...args);
const ok = (...args: string[]) => cli.ok(...args);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

test('the four-step AWS flow to an ACTIVE root CA, then issue-certificate from an openssl CSR', async () => {
  const config = write('ca.json', JSON.stringify({ KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: 'Example Root CA', Organization: 'Example' } }));
  const created = await ok('acm-pca', 'create-certificate-authority', '--certificate-authority-type', 'ROOT', '--certificate-authority-configuration', `file://${config}`,
    '--tags', 'Key=team,Value=a');
  const ca = created.CertificateAuthorityArn;
  expect(ca).toMatch(new RegExp(`^arn:aws:acm-pca:us-east-1:${h.accountId}:certificate-authority/[0-9a-f-]{36}$`));
  expect((await ok('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', ca)).CertificateAuthority.Status).toBe('PENDING_CERTIFICATE');

  // 1. the CA's CSR, 2. signed by itself with the root template, 3. read back, 4. imported.
  const { Csr } = await ok('acm-pca', 'get-certificate-authority-csr', '--certificate-authority-arn', ca);
  const csrPath = write('ca.csr', Csr);
  const root = await ok('acm-pca', 'issue-certificate', '--certificate-authority-arn', ca, '--csr', `fileb://${csrPath}`, '--signing-algorithm', 'SHA256WITHECDSA',
    '--template-arn', 'arn:aws:acm-pca:::template/RootCACertificate/V1', '--validity', 'Value=10,Type=YEARS');
  const rootCert = await ok('acm-pca', 'get-certificate', '--certificate-authority-arn', ca, '--certificate-arn', root.CertificateArn);
  const caPem = write('ca.pem', rootCert.Certificate);
  expect(await ok('acm-pca', 'import-certificate-authority-certificate', '--certificate-authority-arn', ca, '--certificate', `fileb://${caPem}`)).toEqual({});
  const described = (await ok('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', ca)).CertificateAuthority;
  expect(described).toMatchObject({ Arn: ca, Status: 'ACTIVE', Type: 'ROOT' });
  expect(typeof described.NotAfter).toBe('string');

  // A client certificate from a CSR openssl made: the subject stays, openssl verifies it against the CA.
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=alice/O=Example', '-keyout', 'alice.key', '-out', 'alice.csr');
  const issued = await ok('acm-pca', 'issue-certificate', '--certificate-authority-arn', ca, '--csr', `fileb://${join(dir, 'alice.csr')}`,
    '--signing-algorithm', 'SHA256WITHECDSA', '--validity', 'Value=30,Type=DAYS');
  expect(issued.CertificateArn).toMatch(new RegExp(`^${ca}/certificate/[0-9a-f]{32}$`));
  const got = await ok('acm-pca', 'get-certificate', '--certificate-authority-arn', ca, '--certificate-arn', issued.CertificateArn);
  const alice = write('alice.pem', got.Certificate);
  expect(openssl('verify', '-CAfile', caPem, alice).trim()).toBe(`${alice}: OK`);
  const subject = (kind: string, p: string) => openssl(kind, '-in', p, '-noout', '-subject', '-nameopt', 'RFC2253').trim();
  expect(subject('x509', alice)).toBe(subject('req', join(dir, 'alice.csr')));
  expect(got.CertificateChain.trim()).toBe(rootCert.Certificate.trim());

  const caCert = await ok('acm-pca', 'get-certificate-authority-certificate', '--certificate-authority-arn', ca);
  expect(caCert.Certificate.trim()).toBe(rootCert.Certificate.trim());
  const listed = await ok('acm-pca', 'list-certificate-authorities');
  expect(listed.CertificateAuthorities.map((c: { Arn: string }) => c.Arn)).toEqual([ca]);
  expect((await ok('acm-pca', 'list-tags', '--certificate-authority-arn', ca)).Tags).toEqual([{ Key: 'team', Value: 'a' }]);

  // Refusals as the CLI prints them; nothing is written.
  const before = await h.db.privateCaCertificate.count();
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=openmsk-internal', '-keyout', 'r.key', '-out', 'r.csr');
  const reserved = await aws('acm-pca', 'issue-certificate', '--certificate-authority-arn', ca, '--csr', `fileb://${join(dir, 'r.csr')}`,
    '--signing-algorithm', 'SHA256WITHECDSA', '--validity', 'Value=1,Type=DAYS');
  expect(reserved.code).not.toBe(0);
  expect(reserved.stderr).toContain("An error occurred (InvalidArgsException) when calling the IssueCertificate operation: The subject common name openmsk-internal is reserved for openmsk's own brokers and admin client; use another CN.");
  const garbage = write('garbage.csr', '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n');
  const bad = await aws('acm-pca', 'issue-certificate', '--certificate-authority-arn', ca, '--csr', `fileb://${garbage}`,
    '--signing-algorithm', 'SHA256WITHECDSA', '--validity', 'Value=1,Type=DAYS');
  expect(bad.stderr).toContain('An error occurred (MalformedCSRException) when calling the IssueCertificate operation: The certificate signing request is malformed: truncated DER length.');
  expect(await h.db.privateCaCertificate.count()).toBe(before);
  const sub = await aws('acm-pca', 'create-certificate-authority', '--certificate-authority-type', 'SUBORDINATE', '--certificate-authority-configuration', `file://${config}`);
  expect(sub.stderr).toContain('An error occurred (InvalidArgsException) when calling the CreateCertificateAuthority operation: openmsk supports ROOT certificate authorities only; SUBORDINATE is not implemented.');

  // Disable, delete with a 7-day restoration period, restore.
  await ok('acm-pca', 'update-certificate-authority', '--certificate-authority-arn', ca, '--status', 'DISABLED');
  await ok('acm-pca', 'delete-certificate-authority', '--certificate-authority-arn', ca, '--permanent-deletion-time-in-days', '7');
  expect((await ok('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', ca)).CertificateAuthority.Status).toBe('DELETED');
  const deleted = await aws('acm-pca', 'get-certificate', '--certificate-authority-arn', ca, '--certificate-arn', issued.CertificateArn);
  expect(deleted.stderr).toContain(`An error occurred (InvalidStateException) when calling the GetCertificate operation: The certificate authority ${ca} is not in the correct state to have issued certificates.`);
  await ok('acm-pca', 'restore-certificate-authority', '--certificate-authority-arn', ca);
  expect((await ok('acm-pca', 'describe-certificate-authority', '--certificate-authority-arn', ca)).CertificateAuthority.Status).toBe('DISABLED');
});
