/**
 * The kafka service model, read from the static schemas `@aws-sdk/client-kafka` ships (`X$` exports), so routes,
 * member names and types can never drift from what the SDK itself serializes.
 *
 * Encoding of those schemas (smithy "static schema" arrays, @smithy/core 3.x):
 * - operation `[9, ns, name, {http: [method, path, status]}, inputRef, outputRef]`; output `"unit"` = no body.
 * - structure `[3 | -3, ns, name, traits, memberNames, memberRefs, requiredCount?]`: members are sorted
 *   required-first and the first `requiredCount` are `@required` (that is how @smithy/core reads it).
 * - member ref: a bare type or `[type, traits]`; traits are an object (`jsonName`, `httpQuery`, ...) or a bit
 *   field (bit 0 = httpLabel, see `translateTraits`). Types: simple codes (0 string, 1 any number, 2 boolean,
 *   4-7 timestamps, 15 document, 21 blob), `64|x` list of x, `128|x` string-keyed map of x, a schema array or a
 *   thunk returning one (`[1, ns, name, traits, member]` list, `[2, ..., key, value]` map).
 * What the runtime schemas do NOT carry: enum values, numeric width (integer/long/double are all `1`), constraints,
 * the errors each operation declares and AWS's documentation strings. Enums, errors and documentation are recovered
 * from the SDK's own `.d.ts` files (`@throws` tags, member types naming an exported enum, TSDoc blocks); if those
 * files are absent we degrade to none.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as sdk from '@aws-sdk/client-kafka';

export type TimestampFormat = 'date-time' | 'http-date' | 'epoch-seconds';
export type Location = 'label' | 'query' | 'header' | 'body';

export interface StructureShape {
  kind: 'structure';
  name: string;
  members: Record<string, Member>;
  /** AWS's documentation of the shape (HTML, as the SDK ships it), when it has any. */
  doc?: string;
}
export type Shape =
  | StructureShape
  | { kind: 'list'; member: Shape }
  | { kind: 'map'; value: Shape }
  | { kind: 'string'; enum?: readonly string[] }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'timestamp'; format: TimestampFormat }
  | { kind: 'blob' }
  | { kind: 'document' };

export interface Member {
  /** PascalCase name used by the SDK types and by application code. */
  name: string;
  /** Wire name in JSON bodies; for labels/query members the lowerCamel name AWS errors use (`clusterArn`). */
  jsonName: string;
  location: Location;
  /** Name on the wire at `location`: JSON key, query parameter, or the `{Label}` of the path template. */
  locationName: string;
  required: boolean;
  target: Shape;
  /** AWS's documentation of the member (HTML, as the SDK ships it), when it has any. */
  doc?: string;
}

export interface Operation {
  name: string;
  method: string;
  pathTemplate: string;
  status: number;
  input: StructureShape;
  output: StructureShape;
  /** Error shape names from the SDK's `@throws` docs (without the generic KafkaServiceException). */
  errors: string[];
  /** AWS's documentation of the operation (HTML, as the SDK ships it). */
  doc?: string;
}

export interface ErrorShape {
  name: string;
  status: number;
  fault: 'client' | 'server';
}

type Raw = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const exportsOf = sdk as unknown as Record<string, unknown>;
const deref = (ref: Raw): Raw => (typeof ref === 'function' ? ref() : ref);
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Runtime enum objects (`ClusterState = {ACTIVE: 'ACTIVE', ...}`) by export name. */
function sdkEnums(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(exportsOf)) {
    if (!/^[A-Z]/.test(k) || k.endsWith('$') || !v || typeof v !== 'object' || Array.isArray(v)) continue;
    const values = Object.values(v as object);
    if (values.length > 0 && values.every((x) => typeof x === 'string')) out.set(k, values as string[]);
  }
  return out;
}

