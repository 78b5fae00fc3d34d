/**
 * PKCS#10 certificate signing requests (RFC 2986) and certificates issued from them, for the ACM Private CA API:
 * reading a client's CSR (strictly: it is untrusted input), verifying its signature, building a CA's own CSR, and
 * signing a certificate that keeps the CSR's subject Name byte for byte (Kafka's principal is that DN) and its key.
 * RSA and ECDSA issuers, SHA-256/384/512; everything through node:crypto and the DER helpers of this package.
 */
import { X509Certificate, createPublicKey, generateKeyPair, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { bits, bool, ctx, oid, octets, read, seq, set, time, tlv, uint, utf8, TAG } from './der';
import { OID, authorityKeyId, extKeyUsage, keyIdOf, keyUsage, oidText, parseCertificate, subjectKeyId, toPem } from './x509';

/** A CSR that cannot be used: it does not parse, its signature does not verify, or its key is too weak. */
export class CsrError extends Error {}

export const KEY_ALGORITHMS = ['EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1', 'RSA_2048', 'RSA_3072', 'RSA_4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];
export const SIGNING_ALGORITHMS = ['SHA256WITHECDSA', 'SHA384WITHECDSA', 'SHA512WITHECDSA', 'SHA256WITHRSA', 'SHA384WITHRSA', 'SHA512WITHRSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** ACM PCA's certificate templates that this package can build. */
export const TEMPLATES = ['EndEntityClientAuthCertificate/V1', 'EndEntityServerAuthCertificate/V1', 'EndEntityCertificate/V1', 'RootCACertificate/V1'] as const;
export type Template = (typeof TEMPLATES)[number];

const SIG: Record<SigningAlgorithm, { oid: string; hash: string; rsa: boolean }> = {
  SHA256WITHECDSA: { oid: '1.2.840.10045.4.3.2', hash: 'sha256', rsa: false },
  SHA384WITHECDSA: { oid: '1.2.840.10045.4.3.3', hash: 'sha384', rsa: false },
  SHA512WITHECDSA: { oid: '1.2.840.10045.4.3.4', hash: 'sha512', rsa: false },
  SHA256WITHRSA: { oid: '1.2.840.113549.1.1.11', hash: 'sha256', rsa: true },
  SHA384WITHRSA: { oid: '1.2.840.113549.1.1.12', hash: 'sha384', rsa: true },
  SHA512WITHRSA: { oid: '1.2.840.113549.1.1.13', hash: 'sha512', rsa: true },
};
const ED25519 = '1.3.101.112';
const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

/** True when `signing` is an algorithm of the key's family (ECDSA for EC keys, RSA PKCS#1 v1.5 for RSA keys). */
export const signingAlgorithmFits = (key: KeyAlgorithm, signing: SigningAlgorithm) => SIG[signing].rsa === key.startsWith('RSA_');

/** AlgorithmIdentifier: RSA carries an explicit NULL parameter, ECDSA none (RFC 4055, RFC 5758). */
const algorithmId = (s: SigningAlgorithm) => (SIG[s].rsa ? seq(oid(SIG[s].oid), tlv(0x05)) : seq(oid(SIG[s].oid)));

/** A fresh key pair of an ACM PCA KeyAlgorithm. */
export function generateKeyPairFor(alg: KeyAlgorithm): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: KeyObject, privateKey: KeyObject) => (err ? reject(err) : resolve({ privateKey, publicKey }));
    if (alg.startsWith('RSA_')) generateKeyPair('rsa', { modulusLength: Number(alg.slice(4)), publicExponent: 0x10001 }, done);
    else generateKeyPair('ec', { namedCurve: alg.slice(3) }, done);
  });
}

