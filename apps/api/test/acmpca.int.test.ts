/** The ACM Private CA API (AWS JSON 1.1 on POST /) through @aws-sdk/client-acm-pca, against real Postgres, checked with openssl. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACMPCAClient, CreateCertificateAuthorityCommand, DeleteCertificateAuthorityCommand, DescribeCertificateAuthorityCommand,
  GetCertificateAuthorityCertificateCommand, GetCertificateAuthorityCsrCommand, GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand, IssueCertificateCommand, ListCertificateAuthoritiesCommand, ListTagsCommand,
  RestoreCertificateAuthorityCommand, TagCertificateAuthorityCommand, UntagCertificateAuthorityCommand, UpdateCertificateAuthorityCommand,
  type CreateCertificateAuthorityCommandInput,
} from '@aws-sdk/client-acm-pca';
import { SecretBox } from '@openmsk/db';
import { createActiveRootCa } from '../src/acmpca/operations';
import { startApi, type Harness } from './harness';
import { signed } from './helpers';

let h: Harness;
let dir: string;
const clients: ACMPCAClient[] = [];
const pca = (creds = h.credentials, region = 'us-east-1') => {
  const c = new ACMPCAClient({ endpoint: h.url, region, credentials: creds, maxAttempts: 1 });
  clients.push(c);
  return c;
};
beforeAll(async () => {
  h = await startApi();
  dir = mkdtempSync(join(tmpdir(), 'openmsk-pca-'));
});
afterAll(async () => {
  clients.forEach((c) => c.destroy());
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
/** A CSR made by openssl with a fresh key: `-newkey ec` (P-256) or `rsa:2048`. */
function opensslCsr(name: string, subj: string, key: 'ec' | 'rsa' = 'ec'): Buffer {
  const keyArgs = key === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
  openssl('req', '-new', ...keyArgs, '-nodes', '-subj', subj, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  return readFileSync(join(dir, `${name}.csr`));
}
const rfc2253 = (kind: 'req' | 'x509', path: string) => openssl(kind, '-in', path, '-noout', '-subject', '-nameopt', 'RFC2253').trim().replace(/^subject=\s*/, '');

/** Everything stored about private CAs, to prove a refused request changed nothing. */
const snapshot = async () => ({
  cas: await h.db.privateCa.findMany({ orderBy: { id: 'asc' } }),
  certs: await h.db.privateCaCertificate.findMany({ orderBy: { id: 'asc' } }),
});

/** Runs a request that must fail with `name` and `message`, and checks that nothing was written. */
async function refused(p: () => Promise<unknown>, name: string, message: string | RegExp) {
  const before = await snapshot();
  const err = await p().then(() => undefined, (e) => e as Error & { $metadata?: { httpStatusCode?: number } });
  expect(err).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === 'string') expect(err!.message).toBe(message);
  else expect(err!.message).toMatch(message);
  expect(await snapshot()).toEqual(before);
}

const ROOT_TEMPLATE = 'arn:aws:acm-pca:::template/RootCACertificate/V1';
const createInput = (cn: string, over: Partial<CreateCertificateAuthorityCommandInput> = {}): CreateCertificateAuthorityCommandInput => ({
  CertificateAuthorityType: 'ROOT',
  CertificateAuthorityConfiguration: { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: cn, Organization: 'Example' } },
  ...over,
});

/** AWS's four steps from a new root CA to an ACTIVE one. */
async function activate(arn: string, signingAlgorithm: 'SHA256WITHECDSA' | 'SHA256WITHRSA' = 'SHA256WITHECDSA') {
  const { Csr } = await pca().send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn }));
  const { CertificateArn } = await pca().send(new IssueCertificateCommand({
    CertificateAuthorityArn: arn, Csr: Buffer.from(Csr!), SigningAlgorithm: signingAlgorithm, TemplateArn: ROOT_TEMPLATE, Validity: { Type: 'YEARS', Value: 10 },
  }));
  const { Certificate } = await pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn }));
  await pca().send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn, Certificate: Buffer.from(Certificate!) }));
  return Certificate!;
}

