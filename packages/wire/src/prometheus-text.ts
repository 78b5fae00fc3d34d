/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4): the worker's collector reads the brokers'
 * exporters with it, and the /metrics tests of the API and the worker check openmsk's own expositions. Strict where a scraper would be: metric and label names, quoting and escapes, sample values, # TYPE
 * before the samples and once per family, a family's samples together, no series twice, and for histograms
 * `_bucket` series with `le` that are cumulative and end in `+Inf` equal to `_count`, with a `_sum`.
 * (The npm parser, parse-prometheus-text-format, has had no release in years and accepts malformed input.)
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case; prom-client writes `Nan`. */
function parseValue(s: string, line: number): number {
  if (/^\+?inf(inity)?$/i.test(s)) return Infinity;
  if (/^-inf(inity)?$/i.test(s)) return -Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`line ${line}: bad sample value '${s}'`);
  return Number(s);
}

/** `{a="x",b="y"}` starting at `i`: the labels and the index after `}`. */
function parseLabels(text: string, i: number, line: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  i++; // {
  for (;;) {
    if (text[i] === '}') return [labels, i + 1];
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without '='`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`line ${line}: bad label name '${name}'`);
    if (Object.hasOwn(labels, name)) throw new Error(`line ${line}: label '${name}' twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label value not quoted`);
    let value = '';
    let j = eq + 2;
    for (;; j++) {
      const c = text[j];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const n = text[++j];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape '\\${n}'`);
      } else value += c;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`line ${line}: expected ',' or '}' after a label`);
  }
}

/** Parses a whole exposition; throws with the line number on the first violation. */
export function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const seriesSeen = new Set<string>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const lines = text.slice(0, -1).split('\n');
  const familyOf = (sample: string): Family | undefined => {
    for (const f of families.values()) if (SUFFIXES[f.type].some((s) => f.name + s === sample)) return f;
    return undefined;
  };
  lines.forEach((raw, idx) => {
    const line = idx + 1;
    if (raw === '') return; // empty lines are allowed (prom-client puts one between families)
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m;
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name '${name}'`);
      if (closed.has(name)) throw new Error(`line ${line}: ${name} appears again after other families`);
      let f = families.get(name);
      if (!f) {
        if (current) closed.add(current.name);
        f = { name, type: 'untyped', samples: [] };
        families.set(name, f);
        current = f;
      }
      if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`line ${line}: second HELP for ${name}`);
        f.help = rest;
      } else {
        if (!TYPES.has(rest as MetricType)) throw new Error(`line ${line}: bad type '${rest}'`);
        if (f.samples.length > 0) throw new Error(`line ${line}: TYPE of ${name} after its samples`);
        f.type = rest as MetricType;
      }
      return;
    }
    const nameEnd = raw.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`line ${line}: no sample value`);
    const name = raw.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name '${name}'`);
    let labels: Record<string, string> = {};
    let i = nameEnd;
    if (raw[i] === '{') [labels, i] = parseLabels(raw, i, line);
    if (raw[i] !== ' ') throw new Error(`line ${line}: expected a space before the value`);
    const parts = raw.slice(i + 1).split(' ');
    if (parts.length > 2 || parts[0] === '') throw new Error(`line ${line}: expected 'value [timestamp]'`);
    const value = parseValue(parts[0], line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp`);
    const family = familyOf(name) ?? families.get(name);
    if (!family || family !== current) throw new Error(`line ${line}: sample ${name} outside its family's block (no TYPE/HELP before it)`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seriesSeen.has(key)) throw new Error(`line ${line}: series ${key} twice`);
    seriesSeen.add(key);
    if (family.type === 'histogram' && name.endsWith('_bucket') && labels.le === undefined) throw new Error(`line ${line}: bucket without le`);
    family.samples.push({ name, labels, value });
  });
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f);
  return families;
}

function checkHistogram(f: Family) {
  const groups = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const g = groups.get(key) ?? { buckets: [] };
    groups.set(key, g);
    if (s.name === `${f.name}_bucket`) g.buckets.push([parseValue(le, 0), s.value]);
    else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else g.count = s.value;
  }
  for (const [key, g] of groups) {
    const where = `${f.name}${key}`;
    if (g.sum === undefined || g.count === undefined) throw new Error(`${where}: histogram without _sum or _count`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i][0] > g.buckets[i - 1][0])) throw new Error(`${where}: le not increasing`);
      if (g.buckets[i][1] < g.buckets[i - 1][1]) throw new Error(`${where}: buckets not cumulative`);
    }
    const last = g.buckets.at(-1);
    if (!last || last[0] !== Infinity) throw new Error(`${where}: no +Inf bucket`);
    if (last[1] !== g.count) throw new Error(`${where}: +Inf bucket ${last[1]} != _count ${g.count}`);
  }
}

/** The value of one series (labels matched exactly), 0 when it is absent: a counter not yet incremented. */
export function sampleValue(families: Map<string, Family>, sample: string, labels: Record<string, string> = {}): number {
  for (const f of families.values()) {
    for (const s of f.samples) {
      if (s.name !== sample) continue;
      const keys = Object.keys(s.labels);
      if (keys.length === Object.keys(labels).length && keys.every((k) => s.labels[k] === labels[k])) return s.value;
    }
  }
  return 0;
}

/** Every series of a sample name, e.g. all `openmsk_api_requests_total`. */
export function samplesOf(families: Map<string, Family>, sample: string): Sample[] {
  return [...families.values()].flatMap((f) => f.samples.filter((s) => s.name === sample));
}

/** GET <url>/metrics (or `path`; with an Authorization header if given), checks the content type and parses the body. */
export async function scrape(base: string, opts: { authorization?: string; timeoutMs?: number; path?: string } = {}): Promise<Map<string, Family>> {
  const res = await fetch(`${base}${opts.path ?? '/metrics'}`, {
    headers: opts.authorization ? { authorization: opts.authorization } : {},
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  if (res.status !== 200) throw new Error(`${opts.path ?? '/metrics'} answered ${res.status}`);
  const type = res.headers.get('content-type') ?? '';
  if (!/^text\/plain; version=0\.0\.4(;|$)/.test(type)) throw new Error(`/metrics content-type ${type}`);
  return parsePrometheus(await res.text());
}
