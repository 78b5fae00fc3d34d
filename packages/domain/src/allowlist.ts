/**
 * Which broker keys a custom MSK configuration may set, per Kafka version, and which values each
 * takes. Keys: MSK's documented list of settable properties; value rules: MSK's documented
 * ranges, else Apache Kafka's own ConfigDef type and validator, so that a value we accept never
 * stops a broker from starting.
 */
import { badRequest } from '@openmsk/wire/src/errors';
import { apacheMajorMinor, findKafkaVersion, isKraft, listKafkaVersions } from './catalog';
import { parseProperties, propertiesToMap, PropertiesSyntaxError } from './properties';
import { isControlPlaneKey } from './server-properties';

type Spec =
  | { type: 'boolean' }
  | { type: 'int' | 'long' | 'short'; min?: bigint; max?: bigint }
  | { type: 'double'; min: number; max: number }
  | { type: 'enum' | 'list'; values: readonly string[] }
  | { type: 'class'; known: readonly string[] };

interface Row {
  key: string;
  spec: Spec;
  /** First Apache [major, minor] that has the key. */
  since?: [number, number];
  /** First Apache [major, minor] that no longer has it (exclusive). */
  until?: [number, number];
  /** ZooKeeper-mode brokers only; `.kraft` labels never accept it. */
  zookeeper?: true;
}

const bool: Spec = { type: 'boolean' };
const int = (min?: number, max?: number): Spec => ({ type: 'int', min: min === undefined ? undefined : BigInt(min), max: max === undefined ? undefined : BigInt(max) });
const long = (min?: number): Spec => ({ type: 'long', min: min === undefined ? undefined : BigInt(min) });
const short1: Spec = { type: 'short', min: 1n };

// Tiered storage is switched by `storageMode` (the control plane owns
// remote.log.storage.system.enable); local.retention.* are topic configs set with Kafka tools.
const ROWS: readonly Row[] = [
  { key: 'allow.everyone.if.no.acl.found', spec: bool },
  { key: 'auto.create.topics.enable', spec: bool },
  { key: 'compression.type', spec: { type: 'enum', values: ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'] } },
  { key: 'connections.max.idle.ms', spec: long() },
  { key: 'default.replication.factor', spec: int(1) },
  { key: 'delete.topic.enable', spec: bool },
  { key: 'group.initial.rebalance.delay.ms', spec: int(0) },
  { key: 'group.max.session.timeout.ms', spec: int() },
  { key: 'group.min.session.timeout.ms', spec: int() },
  { key: 'leader.imbalance.per.broker.percentage', spec: int(0) },
  { key: 'log.cleaner.delete.retention.ms', spec: long(0) },
  { key: 'log.cleaner.min.cleanable.ratio', spec: { type: 'double', min: 0, max: 1 } },
  { key: 'log.cleanup.policy', spec: { type: 'list', values: ['compact', 'delete'] } },
  { key: 'log.flush.interval.messages', spec: long(1) },
  { key: 'log.flush.interval.ms', spec: long(0) },
  // Deprecated by KIP-937 in 3.6, removed in Kafka 4.0.
  { key: 'log.message.timestamp.difference.max.ms', spec: long(0), until: [4, 0] },
  { key: 'log.message.timestamp.before.max.ms', spec: long(0), since: [3, 6] },
  { key: 'log.message.timestamp.after.max.ms', spec: long(0), since: [3, 6] },
  { key: 'log.message.timestamp.type', spec: { type: 'enum', values: ['CreateTime', 'LogAppendTime'] } },
  { key: 'log.retention.bytes', spec: long() },
  { key: 'log.retention.hours', spec: int() },
  { key: 'log.retention.minutes', spec: int() },
  { key: 'log.retention.ms', spec: long() },
  { key: 'log.roll.ms', spec: long(1) },
  // Kafka 4.0 raised the minimum segment size to 1 MiB (KIP-1030).
  { key: 'log.segment.bytes', spec: int(14), until: [4, 0] },
  { key: 'log.segment.bytes', spec: int(1048576), since: [4, 0] },
  { key: 'max.incremental.fetch.session.cache.slots', spec: int(0) },
  { key: 'message.max.bytes', spec: int(0) },
  { key: 'min.insync.replicas', spec: int(1) },
  { key: 'num.io.threads', spec: int(1) },
  { key: 'num.network.threads', spec: int(1) },
  { key: 'num.partitions', spec: int(1) },
  { key: 'num.recovery.threads.per.data.dir', spec: int(1) },
  { key: 'num.replica.fetchers', spec: int(1) },
  { key: 'offsets.retention.minutes', spec: int(1) },
  { key: 'offsets.topic.replication.factor', spec: short1 },
  { key: 'replica.fetch.max.bytes', spec: int(0) },
  { key: 'replica.fetch.response.max.bytes', spec: int(0) },
  { key: 'replica.lag.time.max.ms', spec: { type: 'long', min: 10000n, max: 30000n } },
  // AWS-PARITY: any class name would be stored, and a broker that cannot load it does not start; openmsk's brokers
  // carry Kafka's own jars only, so the one class they can load is the only one accepted.
  { key: 'replica.selector.class', spec: { type: 'class', known: ['org.apache.kafka.common.replica.RackAwareReplicaSelector'] } },
  { key: 'replica.socket.receive.buffer.bytes', spec: int(-1) },
  { key: 'socket.receive.buffer.bytes', spec: int(-1) },
  { key: 'socket.request.max.bytes', spec: int(1) },
  { key: 'socket.send.buffer.bytes', spec: int(-1) },
  { key: 'transaction.max.timeout.ms', spec: int(1) },
  { key: 'transaction.state.log.min.isr', spec: int(1) },
  { key: 'transaction.state.log.replication.factor', spec: short1 },
  { key: 'transactional.id.expiration.ms', spec: int(1) },
  { key: 'unclean.leader.election.enable', spec: bool },
  { key: 'zookeeper.connection.timeout.ms', spec: int(0), zookeeper: true },
  { key: 'zookeeper.session.timeout.ms', spec: int(6000, 18000), zookeeper: true },
];

const TYPE_RANGE = {
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [-9223372036854775808n, 9223372036854775807n],
} as const;

const before = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

const ROWS_BY_KEY = new Map<string, Row[]>();
for (const r of ROWS) ROWS_BY_KEY.set(r.key, [...(ROWS_BY_KEY.get(r.key) ?? []), r]);

function rowFor(key: string, label: string, mm = apacheMajorMinor(label)): Row | undefined {
  const rows = ROWS_BY_KEY.get(key); // unknown keys stop here: one map look-up each
  if (!rows || !mm || isControlPlaneKey(key)) return undefined;
  return rows.find(
    (r) =>
      !(r.since && before(mm, r.since)) &&
      !(r.until && !before(mm, r.until)) &&
      !(r.zookeeper && isKraft(label)),
  );
}

/** Keys a custom configuration may set for this MSK version label (empty for unknown labels). */
export function allowedKeys(kafkaVersion: string): string[] {
  return [...new Set(ROWS.map((r) => r.key))].filter((k) => rowFor(k, kafkaVersion));
}

export function isKeyAllowed(key: string, kafkaVersion: string): boolean {
  return rowFor(key, kafkaVersion) !== undefined;
}

// AWS-PARITY: MSK echoes names and values whole; we cut them at 256 characters in messages, so
// that a 100 KiB value does not come back twice in the error.
const MAX_ECHOED = 256;
const echo = (s: string) => (s.length > MAX_ECHOED ? `${s.slice(0, MAX_ECHOED)}...` : s);

/** Java's String.trim(): strips every char up to U+0020 and nothing else (JS trim also strips U+00A0, U+FEFF, ...). */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) <= 0x20) b--;
  return s.slice(a, b);
}

