/**
 * The kafka service model, read from the static schemas `@aws-sdk/client-kafka` ships (`X$` exports), so routes,
 * member names and types can never drift from what the SDK itself serializes.
 *
 * The schemas are read through @smithy/core's own reader, `NormalizedSchema` (what the SDK's protocols use): it
 * dereferences thunks, unwraps named simple shapes, and gives list and map values, structure members in order and
 * their traits (`jsonName`, `httpQuery`, `httpHeader`, `httpLabel`, also from the bit-field form). Three things it
 * does not offer are read from the static arrays directly:
 * - operations `[9, ns, name, {http: [method, path, status]}, input, output]` (output `"unit"` = no body), destructured
 *   as the SDK's serialization middleware does;
 * - `@required`: structures `[3 | -3, ns, name, traits, memberNames, memberRefs, requiredCount?]` list members
 *   required-first, and the first `requiredCount` are required;
 * - the timestamp format, which is the simple type code (4 the protocol default, epoch seconds for restJson1;
 *   5 date-time, 6 http-date, 7 epoch seconds).
 * What the runtime schemas do NOT carry: enum values, numeric width (integer/long/double are all `1`), constraints,
 * the errors each operation declares and AWS's documentation strings. Enums, errors and documentation are recovered
 * from the SDK's own `.d.ts` files (`@throws` tags, member types naming an exported enum, TSDoc blocks); if those
 * files are absent we degrade to none.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as sdk from '@aws-sdk/client-kafka';
import { NormalizedSchema } from '@smithy/core/schema';

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

/** A leaf (neither structure, list nor map). */
function simple(ns: NormalizedSchema): Shape {
  if (ns.isStringSchema()) return { kind: 'string' };
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) return { kind: 'number' };
  if (ns.isBooleanSchema()) return { kind: 'boolean' };
  if (ns.isTimestampSchema()) {
    const code = ns.getSchema();
    return { kind: 'timestamp', format: code === 5 ? 'date-time' : code === 6 ? 'http-date' : 'epoch-seconds' };
  }
  if (ns.isDocumentSchema()) return { kind: 'document' };
  if (ns.isBlobSchema()) return { kind: 'blob' };
  throw new Error(`kafka model: unsupported schema ${ns.getName(true) ?? String(ns.getSchema())}`);
}

/** Memoised per schema array: shared shapes stay shared, and a cyclic model would not recurse forever. */
const structCache = new Map<unknown, StructureShape>();

/** Resolves a member type; `enumName` applies to the string leaf (also inside lists/maps). */
function resolve(ns: NormalizedSchema, enumName?: string): Shape {
  if (ns.isUnionSchema()) throw new Error(`kafka model: unsupported union ${ns.getName(true)}`);
  if (ns.isStructSchema()) return structure(ns);
  if (ns.isListSchema()) return { kind: 'list', member: resolve(ns.getValueSchema(), enumName) };
  if (ns.isMapSchema()) return { kind: 'map', value: resolve(ns.getValueSchema(), enumName) };
  const shape = simple(ns);
  return enumName && shape.kind === 'string' ? { kind: 'string', enum: ENUMS.get(enumName)! } : shape;
}

function structure(ns: NormalizedSchema): StructureShape {
  const sc = ns.getSchema() as Raw[];
  const cached = structCache.get(sc);
  if (cached) return cached;
  const name = ns.getName()!;
  const shape: StructureShape = { kind: 'structure', name, members: {}, doc: DOCS.get(name) };
  structCache.set(sc, shape);
  const requiredCount: number = typeof sc[6] === 'number' ? sc[6] : 0;
  let i = 0;
  for (const [member, m] of ns.structIterator()) {
    const traits = m.getMemberTraits();
    const jsonName = typeof traits.jsonName === 'string' ? traits.jsonName : lowerFirst(member);
    let location: Location = 'body';
    let locationName = jsonName;
    if (traits.httpLabel) [location, locationName] = ['label', member];
    else if (typeof traits.httpQuery === 'string') [location, locationName] = ['query', traits.httpQuery];
    else if (typeof traits.httpHeader === 'string') [location, locationName] = ['header', traits.httpHeader];
    shape.members[member] = {
      name: member,
      jsonName,
      location,
      locationName,
      required: i++ < requiredCount,
      target: resolve(m, ENUM_REFS.get(`${name}.${member}`)),
      doc: DOCS.get(`${name}.${member}`),
    };
  }
  return shape;
}

const UNIT: StructureShape = { kind: 'structure', name: 'Unit', members: {} };

function loadOperations(): Operation[] {
  const ops: Operation[] = [];
  for (const [key, value] of Object.entries(exportsOf)) {
    if (!key.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
    const [, , name, traits, input, output] = value as [9, string, string, { http: [string, string, number] }, Raw, Raw];
    const [method, pathTemplate, status] = traits.http;
    const out = NormalizedSchema.of(output);
    const text = commandText(TYPES_DIR, name);
    ops.push({
      name,
      method,
      pathTemplate,
      status,
      input: structure(NormalizedSchema.of(input)),
      output: out.isUnitSchema() ? UNIT : structure(out),
      errors: errorsFromTypes(text),
      doc: operationDoc(text),
    });
  }
  return ops.sort((a, b) => a.name.localeCompare(b.name));
}

function loadErrors(): Record<string, ErrorShape> {
  const out: Record<string, ErrorShape> = {};
  for (const [key, value] of Object.entries(exportsOf)) {
    if (!key.endsWith('$') || !Array.isArray(value)) continue;
    const ns = NormalizedSchema.of(value as Raw);
    if (!ns.isStructSchema()) continue;
    const t = ns.getOwnTraits() as { error?: 'client' | 'server'; httpError?: number };
    if (t.httpError) out[ns.getName()!] = { name: ns.getName()!, status: t.httpError, fault: t.error ?? 'client' };
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
