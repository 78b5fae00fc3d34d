/**
 * Subject alternative names: validation and the byte forms RFC 5280 puts in a certificate. Hostname checks in
 * Kafka clients (Java's `ssl.endpoint.identification.algorithm=https`, librdkafka, Node) look only at SANs when
 * any are present, so a name that is malformed here is a name no client will ever match; reject it up front.
 */
import { isIPv4, isIPv6 } from 'node:net';

// Letters, digits, hyphen, underscore (seen in container/host names) per label; an optional leading "*." wildcard.
const DNS_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Lower-cases and checks a DNS name; SAN dNSName is an IA5String, so internationalised names must be punycode. */
export function normalizeDnsName(name: string): string {
  const n = name.trim().toLowerCase();
  if (isIPv4(n) || isIPv6(n)) throw new Error(`"${name}" is an IP address: pass it in ipAddresses, not dnsNames`);
  if (n.length > 253 || !DNS_NAME.test(n)) throw new Error(`invalid DNS name for a certificate: "${name}"`);
  return n;
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as the iPAddress SAN carries it. */
export function ipToBytes(ip: string): Buffer {
  const s = ip.trim();
  if (isIPv4(s)) return Buffer.from(s.split('.').map(Number));
  // Zone ids (fe80::1%eth0) name a local interface; they cannot appear in a certificate.
  if (!isIPv6(s) || s.includes('%')) throw new Error(`invalid IP address for a certificate: "${ip}"`);
  let text = s;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text); // ::ffff:1.2.3.4 -> two hex groups
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** The canonical text of an iPAddress SAN: dotted IPv4, or compressed lower-case IPv6 (via WHATWG URL rules). */
export function ipFromBytes(b: Buffer): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) throw new Error(`iPAddress SAN of ${b.length} bytes is neither IPv4 nor IPv6`);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Order-preserving de-duplication. */
export const unique = (xs: string[]) => [...new Set(xs)];