// Java's `\s` (ConfigDef splits lists on "\\s*,\\s*"): space, \t, \n, \x0B, \f, \r.
const isJavaSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** ConfigDef's list split on `\s*,\s*` of an already trimmed value, without the regex's quadratic backtracking. */
function splitList(v: string): string[] {
  return v.split(',').map((item, i, all) => {
    let a = 0;
    let b = item.length;
    if (i > 0) while (a < b && isJavaSpace(item.charCodeAt(a))) a++;
    if (i < all.length - 1) while (b > a && isJavaSpace(item.charCodeAt(b - 1))) b--;
    return item.slice(a, b);
  });
}

// Java's Double.parseDouble syntax, minus NaN/Infinity/hex, which no ratio needs. Written without
// overlapping quantifiers (`\d+\.?\d*` backtracks quadratically on a long run of digits).
const DOUBLE_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?$/;

/** The reason `value` is wrong for this spec, in MSK's style, or undefined when it is fine. */
function valueError(key: string, raw: string, spec: Spec): string | undefined {
  const v = javaTrim(raw); // Kafka's ConfigDef trims before parsing
  const bad = (valid: string) => `Value '${echo(raw)}' is not valid for key '${echo(key)}'. ${valid}`;
  switch (spec.type) {
    case 'boolean':
      return /^(true|false)$/i.test(v) ? undefined : bad('Valid values: [true, false]');
    case 'short':
    case 'int':
    case 'long': {
      const min = spec.min ?? TYPE_RANGE[spec.type][0];
      const max = spec.max ?? TYPE_RANGE[spec.type][1];
      const ok = /^[+-]?\d+$/.test(v) && BigInt(v) >= min && BigInt(v) <= max;
      return ok ? undefined : bad(`Valid range: [${min}, ${max}]`);
    }
    case 'double': {
      const n = DOUBLE_TEXT.test(v) ? Number(v.replace(/[dDfF]$/, '')) : NaN;
      const ok = n >= spec.min && n <= spec.max;
      return ok ? undefined : bad(`Valid range: [${spec.min}, ${spec.max}]`);
    }
    case 'enum':
      return spec.values.includes(v) ? undefined : bad(`Valid values: [${spec.values.join(', ')}]`);
    case 'list': {
      const items = v === '' ? [] : splitList(v);
      const ok = items.length > 0 && items.every((i) => spec.values.includes(i));
      return ok ? undefined : bad(`Valid values: a comma-separated list of [${spec.values.join(', ')}]`);
    }
    case 'class':
      if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(v)) return bad('Valid values: a fully qualified Java class name');
      return spec.known.includes(v) ? undefined : bad(`Valid values: [${spec.known.join(', ')}] (the brokers load no other classes)`);
  }
}

