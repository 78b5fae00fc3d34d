/** The API's own contract: what it returns, what it refuses, and how writeTlsFiles and writeFileAtomic leave the disk. */
import { readdirSync, readFileSync, statSync, chmodSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, certificateInfo, writeFileAtomic, writeTlsFiles, type CertificateAuthority } from '../src';
import { ipFromBytes, ipToBytes } from '../src/names';
import { tempDir } from './helpers';

let ca: CertificateAuthority;
beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
});
afterEach(() => jest.restoreAllMocks());

describe('createCertificateAuthority', () => {
  it('returns PEM cert, PKCS#8 key, a 128-bit hex serial and the expiry', async () => {
    expect(ca.certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/);
    expect(ca.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(ca.serial).toMatch(/^[4-7][0-9A-F]{31}$/); // positive, no leading zero byte
    const again = await createCertificateAuthority({ commonName: 'openmsk CA 123456789012' });
    expect(again.serial).not.toBe(ca.serial);
    expect(again.keyPem).not.toBe(ca.keyPem);
    expect(certificateInfo(ca.certPem)).toEqual({
      subject: 'CN=openmsk CA 123456789012',
      issuer: 'CN=openmsk CA 123456789012',
      notAfter: ca.notAfter,
      dnsNames: [],
      ipAddresses: [],
    });
  });

  it('honours validDays and rejects nonsense', async () => {
    const short = await createCertificateAuthority({ commonName: 'short', validDays: 30 });
    expect(Math.round((short.notAfter.getTime() - Date.now()) / 86_400_000)).toBe(30);
    for (const validDays of [0, -1, NaN, Infinity]) {
      await expect(createCertificateAuthority({ commonName: 'x', validDays })).rejects.toThrow(/validDays/);
    }
    await expect(createCertificateAuthority({ commonName: '  ' })).rejects.toThrow(/commonName/);
  });
});

describe('issueCertificate', () => {
  it('always includes localhost and 127.0.0.1, then the given names, normalised and de-duplicated', async () => {
    const leaf = await issueCertificate(ca, {
      commonName: 'b-1.demo.openmsk.local',
      dnsNames: ['B-1.Demo.OpenMSK.local', 'LOCALHOST', '*.demo.openmsk.local'],
      ipAddresses: ['127.0.0.1', '0:0:0:0:0:0:0:1', '::1', '10.0.0.7'],
    });
    expect(certificateInfo(leaf.certPem)).toEqual({
      subject: 'CN=b-1.demo.openmsk.local',
      issuer: 'CN=openmsk CA 123456789012',
      notAfter: leaf.notAfter,
      dnsNames: ['localhost', 'b-1.demo.openmsk.local', '*.demo.openmsk.local'],
      ipAddresses: ['127.0.0.1', '::1', '10.0.0.7'],
    });
  });

  it('assembles chain and keystore from its parts', async () => {
    const leaf = await issueCertificate(ca, { commonName: 'c-1' });
    expect(leaf.chainPem).toBe(leaf.certPem + ca.certPem);
    expect(leaf.keystorePem).toBe(leaf.keyPem + leaf.certPem + ca.certPem);
    // certificateInfo reads the first certificate even with the key in front
    expect(certificateInfo(leaf.keystorePem).subject).toBe('CN=c-1');
  });

  it('never outlives its CA', async () => {
    const shortCa = await createCertificateAuthority({ commonName: 'short-lived', validDays: 10 });
    const leaf = await issueCertificate(shortCa, { commonName: 'b-1' });
    expect(leaf.notAfter).toEqual(shortCa.notAfter);
    expect(certificateInfo(leaf.certPem).notAfter).toEqual(shortCa.notAfter);
  });

  it('refuses a CA key that does not belong to the CA certificate', async () => {
    const other = await createCertificateAuthority({ commonName: 'other' });
    await expect(issueCertificate({ ...ca, keyPem: other.keyPem }, { commonName: 'x' })).rejects.toThrow(/does not match/);
  });

  it('refuses to sign with a leaf certificate', async () => {
    const leaf = await issueCertificate(ca, { commonName: 'x' });
    const fake: CertificateAuthority = { ...ca, certPem: leaf.certPem, keyPem: leaf.keyPem };
    await expect(issueCertificate(fake, { commonName: 'y' })).rejects.toThrow(/not a CA/);
  });

  it('refuses to sign with an expired CA', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(ca.notAfter.getTime() + 1000);
    await expect(issueCertificate(ca, { commonName: 'x' })).rejects.toThrow(/CA expired/);
  });

  it.each([
    [{ dnsNames: ['127.0.0.1'] }, /pass it in ipAddresses/],
    [{ dnsNames: ['has space.local'] }, /invalid DNS name/],
    [{ dnsNames: ['bücher.example'] }, /invalid DNS name/],
    [{ dnsNames: ['-bad.local'] }, /invalid DNS name/],
    [{ ipAddresses: ['999.1.1.1'] }, /invalid IP address/],
    [{ ipAddresses: ['localhost'] }, /invalid IP address/],
    [{ ipAddresses: ['fe80::1%eth0'] }, /invalid IP address/],
    [{ validDays: 0 }, /validDays/],
    [{ commonName: '' }, /commonName/],
  ])('rejects bad input %j', async (opts, message) => {
    await expect(issueCertificate(ca, { commonName: 'b-1', ...opts })).rejects.toThrow(message);
  });
});

