/**
 * `npm run gen:docs` — writes the generated docs from the code, deterministically (sorted, no dates):
 *   docs/operations.md   coverage of the pinned SDK's operations (HANDLERS) and the operationType each records
 *   docs/errors.md       every error code the API emits, with the messages and invalidParameter values found in the source
 *   docs/divergences.md  every `AWS-PARITY:` comment of apps/ and packages/
 * apps/api/test/docs.test.ts regenerates them in memory and fails when a file is stale.
 *
 * The error and divergence lists come from scanning the TypeScript sources with a small tokenizer (strings, template
 * literals, comments and regex literals are skipped correctly), not from running the code.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { AUTH_ERRORS, ERROR_SHAPES, MODEL_ERRORS, OPERATIONS, coverageTable } from '@openmsk/wire';
import { validateServerProperties } from '@openmsk/domain';
import { HANDLERS } from '../apps/api/src/operations';
import { OPERATION_TYPES } from '../apps/api/src/services/updates';

export const ROOT = join(__dirname, '..');

/** openmsk's own error codes (apps/api/src/app.ts): not in the kafka model, not from AWS's front door. */
export const OPENMSK_ERRORS = {
  UnknownOperationException: 404,
  NotImplementedException: 501,
} as const;

/** Every error code the API can answer with. */
export function apiErrorCodes(): Map<string, number> {
  return new Map<string, number>([...Object.entries(MODEL_ERRORS), ...Object.entries(AUTH_ERRORS), ...Object.entries(OPENMSK_ERRORS)]);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const toPosix = (p: string) => p.split(sep).join('/');

// ---------------------------------------------------------------------------------------------------------------
// Source files and a tokenizer good enough for call sites and comments.

/** `apps/<app>/src/**` and `packages/<pkg>/src/**` TypeScript files (generated Prisma client excluded), sorted. */
export function sourceFiles(root: string = ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort(cmp)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules' && name !== 'generated') walk(p);
      } else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        out.push(toPosix(relative(root, p)));
      }
    }
  };
  for (const top of ['apps', 'packages']) {
    for (const unit of readdirSync(join(root, top)).sort(cmp)) {
      const src = join(root, top, unit, 'src');
      if (statSync(join(root, top, unit)).isDirectory() && exists(src)) walk(src);
    }
  }
  return out;
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

type TokenType = 'ident' | 'string' | 'template' | 'number' | 'regex' | 'punct';
interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}
interface Comment {
  text: string;
  start: number;
  end: number;
  line: boolean;
}

const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

/** Tokens and comments of a TypeScript source. Template literals are one token each (substitutions included). */
export function tokenize(src: string): { tokens: Token[]; comments: Comment[] } {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  lex(src, 0, false, tokens, comments);
  return { tokens, comments };
}

/** Lexes from `pos`; with `untilBrace`, stops at the `}` that closes a template substitution and returns its index. */
function lex(src: string, pos: number, untilBrace: boolean, tokens: Token[], comments: Comment[]): number {
  let depth = 0;
  let i = pos;
  const push = (type: TokenType, start: number, end: number) => tokens.push({ type, text: src.slice(start, end), start, end });
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
      comments.push({ text: src.slice(i + 2, end), start: i, end, line: true });
      i = end;
    } else if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      const end = close < 0 ? src.length : close + 2;
      comments.push({ text: src.slice(i + 2, close < 0 ? src.length : close), start: i, end, line: false });
      i = end;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      push('string', i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== '`') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '$' && src[j + 1] === '{') j = lex(src, j + 2, true, [], []) + 1;
        else j++;
      }
      push('template', i, j + 1);
      i = j + 1;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w$]/.test(src[j])) j++;
      push('ident', i, j);
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[\w.]/.test(src[j])) j++;
      push('number', i, j);
      i = j;
    } else if (c === '/' && regexAllowed(tokens[tokens.length - 1])) {
      let j = i + 1;
      let inClass = false;
      while (j < src.length && src[j] !== '\n') {
        if (src[j] === '\\') j += 2;
        else if (src[j] === '[') (inClass = true), j++;
        else if (src[j] === ']') (inClass = false), j++;
        else if (src[j] === '/' && !inClass) break;
        else j++;
      }
      j++;
      while (j < src.length && /[a-z]/.test(src[j])) j++;
      push('regex', i, j);
      i = j;
    } else if (c === '=' && src[i + 1] === '>') {
      push('punct', i, i + 2);
      i += 2;
    } else {
      if (c === '{') depth++;
      if (c === '}') {
        if (untilBrace && depth === 0) return i;
        depth--;
      }
      push('punct', i, i + 1);
      i++;
    }
  }
  return i;
}

