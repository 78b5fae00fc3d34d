/**
 * Request decoding and response encoding between the restJson1 wire form (jsonName keys, base64 blobs, RFC 3339
 * strings) and the SDK-shaped objects (PascalCase keys, Uint8Array, Date) the application works with.
 *
 * Error reporting: every client mistake becomes BadRequestException with `invalidParameter` set to the wire name
 * of the offending member itself (nested: `volumeSize`, not a dotted path; labels/query: `clusterArn`,
 * `maxResults`); the message carries the full dotted path so a human can still find it.
 * AWS-PARITY: the texts below are ours; AWS's wording for these validation failures is not known.
 */
import { isUtf8 } from 'node:buffer';
import { badRequest } from './errors';
import { requireOperation, type Member, type Shape, type StructureShape } from './model';

export interface RawRequest {
  /** Decoded label values by template name, as `matchRoute` returns them. */
  labels: Record<string, string>;
  query: URLSearchParams;
  body: Buffer | undefined;
}

type Json = unknown;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
// No overlapping quantifiers: `\d+\.?\d*` backtracks quadratically on a long run of digits.
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// AWS-PARITY: the kafka model puts no length on strings, lists, maps or blobs. These bounds are
// ours, far above anything an MSK request carries (ARNs, names, tags, descriptions: ~1 KiB;
// serverProperties: 100 KiB, checked by its own rule), so that no single member makes the domain
// rules, Postgres or an error message that echoes it large.
export const MAX_STRING_LENGTH = 64 * 1024;
export const MAX_COLLECTION_SIZE = 1000;
export const MAX_BLOB_BYTES = 1024 * 1024;

