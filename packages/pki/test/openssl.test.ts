/**
 * Interoperability with the OpenSSL command line: the certificates must verify and read back as intended in a
 * TLS stack we did not write (librdkafka, which most non-Java Kafka clients use, is built on OpenSSL).
 */
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type LeafCertificate } from '../src';
import { readFileSync } from 'node:fs';
import { openssl, tempDir } from './helpers';

const tmp = tempDir();
let ca: CertificateAuthority;
let leaf: LeafCertificate;
let paths: { ca: string; leaf: string; key: string; keystore: string; otherCa: string };

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
  leaf = await issueCertificate(ca, {
    commonName: 'b-1.demo.openmsk.local',
    dnsNames: ['b-1.demo.openmsk.local'],
    ipAddresses: ['::1'],
  });
  const other = await createCertificateAuthority({ commonName: 'openmsk CA 210987654321' });
  paths = {
    ca: tmp.file('ca.pem', ca.certPem),
    leaf: tmp.file('leaf.pem', leaf.certPem),
    key: tmp.file('leaf.key', leaf.keyPem),
    keystore: tmp.file('keystore.pem', leaf.keystorePem),
    otherCa: tmp.file('other-ca.pem', other.certPem),
  };
});
afterAll(() => tmp.cleanup());

describe('openssl verify', () => {
  it('accepts the leaf against its CA, strictly, for both TLS server and client purposes', () => {
    for (const purpose of ['sslserver', 'sslclient']) {
      const r = openssl('verify', '-x509_strict', '-purpose', purpose, '-CAfile', paths.ca, paths.leaf);
      expect(r).toEqual({ status: 0, out: `${paths.leaf}: OK\n` });
    }
  });

  it('matches every SAN and nothing else', () => {
    const verify = (...a: string[]) => openssl('verify', '-CAfile', paths.ca, ...a, paths.leaf).status;
    expect(verify('-verify_hostname', 'localhost')).toBe(0);
    expect(verify('-verify_hostname', 'b-1.demo.openmsk.local')).toBe(0);
    expect(verify('-verify_ip', '127.0.0.1')).toBe(0);
    expect(verify('-verify_ip', '::1')).toBe(0);
    expect(verify('-verify_hostname', 'b-2.demo.openmsk.local')).not.toBe(0);
    expect(verify('-verify_ip', '127.0.0.2')).not.toBe(0);
  });

  it('rejects the leaf under another account’s CA', () => {
    const r = openssl('verify', '-CAfile', paths.otherCa, paths.leaf);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/unable to get local issuer certificate/);
  });

  it('verifies the chain file as issued (leaf first, then CA)', () => {
    const chain = tmp.file('chain.pem', leaf.chainPem);
    expect(openssl('verify', '-CAfile', paths.ca, '-untrusted', chain, chain).status).toBe(0);
  });

  it('honours usage: a server-only leaf is not valid for client auth, and vice versa', async () => {
    const server = tmp.file('server-only.pem', (await issueCertificate(ca, { commonName: 's', usage: 'server' })).certPem);
    const client = tmp.file('client-only.pem', (await issueCertificate(ca, { commonName: 'c', usage: 'client' })).certPem);
    const ok = (purpose: string, p: string) => openssl('verify', '-purpose', purpose, '-CAfile', paths.ca, p).status === 0;
    expect([ok('sslserver', server), ok('sslclient', server)]).toEqual([true, false]);
    expect([ok('sslserver', client), ok('sslclient', client)]).toEqual([false, true]);
  });
});

describe('openssl x509 -text', () => {
  it('shows a P-256 CA with CA:TRUE and certificate signing', () => {
    const text = openssl('x509', '-in', paths.ca, '-noout', '-text').out;
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA256');
    expect(text).toContain('Issuer: CN = openmsk CA 123456789012');
    expect(text).toContain('Subject: CN = openmsk CA 123456789012');
    expect(text).toContain('Public Key Algorithm: id-ecPublicKey');
    expect(text).toContain('ASN1 OID: prime256v1');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('X509v3 Subject Key Identifier');
  });

  it('shows a P-256 leaf with the SANs, CA:FALSE and both TLS EKUs', () => {
    const text = openssl('x509', '-in', paths.leaf, '-noout', '-text').out;
    expect(text).toContain('Subject: CN = b-1.demo.openmsk.local');
    expect(text).toContain('ASN1 OID: prime256v1');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(
      /Subject Alternative Name:\s+DNS:localhost, DNS:b-1\.demo\.openmsk\.local, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1\n/,
    );
    expect(text).toContain('X509v3 Authority Key Identifier');
  });

  it('writes the dates openssl reads: CA ~10 years, leaf ~13 months, notAfter exact to the second', () => {
    const endDate = (p: string) => new Date(openssl('x509', '-in', p, '-noout', '-enddate').out.trim().replace('notAfter=', ''));
    expect(endDate(paths.ca).getTime()).toBe(ca.notAfter.getTime());
    expect(endDate(paths.leaf).getTime()).toBe(leaf.notAfter.getTime());
    const days = (d: Date) => (d.getTime() - Date.now()) / 86_400_000;
    expect(days(ca.notAfter)).toBeCloseTo(3650, 0);
    expect(days(leaf.notAfter)).toBeCloseTo(395, 0);
    // Already valid now (notBefore is backdated for clock skew), and not expiring within the next 360 days.
    expect(openssl('x509', '-in', paths.leaf, '-noout', '-checkend', String(360 * 86_400)).status).toBe(0);
    expect(openssl('verify', '-CAfile', paths.ca, '-attime', String(Math.floor(Date.now() / 1000) - 60), paths.leaf).status).toBe(0);
  });

  it('reports the CA serial the API returned', () => {
    expect(openssl('x509', '-in', paths.ca, '-noout', '-serial').out.trim()).toBe(`serial=${ca.serial}`);
  });
});