function typesDir(): string | undefined {
  try {
    const dir = path.join(path.dirname(require.resolve('@aws-sdk/client-kafka/package.json')), 'dist-types');
    return fs.existsSync(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The text of each of the SDK's model `.d.ts` files (none when the types are absent). */
function modelTypeTexts(dir: string | undefined): string[] {
  const models = dir && path.join(dir, 'models');
  if (!models || !fs.existsSync(models)) return [];
  return fs.readdirSync(models).filter((f) => f.endsWith('.d.ts')).map((f) => fs.readFileSync(path.join(models, f), 'utf8'));
}

/** `Interface.Member` -> enum name, from member lines like `State?: ClusterState | undefined;`. */
function enumRefsFromTypes(dir: string | undefined, enums: Map<string, string[]>): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of modelTypeTexts(dir)) {
    for (const m of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
      for (const p of m[2].matchAll(/^ {4}(\w+)\??: ([^;]+);$/gm)) {
        const t = p[2].replace(/ \| undefined$/, '').replace(/\[\]$/, '').replace(/^Record<string, (\w+)>$/, '$1');
        if (enums.has(t)) out.set(`${m[1]}.${p[1]}`, t);
      }
    }
  }
  return out;
}

function commandText(dir: string | undefined, op: string): string {
  const file = dir && path.join(dir, 'commands', `${op}Command.d.ts`);
  return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function errorsFromTypes(text: string): string[] {
  const names = [...text.matchAll(/@throws \{@link (\w+)\}/g)].map((m) => m[1]);
  return [...new Set(names)].filter((n) => n !== 'KafkaServiceException');
}

/** The body of a TSDoc block up to its first tag, without the leading ` * `. */
function docBody(block: string): string | undefined {
  const lines = block.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  const end = lines.findIndex((l) => /^@\w/.test(l.trim()));
  const text = (end < 0 ? lines : lines.slice(0, end)).join('\n').trim();
  return text === '' ? undefined : text;
}

/** The operation's own text: the block on the command class, after its `_base` declaration. */
function operationDoc(text: string): string | undefined {
  const m = /Command_base: \{[\s\S]*?\n\};\n\/\*\*([\s\S]*?)\*\//.exec(text);
  return m ? docBody(m[1]) : undefined;
}

/** `Interface` and `Interface.Member` -> documentation, from the SDK's model `.d.ts` files. */
function docsFromTypes(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of modelTypeTexts(dir)) {
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\nexport interface (\w+)[^{]*\{([\s\S]*?)\n\}/g)) {
      const own = docBody(m[1]);
      if (own) out.set(m[2], own);
      for (const p of m[3].matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\n {4}(\w+)\??:/g)) {
        const doc = docBody(p[1]);
        if (doc) out.set(`${m[2]}.${p[2]}`, doc);
      }
    }
  }
  return out;
}

const ENUMS = sdkEnums();
const TYPES_DIR = typesDir();
const ENUM_REFS = enumRefsFromTypes(TYPES_DIR, ENUMS);
const DOCS = docsFromTypes(TYPES_DIR);

function simple(code: number | string): Shape {
  if (code === 0) return { kind: 'string' };
  if (code === 1 || code === 17 || code === 19) return { kind: 'number' };
  if (code === 2) return { kind: 'boolean' };
  // Plain `timestamp` (4) takes the protocol default, epoch seconds for restJson1.
  if (code === 4 || code === 7) return { kind: 'timestamp', format: 'epoch-seconds' };
  if (code === 5) return { kind: 'timestamp', format: 'date-time' };
  if (code === 6) return { kind: 'timestamp', format: 'http-date' };
  if (code === 15) return { kind: 'document' };
  if (code === 21 || code === 42) return { kind: 'blob' };
  if (typeof code === 'number' && code >= 64 && code < 128) return { kind: 'list', member: simple(code & 0x3f) };
  if (typeof code === 'number' && code >= 128 && code < 256) return { kind: 'map', value: simple(code & 0x3f) };
  throw new Error(`kafka model: unsupported simple schema ${String(code)}`);
}

/** Memoised per schema array: shared shapes stay shared, and a cyclic model would not recurse forever. */
const structCache = new Map<Raw, StructureShape>();

/** Resolves a member type; `enumName` applies to the string leaf (also inside lists/maps). */
function resolve(ref: Raw, enumName?: string): Shape {
  const sc = deref(ref);
  if (Array.isArray(sc) && sc.length === 2) return resolve(sc[0], enumName);
  if (!Array.isArray(sc)) {
    const shape = simple(sc);
    return enumName ? withEnum(shape, ENUMS.get(enumName)!) : shape;
  }
  switch (sc[0]) {
    case 0:
      return resolve(sc[4], enumName);
    case 1:
      return { kind: 'list', member: resolve(sc[4], enumName) };
    case 2:
      return { kind: 'map', value: resolve(sc[5], enumName) };
    case 3:
    case -3:
      return structure(sc);
    default:
      throw new Error(`kafka model: unsupported schema id ${String(sc[0])} (${String(sc[2])})`);
  }
}

