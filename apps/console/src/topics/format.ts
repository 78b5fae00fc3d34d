/**
 * Pure helpers of the topics and consumer-group pages: bytes of a record as text or hex, topic configs in and out of
 * the base64 `configs` member, sizes and counts. No DOM and no React, so jest tests them as they are.
 */

/** Bytes of a base64 string (standard alphabet; url-safe and missing padding are accepted too). */
export function base64ToBytes(b64: string): Uint8Array {
  const std = b64.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const padded = std + '='.repeat((4 - (std.length % 4)) % 4);
  const bin = atob(padded);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Standard base64 of bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Space-separated lowercase bytes: `68 69 0a`. */
export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/** Escapes of the control characters with a common short form. */
const SHORT_ESCAPES: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x00: '\\0' };

/**
 * Code points shown escaped rather than as themselves: C0/C1 controls and DEL, line/paragraph separators, the BOM,
 * zero-width characters and bidirectional controls (which would reorder what is on screen).
 */
function isNonPrintable(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

function escapeCodePoint(cp: number): string {
  if (SHORT_ESCAPES[cp]) return SHORT_ESCAPES[cp];
  if (cp <= 0xff) return `\\x${hex2(cp)}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * UTF-8 decoding that shows what it cannot print: every byte that is not part of a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) becomes `\xNN`, and non-printable code points
 * are escaped (`\n`, `\t`, `\r`, `\0`, `\xNN`, `\u{NNNN}`). A backslash in the data is shown as it is.
 */
export function bytesToText(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let cp = -1;
    let len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b <= 0xf4) {
      len = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
      const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000;
      let v = b & (len === 2 ? 0x1f : len === 3 ? 0x0f : 0x07);
      let ok = i + len <= bytes.length;
      for (let k = 1; ok && k < len; k++) {
        const c = bytes[i + k];
        if ((c & 0xc0) !== 0x80) ok = false;
        else v = (v << 6) | (c & 0x3f);
      }
      if (ok && v >= min && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff)) cp = v;
    }
    if (cp < 0) {
      out += `\\x${hex2(b)}`;
      i += 1;
      continue;
    }
    out += isNonPrintable(cp) ? escapeCodePoint(cp) : String.fromCodePoint(cp);
    i += len;
  }
  return out;
}

export type BytesView = 'text' | 'hex';

/** A record's key, value or header value (base64 on the wire, null when absent) as shown: null stays null. */
export function showBytes(b64: string | null | undefined, view: BytesView): string | null {
  if (b64 === null || b64 === undefined) return null;
  const bytes = base64ToBytes(b64);
  return view === 'hex' ? bytesToHex(bytes) : bytesToText(bytes);
}

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * DescribeTopic's `configs`: base64 of properties text (`key=value` lines, what openmsk answers) or of a JSON object
 * (what Terraform and Pulumi write). Entries in the order given; comments and blank lines skipped.
 */
export function decodeTopicConfigs(b64: string | null | undefined): Array<[string, string]> {
  if (!b64) return [];
  const text = new TextDecoder().decode(base64ToBytes(b64));
  if (text.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
      }
    } catch { /* not JSON after all: read it as properties */ }
  }
  return parseConfigLines(text);
}

/**
 * `key=value` lines as typed: blank lines and `#`/`!` comments skipped, each line split at its first `=` (or `:`),
 * key and value trimmed. A line without a separator is a key with an empty value, as in a properties file.
 */
export function parseConfigLines(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const at = line.search(/[=:]/);
    if (at < 0) out.push([line, '']);
    else out.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return out;
}

/**
 * CreateTopic's `configs` from the form's `key=value` lines: base64 of a JSON object of them (one of the two forms
 * the API reads), so a value is taken literally (properties text would treat `\` as an escape). Undefined when there
 * is nothing but blank lines and comments. The form judges nothing else: the API refuses unknown keys and values.
 * A key given twice appears twice in the JSON text, where the last one counts.
 */
export function encodeTopicConfigs(text: string): string | undefined {
  const entries = parseConfigLines(text);
  if (entries.length === 0) return undefined;
  const json = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  return bytesToBase64(utf8(json));
}

/** Internal topics (`__consumer_offsets`, `__transaction_state`): the brokers' own. */
export const isInternalTopic = (name: string) => name.startsWith('__');

/** An offset or count from JSON, which may carry a 64-bit value as a string. */
export function toNumber(v: number | string | null | undefined): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export interface PartitionOffsets {
  partition: number;
  earliestOffset: number | string;
  latestOffset: number | string;
  sizeBytes: number | string | null;
}

/** Messages held in a topic: the sum over its partitions of latest − earliest. */
export function messageCount(partitions: readonly PartitionOffsets[]): number {
  return partitions.reduce((n, p) => n + Math.max(0, (toNumber(p.latestOffset) ?? 0) - (toNumber(p.earliestOffset) ?? 0)), 0);
}

/** Bytes on disk of a topic's partitions; undefined when any partition's size is unknown. */
export function totalSize(partitions: readonly PartitionOffsets[]): number | undefined {
  let sum = 0;
  for (const p of partitions) {
    const s = toNumber(p.sizeBytes);
    if (s === undefined) return undefined;
    sum += s;
  }
  return sum;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units: `0 B`, `512 B`, `1.5 KiB`, `12.3 MiB`, `120 GiB`; `—` when unknown. */
export function formatBytes(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  if (u === 0) return `${v} B`;
  const digits = Math.abs(v) >= 100 ? 0 : 1;
  return `${v.toFixed(digits).replace(/\.0$/, '')} ${UNITS[u]}`;
}

/** A count with thousands separators (`12,345`), `—` when unknown. */
export function formatCount(n: number | string | undefined | null): string {
  const v = toNumber(n);
  return v === undefined ? '—' : v.toLocaleString('en-US');
}

/** A partition is under-replicated when fewer replicas are in sync than it has. */
export const isUnderReplicated = (p: { replicas?: readonly number[]; isr?: readonly number[] }) =>
  (p.isr?.length ?? 0) < (p.replicas?.length ?? 0);

/** `orders: 0, 1, 2; payments: 3` for a member's assignments. */
export function formatAssignments(a: ReadonlyArray<{ topic: string; partitions: readonly number[] }> | undefined): string {
  if (!a || a.length === 0) return '—';
  return a.map((x) => `${x.topic}: ${[...x.partitions].sort((p, q) => p - q).join(', ')}`).join('; ');
}
