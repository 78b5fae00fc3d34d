/**
 * Server-side AWS Signature Version 4 verification for the `kafka` REST API.
 *
 * The signature is recomputed with `@smithy/signature-v4` (the signer inside the JS SDK) from exactly what the
 * client signed: only the headers named in `SignedHeaders`, the raw percent-encoded path (encoded once more by
 * the signer, as SigV4 requires for non-S3 services), the query decoded from the raw query string, and the raw body
 * bytes.
 *
 * The signature must cover exactly what the handler executes, so the request target is parsed once
 * (`parseRequestTarget`) and the same path and query pairs go to the signer and, through `VerifiedIdentity.target`,
 * to the router and the codec. What the canonical request would not cover is refused rather than ignored: a '#' in
 * the target, a path the signer would normalise ('.', '..', empty segments), a query name the signer skips
 * (`X-Amz-Signature`) or cannot cover (`__proto__`), a second Authorization header.
 */
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';

import { SignatureV4 } from '@smithy/signature-v4';
import { MskError } from './errors';

/** SHA-256 / HMAC-SHA-256 on node:crypto for the signer: about half the CPU of the pure-JS hash. */
export class NodeSha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(toBuffer(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  reset(): void {
    throw new Error('NodeSha256 cannot be reset');
  }
}

function toBuffer(d: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof d === 'string') return Buffer.from(d, 'utf8');
  if (ArrayBuffer.isView(d)) return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  return Buffer.from(d);
}