/** One element of MSK's JSON-array error message. */
export interface ServerPropertyError {
  name: string;
  value: string;
  errorMessages: string[];
}

/** Problems of an already-parsed configuration against every listed version, in key order. */
export function findServerPropertyErrors(props: ReadonlyMap<string, string>, kafkaVersions: readonly string[]): ServerPropertyError[] {
  const versions = kafkaVersions.length ? [...new Set(kafkaVersions)] : listKafkaVersions().map((v) => v.label);
  const majorMinor = versions.map((label) => apacheMajorMinor(label));
  const checked = `Key checked against versions: [${versions.join(', ')}]`;
  const errors: ServerPropertyError[] = [];
  for (const [name, value] of props) {
    const rows = versions.map((label, i) => rowFor(name, label, majorMinor[i]));
    let messages: string[];
    if (rows.some((r) => !r)) {
      messages = [`Key '${echo(name)}' is not supported by at least one Apache Kafka version. ${checked}`];
    } else {
      messages = [...new Set(rows.map((r) => valueError(name, value, r!.spec)).filter((m): m is string => !!m))];
    }
    if (messages.length) errors.push({ name, value, errorMessages: messages });
  }
  return errors;
}

// AWS-PARITY: MSK documents no size limit for serverProperties; we refuse more than 100 KiB (UTF-8)
// before parsing. The settable keys fit in about 3 KB, so this leaves room for comments while
// bounding the parse, the stored revision and what the worker renders for every broker.
export const MAX_SERVER_PROPERTIES_BYTES = 100 * 1024;

// AWS-PARITY: MSK's error message lists every bad key; we list the first 20 (names and values cut
// at 256 characters) and count the rest in one last element, so a message stays a bounded JSON
// array of the same shape.
export const MAX_LISTED_PROPERTY_ERRORS = 20;

/** UTF-8 length of a string without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** MSK's JSON-array message for these errors, listing at most {@link MAX_LISTED_PROPERTY_ERRORS}. */
export function serverPropertyErrorsMessage(errors: readonly ServerPropertyError[]): string {
  const listed = errors.slice(0, MAX_LISTED_PROPERTY_ERRORS).map((e) => ({ ...e, name: echo(e.name), value: echo(e.value) }));
  if (errors.length <= MAX_LISTED_PROPERTY_ERRORS) return JSON.stringify(listed);
  const more = errors.length - MAX_LISTED_PROPERTY_ERRORS;
  const rest: ServerPropertyError = {
    name: '...',
    value: '',
    errorMessages: [`${more} more invalid ${more === 1 ? 'property is' : 'properties are'} not listed.`],
  };
  return JSON.stringify([...listed, rest]);
}

/**
 * Parses and checks a configuration's server.properties against each of `kafkaVersions` (all
 * catalog versions when empty). Returns the effective keys (last duplicate wins, as in Java);
 * throws BadRequestException whose message is MSK's JSON array, invalidParameter `serverProperties`.
 */
export function validateServerProperties(text: string, kafkaVersions: readonly string[]): Map<string, string> {
  const unknown = kafkaVersions.find((v) => !findKafkaVersion(v));
  if (unknown !== undefined) {
    const valid = listKafkaVersions().map((v) => v.label).join(', ');
    throw badRequest(`Unsupported KafkaVersion [${unknown}]. Valid values: [${valid}]`, 'kafkaVersions');
  }
  // Every UTF-16 unit is at least one UTF-8 byte, so the length alone refuses most oversized texts.
  if (text.length > MAX_SERVER_PROPERTIES_BYTES || utf8Length(text) > MAX_SERVER_PROPERTIES_BYTES) {
    throw badRequest(
      `The serverProperties parameter is larger than ${MAX_SERVER_PROPERTIES_BYTES} bytes (100 KiB), the most openmsk accepts.`,
      'serverProperties',
    );
  }
  let props: Map<string, string>;
  try {
    props = propertiesToMap(parseProperties(text));
  } catch (e) {
    if (!(e instanceof PropertiesSyntaxError)) throw e;
    throw badRequest(`Line ${e.line} of serverProperties is not valid: ${e.message}`, 'serverProperties');
  }
  const errors = findServerPropertyErrors(props, kafkaVersions);
  if (errors.length) throw badRequest(serverPropertyErrorsMessage(errors), 'serverProperties');
  return props;
}
