/**
 * Building and reading X.509 v3 certificates (RFC 5280) signed with ECDSA P-256 / SHA-256. Only the fields and
 * extensions openmsk issues are supported; reading is limited to what `issueCertificate` and `certificateInfo`
 * need from a CA or leaf certificate.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';
import { bits, bool, children, ctx, oid, octets, read, readTime, seq, set, TAG, time, tlv, uint, utf8 } from './der';
import type { Node } from './der';

export const OID = {
  commonName: '2.5.4.3',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/** RFC 5758: ecdsa-with-SHA256 has no parameters (not even NULL), unlike RSA algorithm identifiers. */
const SIG_ALG = seq(oid(OID.ecdsaWithSha256));

/** A Name with a single CN; UTF8String, as RFC 5280 asks of new certificates. */
export const nameDer = (commonName: string) => seq(set(seq(oid(OID.commonName), utf8(commonName))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value)); // DER omits the DEFAULT FALSE
}

/** CA:TRUE with pathLen 0 (this CA signs only leaves), or CA:FALSE as the empty SEQUENCE DER requires. */
export const basicConstraints = (isCa: boolean) =>
  extension(OID.basicConstraints, true, isCa ? seq(bool(true), uint(0)) : seq());

/** KeyUsage is a named BIT STRING: bit 0 is the top bit of the first byte, trailing zero bits are dropped. */
export const KU = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;
export function keyUsage(bitNumbers: number[]): Buffer {
  let byte = 0;
  for (const n of bitNumbers) byte |= 0x80 >> n;
  const unused = Math.max(0, 7 - Math.max(...bitNumbers));
  return extension(OID.keyUsage, true, tlv(TAG.BIT_STRING, Buffer.from([unused, byte])));
}

export const extKeyUsage = (oids: string[]) => extension(OID.extKeyUsage, false, seq(...oids.map(oid)));

/** dNSName is [2] IA5String and iPAddress is [7] OCTET STRING, both IMPLICIT. */
export const subjectAltName = (dns: string[], ips: Buffer[]) =>
  extension(OID.subjectAltName, false, seq(...dns.map((d) => ctx(2, false, Buffer.from(d, 'ascii'))), ...ips.map((ip) => ctx(7, false, ip))));

export const subjectKeyId = (keyId: Buffer) => extension(OID.subjectKeyIdentifier, false, octets(keyId));
/** Lets verifiers (OpenSSL with -x509_strict, Java) pick the issuing CA by key id rather than by name alone. */
export const authorityKeyId = (keyId: Buffer) => extension(OID.authorityKeyIdentifier, false, seq(ctx(0, false, keyId)));

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, which is also what OpenSSL computes by default. */
export function keyIdOf(spkiDer: Buffer): Buffer {
  const [, publicKey] = children(read(spkiDer));
  return createHash('sha1').update(publicKey.content.subarray(1)).digest();
}

export interface CertificateSpec {
  serial: Buffer;
  issuer: Buffer; // DER Name, copied byte for byte from the CA so name chaining never depends on re-encoding
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer; // DER SubjectPublicKeyInfo of the certified key
  extensions: Buffer[];
  signingKey: KeyObject; // the issuer's private key (the subject's own key for a self-signed CA)
}

/** DER-encodes and signs a v3 certificate; returns it as PEM. */
export function buildCertificate(spec: CertificateSpec): string {
  const tbs = seq(
    ctx(0, true, uint(2)), // version v3
    uint(spec.serial),
    SIG_ALG,
    spec.issuer,
    seq(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spec.spki,
    ctx(3, true, seq(...spec.extensions)),
  );
  // node:crypto's ECDSA signature is already the DER ECDSA-Sig-Value that X.509 expects.
  const signature = sign('sha256', tbs, spec.signingKey);
  return toPem('CERTIFICATE', seq(tbs, SIG_ALG, bits(signature)));
}

export function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** The parts of a parsed certificate this package reads. */
export interface ParsedCertificate {
  subject: Buffer; // raw DER Name
  notAfter: Date;
  extensions: Map<string, Buffer>; // extnID -> extnValue contents
}

/** Reads the TBSCertificate of a DER certificate (v3 with its [0] version, or v1 without). */
export function parseCertificate(der: Buffer): ParsedCertificate {
  const [tbs] = children(read(der));
  const fields = children(tbs);
  const f = fields[0].tag === 0xa0 ? fields.slice(1) : fields; // serial, alg, issuer, validity, subject, spki, ...
  const [, notAfter] = children(f[3]);
  const extensions = new Map<string, Buffer>();
  const wrapper = f.slice(6).find((n) => n.tag === 0xa3);
  if (wrapper) {
    for (const ext of children(children(wrapper)[0])) {
      const parts = children(ext);
      extensions.set(oidText(parts[0]), parts[parts.length - 1].content);
    }
  }
  return { subject: f[4].raw, notAfter: readTime(notAfter), extensions };
}

/** The SAN entries of an extension value, split by kind; other GeneralName kinds are ignored. */
export function readSubjectAltName(value: Buffer): { dns: string[]; ips: Buffer[] } {
  const out = { dns: [] as string[], ips: [] as Buffer[] };
  for (const n of children(read(value))) {
    if (n.tag === 0x82) out.dns.push(n.content.toString('ascii'));
    else if (n.tag === 0x87) out.ips.push(Buffer.from(n.content));
  }
  return out;
}

/** The dotted text of an OBJECT IDENTIFIER's content (X.690 8.19: the first byte packs two arcs, the first at most 2). */
export function oidText(node: { content: Buffer }): string {
  const b = node.content;
  const first = Math.min(2, Math.floor(b[0] / 40));
  const arcs = [first, b[0] - 40 * first];
  for (let i = 1, v = 0; i < b.length; i++) {
    v = v * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}