/** Attribute types of ACM PCA's ASN1Subject, in the order they are written into a Name. */
export const SUBJECT_ATTRIBUTES: [field: string, oid: string, printable: boolean][] = [
  ['Country', '2.5.4.6', true],
  ['State', '2.5.4.8', false],
  ['Locality', '2.5.4.7', false],
  ['Organization', '2.5.4.10', false],
  ['OrganizationalUnit', '2.5.4.11', false],
  ['DistinguishedNameQualifier', '2.5.4.46', true],
  ['SerialNumber', '2.5.4.5', true],
  ['Title', '2.5.4.12', false],
  ['Surname', '2.5.4.4', false],
  ['GivenName', '2.5.4.42', false],
  ['Initials', '2.5.4.43', false],
  ['Pseudonym', '2.5.4.65', false],
  ['GenerationQualifier', '2.5.4.44', false],
  ['CommonName', '2.5.4.3', false],
];

/** A DER Name from ACM PCA's Subject fields, one attribute per RDN; unknown or empty fields are left out. */
export function subjectName(subject: Record<string, string | undefined>): Buffer {
  const rdns = SUBJECT_ATTRIBUTES.filter(([field]) => subject[field]).map(([field, id, printable]) =>
    set(seq(oid(id), printable ? tlv(0x13, Buffer.from(subject[field]!, 'ascii')) : utf8(subject[field]!))));
  return seq(...rdns);
}

/** A PKCS#10 request for `subject` and `publicKey`, signed with `privateKey`; PEM. */
export function buildCsr(opts: { subject: Buffer; publicKey: KeyObject; privateKey: KeyObject; signingAlgorithm: SigningAlgorithm }): string {
  const info = seq(uint(0), opts.subject, opts.publicKey.export({ type: 'spki', format: 'der' }), ctx(0, true));
  const signature = sign(SIG[opts.signingAlgorithm].hash, info, opts.privateKey);
  return toPem('CERTIFICATE REQUEST', seq(info, algorithmId(opts.signingAlgorithm), bits(signature)));
}

/** What IssueCertificate needs from a CSR whose signature verified. */
export interface ParsedCsr {
  subject: Buffer; // the DER Name, copied into the certificate unchanged
  spki: Buffer;
  publicKey: KeyObject;
  /** Every CN of the subject, decoded (any RDN, multi-valued ones included). */
  commonNames: string[];
  /** The subjectAltName extension requested in the CSR, as a whole DER Extension, passed through by the templates. */
  subjectAltName?: Buffer;
}