function regexAllowed(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.type === 'ident') return REGEX_AFTER_WORDS.has(prev.text);
  if (prev.type === 'punct') return prev.text !== ')' && prev.text !== ']' && prev.text !== '}';
  return false;
}

const isPunct = (t: Token | undefined, text: string) => !!t && t.type === 'punct' && t.text === text;
const isIdent = (t: Token | undefined, text?: string) => !!t && t.type === 'ident' && (text === undefined || t.text === text);

/** Index of the token closing the bracket opened at `open`. */
function matching(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Token ranges [from, to) of the comma-separated items between `open` and its matching bracket. */
function splitItems(tokens: Token[], open: number): [number, number][] {
  const close = matching(tokens, open);
  const items: [number, number][] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i];
    if (t.type === 'punct' && '([{'.includes(t.text)) depth++;
    if (t.type === 'punct' && ')]}'.includes(t.text)) depth--;
    if (depth === 0 && isPunct(t, ',')) {
      items.push([from, i]);
      from = i + 1;
    }
  }
  if (from < close) items.push([from, close]);
  return items;
}

// ---------------------------------------------------------------------------------------------------------------
// Values of arguments: literal text, template text, a named constant, or an expression.

/** What an argument says: its text, and how we know it. */
export interface ArgValue {
  kind: 'literal' | 'template' | 'expression';
  text: string;
  /** The constant the text came from, when the argument was one. */
  via?: string;
}

function unquote(s: string): string {
  return s.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[\s\S])/g, (_, e: string) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[e] ?? e;
  });
}

/** The value of tokens [from, to): string literals (joined by `+`), one template, or an expression. */
function valueOf(src: string, tokens: Token[], from: number, to: number): ArgValue {
  const ts = tokens.slice(from, to);
  const raw = ts.length ? src.slice(ts[0].start, ts[ts.length - 1].end).replace(/\s+/g, ' ') : '';
  if (ts.length === 1 && ts[0].type === 'template') {
    const inner = ts[0].text.slice(1, -1);
    return inner.includes('${') ? { kind: 'template', text: inner } : { kind: 'literal', text: inner };
  }
  const parts: string[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (i % 2 === 1) {
      if (!isPunct(t, '+')) return { kind: 'expression', text: raw };
    } else if (t.type === 'string') {
      parts.push(unquote(t.text));
    } else if (t.type === 'template' && !t.text.includes('${')) {
      parts.push(t.text.slice(1, -1));
    } else {
      return { kind: 'expression', text: raw };
    }
  }
  if (ts.length % 2 === 0) return { kind: 'expression', text: raw };
  return { kind: 'literal', text: parts.join('') };
}

interface Parsed {
  file: string;
  src: string;
  tokens: Token[];
  comments: Comment[];
}

function parseAll(root: string): Parsed[] {
  return sourceFiles(root).map((file) => {
    const src = readFileSync(join(root, file), 'utf8');
    return { file, src, ...tokenize(src) };
  });
}