describe('keys', () => {
  const pubFromKey = (p: string) => openssl('pkey', '-in', p, '-pubout').out;
  const pubFromCert = (p: string) => openssl('x509', '-in', p, '-noout', '-pubkey').out;

  it('are unencrypted PKCS#8 P-256 keys matching their certificates', () => {
    expect(leaf.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(openssl('pkey', '-in', paths.key, '-noout', '-text').out).toContain('ASN1 OID: prime256v1');
    expect(pubFromKey(paths.key)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(pubFromKey(paths.key)).toBe(pubFromCert(paths.leaf));
    expect(pubFromKey(tmp.file('ca.key', ca.keyPem))).toBe(pubFromCert(paths.ca));
  });

  it('lay out the keystore as Kafka expects: key, then leaf, then CA', () => {
    const labels = [...leaf.keystorePem.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
    expect(labels).toEqual(['PRIVATE KEY', 'CERTIFICATE', 'CERTIFICATE']);
    expect(leaf.keystorePem).toBe(leaf.keyPem + leaf.certPem + ca.certPem);
    // openssl reads the key from the combined file, and it is the leaf's key
    expect(pubFromKey(paths.keystore)).toBe(pubFromCert(paths.leaf));
  });
});

describe('edge cases other tools must agree on', () => {
  it('encodes a CA expiring in 2050 or later as GeneralizedTime, and openssl reads it back', async () => {
    const longCa = await createCertificateAuthority({ commonName: 'long-lived', validDays: 40 * 365 });
    expect(longCa.notAfter.getUTCFullYear()).toBeGreaterThanOrEqual(2050);
    const caPath = tmp.file('long-ca.pem', longCa.certPem);
    const leafPath = tmp.file('long-leaf.pem', (await issueCertificate(longCa, { commonName: 'b-1' })).certPem);
    const end = openssl('x509', '-in', caPath, '-noout', '-enddate').out.trim().replace('notAfter=', '');
    expect(new Date(end).getTime()).toBe(longCa.notAfter.getTime());
    expect(openssl('verify', '-x509_strict', '-CAfile', caPath, leafPath).status).toBe(0);
  });

  it('issues from a CA that openssl created (PKCS#8 key), keeping that CA’s key identifier', async () => {
    const key = `${tmp.dir}/openssl-ca.key`;
    const cert = `${tmp.dir}/openssl-ca.pem`;
    const made = openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30',
      '-subj', '/O=Example/CN=openssl CA', '-keyout', key, '-out', cert);
    expect(made.status).toBe(0);
    const foreign: CertificateAuthority = {
      certPem: readFileSync(cert, 'utf8'),
      keyPem: readFileSync(key, 'utf8'),
      serial: '', // only certPem and keyPem are read when issuing
      notAfter: new Date(0),
    };
    const leafPath = tmp.file('foreign-leaf.pem', (await issueCertificate(foreign, { commonName: 'b-1' })).certPem);
    // (not -x509_strict here: it objects to openssl's own CA, which lacks a keyUsage extension)
    expect(openssl('verify', '-purpose', 'sslserver', '-CAfile', cert, leafPath).status).toBe(0);
    const ski = /Subject Key Identifier:\s+(\S+)/.exec(openssl('x509', '-in', cert, '-noout', '-text').out)?.[1];
    expect(openssl('x509', '-in', leafPath, '-noout', '-text').out).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${ski}`));
    expect(openssl('x509', '-in', leafPath, '-noout', '-issuer').out.trim()).toBe('issuer=O = Example, CN = openssl CA');
  });
});
