/** server.properties text → key → value (comments and blank lines skipped; the last of a repeated key wins, as Kafka reads it). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const i = line.search(/[=:]/);
    if (i < 0) out.set(line, '');
    else out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

export interface PropertyChange {
  key: string;
  kind: 'added' | 'removed' | 'changed' | 'same';
  from?: string;
  to?: string;
}

/** Key by key, sorted by key: what the newer properties add, remove or change against the older. */
export function diffProperties(older: string, newer: string): PropertyChange[] {
  const a = parseProperties(older);
  const b = parseProperties(newer);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((key) => {
    const from = a.get(key);
    const to = b.get(key);
    if (from === undefined) return { key, kind: 'added', to };
    if (to === undefined) return { key, kind: 'removed', from };
    return { key, kind: from === to ? 'same' : 'changed', from, to };
  });
}