/** `const NAME = 'text'` (upper-case names, string or template initialisers) of every file. */
function constants(files: Parsed[]): Map<string, { file: string; value: ArgValue }[]> {
  const out = new Map<string, { file: string; value: ArgValue }[]>();
  for (const f of files) {
    const { tokens } = f;
    for (let i = 0; i + 3 < tokens.length; i++) {
      if (!isIdent(tokens[i], 'const') || !isIdent(tokens[i + 1]) || !/^[A-Z][A-Z0-9_]*$/.test(tokens[i + 1].text) || !isPunct(tokens[i + 2], '=')) continue;
      let end = i + 3;
      while (end < tokens.length && !isPunct(tokens[end], ';')) end++;
      const value = valueOf(f.src, tokens, i + 3, end);
      if (value.kind === 'expression') continue;
      const list = out.get(tokens[i + 1].text) ?? [];
      list.push({ file: f.file, value });
      out.set(tokens[i + 1].text, list);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Error call sites.

/**
 * A function that makes an error: `new MskError(code, message, invalidParameter)` itself, or any
 * `const name = (params) => <error maker>(...)` that passes its own parameter on as the message
 * (`badRequest`, `notFound`, `conflict` in packages/wire/src/errors.ts, `incomplete` in sigv4.ts, ...).
 */
interface Maker {
  /** Fixed code, or the index of the argument that holds it (MskError). */
  code: string | { arg: number };
  message: number;
  /** Index of the argument passed on as invalidParameter, or a fixed value. */
  param?: number | ArgValue;
}

/** One place the API makes an error. */
export interface ErrorSite {
  code: string;
  message: ArgValue;
  invalidParameter?: ArgValue;
  file: string;
  /** The HTTP status written next to it (only for errors sent by hand with `x-amzn-ErrorType`). */
  status?: number;
}

const MSK_ERROR: Maker = { code: { arg: 0 }, message: 1, param: 2 };

/** Every error the sources make, found by call site; aliases are discovered, not listed. */
export function scanErrorSites(root: string = ROOT): ErrorSite[] {
  const files = parseAll(root);
  const consts = constants(files);
  const makers = new Map<string, Maker>();
  const keyOf = (f: Parsed, name: string) => `${f.file}\0${name}`;
  // Aliases are file-local or imported by name: resolve by name, preferring the same file.
  const makerFor = (f: Parsed, name: string) => makers.get(keyOf(f, name)) ?? makers.get(`*\0${name}`);

  const resolve = (f: Parsed, v: ArgValue): ArgValue => {
    if (v.kind !== 'expression' || !/^[A-Z][A-Z0-9_]*$/.test(v.text)) return v;
    const defs = consts.get(v.text) ?? [];
    const def = defs.find((d) => d.file === f.file) ?? (defs.length === 1 ? defs[0] : undefined);
    return def ? { ...def.value, via: v.text } : v;
  };

  /** Calls of known makers in one file: [index of the callee's first token, index of '(', maker]. */
  const callsIn = (f: Parsed): [number, number, Maker][] => {
    const out: [number, number, Maker][] = [];
    const { tokens } = f;
    for (let i = 0; i + 1 < tokens.length; i++) {
      if (isIdent(tokens[i], 'new') && isIdent(tokens[i + 1], 'MskError') && isPunct(tokens[i + 2], '(')) {
        out.push([i, i + 2, MSK_ERROR]);
        i += 2;
        continue;
      }
      if (!isIdent(tokens[i]) || !isPunct(tokens[i + 1], '(') || isPunct(tokens[i - 1], '.')) continue;
      const m = makerFor(f, tokens[i].text);
      if (m) out.push([i, i + 1, m]);
    }
    return out;
  };

  /** `const NAME = (a, b) =>` right before token `at`: NAME and the parameter names, else undefined. */
  const arrowBefore = (tokens: Token[], at: number): { name: string; params: string[]; exported: boolean } | undefined => {
    let i = at - 1;
    if (!isPunct(tokens[i], '=>')) return undefined;
    i--;
    // An optional return type annotation `): Type =>`.
    let j = i;
    while (j > 0 && !isPunct(tokens[j], ')')) j--;
    if (j !== i && !isPunct(tokens[j + 1], ':')) return undefined;
    const close = j;
    let depth = 0;
    let open = close;
    for (; open >= 0; open--) {
      if (isPunct(tokens[open], ')')) depth++;
      if (isPunct(tokens[open], '(')) depth--;
      if (depth === 0) break;
    }
    if (!isPunct(tokens[open - 1], '=') || !isIdent(tokens[open - 2]) || !isIdent(tokens[open - 3], 'const')) return undefined;
    const params = splitItems(tokens, open).map(([from]) => tokens[from].text);
    return { name: tokens[open - 2].text, params, exported: isIdent(tokens[open - 4], 'export') };
  };

  // Find aliases until nothing new turns up (badRequest → MskError; incomplete → MskError; ...).
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of files) {
      for (const [at, open, maker] of callsIn(f)) {
        const arrow = arrowBefore(f.tokens, at);
        if (!arrow) continue;
        const items = splitItems(f.tokens, open);
        const argText = (n: number) => (items[n] ? valueOf(f.src, f.tokens, items[n][0], items[n][1]) : undefined);
        const msg = argText(maker.message);
        if (!msg || msg.kind !== 'expression' || !arrow.params.includes(msg.text)) continue;
        const code = typeof maker.code === 'string' ? maker.code : argText(maker.code.arg);
        if (!code || (typeof code !== 'string' && code.kind !== 'literal')) continue;
        let param: Maker['param'];
        if (typeof maker.param === 'number') {
          const p = argText(maker.param);
          param = p === undefined ? undefined : p.kind === 'expression' && arrow.params.includes(p.text) ? arrow.params.indexOf(p.text) : p;
        } else {
          param = maker.param;
        }
        const alias: Maker = { code: typeof code === 'string' ? code : code.text, message: arrow.params.indexOf(msg.text), param };
        const key = arrow.exported ? `*\0${arrow.name}` : keyOf(f, arrow.name);
        if (!makers.has(key)) {
          makers.set(key, alias);
          changed = true;
        }
      }
    }
  }

  const sites: ErrorSite[] = [];
  for (const f of files) {
    for (const [at, open, maker] of callsIn(f)) {
      const items = splitItems(f.tokens, open);
      const arg = (n: number) => (items[n] ? resolve(f, valueOf(f.src, f.tokens, items[n][0], items[n][1])) : undefined);
      const message = arg(maker.message);
      const arrow = arrowBefore(f.tokens, at);
      // The alias definitions themselves pass a parameter on; they are not sites.
      if (arrow && message?.kind === 'expression' && arrow.params.includes(message.text)) continue;
      let code: string;
      if (typeof maker.code === 'string') {
        code = maker.code;
      } else {
        const c = arg(maker.code.arg);
        if (!c || c.kind !== 'literal') {
          throw new Error(`${f.file}: cannot tell the error code of \`${f.src.slice(f.tokens[at].start, f.tokens[open].end)}...\`; use a literal code`);
        }
        code = c.text;
      }
      const invalidParameter = typeof maker.param === 'number' ? arg(maker.param) : maker.param;
      sites.push({ code, message: message ?? { kind: 'expression', text: '(none)' }, invalidParameter, file: f.file });
    }
    // Errors sent by hand: `.code(N).header('x-amzn-ErrorType', 'Code') ... { message: ... }`.
    const { tokens } = f;
    for (let i = 0; i + 4 < tokens.length; i++) {
      if (tokens[i].type !== 'string' || unquote(tokens[i].text) !== 'x-amzn-ErrorType' || !isPunct(tokens[i + 1], ',') || tokens[i + 2].type !== 'string') continue;
      let status: number | undefined;
      for (let k = i - 1; k > Math.max(0, i - 12); k--) {
        if (isIdent(tokens[k], 'code') && isPunct(tokens[k + 1], '(') && tokens[k + 2].type === 'number') status = Number(tokens[k + 2].text);
      }
      let message: ArgValue | undefined;
      for (let k = i + 3; k < Math.min(tokens.length - 2, i + 60); k++) {
        if (isIdent(tokens[k], 'message') && isPunct(tokens[k + 1], ':')) {
          let end = k + 2;
          let depth = 0;
          for (; end < tokens.length; end++) {
            const t = tokens[end];
            if (t.type === 'punct' && '([{'.includes(t.text)) depth++;
            if (t.type === 'punct' && ')]}'.includes(t.text)) {
              if (depth === 0) break;
              depth--;
            }
            if (depth === 0 && isPunct(t, ',')) break;
          }
          message = resolve(f, valueOf(f.src, tokens, k + 2, end));
          break;
        }
      }
      sites.push({ code: unquote(tokens[i + 2].text), message: message ?? { kind: 'expression', text: '(none)' }, file: f.file, status });
    }
  }
  return sites;
}

// ---------------------------------------------------------------------------------------------------------------
// docs/operations.md

/** `@aws-sdk/client-kafka` version installed at the root, i.e. the model the wire layer reads. */
export function sdkVersion(root: string = ROOT): string {
  return JSON.parse(readFileSync(join(root, 'node_modules', '@aws-sdk', 'client-kafka', 'package.json'), 'utf8')).version;
}

/** The operationType each implemented operation records (CREATE and DELETE from services/clusters.ts). */
export const RECORDED_OPERATION_TYPES: Record<string, string> = {
  CreateCluster: 'CREATE',
  CreateClusterV2: 'CREATE',
  DeleteCluster: 'DELETE',
  ...OPERATION_TYPES,
};

/** Path prefixes apps/api/src/app.ts routes to the MSK dispatcher (`'/v1/*'`, ...); everything else is its 404. */
export function routedPrefixes(root: string = ROOT): string[] {
  const { tokens } = tokenize(readFileSync(join(root, 'apps/api/src/app.ts'), 'utf8'));
  const prefixes = tokens.filter((t) => t.type === 'string' && /^\/.*\/\*$/.test(unquote(t.text))).map((t) => unquote(t.text).slice(0, -1));
  if (prefixes.length === 0) throw new Error('no routed prefix (such as \'/v1/*\') found in apps/api/src/app.ts');
  return [...new Set(prefixes)].sort(cmp);
}

export function operationsDoc(root: string = ROOT): string {
  const implemented = new Set(Object.keys(HANDLERS));
  const prefixes = routedPrefixes(root);
  const unrouted = OPERATIONS.filter((o) => !implemented.has(o.name) && !prefixes.some((p) => o.pathTemplate.startsWith(p)))
    .map((o) => o.name)
    .sort(cmp);
  const modelNames = new Set(OPERATIONS.map((o) => o.name));
  const unknown = [...implemented].filter((n) => !modelNames.has(n)).sort(cmp);
  if (unknown.length) throw new Error(`HANDLERS names operations the SDK model does not have: ${unknown.join(', ')}`);
  const version = sdkVersion(root);
  const recorded = Object.entries(RECORDED_OPERATION_TYPES)
    .filter(([name]) => implemented.has(name))
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, type]) => `| ${name} | \`${type}\` |`);
  return [
    '<!-- Generated by scripts/gen-docs.ts (npm run gen:docs); do not edit by hand. -->',
    '# MSK operations: what openmsk implements',
    '',
    `**${implemented.size} of ${OPERATIONS.length} operations implemented**, against the model of \`@aws-sdk/client-kafka\` ${version} (the pinned SDK).`,
    '',
    'One row per operation of the model, sorted by path then method. *Status* is the HTTP status of a success, as the',
    'model gives it. Rows come from `HANDLERS` (`apps/api/src/operations/index.ts`); the same keys drive `/openapi.json`',
    'and Swagger UI at `/docs`.',
    '',
    `An operation marked \`—\` under a routed prefix (${prefixes.map((p) => `\`${p}\``).join(', ')}) answers \`501 NotImplementedException\`;`,
    'any other path answers `404 UnknownOperationException` (see [errors.md](errors.md)).',
    ...(unrouted.length
      ? ['', `Not routed at all, so \`404 UnknownOperationException\` rather than 501: ${unrouted.join(', ')}.`]
      : []),
    '',
    coverageTable(implemented).trimEnd(),
    '',
    '## Operations that run in the worker',
    '',
    'These write a `ClusterOperation` row (visible through ListClusterOperations / DescribeClusterOperation) and enqueue',
    'a job whose id is the operation id; `apps/worker` carries it out. The `operationType` is the value the API records:',
    '',
    '| Operation | operationType |',
    '|---|---|',
    ...recorded,
    '',
    'Every other implemented operation answers from Postgres alone.',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// docs/errors.md