// A reader for untrusted DER: every length is bounds-checked, indefinite and over-long lengths are refused, so a
// hostile CSR fails with a CsrError instead of looping or reading past its buffer.
interface El { tag: number; content: Buffer; raw: Buffer }
function el(buf: Buffer, offset = 0): El {
  if (offset + 2 > buf.length) throw new CsrError('truncated DER element');
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) throw new CsrError('multi-byte DER tags are not supported');
  let len = buf[offset + 1];
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new CsrError('unsupported DER length');
    if (start + n > buf.length) throw new CsrError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > buf.length) throw new CsrError('DER element runs past its buffer');
  return { tag, content: buf.subarray(start, start + len), raw: buf.subarray(offset, start + len) };
}
function kids(node: El, tag?: number): El[] {
  if (tag !== undefined && node.tag !== tag) throw new CsrError(`expected DER tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  if (!(node.tag & 0x20)) throw new CsrError('expected a constructed DER element');
  const out: El[] = [];
  for (let off = 0; off < node.content.length; off += out[out.length - 1].raw.length) out.push(el(node.content, off));
  return out;
}
function oidOf(node: El): string {
  if (node.tag !== TAG.OID || node.content.length === 0) throw new CsrError('expected an OBJECT IDENTIFIER');
  return oidText(node);
}

/** A directory string's text: UTF8, Printable, IA5, Visible, Teletex (as Latin-1), BMP (UTF-16BE), Universal (UTF-32BE). */
function directoryString(node: El): string {
  const c = node.content;
  switch (node.tag) {
    case 0x0c: return c.toString('utf8');
    case 0x13: case 0x16: case 0x1a: case 0x14: return c.toString('latin1');
    case 0x1e: {
      const swapped = Buffer.from(c);
      if (swapped.length % 2) throw new CsrError('odd-length BMPString');
      return swapped.swap16().toString('utf16le');
    }
    case 0x1c: {
      if (c.length % 4) throw new CsrError('bad UniversalString');
      let s = '';
      for (let i = 0; i < c.length; i += 4) s += String.fromCodePoint(c.readUInt32BE(i));
      return s;
    }
    default: throw new CsrError(`unsupported string type 0x${node.tag.toString(16)} in the subject`);
  }
}

/** Every value of attribute `type` in a DER Name. */
function nameValues(name: El, type: string): string[] {
  const out: string[] = [];
  for (const rdn of kids(name, TAG.SEQUENCE)) {
    for (const atv of kids(rdn, TAG.SET)) {
      const [t, v] = kids(atv, TAG.SEQUENCE);
      if (!t || !v) throw new CsrError('malformed subject attribute');
      if (oidOf(t) === type) out.push(directoryString(v));
    }
  }
  return out;
}

/** PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER bytes to DER. */
function csrDer(input: Buffer | string): Buffer {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  const m = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----([\s\S]*?)-----END (NEW )?CERTIFICATE REQUEST-----/.exec(text);
  if (m) {
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new CsrError('the PEM body is not base64');
    return Buffer.from(body, 'base64');
  }
  if (typeof input !== 'string' && input[0] === 0x30) return input;
  throw new CsrError('no PEM CERTIFICATE REQUEST block found');
}

/** Parses a CSR and verifies its signature with its own key; any defect is a CsrError. */
export function parseCsr(input: Buffer | string): ParsedCsr {
  const der = csrDer(input);
  if (der.length > 64 * 1024) throw new CsrError('the CSR is larger than 64 KiB');
  const top = el(der);
  if (top.raw.length !== der.length) throw new CsrError('trailing bytes after the CSR');
  const [info, alg, sig] = kids(top, TAG.SEQUENCE);
  if (!info || !alg || !sig || kids(top).length !== 3) throw new CsrError('a CSR is a SEQUENCE of info, algorithm and signature');
  const [version, subject, spkiEl, attributes] = kids(info, TAG.SEQUENCE);
  if (!version || version.tag !== TAG.INTEGER || version.content.length !== 1 || version.content[0] !== 0) throw new CsrError('the CSR version must be 0 (v1)');
  if (!subject || !spkiEl) throw new CsrError('the CSR has no subject or public key');
  kids(spkiEl, TAG.SEQUENCE);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spkiEl.raw), format: 'der', type: 'spki' });
  } catch {
    throw new CsrError('the CSR public key cannot be read');
  }
  const type = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (type === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new CsrError('RSA keys must be at least 2048 bits');
  } else if (type === 'ec') {
    if (!CURVES.has(details.namedCurve ?? '')) throw new CsrError(`unsupported EC curve ${details.namedCurve}`);
  } else if (type !== 'ed25519') {
    throw new CsrError(`unsupported key type ${type}`);
  }

  const algOid = oidOf(kids(alg, TAG.SEQUENCE)[0] ?? ({ tag: 0 } as El));
  if (sig.tag !== TAG.BIT_STRING || sig.content.length < 2 || sig.content[0] !== 0) throw new CsrError('the CSR signature is not a BIT STRING');
  const signature = sig.content.subarray(1);
  let ok: boolean;
  if (algOid === ED25519) {
    if (type !== 'ed25519') throw new CsrError('the signature algorithm does not match the key');
    ok = verify(null, info.raw, publicKey, signature);
  } else {
    const s = Object.values(SIG).find((x) => x.oid === algOid);
    if (!s) throw new CsrError(`unsupported signature algorithm ${algOid}`);
    if (s.rsa !== (type === 'rsa')) throw new CsrError('the signature algorithm does not match the key');
    try {
      ok = verify(s.hash, info.raw, publicKey, signature);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new CsrError('the CSR signature does not verify');

  const commonNames = nameValues(subject, OID.commonName);
  let subjectAltName: Buffer | undefined;
  if (attributes) {
    if (attributes.tag !== 0xa0) throw new CsrError('malformed CSR attributes');
    for (const attr of kids(attributes)) {
      const [t, values] = kids(attr, TAG.SEQUENCE);
      if (!t || !values || oidOf(t) !== EXTENSION_REQUEST) continue;
      for (const exts of kids(values, TAG.SET)) {
        for (const ext of kids(exts, TAG.SEQUENCE)) {
          const parts = kids(ext, TAG.SEQUENCE);
          if (parts.length < 2 || parts[parts.length - 1].tag !== TAG.OCTET_STRING) throw new CsrError('malformed requested extension');
          if (oidOf(parts[0]) === OID.subjectAltName) {
            kids(el(parts[parts.length - 1].content), TAG.SEQUENCE); // it must at least be a SEQUENCE of names
            subjectAltName = Buffer.from(ext.raw);
          }
        }
      }
    }
  }
  return { subject: Buffer.from(subject.raw), spki: Buffer.from(spkiEl.raw), publicKey, commonNames, subjectAltName };
}

/** The extensions a template gives: ACM PCA's EndEntity*, and RootCACertificate/V1 (CA:TRUE, no path length). */
function templateExtensions(template: Template, spki: Buffer, issuerKeyId: Buffer, san: Buffer | undefined): Buffer[] {
  const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
  const ski = subjectKeyId(keyIdOf(spki));
  if (template === 'RootCACertificate/V1') {
    return [ext(OID.basicConstraints, true, seq(bool(true))), keyUsage([0, 5, 6]), ski];
  }
  const KEY_ENCIPHERMENT = 2;
  const [ku, eku]: [number[], string[]] = ({
    'EndEntityClientAuthCertificate/V1': [[0], [OID.clientAuth]],
    'EndEntityServerAuthCertificate/V1': [[0, KEY_ENCIPHERMENT], [OID.serverAuth]],
    'EndEntityCertificate/V1': [[0, KEY_ENCIPHERMENT], [OID.serverAuth, OID.clientAuth]],
  } as Record<Exclude<Template, 'RootCACertificate/V1'>, [number[], string[]]>)[template];
  return [ext(OID.basicConstraints, true, seq()), keyUsage(ku), extKeyUsage(eku), ...(san ? [san] : []), ski, authorityKeyId(issuerKeyId)];
}

/** A certificate for a verified CSR: its subject and key, the template's extensions, signed by the issuer. */
export function certificateFromCsr(opts: {
  csr: ParsedCsr;
  template: Template;
  issuer: Buffer; // DER Name of the issuing CA (the CSR's own subject for RootCACertificate/V1)
  issuerKeyId: Buffer;
  signingKey: KeyObject;
  signingAlgorithm: SigningAlgorithm;
  notBefore: Date;
  notAfter: Date;
}): { certPem: string; serial: string } {
  // 16 random bytes, positive and without a leading zero byte.
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const alg = algorithmId(opts.signingAlgorithm);
  const tbs = seq(
    ctx(0, true, uint(2)),
    uint(serial),
    alg,
    opts.issuer,
    seq(time(opts.notBefore), time(opts.notAfter)),
    opts.csr.subject,
    opts.csr.spki,
    ctx(3, true, seq(...templateExtensions(opts.template, opts.csr.spki, opts.issuerKeyId, opts.csr.subjectAltName))),
  );
  const signature = sign(SIG[opts.signingAlgorithm].hash, tbs, opts.signingKey);
  return { certPem: toPem('CERTIFICATE', seq(tbs, alg, bits(signature))), serial: serial.toString('hex') };
}

/** The issuer fields a certificate signed by `caCertPem` needs: its subject Name (DER, byte for byte) and key id. */
export function issuerOf(caCertPem: string): { subject: Buffer; keyId: Buffer; spki: Buffer } {
  const cert = new X509Certificate(caCertPem);
  const parsed = parseCertificate(cert.raw);
  const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
  const ski = parsed.extensions.get(OID.subjectKeyIdentifier);
  return { subject: parsed.subject, keyId: ski ? read(ski).content : keyIdOf(spki), spki };
}
