/**
 * The small slice of ASN.1 DER that X.509 needs, written by hand so the package depends only on node:crypto
 * (which signs, generates keys and exports SPKI/PKCS#8 itself). DER is strict about minimal lengths and minimal
 * integers; OpenSSL and Java both reject certificates that get either wrong, so those two rules live here only.
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One tag-length-value; lengths use the short form below 128 and the minimal long form otherwise. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

export const seq = (...items: Buffer[]) => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: Buffer[]) => tlv(TAG.SET, ...items);
export const octets = (b: Buffer) => tlv(TAG.OCTET_STRING, b);
export const bool = (v: boolean) => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0x00]));
export const utf8 = (s: string) => tlv(TAG.UTF8_STRING, Buffer.from(s, 'utf8'));
/** A BIT STRING of whole bytes (keys, signatures): the leading 0 says "no unused bits". */
export const bits = (b: Buffer) => tlv(TAG.BIT_STRING, Buffer.from([0]), b);
/** Context-specific tag [n], constructed (EXPLICIT wrappers) or primitive (IMPLICIT strings such as SAN entries). */
export const ctx = (n: number, constructed: boolean, ...content: Buffer[]) =>
  tlv(0x80 | (constructed ? 0x20 : 0) | n, ...content);

/** Unsigned big-endian bytes as a DER INTEGER: strip leading zeros, then add one back if the top bit is set. */
export function uint(bytes: Buffer | number): Buffer {
  let b = typeof bytes === 'number' ? Buffer.from([bytes]) : bytes;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  b = b.subarray(i);
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(TAG.INTEGER, b);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a * 40 + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC, whole seconds, trailing Z. */
export function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = d.getUTCFullYear();
  return year < 2050
    ? tlv(TAG.UTC_TIME, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(TAG.GENERALIZED_TIME, Buffer.from(digits, 'ascii'));
}

/** A decoded element: its tag, its content, and the full encoding (needed to copy a Name byte for byte). */
export interface Node {
  tag: number;
  content: Buffer;
  raw: Buffer;
}

/** Reads one element at `offset`; a reader only for certificates this package (or OpenSSL) produced. */
export function read(buf: Buffer, offset = 0): Node {
  const tag = buf[offset];
  let len = buf[offset + 1];
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  if (start + len > buf.length) throw new Error('DER: element runs past the end of its buffer');
  return { tag, content: buf.subarray(start, start + len), raw: buf.subarray(offset, start + len) };
}

/** The elements inside a constructed element (SEQUENCE, SET, EXPLICIT wrapper). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let off = 0; off < node.content.length; ) {
    const child = read(node.content, off);
    out.push(child);
    off += child.raw.length;
  }
  return out;
}

/** Decodes a UTCTime or GeneralizedTime in the Z form that RFC 5280 requires. */
export function readTime(node: Node): Date {
  let s = node.content.toString('ascii');
  if (node.tag === TAG.UTC_TIME) s = (Number(s.slice(0, 2)) < 50 ? '20' : '19') + s;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  if (!m) throw new Error(`DER: unsupported time ${s}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}