/** When each code is sent; the generator checks that the set of keys is exactly `apiErrorCodes()`. */
const WHEN: Record<string, string> = {
  BadRequestException:
    'The request is wrong: a wire-shape violation (missing required member, wrong type, value outside an enum, body that is not JSON, malformed percent-encoding in the path), a domain rule (state does not allow it, stale `currentVersion`, storage only grows, unknown Kafka version, invalid `serverProperties`, ...), or a request fastify itself refuses (any other 4xx; a body over 1 MiB). Nothing is written.',
  UnauthorizedException: 'In the model; openmsk never sends it (authentication failures use the AWS front-door codes below).',
  ForbiddenException: 'In the model; openmsk never sends it: there are no IAM policies, an account sees only its own resources.',
  NotFoundException:
    'An ARN (cluster, configuration, configuration revision, cluster operation, tagged resource) that does not exist in the caller\'s account and region, or a topic the cluster\'s brokers do not have. Another account\'s ARN answers exactly like a missing one.',
  ConflictException: 'A cluster or configuration with the same name already exists in the account and region, or a topic with the same name in the cluster.',
  TooManyRequestsException: 'In the model; openmsk never sends it (no throttling).',
  InternalServerErrorException: 'Anything unexpected (a bug, Postgres down mid-request). The error is logged with the request id (`x-amzn-RequestId`).',
  ServiceUnavailableException:
    'A Topics API request, or one to openmsk\'s own read endpoints (`/openmsk/v1/clusters/...`), whose cluster\'s brokers did not answer in time (the message carries what the admin client saw). (`GET /health`, not an MSK operation, answers 503 with its own JSON body when Postgres or Redis is down.)',
  MissingAuthenticationTokenException:
    'No `Authorization` header openmsk can use: neither SigV4 (`AWS4-HMAC-SHA256 ...`) nor `Bearer <token>` (with `OPENMSK_AUTH=sigv4`, the default).',
  IncompleteSignatureException: 'A SigV4 `Authorization` header that cannot be parsed: missing parts, wrong credential scope, `host` or `x-amz-date` not signed, bad `X-Amz-Date`.',
  InvalidSignatureException:
    'The signature does not verify: wrong secret, request changed after signing, payload hash mismatch, or a clock more than `OPENMSK_SIGV4_MAX_SKEW_SECONDS` (default 300) away.',
  UnrecognizedClientException:
    'An access key id or bearer token openmsk does not know; with `OPENMSK_AUTH=none`, no `default` account exists yet.',
  UnknownOperationException: 'No MSK operation has this method and path (openmsk\'s own code; AWS\'s front door answers differently).',
  NotImplementedException: 'The path is an operation of the model that openmsk does not implement yet (see [operations.md](operations.md)).',
};

