/**
 * Java `.properties` reading and writing, following `java.util.Properties.load`/`store` so that
 * what we validate is exactly what the broker will read.
 */

export interface PropertyEntry {
  key: string;
  value: string;
  /** 1-based natural line where the logical line starts (for error messages). */
  line: number;
}

/** Thrown for text Java itself would refuse (only a malformed `\uXXXX` escape). */
export class PropertiesSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(message);
    this.name = 'PropertiesSyntaxError';
  }
}

const isWs = (c: string) => c === ' ' || c === '\t' || c === '\f';

function stripLeadingWs(s: string): string {
  let i = 0;
  while (i < s.length && isWs(s[i])) i++;
  return s.slice(i);
}

function trailingBackslashes(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\\') n++;
  return n;
}

/**
 * Joins natural lines into logical ones: comments and blanks dropped, `\`-continuations merged.
 * Linear in the text: each natural line is stripped once and the pieces of a logical line are
 * joined once at its end (re-slicing the growing line per continuation was quadratic).
 */
function logicalLines(text: string): { text: string; line: number }[] {
  // A leading BOM is not stripped by Java; we drop it because editors add it invisibly and the
  // first key would otherwise be rejected as unknown. AWS-PARITY: MSK behaviour unverified.
  const natural = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  for (let i = 0; i < natural.length; i++) {
    const start = i;
    let seg = stripLeadingWs(natural[i]);
    // Comment lines are never continued, even when they end with a backslash (Java LineReader).
    if (seg === '' || seg[0] === '#' || seg[0] === '!') continue;
    // After removing one backslash the remaining run is even, so the parity of the merged run
    // equals the parity of the appended segment's run: the same test Java makes per line.
    const pieces: string[] = [];
    while (trailingBackslashes(seg) % 2 === 1) {
      pieces.push(seg.slice(0, -1));
      seg = '';
      if (++i >= natural.length) break; // backslash at EOF is dropped
      seg = stripLeadingWs(natural[i]);
    }
    pieces.push(seg);
    out.push({ text: pieces.length === 1 ? pieces[0] : pieces.join(''), line: start + 1 });
  }
  return out;
}

/** Java's loadConvert: `\t \n \r \f`, `\uXXXX`, and `\x` → `x` for anything else. */
function unescape(s: string, line: number): string {
  if (!s.includes('\\')) return s;
  const out: string[] = [];
  let from = 0; // start of the run of plain characters not yet copied
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x5c) continue;
    if (i > from) out.push(s.slice(from, i));
    const n = s[++i];
    from = i + 1;
    if (n === undefined) break;
    if (n === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw new PropertiesSyntaxError('Malformed \\uxxxx encoding.', line);
      out.push(String.fromCharCode(parseInt(hex, 16)));
      i += 4;
      from = i + 1;
    } else out.push(n === 't' ? '\t' : n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'f' ? '\f' : n);
  }
  if (from < s.length) out.push(s.slice(from));
  return out.join('');
}

/**
 * Parses `.properties` text into entries in file order, duplicates included (Java keeps the last;
 * see {@link propertiesToMap}). Separators: `=`, `:` or whitespace, with optional whitespace around.
 */
export function parseProperties(text: string): PropertyEntry[] {
  return logicalLines(text).map(({ text: l, line }) => {
    let keyLen = 0;
    let valueStart = l.length;
    let hasSep = false;
    let escaped = false;
    for (; keyLen < l.length; keyLen++) {
      const c = l[keyLen];
      if (!escaped && (c === '=' || c === ':')) {
        valueStart = keyLen + 1;
        hasSep = true;
        break;
      }
      if (!escaped && isWs(c)) {
        valueStart = keyLen + 1;
        break;
      }
      escaped = c === '\\' ? !escaped : false;
    }
    for (; valueStart < l.length; valueStart++) {
      const c = l[valueStart];
      if (isWs(c)) continue;
      if (!hasSep && (c === '=' || c === ':')) hasSep = true;
      else break;
    }
    return { key: unescape(l.slice(0, keyLen), line), value: unescape(l.slice(valueStart), line), line };
  });
}

/** Last value wins, as in Java; a repeated key keeps the position of its first occurrence. */
export function propertiesToMap(entries: readonly PropertyEntry[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of entries) m.set(e.key, e.value);
  return m;
}

/** Java's saveConvert with `escUnicode`: Kafka loads server.properties as ISO-8859-1. */
function escape(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = c.charCodeAt(0);
    if (c === ' ') out += i === 0 || isKey ? '\\ ' : ' ';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if (c === '\\' || c === '=' || c === ':' || c === '#' || c === '!') out += '\\' + c;
    else if (code < 0x20 || code > 0x7e) out += '\\u' + code.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out;
}

/** Renders `key=value` lines in iteration order, escaped so {@link parseProperties} (and Java) read them back. */
export function renderProperties(props: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string {
  const entries = props instanceof Map ? [...props.entries()] : Object.entries(props);
  return entries.map(([k, v]) => `${escape(k, true)}=${escape(v, false)}\n`).join('');
}