function withEnum(shape: Shape, values: readonly string[]): Shape {
  if (shape.kind === 'string') return { kind: 'string', enum: values };
  if (shape.kind === 'list') return { kind: 'list', member: withEnum(shape.member, values) };
  if (shape.kind === 'map') return { kind: 'map', value: withEnum(shape.value, values) };
  return shape;
}

function memberTraits(ref: Raw): Record<string, unknown> {
  if (!(Array.isArray(ref) && ref.length === 2)) return {};
  const t = ref[1];
  if (t && typeof t === 'object') return t as Record<string, unknown>;
  return typeof t === 'number' && (t & 1) === 1 ? { httpLabel: 1 } : {};
}

function structure(sc: Raw[]): StructureShape {
  const cached = structCache.get(sc);
  if (cached) return cached;
  const shape: StructureShape = { kind: 'structure', name: sc[2], members: {}, doc: DOCS.get(sc[2]) };
  structCache.set(sc, shape);
  const names: string[] = sc[4];
  const requiredCount: number = typeof sc[6] === 'number' ? sc[6] : 0;
  names.forEach((name, i) => {
    const traits = memberTraits(sc[5][i]);
    let location: Location = 'body';
    let locationName = (traits.jsonName as string | undefined) ?? lowerFirst(name);
    if (traits.httpLabel) [location, locationName] = ['label', name];
    else if (typeof traits.httpQuery === 'string') [location, locationName] = ['query', traits.httpQuery];
    else if (typeof traits.httpHeader === 'string') [location, locationName] = ['header', traits.httpHeader];
    shape.members[name] = {
      name,
      jsonName: (traits.jsonName as string | undefined) ?? lowerFirst(name),
      location,
      locationName,
      required: i < requiredCount,
      target: resolve(sc[5][i], ENUM_REFS.get(`${sc[2]}.${name}`)),
      doc: DOCS.get(`${sc[2]}.${name}`),
    };
  });
  return shape;
}

const UNIT: StructureShape = { kind: 'structure', name: 'Unit', members: {} };

function loadOperations(): Operation[] {
  const ops: Operation[] = [];
  for (const [key, value] of Object.entries(exportsOf)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const [method, pathTemplate, status] = (value[3] as { http: [string, string, number] }).http;
    const output = deref(value[5]);
    const text = commandText(TYPES_DIR, value[2] as string);
    ops.push({
      name: value[2] as string,
      method,
      pathTemplate,
      status,
      input: structure(deref(value[4])),
      output: Array.isArray(output) ? structure(output) : UNIT,
      errors: errorsFromTypes(text),
      doc: operationDoc(text),
    });
  }
  return ops.sort((a, b) => a.name.localeCompare(b.name));
}

function loadErrors(): Record<string, ErrorShape> {
  const out: Record<string, ErrorShape> = {};
  for (const value of Object.values(exportsOf)) {
    if (!Array.isArray(value) || value[0] !== -3 || typeof value[3] !== 'object') continue;
    const t = value[3] as { error?: 'client' | 'server'; httpError?: number };
    if (t.httpError) out[value[2]] = { name: value[2], status: t.httpError, fault: t.error ?? 'client' };
  }
  return out;
}

/** All operations the SDK knows (64 in 3.1169.0), sorted by name. */
export const OPERATIONS: readonly Operation[] = loadOperations();
/** Modeled error shapes by name, with their HTTP status. */
export const ERROR_SHAPES: Readonly<Record<string, ErrorShape>> = loadErrors();

const BY_NAME = new Map(OPERATIONS.map((op) => [op.name, op]));

export function getOperation(name: string): Operation | undefined {
  return BY_NAME.get(name);
}

/** Like getOperation, for callers that hold a name from the model and treat a miss as a bug. */
export function requireOperation(name: string): Operation {
  const op = BY_NAME.get(name);
  if (!op) throw new Error(`unknown kafka operation ${name}`);
  return op;
}
