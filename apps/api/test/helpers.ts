import { Sha256 } from '@aws-crypto/sha256-js';
import type { KafkaClient } from '@aws-sdk/client-kafka';
import { SignatureV4 } from '@smithy/signature-v4';
import { rowCounts, type Harness } from './harness';

/** What a refused SDK call gives back (the SDK copies `invalidParameter` onto the exception). */
export interface SdkError {
  name: string;
  message: string;
  InvalidParameter?: string;
  $fault?: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}

/** Sends a command that must fail; returns the error and asserts that no table changed size. */
export async function refused(h: Harness, client: KafkaClient, cmd: object): Promise<SdkError> {
  const before = await rowCounts(h.db);
  const err = await client.send(cmd as never).then(
    (ok) => { throw new Error(`expected a refusal, got ${JSON.stringify(ok)}`); },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(await rowCounts(h.db)).toEqual(before);
  return err as SdkError;
}

/** Asserts the SDK error class name, HTTP status and (when given) the `invalidParameter` member. */
export function expectError(e: SdkError, name: string, status: number, invalidParameter?: string) {
  expect({ name: e.name, status: e.$metadata.httpStatusCode }).toEqual({ name, status });
  if (invalidParameter !== undefined) expect(e.InvalidParameter).toBe(invalidParameter);
  expect(e.message.length).toBeGreaterThan(0);
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function read(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Plain HTTP against the API (no signing); `headers` as given. */
export async function raw(h: Harness, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; redirect?: 'follow' | 'manual' } = {}) {
  const res = await fetch(`${h.url}${path}`, { method, headers: opts.headers, body: opts.body, redirect: opts.redirect ?? 'manual' });
  return read(res);
}

/** HTTP with the harness's API token, the way curl and Swagger UI call the API. */
export function bearer(h: Harness, method: string, path: string, body?: unknown, token = h.token) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return raw(h, method, path, { headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

export interface SignOptions {
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
  /** Add a signed `x-amz-content-sha256` header, as the JS SDK does (the CLI does not). */
  contentSha256?: boolean;
  /** Runs on the signed request before it is sent (to tamper with it). */
  mutate?: (req: { headers: Record<string, string>; body: Buffer }) => void;
  /** Send this query instead of the signed one (to tamper with it). */
  sendQuery?: Record<string, string | string[]>;
  /** Send to this raw path instead of the signed one. */
  sendPath?: string;
}

/**
 * A SigV4-signed request built with @smithy/signature-v4 (the JS SDK's own signer). `path` is the raw,
 * already percent-encoded path; `query` holds decoded values (arrays for repeated names).
 */
export async function signed(h: Harness, method: string, path: string, query: Record<string, string | string[]> = {}, body?: unknown, opts: SignOptions = {}) {
  const url = new URL(h.url);
  const bodyBuf = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const headers: Record<string, string> = { host: url.host };
  if (bodyBuf.length > 0) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(bodyBuf.length);
  }
  const signer = new SignatureV4({
    credentials: opts.credentials ?? h.credentials,
    region: opts.region ?? 'us-east-1',
    service: 'kafka',
    sha256: Sha256,
    applyChecksum: opts.contentSha256 ?? false,
    uriEscapePath: true,
  });
  const out = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers, body: bodyBuf });
  const req = { headers: { ...(out.headers as Record<string, string>) }, body: bodyBuf };
  opts.mutate?.(req);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.sendQuery ?? query)) for (const x of Array.isArray(v) ? v : [v]) qs.append(k, x);
  const search = qs.toString().replace(/\+/g, '%20');
  const { host: _host, ...sendHeaders } = req.headers; // fetch sets Host itself (same value)
  return raw(h, method, `${opts.sendPath ?? path}${search ? `?${search}` : ''}`, { headers: sendHeaders, body: req.body.length ? req.body : undefined });
}

/** A path label the way the AWS clients encode it (ARNs become one segment). */
export const label = (s: string) => encodeURIComponent(s);