export interface SignedRequest {
  method: string;
  /** path + '?' + query exactly as received, still percent-encoded (node's `req.url`). */
  rawUrl: string;
  /**
   * Lower-cased headers; a repeated header as an array of its values (node's `req.headersDistinct`), so that every
   * copy is signed (joined with ',', as SigV4 canonicalises repeats) and a second Authorization header is seen.
   */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The request target as the handler executes it; the signature covers exactly this. */
export interface RequestTarget {
  /** The raw path, still percent-encoded: what the router matches. */
  path: string;
  /** The query pairs, decoded once, in wire order: what the signer signs and the codec reads. */
  query: URLSearchParams;
}

export interface KeyRecord<P> {
  secretAccessKey: string;
  principal: P;
}

export interface VerifyOptions {
  /** SigV4 scope service; default `kafka`. */
  service?: string;
  /** Allowed clock skew either way; default 300 s (AWS's ±5 min). */
  maxSkewSeconds?: number;
  /** The regions a credential scope may name; default: any `[A-Za-z0-9-]+`. Checked before the key is looked up. */
  isRegion?: (region: string) => boolean;
  now?: () => Date;
}

export interface VerifiedIdentity<P> {
  accessKeyId: string;
  region: string;
  principal: P;
  /** The path and query the signature covers, for the router and the codec. */
  target: RequestTarget;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';

const MSG_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key ' +
  'and signing method. Consult the service documentation for details.';
const MSG_UNRECOGNIZED = 'The security token included in the request is invalid.';

/** More query pairs than any MSK operation takes (a few names; UntagResource up to 50 tagKeys), with room to spare. */
// AWS-PARITY: a query of more than 200 parameters is refused with BadRequestException; AWS documents no such limit.
export const MAX_QUERY_PAIRS = 200;

const MSG_FRAGMENT = "The request target contains '#', which a signature cannot cover. Percent-encode it as %23.";
const MSG_DUPLICATE_AUTHORIZATION = 'The request carries more than one Authorization header; send exactly one.';

const incomplete = (message: string) => new MskError('IncompleteSignatureException', message);
const invalidSignature = (message: string) => new MskError('InvalidSignatureException', message);

/** Header value by lower-case name; tolerant of non-lower-cased maps; repeated values joined with ','. */
function header(headers: SignedRequest['headers'], name: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    for (const k of Object.keys(headers)) {
      if (k.toLowerCase() === name) {
        v = headers[k];
        break;
      }
    }
  }
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/** True when the request carries a SigV4 `Authorization` header. */
export function hasSigV4(headers: SignedRequest['headers']): boolean {
  const auth = header(headers, 'authorization');
  return auth !== undefined && auth.trimStart().startsWith(ALGORITHM);
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function parseAuthorization(auth: string, service: string, isRegion: (region: string) => boolean): ParsedAuthorization {
  const trimmed = auth.trim();
  const m = /^(\S+)\s+([\s\S]*)$/.exec(trimmed);
  const params = new Map<string, string>();
  if (m && m[1] === ALGORITHM) {
    for (const part of m[2].split(',')) {
      const p = part.trim();
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim(), p.slice(eq + 1).trim());
    }
  }
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (!m || m[1] !== ALGORITHM || missing.length > 0) {
    const lead = m && m[1] !== ALGORITHM && m[1].startsWith('AWS4') ? `Unsupported algorithm '${m[1]}'. ` : '';
    throw incomplete(`${lead}${missing.join(' ')} Authorization=${trimmed}`.trim());
  }

  const credential = params.get('Credential')!;
  const parts = credential.split('/');
  if (parts.length < 5 || parts.slice(0, -4).join('/') === '') {
    throw incomplete(
      `Credential should be scoped to a valid region, the form is '<access key id>/<YYYYMMDD>/<region>/${service}/${TERMINATOR}'. Credential=${credential}`,
    );
  }
  const [date, region, scopeService, terminator] = parts.slice(-4);
  const accessKeyId = parts.slice(0, -4).join('/');
  if (!/^\d{8}$/.test(date)) {
    throw incomplete(`Credential should be scoped to a valid date (YYYYMMDD), not '${date}'.`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(region)) {
    throw incomplete(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  if (!isRegion(region)) {
    // What AWS's front door answers for a scope naming a region it does not serve.
    throw invalidSignature(`Credential should be scoped to a valid region, not '${region}'.`);
  }
  if (scopeService !== service) {
    throw incomplete(`Credential should be scoped to correct service: '${service}'.`);
  }
  if (terminator !== TERMINATOR) {
    throw incomplete(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`);
  }

  const signedHeaders = params
    .get('SignedHeaders')!
    .split(';')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
  if (!signedHeaders.includes('host')) {
    throw incomplete(`'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  if (!signedHeaders.includes('x-amz-date')) {
    throw incomplete(`'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.`);
  }

  return { accessKeyId, date, region, service: scopeService, signedHeaders, signature: params.get('Signature')! };
}

/** `YYYYMMDDTHHMMSSZ` → Date, or null when not a valid ISO-8601 basic-format UTC timestamp. */
export function parseAmzDate(v: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(v);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return null;
  }
  return date;
}

const formatAmzDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

const formatSkew = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`);

/** Constant-time string comparison (hashes first, so unequal lengths do not short-circuit). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Splits node's `req.url` (origin-form, or absolute-form through a proxy) into raw path and raw query. */
function splitRawUrl(rawUrl: string): { path: string; query: string } {
  let url = rawUrl;
  const abs = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/.exec(url);
  if (abs) url = url.slice(abs[0].length);
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q + 1) : '';
  return { path: path === '' ? '/' : path, query };
}

/**
 * The one parser of a request target, for signed and bearer requests alike: the raw path and the query pairs
 * (`URLSearchParams`, so '+' is a space and repeats are kept in order). A '#' is refused: clients never send a
 * fragment, and dropping it (as the signature check once did) while the handler read on let a signed query be
 * extended after signing.
 */
// AWS-PARITY: a '#' in the request target is refused with 400 BadRequestException (signed requests: 403 InvalidSignatureException); what AWS's front door answers is not known.
export function parseRequestTarget(rawUrl: string): RequestTarget {
  if (rawUrl.includes('#')) {
    throw new MskError('BadRequestException', "The request target contains '#'. Percent-encode it as %23.");
  }
  const { path, query } = splitRawUrl(rawUrl);
  const pairs = new URLSearchParams(query);
  // The signer copies the query once per distinct name (quadratic): 2,000 names would hold the event loop ~0.5 s.
  if (pairs.size > MAX_QUERY_PAIRS) {
    throw new MskError('BadRequestException', `The query string has more than ${MAX_QUERY_PAIRS} parameters.`);
  }
  return { path, query: pairs };
}

/** The path as the signer canonicalises it ('.', '..' and empty segments dropped), as smithy's getCanonicalPath does. */
function normalizedPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
}

/**
 * The query as the signer takes it: name → value, or values when repeated. Two names the signer does not cover are
 * refused: X-Amz-Signature (left out of the canonical query) and `__proto__` (its value never reaches the canonical
 * query: smithy collects the pairs in a plain object).
 */
// AWS-PARITY: a query name `__proto__` is refused with InvalidSignatureException, because the signer we verify with cannot cover its value; AWS would verify it.
function signerQuery(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of query) {
    if (k === '__proto__' || k.toLowerCase() === 'x-amz-signature') throw invalidSignature(MSG_MISMATCH);
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/**
 * Verifies the SigV4 `Authorization` header of a request. Resolves with the caller's identity; rejects with an
 * `MskError` (403, AWS front-door codes) otherwise.
 */
/**
 * One signer per key record (as long as the caller keeps the record, e.g. in its secret cache), region and service:
 * smithy's SignatureV4 keeps the day's derived signing key, four HMACs that every request would otherwise redo.
 */
const signers = new WeakMap<object, Map<string, SignatureV4>>();
function signerFor(key: KeyRecord<unknown>, accessKeyId: string, region: string, service: string): SignatureV4 {
  let byScope = signers.get(key);
  if (!byScope) signers.set(key, (byScope = new Map()));
  const scope = `${accessKeyId}\n${region}\n${service}`;
  let signer = byScope.get(scope);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey: key.secretAccessKey },
      region,
      service,
      sha256: NodeSha256,
      applyChecksum: false,
      uriEscapePath: true,
    });
    byScope.set(scope, signer);
  }
  return signer;
}

export async function verifySigV4<P>(
  req: SignedRequest,
  lookup: (accessKeyId: string) => Promise<KeyRecord<P> | null>,
  opts: VerifyOptions = {},
): Promise<VerifiedIdentity<P>> {
  const service = opts.service ?? 'kafka';
  const maxSkewSeconds = opts.maxSkewSeconds ?? 300;
  const now = (opts.now ?? (() => new Date()))();

  const authValues = req.headers.authorization;
  if (Array.isArray(authValues) && authValues.length > 1) throw incomplete(MSG_DUPLICATE_AUTHORIZATION);
  const auth = header(req.headers, 'authorization');
  if (auth === undefined || auth.trim() === '') {
    throw new MskError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  }
  const parsed = parseAuthorization(auth, service, opts.isRegion ?? (() => true));
  if (req.rawUrl.includes('#')) throw invalidSignature(MSG_FRAGMENT);
  const target = parseRequestTarget(req.rawUrl);
  // The router runs on the raw path; the signer would sign its normalised form. They must be one path.
  if (normalizedPath(target.path) !== target.path) throw invalidSignature(MSG_MISMATCH);
  const query = signerQuery(target.query);

  const amzDate = header(req.headers, 'x-amz-date')?.trim();
  if (amzDate === undefined || amzDate === '') {
    throw incomplete(`Authorization header requires existence of a 'X-Amz-Date' header. Authorization=${auth.trim()}`);
  }
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  if (parsed.date !== amzDate.slice(0, 8)) {
    throw invalidSignature(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  const skewMs = maxSkewSeconds * 1000;
  if (signingDate.getTime() < now.getTime() - skewMs) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - skewMs))} (${formatAmzDate(now)} - ${formatSkew(maxSkewSeconds)})`,
    );
  }
  if (signingDate.getTime() > now.getTime() + skewMs) {
    throw invalidSignature(
      `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + skewMs))} (${formatAmzDate(now)} + ${formatSkew(maxSkewSeconds)})`,
    );
  }

  const key = await lookup(parsed.accessKeyId);
  if (!key) throw new MskError('UnrecognizedClientException', MSG_UNRECOGNIZED);

  const body = req.body ?? Buffer.alloc(0);
  const contentSha = header(req.headers, 'x-amz-content-sha256');
  if (contentSha !== undefined) {
    const actual = createHash('sha256').update(body).digest('hex');
    if (!safeEqual(contentSha.trim().toLowerCase(), actual)) {
      throw invalidSignature(`The provided 'x-amz-content-sha256' header does not match what was computed.`);
    }
  }

  // Only what the client signed; the signer sorts, lower-cases and trims the values itself.
  const signedHeaders: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const v = header(req.headers, name);
    if (v !== undefined) signedHeaders[name] = v;
  }
  const host = signedHeaders.host ?? 'localhost';

  const signer = signerFor(key, parsed.accessKeyId, parsed.region, service);
  const signed = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: host.replace(/:\d+$/, ''),
      path: target.path,
      query,
      headers: signedHeaders,
      body,
    },
    {
      signingDate,
      signingRegion: parsed.region,
      signingService: service,
      // Sign exactly the client's list, even headers smithy would normally skip (user-agent, proxy-*, …).
      signableHeaders: new Set(parsed.signedHeaders),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  if (expected === '' || !safeEqual(expected, parsed.signature)) {
    throw invalidSignature(MSG_MISMATCH);
  }

  return { accessKeyId: parsed.accessKeyId, region: parsed.region, principal: key.principal, target };
}