/** Standard, padded base64 (what the SDK and CLI send), checked in one pass without a regex. */
function isBase64(v: string): boolean {
  if (v.length % 4 !== 0) return false;
  let end = v.length;
  if (end > 0 && v.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && v.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) {
    const c = v.charCodeAt(i);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return false;
  }
  return true;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text Postgres can store and every client reads back the same: no NUL (Postgres refuses it in
 * text and jsonb) and no lone UTF-16 surrogate (it cannot be encoded as UTF-8, so it would come
 * back as U+FFFD). Applied to every string member, label, query value and map key.
 */
function checkText(text: string, where: string, param: string): string {
  if (text.length > MAX_STRING_LENGTH) {
    throw badRequest(`Invalid value for ${where}: a string may have at most ${MAX_STRING_LENGTH} characters.`, param);
  }
  if (text.includes('\u0000')) throw badRequest(`Invalid value for ${where}: must not contain NUL (U+0000) characters.`, param);
  if (LONE_SURROGATE.test(text)) throw badRequest(`Invalid value for ${where}: must be valid Unicode text, not a lone surrogate.`, param);
  return text;
}

function checkSize(n: number, where: string, param: string) {
  if (n > MAX_COLLECTION_SIZE) throw badRequest(`Invalid value for ${where}: at most ${MAX_COLLECTION_SIZE} entries are accepted.`, param);
}

const describe = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`);

function invalid(where: string, param: string, expected: string, got: Json): never {
  throw badRequest(`Invalid value for ${where}: expected ${expected}, got ${describe(got)}.`, param);
}

/** Converts one JSON value to its SDK form; `where` is the dotted wire path, `param` the member's wire name. */
function fromJson(shape: Shape, v: Json, where: string, param: string): unknown {
  switch (shape.kind) {
    case 'structure':
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return invalid(where, param, 'an object', v);
      return structFromJson(shape, v as Record<string, Json>, `${where}.`);
    case 'list':
      if (!Array.isArray(v)) return invalid(where, param, 'a list', v);
      checkSize(v.length, where, param);
      return v.map((x, i) => {
        if (x === null) return invalid(`${where}[${i}]`, param, 'a value', x);
        return fromJson(shape.member, x, `${where}[${i}]`, param);
      });
    case 'map': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return invalid(where, param, 'an object', v);
      const entries = Object.entries(v);
      checkSize(entries.length, where, param);
      const out: Record<string, unknown> = {};
      for (const [k, x] of entries) {
        checkText(k, `${where} (a key)`, param);
        if (x === null) return invalid(`${where}.${k}`, param, 'a value', x);
        // defineProperty: a key named `__proto__` is data, not the object's prototype.
        Object.defineProperty(out, k, { value: fromJson(shape.value, x, `${where}.${k}`, param), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case 'string':
      if (typeof v !== 'string') return invalid(where, param, 'a string', v);
      checkText(v, where, param);
      if (shape.enum && !shape.enum.includes(v)) {
        throw badRequest(`Invalid value for ${where}: must be one of ${shape.enum.join(', ')}.`, param);
      }
      return v;
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return invalid(where, param, 'a number', v);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') return invalid(where, param, 'a boolean', v);
      return v;
    case 'timestamp':
      return timestampFrom(shape.format, v, where, param);
    case 'blob': {
      if (typeof v !== 'string') return invalid(where, param, 'a base64 string', v);
      // Checked on the encoded length first: 4 characters per 3 bytes.
      if (v.length > Math.ceil(MAX_BLOB_BYTES / 3) * 4) {
        throw badRequest(`Invalid value for ${where}: at most ${MAX_BLOB_BYTES} bytes (1 MiB) are accepted.`, param);
      }
      if (!isBase64(v)) return invalid(where, param, 'a base64 string', v);
      return new Uint8Array(Buffer.from(v, 'base64'));
    }
    case 'document':
      return v;
  }
}

function timestampFrom(format: string, v: Json, where: string, param: string): Date {
  let d: Date | undefined;
  if (format === 'epoch-seconds' && typeof v === 'number') d = new Date(v * 1000);
  else if (format === 'date-time' && typeof v === 'string' && RFC3339.test(v)) d = new Date(v);
  else if (format === 'http-date' && typeof v === 'string') d = new Date(v);
  if (!d || Number.isNaN(d.getTime())) return invalid(where, param, `a ${format} timestamp`, v);
  return d;
}

function missing(m: Member, where: string): never {
  throw badRequest(`The request is missing required parameter ${where}${m.jsonName}.`, m.jsonName);
}

/** Body members by jsonName; names the model does not know are ignored, as AWS does. */
function structFromJson(shape: StructureShape, obj: Record<string, Json>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of Object.values(shape.members)) {
    if (m.location !== 'body') continue;
    const v = Object.prototype.hasOwnProperty.call(obj, m.jsonName) ? obj[m.jsonName] : undefined;
    if (v === undefined || v === null) {
      if (m.required) missing(m, prefix);
      continue;
    }
    out[m.name] = fromJson(m.target, v, `${prefix}${m.jsonName}`, m.jsonName);
  }
  return out;
}

/** Converts a label or query string to the member's type. */
function fromText(m: Member, text: string, shape: Shape = m.target): unknown {
  const where = m.locationName;
  checkText(text, where, m.jsonName);
  switch (shape.kind) {
    case 'string':
      if (shape.enum && !shape.enum.includes(text)) {
        throw badRequest(`Invalid value for ${where}: must be one of ${shape.enum.join(', ')}.`, m.jsonName);
      }
      return text;
    case 'number':
      if (!NUMBER_TEXT.test(text)) return invalid(where, m.jsonName, 'a number', text);
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false') return invalid(where, m.jsonName, 'true or false', text);
      return text === 'true';
    case 'timestamp':
      return timestampFrom(shape.format, shape.format === 'epoch-seconds' ? Number(text) : text, where, m.jsonName);
    case 'blob':
      return fromJson(shape, text, where, m.jsonName);
    default:
      throw new Error(`kafka model: ${shape.kind} cannot be bound to ${m.location} ${m.locationName}`);
  }
}

// AWS-PARITY: JSON bodies may nest at most 64 levels, our bound; the deepest member of the kafka
// model is about ten levels down.
export const MAX_JSON_DEPTH = 64;

/**
 * Whether arrays and objects nest deeper than `max`, found in one pass before JSON.parse: parsing
 * 5 million nested brackets (a 10 MiB body) holds the event loop for seconds, this scan for
 * microseconds. Strings are skipped with Buffer#indexOf; a quote counts as escaped when an odd
 * run of backslashes precedes it.
 */
function nestsDeeperThan(body: Buffer, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === 0x22) {
      let j = i;
      for (;;) {
        j = body.indexOf(0x22, j + 1);
        if (j < 0) return false; // unterminated: JSON.parse refuses it
        let run = 0;
        while (body[j - 1 - run] === 0x5c) run++;
        if (run % 2 === 0) break;
      }
      i = j;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function parseBody(body: Buffer | undefined): Record<string, Json> | undefined {
  if (!body || body.length === 0) return undefined;
  // Buffer#toString would turn bytes that are not UTF-8 into U+FFFD silently: refuse them instead.
  if (!isUtf8(body)) throw badRequest('The request body is not valid UTF-8.');
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) throw badRequest(`The request body nests JSON deeper than ${MAX_JSON_DEPTH} levels.`);
  let parsed: Json;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('The request body must be a JSON object.');
  }
  return parsed as Record<string, Json>;
}

/**
 * Builds the SDK-shaped input (e.g. `CreateClusterRequest`) of an operation from labels, query and body.
 * An absent/empty body counts as `{}`: operations with required body members then fail with "missing required
 * parameter", the others accept it. Bodies of operations without body members are not read at all.
 */
export function decodeRequest<T = Record<string, unknown>>(opName: string, req: RawRequest): T {
  const input = requireOperation(opName).input;
  const members = Object.values(input.members);
  const out: Record<string, unknown> = {};
  for (const m of members) {
    if (m.location === 'label') {
      const v = req.labels[m.locationName];
      if (v === undefined || v === '') {
        if (m.required) missing(m, '');
        continue;
      }
      out[m.name] = fromText(m, v);
    } else if (m.location === 'query') {
      const values = req.query.getAll(m.locationName);
      if (values.length === 0) {
        if (m.required) missing(m, '');
        continue;
      }
      checkSize(values.length, m.locationName, m.jsonName);
      // A repeated scalar parameter: the first value wins (no AWS behaviour known to copy).
      const t = m.target;
      out[m.name] = t.kind === 'list' ? values.map((x) => fromText(m, x, t.member)) : fromText(m, values[0]);
    }
    // No kafka operation binds request headers (checked in model.test.ts), so headers are not an input here.
  }
  if (members.some((m) => m.location === 'body')) {
    Object.assign(out, structFromJson(input, parseBody(req.body) ?? {}, ''));
  }
  return out as T;
}

/** SDK value -> wire JSON; a mismatch is a bug in our own code, so it throws a plain Error (-> 500). */
// Encoding is the hot path of every read: no per-field path strings or closures. A type error
// here is our bug; its message names the shape and member instead of the full path.
function bug(owner: string, expected: string, v: unknown): never {
  throw new Error(`encodeResponse: ${owner} must be ${expected}, got ${describe(v)}`);
}

function toJson(shape: Shape, v: unknown, owner: string): unknown {
  switch (shape.kind) {
    case 'structure':
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bug(owner, 'an object', v);
      return structToJson(shape, v as Record<string, unknown>);
    case 'list': {
      if (!Array.isArray(v)) return bug(owner, 'an array', v);
      const out: unknown[] = [];
      for (const x of v) if (x !== undefined && x !== null) out.push(toJson(shape.member, x, owner));
      return out;
    }
    case 'map': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return bug(owner, 'an object', v);
      const out: Record<string, unknown> = {};
      for (const k in v as Record<string, unknown>) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined && x !== null) out[k] = toJson(shape.value, x, owner);
      }
      return out;
    }
    case 'string':
      return typeof v === 'string' ? v : bug(owner, 'a string', v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : bug(owner, 'a finite number', v);
    case 'boolean':
      return typeof v === 'boolean' ? v : bug(owner, 'a boolean', v);
    case 'timestamp': {
      const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
      if (!d || Number.isNaN(d.getTime())) return bug(owner, 'a Date', v);
      if (shape.format === 'epoch-seconds') return d.getTime() / 1000;
      return shape.format === 'http-date' ? d.toUTCString() : d.toISOString();
    }
    case 'blob':
      if (!(v instanceof Uint8Array)) return bug(owner, 'a Uint8Array', v);
      return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
    case 'document':
      return v;
  }
}

/** Body members in model order (computed once per structure shape). */
const bodyMembers = new WeakMap<StructureShape, Member[]>();

function structToJson(shape: StructureShape, obj: Record<string, unknown>): Record<string, unknown> {
  let members = bodyMembers.get(shape);
  if (!members) bodyMembers.set(shape, (members = Object.values(shape.members).filter((m) => m.location === 'body')));
  const out: Record<string, unknown> = {};
  for (const m of members) {
    const v = obj[m.name];
    if (v === undefined || v === null) continue;
    out[m.jsonName] = toJson(m.target, v, m.name);
  }
  return out;
}

/**
 * Wire JSON body of an operation's output: jsonName keys, Dates as RFC 3339 UTC with milliseconds, blobs as
 * base64; undefined/null members are omitted and keys the model does not know are dropped. For operations
 * without output (204) the result is `{}` and the caller sends no body.
 */
export function encodeResponse(opName: string, output: object): Record<string, unknown> {
  return structToJson(requireOperation(opName).output, output as Record<string, unknown>);
}

/** A response body already in wire JSON (the dispatcher sends it as it is). */
export class EncodedBody {
  constructor(readonly json: string) {}
}

function listMember(opName: string, member: string): { jsonName: string; item: Shape } {
  const m = requireOperation(opName).output.members[member];
  if (!m || m.target.kind !== 'list') throw new Error(`${opName} has no list member ${member}`);
  return { jsonName: m.jsonName, item: m.target.member };
}

/** Wire JSON text of one item of an output's list member, exactly as encodeResponse would write it there. */
export function encodeListItem(opName: string, member: string, item: object): string {
  return JSON.stringify(toJson(listMember(opName, member).item, item, member));
}

/**
 * An output whose list member is given as items already encoded by {@link encodeListItem} (cached, say) and whose
 * other members are encoded as usual: the same bytes-for-meaning body as encodeResponse, without re-encoding items.
 */
export function encodeWithList(opName: string, member: string, itemsJson: readonly string[], rest: object): EncodedBody {
  const { jsonName } = listMember(opName, member);
  const others = JSON.stringify(encodeResponse(opName, { ...rest, [member]: undefined }));
  const list = `${JSON.stringify(jsonName)}:[${itemsJson.join(',')}]`;
  return new EncodedBody(others === '{}' ? `{${list}}` : `{${list},${others.slice(1)}`);
}
