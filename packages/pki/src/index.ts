/**
 * openmsk's PKI: one ECDSA P-256 certificate authority per account, and leaf certificates for brokers, KRaft
 * controllers and ZooKeeper nodes, in the PEM shapes Kafka reads directly (`ssl.keystore.type=PEM`).
 * Everything here is a pure function of its arguments plus fresh randomness; keys are returned as PEM strings and
 * encrypting the CA key at rest is the caller's job.
 */
import { createPrivateKey, generateKeyPair, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { read } from './der';
import { ipFromBytes, ipToBytes, normalizeDnsName, unique } from './names';
import * as x509 from './x509';

export { CA_FILE, KEYSTORE_FILE, writeFileAtomic, writeTlsFiles } from './files';

/**
 * The common name of openmsk's own certificates (nodes, admin client). Kafka's principal for them is
 * `User:CN=openmsk-internal`, a super user wherever an authorizer runs: no other certificate or user may bear it.
 */
export const INTERNAL_COMMON_NAME = 'openmsk-internal';

export interface CertificateAuthority {
  certPem: string;
  keyPem: string; // PKCS#8, unencrypted
  serial: string; // upper-case hex, as OpenSSL and node:crypto print it
  notAfter: Date;
}

export interface LeafCertificate {
  certPem: string;
  keyPem: string; // PKCS#8, unencrypted ("BEGIN PRIVATE KEY"), the only private key form Kafka's PEM store reads
  chainPem: string; // leaf then CA: what a TLS server sends
  keystorePem: string; // key, leaf, CA: the file `ssl.keystore.location` points at
  notAfter: Date;
}

export const CA_VALID_DAYS = 3650;
/** MSK's broker certificates last about 13 months. */
export const LEAF_VALID_DAYS = 395;
/** notBefore is set this far in the past so a node whose clock runs a little behind still accepts a fresh cert. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function createCertificateAuthority(opts: { commonName: string; validDays?: number }): Promise<CertificateAuthority> {
  const { privateKey, spki } = await newKeyPair();
  const { serial, notBefore, notAfter } = validity(opts.validDays ?? CA_VALID_DAYS);
  const subject = x509.nameDer(checkCommonName(opts.commonName));
  const certPem = x509.buildCertificate({
    serial,
    issuer: subject,
    subject,
    notBefore,
    notAfter,
    spki,
    extensions: [
      x509.basicConstraints(true),
      x509.keyUsage([x509.KU.keyCertSign, x509.KU.cRLSign]),
      x509.subjectKeyId(x509.keyIdOf(spki)),
    ],
    signingKey: privateKey,
  });
  return { certPem, keyPem: pkcs8(privateKey), serial: serial.toString('hex').toUpperCase(), notAfter };
}

export async function issueCertificate(
  ca: CertificateAuthority,
  opts: { commonName: string; dnsNames?: string[]; ipAddresses?: string[]; validDays?: number; usage?: 'server' | 'client' | 'both' },
): Promise<LeafCertificate> {
  const caCert = new X509Certificate(ca.certPem);
  const caKey = createPrivateKey(ca.keyPem);
  // A CA key that was decrypted wrongly or paired with another account's cert would otherwise yield leaves that
  // only fail later, inside a broker's TLS handshake.
  if (!caCert.ca) throw new Error('issueCertificate: ca.certPem is not a CA certificate');
  if (!caCert.checkPrivateKey(caKey)) throw new Error('issueCertificate: ca.keyPem does not match ca.certPem');
  const parsedCa = x509.parseCertificate(caCert.raw);
  if (parsedCa.notAfter.getTime() <= Date.now()) throw new Error(`issueCertificate: the CA expired at ${parsedCa.notAfter.toISOString()}`);

  const { privateKey, spki } = await newKeyPair();
  const v = validity(opts.validDays ?? LEAF_VALID_DAYS);
  // A leaf cannot outlive its CA in any verifier, so cap it rather than hand out a certificate that lies.
  const notAfter = v.notAfter > parsedCa.notAfter ? parsedCa.notAfter : v.notAfter;
  // Clients dial brokers as localhost / 127.0.0.1 (host networking), so those are always present.
  const dns = unique(['localhost', ...(opts.dnsNames ?? [])].map(normalizeDnsName));
  const ips = unique(['127.0.0.1', ...(opts.ipAddresses ?? [])].map((ip) => ipFromBytes(ipToBytes(ip)))).map(ipToBytes);
  const usage = opts.usage ?? 'both';
  const eku = [
    ...(usage !== 'client' ? [x509.OID.serverAuth] : []),
    ...(usage !== 'server' ? [x509.OID.clientAuth] : []),
  ];
  // Reuse the CA's own key id if it has one, so the AKI matches whatever tool made the CA.
  const caSki = parsedCa.extensions.get(x509.OID.subjectKeyIdentifier);
  const caKeyId = caSki ? read(caSki).content : x509.keyIdOf(caCert.publicKey.export({ type: 'spki', format: 'der' }));

  const certPem = x509.buildCertificate({
    serial: v.serial,
    issuer: parsedCa.subject,
    subject: x509.nameDer(checkCommonName(opts.commonName)),
    notBefore: v.notBefore,
    notAfter,
    spki,
    extensions: [
      x509.basicConstraints(false),
      // ECDSA keys only sign in TLS (ECDHE supplies the key exchange), so digitalSignature is the whole usage.
      x509.keyUsage([x509.KU.digitalSignature]),
      x509.extKeyUsage(eku),
      x509.subjectAltName(dns, ips),
      x509.subjectKeyId(x509.keyIdOf(spki)),
      x509.authorityKeyId(caKeyId),
    ],
    signingKey: caKey,
  });
  if (!new X509Certificate(certPem).verify(caCert.publicKey)) throw new Error('issueCertificate: signature self-check failed');
  const keyPem = pkcs8(privateKey);
  const chainPem = certPem + ensureNewline(ca.certPem);
  return { certPem, keyPem, chainPem, keystorePem: keyPem + chainPem, notAfter };
}

/** Reads the first certificate of a PEM text (a chain or a keystore with its key first is fine). */
export function certificateInfo(pem: string): { subject: string; issuer: string; notAfter: Date; dnsNames: string[]; ipAddresses: string[] } {
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!block) throw new Error('certificateInfo: no PEM certificate found');
  const cert = new X509Certificate(block[0]);
  const parsed = x509.parseCertificate(cert.raw);
  const sanValue = parsed.extensions.get(x509.OID.subjectAltName);
  const san = sanValue ? x509.readSubjectAltName(sanValue) : { dns: [], ips: [] };
  return {
    subject: cert.subject, // "CN=..." (node:crypto / OpenSSL one-line form; RDNs separated by newlines)
    issuer: cert.issuer,
    notAfter: parsed.notAfter,
    dnsNames: san.dns,
    ipAddresses: san.ips.map(ipFromBytes),
  };
}

async function newKeyPair(): Promise<{ privateKey: KeyObject; spki: Buffer }> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('ec', { namedCurve: 'prime256v1' }, (err, publicKey, privateKey) =>
      err ? reject(err) : resolve({ privateKey, publicKey }),
    ),
  );
  return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
}

/** A fresh serial and validity window starting now. */
function validity(validDays: number): { serial: Buffer; notBefore: Date; notAfter: Date } {
  if (!Number.isFinite(validDays) || validDays <= 0) throw new Error(`validDays must be a positive number, got ${validDays}`);
  // 16 random bytes, top bit cleared (a positive INTEGER) and the next one set (no leading zero for DER to strip).
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const now = Math.floor(Date.now() / 1000) * 1000; // certificates carry whole seconds; keep notAfter identical
  return { serial, notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + Math.round(validDays * 86_400) * 1000) };
}

function checkCommonName(cn: string): string {
  if (typeof cn !== 'string' || cn.trim() === '') throw new Error('commonName must be a non-empty string');
  return cn;
}

const pkcs8 = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const ensureNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

// PKCS#10 CSRs and certificates issued from them (the ACM Private CA API).
export * from './csr';