describe('ACM Private CA API', () => {
  let arn: string;
  let caPem: string;
  let clientCertArn: string;

  test('CreateCertificateAuthority: a root CA waits in PENDING_CERTIFICATE with a CSR; its key is sealed', async () => {
    const out = await pca().send(new CreateCertificateAuthorityCommand(createInput('Example Root CA', { Tags: [{ Key: 'team', Value: 'a' }] })));
    arn = out.CertificateAuthorityArn!;
    expect(arn).toMatch(new RegExp(`^arn:aws:acm-pca:us-east-1:${h.accountId}:certificate-authority/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`));
    const { CertificateAuthority: ca } = await pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }));
    expect(ca).toMatchObject({
      Arn: arn, OwnerAccount: h.accountId, Type: 'ROOT', Status: 'PENDING_CERTIFICATE', UsageMode: 'GENERAL_PURPOSE',
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: 'Example Root CA', Organization: 'Example' } },
    });
    expect(ca!.CreatedAt).toBeInstanceOf(Date);
    expect(ca!.NotAfter).toBeUndefined();
    const row = await h.db.privateCa.findUniqueOrThrow({ where: { arn } });
    expect(row.keyEnc).not.toContain('PRIVATE KEY');
    // The CSR is the CA's own, for its subject, and verifies.
    const { Csr } = await pca().send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn }));
    const csrPath = file('ca.csr', Csr!);
    expect(openssl('req', '-in', csrPath, '-noout', '-verify')).toBe('');
    expect(rfc2253('req', csrPath)).toBe('CN=Example Root CA,O=Example');
  });

  test('a PENDING_CERTIFICATE CA issues nothing but its own root certificate and has no certificate yet', async () => {
    const csr = opensslCsr('early', '/CN=early');
    await refused(() => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 30 } })),
      'InvalidStateException', 'The certificate authority is not in a valid state for issuing certificates');
    await refused(() => pca().send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn })),
      'InvalidStateException', `The certificate authority ${arn} is not in the correct state to have a certificate signing request.`);
    await refused(() => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', TemplateArn: ROOT_TEMPLATE, Validity: { Type: 'YEARS', Value: 1 } })),
      'InvalidArgsException', "RootCACertificate/V1 signs the certificate authority's own CSR only (GetCertificateAuthorityCsr).");
  });

  test('GetCertificateAuthorityCsr, IssueCertificate RootCACertificate/V1, GetCertificate, ImportCertificateAuthorityCertificate: ACTIVE', async () => {
    caPem = await activate(arn);
    const { CertificateAuthority: ca } = await pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }));
    expect(ca!.Status).toBe('ACTIVE');
    expect(ca!.Serial).toMatch(/^[0-9a-f]+$/);
    expect(ca!.NotAfter!.getTime() - Date.now()).toBeGreaterThan(9.9 * 365 * 86_400_000);
    const got = await pca().send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn }));
    expect(got.Certificate!.trim()).toBe(caPem.trim());
    expect(got.CertificateChain).toBeUndefined();
    const caPath = file('ca.pem', caPem);
    expect(openssl('x509', '-in', caPath, '-noout', '-ext', 'basicConstraints,keyUsage')).toMatch(/CA:TRUE[\s\S]*Certificate Sign, CRL Sign/);
    expect(openssl('verify', '-CAfile', caPath, caPath).trim()).toBe(`${caPath}: OK`);
  });

  test('IssueCertificate from an openssl EC CSR: same subject DN and key, client auth, verifies against the CA', async () => {
    const csr = opensslCsr('alice', '/CN=alice/O=Example');
    const out = await pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 30 } }));
    clientCertArn = out.CertificateArn!;
    expect(clientCertArn).toMatch(new RegExp(`^${arn}/certificate/[0-9a-f]{32}$`));
    const got = await pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: clientCertArn }));
    expect(got.CertificateChain!.trim()).toBe(caPem.trim());
    const certPath = file('alice.pem', got.Certificate!);
    const caPath = file('ca.pem', caPem);
    expect(openssl('verify', '-CAfile', caPath, '-purpose', 'sslclient', certPath).trim()).toBe(`${certPath}: OK`);
    expect(rfc2253('x509', certPath)).toBe(rfc2253('req', join(dir, 'alice.csr')));
    expect(rfc2253('x509', certPath)).toBe('O=Example,CN=alice');
    expect(openssl('x509', '-in', certPath, '-noout', '-pubkey')).toBe(openssl('req', '-in', join(dir, 'alice.csr'), '-noout', '-pubkey'));
    expect(openssl('x509', '-in', certPath, '-noout', '-ext', 'extendedKeyUsage')).toContain('TLS Web Client Authentication');
    expect(openssl('x509', '-in', certPath, '-noout', '-ext', 'extendedKeyUsage')).not.toContain('Server');
    const days = (Date.parse(openssl('x509', '-in', certPath, '-noout', '-enddate').trim().slice('notAfter='.length)) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  test('an RSA-2048 CSR with EndEntityServerAuthCertificate/V1, and the SAN it asks for, is issued', async () => {
    openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/C=US/O=Example/CN=kafka.example.com', '-addext', 'subjectAltName=DNS:kafka.example.com',
      '-keyout', 'rsa.key', '-out', 'rsa.csr');
    const csr = readFileSync(join(dir, 'rsa.csr'));
    const out = await pca().send(new IssueCertificateCommand({
      CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA384WITHECDSA', TemplateArn: 'arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1', Validity: { Type: 'DAYS', Value: 7 },
    }));
    const got = await pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: out.CertificateArn }));
    const certPath = file('rsa.pem', got.Certificate!);
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslserver', certPath).trim()).toBe(`${certPath}: OK`);
    expect(rfc2253('x509', certPath)).toBe(rfc2253('req', join(dir, 'rsa.csr')));
    const text = openssl('x509', '-in', certPath, '-noout', '-text');
    expect(text).toContain('Public-Key: (2048 bit)');
    expect(text).toContain('ecdsa-with-SHA384');
    expect(text).toContain('DNS:kafka.example.com');
    expect(text).toContain('TLS Web Server Authentication');
  });

  test('a tampered or unreadable CSR is MalformedCSRException; nothing is written', async () => {
    const csr = opensslCsr('bob', '/CN=bob/O=Example').toString();
    const der = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const at = der.indexOf(Buffer.from('bob'));
    der[at] = 'm'.charCodeAt(0); // CN=mob: the signature no longer covers the request
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const issue = (c: Uint8Array) => () => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: c, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 1 } }));
    await refused(issue(Buffer.from(tampered)), 'MalformedCSRException', 'The certificate signing request is malformed: the CSR signature does not verify.');
    await refused(issue(Buffer.from('hello')), 'MalformedCSRException', 'The certificate signing request is malformed: no PEM CERTIFICATE REQUEST block found.');
    const truncated = `-----BEGIN CERTIFICATE REQUEST-----\n${der.subarray(0, 40).toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    await refused(issue(Buffer.from(truncated)), 'MalformedCSRException', 'The certificate signing request is malformed: DER element runs past its buffer.');
  });

  test('a CSR for CN=openmsk-internal (any case) is refused: that principal is a super user of openmsk clusters', async () => {
    for (const subj of ['/CN=openmsk-internal', '/O=Example/CN=OpenMSK-Internal', '/CN=alice/CN=openmsk-internal']) {
      const csr = opensslCsr('reserved', subj);
      await refused(() => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 1 } })),
        'InvalidArgsException', "The subject common name openmsk-internal is reserved for openmsk's own brokers and admin client; use another CN.");
    }
  });

  test('bad input gets ACM PCA errors and changes nothing', async () => {
    const csr = opensslCsr('carol', '/CN=carol');
    const issue = (over: object) => () => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 1 }, ...over }));
    await refused(issue({ Validity: { Type: 'YEARS', Value: 11 } }), 'InvalidArgsException', /^The certificate validity cannot extend past the certificate authority's \(/);
    await refused(issue({ SigningAlgorithm: 'SHA256WITHRSA' }), 'InvalidArgsException', 'The signing algorithm SHA256WITHRSA does not match the key algorithm EC_prime256v1 of the certificate authority.');
    await refused(issue({ TemplateArn: 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1' }), 'InvalidArgsException', /^The template arn:aws:acm-pca:::template\/SubordinateCACertificate_PathLen0\/V1 is not supported by openmsk/);
    await refused(issue({ CertificateAuthorityArn: 'not-an-arn' }), 'InvalidArnException', 'The ARN not-an-arn is not valid.');
    await refused(issue({ Validity: { Type: 'WEEKS', Value: 1 } }), 'ValidationException',
      "1 validation error detected: Value 'WEEKS' at 'validity.type' failed to satisfy constraint: Member must satisfy enum value set: [END_DATE, ABSOLUTE, DAYS, MONTHS, YEARS]");
    await refused(() => pca().send(new CreateCertificateAuthorityCommand(createInput('sub', { CertificateAuthorityType: 'SUBORDINATE' }))),
      'InvalidArgsException', 'openmsk supports ROOT certificate authorities only; SUBORDINATE is not implemented.');
    await refused(() => pca().send(new CreateCertificateAuthorityCommand(createInput('x', { CertificateAuthorityConfiguration: { KeyAlgorithm: 'SM2' as never, SigningAlgorithm: 'SM3WITHSM2' as never, Subject: { CommonName: 'x' } } }))),
      'ValidationException', /^1 validation error detected: Value 'SM2' at 'certificateAuthorityConfiguration.keyAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[EC_prime256v1, /);
    await refused(() => pca().send(new CreateCertificateAuthorityCommand(createInput('x', { CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: 'x' } } }))),
      'InvalidArgsException', 'The signing algorithm SHA256WITHECDSA does not match the key algorithm RSA_2048.');
    await refused(() => pca().send(new CreateCertificateAuthorityCommand(createInput('OPENMSK-INTERNAL'))),
      'InvalidArgsException', "The subject common name openmsk-internal is reserved for openmsk's own brokers and admin client; use another CN.");
    await refused(() => pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: `${arn.slice(0, -12)}000000000000` })),
      'ResourceNotFoundException', `Could not find certificate authority ${arn.slice(0, -12)}000000000000.`);
    await refused(() => pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: `${arn}/certificate/${'0'.repeat(32)}` })),
      'ResourceNotFoundException', `Could not find certificate ${arn}/certificate/${'0'.repeat(32)}.`);
    await refused(() => pca().send(new ImportCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn, Certificate: Buffer.from('nope') })),
      'MalformedCertificateException', 'The certificate is malformed: it is not a PEM or DER X.509 certificate.');
  });

  test('IdempotencyToken: the same CreateCertificateAuthority and IssueCertificate token answers the same ARN', async () => {
    const a = await pca().send(new CreateCertificateAuthorityCommand(createInput('Idem', { IdempotencyToken: 'tok-1' })));
    const b = await pca().send(new CreateCertificateAuthorityCommand(createInput('Idem', { IdempotencyToken: 'tok-1' })));
    expect(b.CertificateAuthorityArn).toBe(a.CertificateAuthorityArn);
    const csr = opensslCsr('dave', '/CN=dave');
    const input = { CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA' as const, Validity: { Type: 'DAYS' as const, Value: 1 }, IdempotencyToken: 'issue-1' };
    const c1 = await pca().send(new IssueCertificateCommand(input));
    const c2 = await pca().send(new IssueCertificateCommand(input));
    expect(c2.CertificateArn).toBe(c1.CertificateArn);
  });

  test('an RSA_2048 CA signs with SHA256WITHRSA; ListCertificateAuthorities pages with MaxResults/NextToken', async () => {
    const rsa = await pca().send(new CreateCertificateAuthorityCommand(createInput('RSA Root', {
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'RSA_2048', SigningAlgorithm: 'SHA256WITHRSA', Subject: { CommonName: 'RSA Root', Country: 'US' } },
    })));
    const rsaCaPem = await activate(rsa.CertificateAuthorityArn!, 'SHA256WITHRSA');
    const csr = opensslCsr('erin', '/CN=erin/OU=payments/O=Example');
    const out = await pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: rsa.CertificateAuthorityArn, Csr: csr, SigningAlgorithm: 'SHA256WITHRSA', Validity: { Type: 'DAYS', Value: 2 } }));
    const got = await pca().send(new GetCertificateCommand({ CertificateAuthorityArn: rsa.CertificateAuthorityArn, CertificateArn: out.CertificateArn }));
    const certPath = file('erin.pem', got.Certificate!);
    expect(openssl('verify', '-CAfile', file('rsa-ca.pem', rsaCaPem), certPath).trim()).toBe(`${certPath}: OK`);
    expect(rfc2253('x509', certPath)).toBe('O=Example,OU=payments,CN=erin');

    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await pca().send(new ListCertificateAuthoritiesCommand({ MaxResults: 1, NextToken }));
      expect(page.CertificateAuthorities!.length).toBe(1);
      seen.push(page.CertificateAuthorities![0].Arn!);
      NextToken = page.NextToken;
    } while (NextToken);
    const all = await pca().send(new ListCertificateAuthoritiesCommand({}));
    expect(seen).toEqual(all.CertificateAuthorities!.map((c) => c.Arn));
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(arn);
    await refused(() => pca().send(new ListCertificateAuthoritiesCommand({ NextToken: 'bogus' })), 'InvalidNextTokenException', 'The token is not valid.');
  });

  test('TagCertificateAuthority, UntagCertificateAuthority, ListTags', async () => {
    await pca().send(new TagCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'b' }] }));
    expect((await pca().send(new ListTagsCommand({ CertificateAuthorityArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'test' }]);
    await pca().send(new UntagCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Tags: [{ Key: 'team' }] }));
    expect((await pca().send(new ListTagsCommand({ CertificateAuthorityArn: arn }))).Tags).toEqual([{ Key: 'env', Value: 'test' }]);
    await refused(() => pca().send(new TagCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Tags: [{ Key: 'aws:x', Value: 'y' }] })),
      'InvalidTagException', 'Tag keys starting with aws: are reserved for AWS use.');
  });

  test('another account and another region see nothing', async () => {
    const other = await h.newAccount('other');
    const them = pca({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
    const csr = opensslCsr('mallory', '/CN=mallory');
    const missing = `Could not find certificate authority ${arn}.`;
    await refused(() => them.send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn })), 'ResourceNotFoundException', missing);
    await refused(() => them.send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 1 } })), 'ResourceNotFoundException', missing);
    await refused(() => them.send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: clientCertArn })), 'ResourceNotFoundException', missing);
    await refused(() => them.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn })), 'ResourceNotFoundException', missing);
    await refused(() => them.send(new TagCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Tags: [{ Key: 'k', Value: 'v' }] })), 'ResourceNotFoundException', missing);
    await refused(() => them.send(new DeleteCertificateAuthorityCommand({ CertificateAuthorityArn: arn })), 'ResourceNotFoundException', missing);
    expect((await them.send(new ListCertificateAuthoritiesCommand({}))).CertificateAuthorities).toEqual([]);
    await refused(() => pca(h.credentials, 'eu-west-1').send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn })), 'ResourceNotFoundException', missing);
  });

  test('SigV4 is scoped to acm-pca; Secrets Manager keeps its own target on POST /', async () => {
    const kafkaScoped = await signed(h, 'POST', '/', {}, {}, { mutate: (req) => { req.headers['x-amz-target'] = 'ACMPrivateCA.ListCertificateAuthorities'; } });
    expect(kafkaScoped.status).toBe(403);
    expect(kafkaScoped.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(kafkaScoped.json.message).toBe("Credential should be scoped to correct service: 'acm-pca'.");
    const unknown = await fetch(`${h.url}/`, { method: 'POST', headers: { 'x-amz-target': 'ACMPrivateCA.CreatePermission', authorization: `Bearer ${h.token}` }, body: '{}' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ __type: 'UnknownOperationException', message: "The operation CreatePermission is not implemented by openmsk's ACM Private CA API." });
    const sm = await fetch(`${h.url}/`, { method: 'POST', headers: { 'x-amz-target': 'secretsmanager.ListSecrets', authorization: `Bearer ${h.token}` }, body: '{}' });
    expect(sm.status).toBe(200);
    expect(await sm.json()).toEqual({ SecretList: [] });
  });

  test('the one-call path (npm run admin -- private-ca) makes an ACTIVE root CA through the same four steps', async () => {
    // The admin command opens the master key itself; a box of its own is enough to show the states and the certificate.
    const ctx = { principal: { accountId: h.accountId }, region: 'us-east-1', deps: { db: h.db, box: new SecretBox(randomBytes(32)) } };
    const { CertificateAuthorityArn } = await createActiveRootCa(ctx, {
      CertificateAuthorityConfiguration: { KeyAlgorithm: 'EC_prime256v1', SigningAlgorithm: 'SHA256WITHECDSA', Subject: { CommonName: 'One Call CA' } },
    });
    const { CertificateAuthority: ca } = await pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn }));
    expect(ca).toMatchObject({ Status: 'ACTIVE', Type: 'ROOT' });
    const { Certificate } = await pca().send(new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn }));
    const caPath = file('one-call.pem', Certificate!);
    expect(openssl('verify', '-CAfile', caPath, caPath).trim()).toBe(`${caPath}: OK`);
    expect(rfc2253('x509', caPath)).toBe('CN=One Call CA');
  });

  test('DeleteCertificateAuthority: an ACTIVE CA must be disabled first; a DELETED CA issues nothing; RestoreCertificateAuthority', async () => {
    await refused(() => pca().send(new DeleteCertificateAuthorityCommand({ CertificateAuthorityArn: arn })), 'InvalidStateException',
      `The certificate authority ${arn} is ACTIVE; disable it (UpdateCertificateAuthority --status DISABLED) before deleting it.`);
    await pca().send(new UpdateCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Status: 'DISABLED' }));
    await refused(() => pca().send(new DeleteCertificateAuthorityCommand({ CertificateAuthorityArn: arn, PermanentDeletionTimeInDays: 6 })), 'ValidationException',
      "1 validation error detected: Value '6' at 'permanentDeletionTimeInDays' failed to satisfy constraint: Member must have value greater than or equal to 7");
    await pca().send(new DeleteCertificateAuthorityCommand({ CertificateAuthorityArn: arn, PermanentDeletionTimeInDays: 7 }));
    const { CertificateAuthority: ca } = await pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }));
    expect(ca!.Status).toBe('DELETED');
    expect(ca!.RestorableUntil!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const csr = opensslCsr('late', '/CN=late');
    await refused(() => pca().send(new IssueCertificateCommand({ CertificateAuthorityArn: arn, Csr: csr, SigningAlgorithm: 'SHA256WITHECDSA', Validity: { Type: 'DAYS', Value: 1 } })),
      'InvalidStateException', 'The certificate authority is not in a valid state for issuing certificates');
    await refused(() => pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: clientCertArn })),
      'InvalidStateException', `The certificate authority ${arn} is not in the correct state to have issued certificates.`);
    await pca().send(new RestoreCertificateAuthorityCommand({ CertificateAuthorityArn: arn }));
    expect((await pca().send(new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }))).CertificateAuthority!.Status).toBe('DISABLED');
    await pca().send(new UpdateCertificateAuthorityCommand({ CertificateAuthorityArn: arn, Status: 'ACTIVE' }));
    expect((await pca().send(new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: clientCertArn }))).Certificate).toContain('BEGIN CERTIFICATE');
  });
});