describe('IP address SAN encoding', () => {
  it.each([
    ['127.0.0.1', '7f000001', '127.0.0.1'],
    ['::', '0'.repeat(32), '::'],
    ['::1', `${'0'.repeat(30)}01`, '::1'],
    ['1::', `0001${'0'.repeat(28)}`, '1::'],
    ['2001:DB8::8:800:200C:417A', '20010db80000000000080800200c417a', '2001:db8::8:800:200c:417a'],
    ['::ffff:192.0.2.128', `${'0'.repeat(20)}ffffc0000280`, '::ffff:c000:280'],
  ])('%s', (text, hex, canonical) => {
    expect(ipToBytes(text).toString('hex')).toBe(hex);
    expect(ipFromBytes(ipToBytes(text))).toBe(canonical);
  });
});

describe('writeTlsFiles, writeFileAtomic', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());
  const mode = (p: string) => statSync(p).mode & 0o777;

  it('writes ca.pem (0644) and the keystore (0600), creating the directory', async () => {
    const leaf = await issueCertificate(ca, { commonName: 'b-1' });
    const dir = join(tmp.dir, 'cluster', 'b-1', 'tls');
    const paths = writeTlsFiles(dir, ca, leaf);
    expect(paths).toEqual({ caPath: join(dir, 'ca.pem'), keystorePath: join(dir, 'keystore.pem') });
    expect(readFileSync(paths.caPath, 'utf8')).toBe(ca.certPem);
    expect(readFileSync(paths.keystorePath, 'utf8')).toBe(leaf.keystorePem);
    expect([mode(paths.caPath), mode(paths.keystorePath)]).toEqual([0o644, 0o600]);
  });

  it('overwrites idempotently, restoring modes and leaving no temp files, whatever the umask', async () => {
    const dir = join(tmp.dir, 'rewrite');
    const first = writeTlsFiles(dir, ca, await issueCertificate(ca, { commonName: 'b-1' }));
    chmodSync(first.keystorePath, 0o666);
    chmodSync(first.caPath, 0o600);
    const leaf = await issueCertificate(ca, { commonName: 'b-1' });
    const old = process.umask(0o077);
    try {
      const second = writeTlsFiles(dir, ca, leaf);
      writeTlsFiles(dir, ca, leaf);
      expect(second).toEqual(first);
    } finally {
      process.umask(old);
    }
    expect(readFileSync(first.keystorePath, 'utf8')).toBe(leaf.keystorePem);
    expect([mode(first.caPath), mode(first.keystorePath)]).toEqual([0o644, 0o600]);
    expect(readdirSync(dir).sort()).toEqual(['ca.pem', 'keystore.pem']);
  });

  it('leaves an unchanged file alone (its mtime says when the content last changed), mode restored', () => {
    const file = join(tmp.dir, 'server.properties');
    writeFileAtomic(file, 'a=1\n');
    const old = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, old, old);
    chmodSync(file, 0o600);
    writeFileAtomic(file, 'a=1\n');
    expect([statSync(file).mtimeMs, mode(file)]).toEqual([old.getTime(), 0o644]);
    writeFileAtomic(file, 'a=2\n');
    expect(statSync(file).mtimeMs).toBeGreaterThan(old.getTime());
    expect(readFileSync(file, 'utf8')).toBe('a=2\n');
  });
});