const origin = (code: string) =>
  code in MODEL_ERRORS ? 'kafka model' : code in AUTH_ERRORS ? 'AWS front door' : 'openmsk';

/** A markdown code span that survives backticks and table pipes. */
function code(text: string): string {
  const t = text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const ticks = t.includes('`') ? '``' : '`';
  const pad = ticks.length > 1 || t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${t}${pad}${ticks}`;
}

function render(v: ArgValue | undefined): string {
  if (!v) return '—';
  const via = v.via ? ` (\`${v.via}\`)` : '';
  if (v.kind === 'expression') return `*computed:* ${code(v.text)}`;
  return `${code(v.text)}${via}`;
}

/** Distinct (code, message, invalidParameter) rows with the files that make them, sorted. */
export function errorRows(sites: ErrorSite[]): Map<string, { message: string; param: string; files: string[] }[]> {
  const byCode = new Map<string, Map<string, { message: string; param: string; files: Set<string> }>>();
  for (const s of sites) {
    const message = render(s.message);
    const param = render(s.invalidParameter);
    const rows = byCode.get(s.code) ?? new Map();
    const key = `${message}\0${param}`;
    const row = rows.get(key) ?? { message, param, files: new Set<string>() };
    row.files.add(s.file);
    rows.set(key, row);
    byCode.set(s.code, rows);
  }
  const out = new Map<string, { message: string; param: string; files: string[] }[]>();
  for (const [c, rows] of byCode) {
    out.set(
      c,
      [...rows.values()]
        .map((r) => ({ message: r.message, param: r.param, files: [...r.files].sort(cmp) }))
        .sort((a, b) => cmp(a.message, b.message) || cmp(a.param, b.param)),
    );
  }
  return out;
}

/** What a rejected `serverProperties` looks like, produced by the real validator. */
function serverPropertiesExample(): string {
  try {
    validateServerProperties('auto.create.topics.enable=maybe\nno.such.key=1\n', ['3.9.x']);
  } catch (e) {
    return JSON.stringify(JSON.parse((e as Error).message), null, 2);
  }
  throw new Error('validateServerProperties accepted an invalid configuration');
}

export function errorsDoc(root: string = ROOT): string {
  const codes = apiErrorCodes();
  const described = Object.keys(WHEN).sort(cmp).join(',');
  if (described !== [...codes.keys()].sort(cmp).join(',')) {
    throw new Error(`scripts/gen-docs.ts WHEN must describe exactly: ${[...codes.keys()].sort(cmp).join(', ')}`);
  }
  const sites = scanErrorSites(root);
  const stray = [...new Set(sites.map((s) => s.code))].filter((c) => !codes.has(c)).sort(cmp);
  if (stray.length) throw new Error(`the sources make error codes openmsk does not document: ${stray.join(', ')}`);
  for (const s of sites) {
    if (s.status !== undefined && s.status !== codes.get(s.code)) {
      throw new Error(`${s.file} sends ${s.code} with status ${s.status}, documented ${codes.get(s.code)}`);
    }
  }
  const rows = errorRows(sites);
  const order = [...codes.keys()]; // model, front door, openmsk: in that order, each as declared
  const extraShapes = Object.values(ERROR_SHAPES)
    .filter((s) => !(s.name in MODEL_ERRORS))
    .sort((a, b) => cmp(a.name, b.name));
  const declaredBy = (name: string) => OPERATIONS.filter((o) => o.errors.includes(name)).map((o) => o.name).sort(cmp);

  const lines: string[] = [
    '<!-- Generated by scripts/gen-docs.ts (npm run gen:docs); do not edit by hand. -->',
    '# Errors the openmsk API sends',
    '',
    'Every error answer has the form both the AWS CLI and the AWS SDK read: the HTTP status below, the header',
    '`x-amzn-ErrorType: <code>`, and a JSON body `{"message": "...", "invalidParameter": "..."}` (`invalidParameter`',
    'only when one member is to blame; it is the wire name, e.g. `clusterArn`). The JS SDK raises the class of that',
    'name (`BadRequestException`, ...) for the model\'s codes, and a `KafkaServiceException` whose `name` is the code',
    'for the others. The statuses are `MODEL_ERRORS` and `AUTH_ERRORS` of `packages/wire/src/errors.ts` and',
    '`OPENMSK_ERRORS` of `scripts/gen-docs.ts` (the two answers written by hand in `apps/api/src/app.ts`).',
    '',
    '## Error codes',
    '',
    '| Code | HTTP status | Origin | Distinct messages in the source | When |',
    '|---|---|---|---|---|',
    ...order.map((c) => `| ${c} | ${codes.get(c)} | ${origin(c)} | ${rows.get(c)?.length ?? 0} | ${WHEN[c]} |`),
    '',
    '## Messages, by code',
    '',
    'Found by scanning `apps/*/src` and `packages/*/src` for `new MskError(...)`, the helpers that wrap it',
    '(`badRequest`, `notFound`, `conflict`, and file-local ones such as `incomplete` in `packages/wire/src/sigv4.ts`), and',
    'answers written by hand with an `x-amzn-ErrorType` header. `${...}` parts are filled in at run time; a name in',
    'parentheses is the constant the text comes from; *computed* means the text is an expression, shown as written.',
    '',
  ];
  for (const c of order) {
    lines.push(`### ${c}`, '', `HTTP ${codes.get(c)}, ${origin(c)}. ${WHEN[c]}`, '');
    const list = rows.get(c);
    if (!list) {
      lines.push('No call site in the source makes this error.', '');
      continue;
    }
    lines.push('| Message | invalidParameter | Made in |', '|---|---|---|');
    for (const r of list) lines.push(`| ${r.message} | ${r.param} | ${r.files.map((f) => `\`${f}\``).join('<br>')} |`);
    lines.push('');
  }
  lines.push(
    '## `serverProperties` errors: a JSON array as the message',
    '',
    'A configuration (`CreateConfiguration`, `UpdateConfiguration`) whose keys or values are not accepted is refused',
    'with `BadRequestException`, `invalidParameter` `serverProperties`, and, as MSK does, a **message that is a JSON',
    'array**: one element per offending key, `{name, value, errorMessages}` (`packages/domain/src/allowlist.ts`). Parse',
    'the message as JSON to show it per key. For example, `auto.create.topics.enable=maybe` and `no.such.key=1` against',
    'Kafka `3.9.x` give:',
    '',
    '```json',
    serverPropertiesExample(),
    '```',
    '',
    'A line that is not valid `.properties` syntax is reported as plain text instead (`Line N of serverProperties is not',
    'valid: ...`).',
    '',
    '## Error shapes of the SDK model that openmsk never sends',
    '',
    `The pinned SDK (\`@aws-sdk/client-kafka\` ${sdkVersion(root)}) knows ${Object.keys(ERROR_SHAPES).length} error shapes. Besides the ${Object.keys(MODEL_ERRORS).length} above, these`,
    'are declared (`@throws`) only by the operations listed; an operation openmsk implements is marked *(implemented)*:',
    '',
    '| Shape | HTTP status | Declared by |',
    '|---|---|---|',
    ...extraShapes.map((s) => `| ${s.name} | ${s.status} | ${declaredBy(s.name).map((n) => (n in HANDLERS ? `${n} *(implemented)*` : n)).join(', ') || '—'} |`),
    '',
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// docs/divergences.md

const TAG = 'AWS-PARITY:';

/** Paragraphs of comments that carry the AWS-PARITY tag, in file order. */
export function scanDivergences(root: string = ROOT): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const f of parseAll(root)) {
    // Consecutive `//` lines form one block, like a block comment.
    const blocks: string[][] = [];
    let last: Comment | undefined;
    for (const c of f.comments) {
      const lines = c.line ? [c.text] : c.text.split('\n').map((l) => l.replace(/^\s*\*?/, ''));
      const adjacent = last && last.line && c.line && !/\S/.test(f.src.slice(last.end, c.start).replace(/\n/, '')) && (f.src.slice(last.end, c.start).match(/\n/g)?.length ?? 0) === 1;
      if (adjacent) blocks[blocks.length - 1].push(...lines);
      else blocks.push(lines);
      last = c;
    }
    for (const block of blocks) {
      if (!block.some((l) => l.includes(TAG))) continue;
      // Paragraphs: split at blank lines and JSDoc tags; keep those that carry the tag.
      const paragraphs: string[][] = [[]];
      for (const raw of block) {
        const l = raw.trim();
        if (l === '' || l.startsWith('@')) paragraphs.push([]);
        if (l !== '') paragraphs[paragraphs.length - 1].push(l);
      }
      for (const p of paragraphs) {
        const text = p.join(' ').replace(/\s+/g, ' ').trim();
        if (text.includes(TAG)) out.push({ file: f.file, text });
      }
    }
  }
  return out;
}

export function divergencesDoc(root: string = ROOT): string {
  const items = scanDivergences(root);
  const lines = [
    '<!-- Generated by scripts/gen-docs.ts (npm run gen:docs); do not edit by hand. -->',
    '# Where openmsk knowingly differs from Amazon MSK',
    '',
    `Every deliberate divergence is marked in the code with a comment tagged \`${TAG}\`; this page lists them all`,
    `(${items.length} today), from \`apps/*/src\` and \`packages/*/src\`, by file. Each entry is the comment paragraph as written;`,
    '`docs/msk-behaviour.md §N` points into [msk-behaviour.md](msk-behaviour.md), `[doc ...]` to an AWS guide page (see there).',
    '',
  ];
  let current = '';
  for (const { file, text } of items) {
    if (file !== current) {
      if (current) lines.push('');
      lines.push(`## \`${file}\``, '');
      current = file;
    }
    lines.push(`- ${text}`);
  }
  lines.push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------

/** Every generated doc, by path relative to the repository root. */
export function generateDocs(root: string = ROOT): Record<string, string> {
  return {
    'docs/operations.md': operationsDoc(root),
    'docs/errors.md': errorsDoc(root),
    'docs/divergences.md': divergencesDoc(root),
  };
}

if (require.main === module) {
  for (const [path, text] of Object.entries(generateDocs())) {
    writeFileSync(join(ROOT, path), text);
    console.log(`[gen-docs] wrote ${path}`);
  }
}
